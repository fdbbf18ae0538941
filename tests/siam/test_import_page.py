"""The one import page (dossier.admin.imports) the agents, établissements, postes and capacités imports share:
a hostile cell is shown and stored as text and exported neutralised, an error on one line writes nothing,
and a preview is confirmed once."""

from __future__ import annotations

import csv
import html
import io
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Agent
from dossier.admin.imports import SALT
from dossier.models import Dossier, Etablissement
from dossier.services.imports import AgentImporter, EtablissementImporter, ImportRefused
from dossier.uai import uai_check_letter
from siam.models import Campagne, Demande, Poste
from tests.dossier.test_dossier_csv_import import AGENT_HEADER, agent_line
from tests.siam.conftest import client_for, text
from tests.siam.test_admin import GOOD
from tests.siam.test_admin_bulk import messages_of

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://x.example/","clic")'
ETABLISSEMENTS = "uai;nom;type;commune_insee;education_prioritaire\n"
POSTES = "/admin/siam/poste/importer/"


def upload(client: Any, url: str, content: str, **fields: Any) -> Any:
    return client.post(url, {**fields, "fichier": SimpleUploadedFile("import.csv", content.encode())})


def test_a_formula_cell_is_previewed_as_text_stored_as_given_and_exported_neutralised(
    intra: Campagne, rectorat: Agent
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow(agent_line(nom=HOSTILE).strip().split(";"))
    staff = client_for(rectorat, staff=True)
    url = "/admin/dossier/dossier/importer/"
    preview = upload(staff, url, AGENT_HEADER + buffer.getvalue())
    page = preview.content.decode()
    assert "<td>=HYPERLINK(&quot;http://x.example/&quot;,&quot;clic&quot;)</td>" in page  # text, escaped
    assert 'href="http://x.example/"' not in page
    staff.post(url, {"payload": preview.context["payload"]})
    agent = Agent.objects.get(numen="15E0300001ABC")
    assert agent.nom == HOSTILE  # stored as given: it is the export that neutralises
    Demande.objects.create(agent=agent, campagne=intra)
    fields = {f"demanderesource_{f}": "on" for f in ("identifiant", "nom", "prenom")}
    exported = staff.post(
        f"/admin/siam/demande/export/?campagne__id__exact={intra.pk}", {"resource": "0", "format": "0", **fields}
    )
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [r["nom"] for r in rows] == ["'" + HOSTILE]


def test_an_error_on_line_3_writes_nothing_and_names_line_3(rectorat: Agent, ref: dict[str, Any]) -> None:
    content = ETABLISSEMENTS + "0630019D;Lycée Sidoine-Apollinaire;LGT;63113;\n0630020F;Lycée Jeanne-d'Arc;LGT;63113;\n"
    staff = client_for(rectorat, staff=True)
    page = text(upload(staff, "/admin/dossier/etablissement/importer/", content))
    assert "1 erreur : rien n'a été importé." in page
    assert "Ligne 3 : le code UAI « 0630020F » a une lettre de contrôle fausse" in page
    assert 'name="payload"' not in page  # nothing to confirm
    # the service itself, asked to write: line 2 is valid and saved first, then rolled back with the rest
    with pytest.raises(ImportRefused) as refused:
        EtablissementImporter().run(content, auteur=rectorat)
    assert [e.line for e in refused.value.errors] == [3]
    assert not Etablissement.objects.filter(uai__in=["0630019D", "0630020F"]).exists()


def test_an_agent_file_with_an_error_on_line_3_creates_no_agent_and_no_dossier(
    rectorat: Agent, ref: dict[str, Any]
) -> None:
    content = AGENT_HEADER + agent_line() + agent_line("Martin", "Julie", "15E0300002ABC", echelon="douze")
    dossiers = Dossier.objects.count()
    with pytest.raises(ImportRefused) as refused:
        AgentImporter().run(content, auteur=rectorat)
    assert [str(e) for e in refused.value.errors] == ["Ligne 3\u00a0: l'échelon « douze » doit être un nombre."]
    assert not Agent.objects.filter(numen__in=["15E0300001ABC", "15E0300002ABC"]).exists()
    assert Dossier.objects.count() == dossiers


def test_a_preview_confirmed_twice_imports_once(intra: Campagne, rectorat: Agent, ref: dict[str, Any]) -> None:
    staff = client_for(rectorat, staff=True)
    preview = upload(staff, POSTES, GOOD, campagne=intra.pk)
    payload = preview.context["payload"]
    first = staff.post(POSTES, {"payload": payload}, follow=True)
    assert messages_of(first) == ["3 postes créés, 0 mis à jour"]
    poste = Poste.objects.get(etablissement=ref["etablissement"])
    Poste.objects.filter(pk=poste.pk).update(nombre=4)  # a correction made since, in the admin
    again = staff.post(POSTES, {"payload": payload}, follow=True)  # Back, then the same button again
    assert messages_of(again) == ["Cet import a déjà été confirmé\u00a0: rien n'a été importé une seconde fois."]
    assert Poste.objects.count() == 3 and Poste.objects.get(pk=poste.pk).nombre == 4


def test_a_refused_confirmation_may_be_confirmed_again_once_fixed(
    intra: Campagne, rectorat: Agent, ref: dict[str, Any]
) -> None:
    """The « once » guard only counts what was written: a confirmation refused on revalidation is not spent."""
    staff = client_for(rectorat, staff=True)
    payload = upload(staff, POSTES, GOOD, campagne=intra.pk).context["payload"]
    college = Etablissement.objects.get(pk=ref["college"].pk)
    uai = college.uai
    Etablissement.objects.filter(pk=college.pk).update(uai="0639999Z")  # the lieu disappears meanwhile
    refused = staff.post(POSTES, {"payload": payload})
    assert "Ligne 4 : Lieu inconnu pour cette campagne" in text(refused) and not Poste.objects.exists()
    Etablissement.objects.filter(pk=college.pk).update(uai=uai)
    done = staff.post(POSTES, {"payload": payload}, follow=True)
    assert messages_of(done) == ["3 postes créés, 0 mis à jour"]


def test_a_forged_campagne_in_the_payload_is_refused(intra: Campagne, rectorat: Agent, ref: dict[str, Any]) -> None:
    staff = client_for(rectorat, staff=True)
    payload = upload(staff, POSTES, GOOD, campagne=intra.pk).context["payload"]
    forged = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    response = staff.post(POSTES, {"payload": forged}, follow=True)
    assert "L'aperçu a expiré ou a été modifié" in html.unescape(response.content.decode())
    assert not Poste.objects.exists()


def test_the_page_carries_a_short_signed_key_and_the_file_waits_in_the_cache(
    intra: Campagne, rectorat: Agent, ref: dict[str, Any]
) -> None:
    staff = client_for(rectorat, staff=True)
    codes = [str(6300000 + i) for i in range(1000, 3000)]
    big = ETABLISSEMENTS + "".join(f"{c}{uai_check_letter(c)};Collège {c} {'x' * 100};CLG;63113;\n" for c in codes)
    payload = upload(staff, "/admin/dossier/etablissement/importer/", big).context["payload"]
    assert len(big) > 200_000 and len(payload) < 300  # a key to the file, not the file
    payload = upload(staff, POSTES, GOOD, campagne=intra.pk).context["payload"]
    cache.delete(f"import-fichier:{signing.loads(payload, salt=SALT)['once']}")  # expired, or culled
    expired = staff.post(POSTES, {"payload": payload}, follow=True)
    assert "L'aperçu a expiré" in text(expired) and not Poste.objects.exists()


def test_a_preview_of_one_import_cannot_be_confirmed_on_another(
    intra: Campagne, rectorat: Agent, ref: dict[str, Any]
) -> None:
    staff = client_for(rectorat, staff=True)
    payload = upload(staff, POSTES, GOOD, campagne=intra.pk).context["payload"]
    response = staff.post("/admin/dossier/etablissement/importer/", {"payload": payload}, follow=True)
    assert "L'aperçu a expiré ou a été modifié" in text(response)
    assert not Poste.objects.exists()


def test_a_file_of_300_etablissements_is_previewed_and_written_in_a_fixed_number_of_queries(
    rectorat: Agent, ref: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    codes = [str(6300000 + i) for i in range(1000, 1300)]
    content = ETABLISSEMENTS + "".join(f"{c}{uai_check_letter(c)};Collège {c};CLG;63113;\n" for c in codes)
    with django_assert_max_num_queries(12):  # references once, no savepoint per row
        assert EtablissementImporter().preview(content).ok
    with django_assert_max_num_queries(13):  # one bulk insert (and savepoints)
        assert EtablissementImporter().run(content, auteur=rectorat).created == 300
    with django_assert_max_num_queries(13):  # one upsert for the updates
        assert EtablissementImporter().run(content.replace("Collège", "Lycée"), auteur=rectorat).updated == 300
    assert Etablissement.objects.filter(nom__startswith="Lycée 63").count() == 300
