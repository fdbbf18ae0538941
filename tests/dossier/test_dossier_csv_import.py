"""CSV import of établissements and agents in the admin: preview, line-numbered errors, all or nothing."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Agent
from dossier.models import Commune, Dossier, DossierChange, Etablissement, ZoneRemplacement
from dossier.services.imports import AgentImporter, EtablissementImporter, ImportRefused, decode_upload
from tests.factories import referentiel

pytestmark = pytest.mark.django_db

ETAB_HEADER = "uai;nom;type;commune_insee;education_prioritaire\n"
AGENT_HEADER = (
    "civilite;nom;nom_famille;prenom;date_naissance;numen;email;corps;classe;echelon;date_echelon;"
    "discipline;uai;zone_remplacement;date_entree_poste;position;debut_ags\n"
)


@pytest.fixture(autouse=True)
def _ref() -> Any:
    ref = referentiel()
    Commune.objects.create(
        code_insee="63300", nom="Riom", departement=ref["departement"], latitude="45.89361", longitude="3.11250"
    )
    ZoneRemplacement.objects.create(
        code="ZR063CLF", nom="Clermont", departement=ref["departement"], siege=ref["commune"]
    )
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff_client(rectorat: Agent) -> Client:
    client = Client()
    client.force_login(rectorat)
    return client


def upload(text: str, name: str = "import.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


# --- établissements: the service ---------------------------------------------------------


def test_valid_etablissements_file_previews_then_creates_and_updates() -> None:
    text = (
        ETAB_HEADER
        + "0630019D;Lycée Sidoine-Apollinaire;LGT;63113;\n0630018C;Lycée Blaise-Pascal (rénové);lycée général et technologique;63113;\n0630934Y;Collège Michel-de-L'Hospital;collège;63300;REP\n"
    )
    preview = EtablissementImporter().preview(text)
    assert preview.errors == []
    assert [(r.line, r.action) for r in preview.rows] == [(2, "création"), (3, "mise à jour"), (4, "création")]
    assert Etablissement.objects.count() == 1  # the preview writes nothing
    assert EtablissementImporter().apply(text, auteur=None) == 3
    assert Etablissement.objects.get(uai="0630018C").nom == "Lycée Blaise-Pascal (rénové)"
    college = Etablissement.objects.get(uai="0630934Y")
    assert (college.type, college.commune.nom, college.education_prioritaire) == ("CLG", "Riom", "REP")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "0630019E;Lycée;LGT;63113;",
            "Ligne 3\u00a0: le code UAI « 0630019E » a une lettre de contrôle fausse (attendu\u00a0: D).",
        ),
        (
            "063001D;Lycée;LGT;63113;",
            "Ligne 3\u00a0: le code UAI « 063001D » doit comporter 7 chiffres suivis d'une lettre.",
        ),
        ("0630019D;;LGT;63113;", "Ligne 3\u00a0: le nom est obligatoire."),
        ("0630019D;Lycée;UNIV;63113;", "Ligne 3\u00a0: type « UNIV » inconnu"),
        ("0630019D;Lycée;LGT;99999;", "Ligne 3\u00a0: commune de code INSEE « 99999 » inconnue."),
        ("0630019D;Lycée;LGT;63113;ZEP", "Ligne 3\u00a0: éducation prioritaire « ZEP » inconnue"),
        ("0630020E;Lycée;LGT;63113;;en trop", "Ligne 3\u00a0: trop de colonnes"),
        (
            "0630018C;Doublon;LGT;63113;\n0630018C;Encore;LGT;63113;",
            "Ligne 4\u00a0: le code UAI 0630018C figure déjà ligne 3.",
        ),
    ],
)
def test_one_bad_line_writes_nothing_and_names_its_line(line: str, message: str) -> None:
    text = ETAB_HEADER + "0630934Y;Collège Michel-de-L'Hospital;CLG;63300;\n" + line + "\n"
    preview = EtablissementImporter().preview(text)
    assert any(str(e).startswith(message) for e in preview.errors), [str(e) for e in preview.errors]
    with pytest.raises(ImportRefused) as exc:
        EtablissementImporter().apply(text, auteur=None)
    assert exc.value.errors == preview.errors
    assert not Etablissement.objects.filter(uai="0630934Y").exists()


def test_missing_columns_are_reported_on_the_header_line() -> None:
    preview = EtablissementImporter().preview("uai;nom\n0630019D;Lycée\n")
    assert [str(e) for e in preview.errors] == [
        "Ligne 1\u00a0: colonnes obligatoires absentes\u00a0: type, commune_insee "
        "(attendu\u00a0: uai;nom;type;commune_insee;education_prioritaire)."
    ]


def test_comma_separated_windows_file_is_read() -> None:
    text = decode_upload("UAI,Nom,Type,Commune INSEE\n0630019D,Lycée Sidoine-Apollinaire,LGT,63113\n".encode("cp1252"))
    preview = EtablissementImporter().preview(text)
    assert preview.errors == [] and preview.rows[0].cells[1] == "Lycée Sidoine-Apollinaire"


# --- agents: the service ------------------------------------------------------------------


def agent_line(nom: str = "Durand", prenom: str = "Alice", numen: str = "15E0300001ABC", **kw: str) -> str:
    cells = {
        "civilite": "MME",
        "nom": nom,
        "nom_famille": "",
        "prenom": prenom,
        "date_naissance": "14/03/1990",
        "numen": numen,
        "email": "alice.durand@ac-clermont.fr",
        "corps": "CERT",
        "classe": "normale",
        "echelon": "5",
        "date_echelon": "01/09/2024",
        "discipline": "L1300",
        "uai": "0630018C",
        "zone_remplacement": "",
        "date_entree_poste": "01/09/2022",
        "position": "titulaire",
        "debut_ags": "01/09/2016",
    } | kw
    return ";".join(cells.values()) + "\n"


def test_agents_are_created_with_their_dossier_and_an_assigned_identifier(rectorat: Agent) -> None:
    Agent.objects.create(identifiant="fdupont", nom="Dupont", prenom="Frédéric")
    text = (
        AGENT_HEADER
        + agent_line()
        + agent_line("Dupont", "François", "15E0300002ABC", uai="", zone_remplacement="ZR063CLF")
    )
    preview = AgentImporter().preview(text)
    assert preview.errors == []
    assert [r.action for r in preview.rows] == [
        "création — identifiant prévu\u00a0: adurand",
        "création — identifiant prévu\u00a0: fdupont1",
    ]
    assert AgentImporter().apply(text, auteur=rectorat) == 2
    alice = Agent.objects.get(numen="15E0300001ABC")
    assert alice.identifiant == "adurand" and not alice.has_usable_password()
    dossier = Dossier.objects.get(agent=alice)
    assert (dossier.grade.libelle, dossier.echelon, dossier.date_echelon) == (
        "Professeur certifié de classe normale",
        5,
        datetime.date(2024, 9, 1),
    )
    assert dossier.etablissement.uai == "0630018C"  # type: ignore[union-attr]
    assert Dossier.objects.get(agent__identifiant="fdupont1").zone_remplacement.code == "ZR063CLF"  # type: ignore[union-attr]
    change = DossierChange.objects.for_object(dossier).get()
    assert (change.auteur, change.motif) == (rectorat, "import CSV")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"numen": "123"}, "le NUMEN « 123 » doit comporter 13 caractères."),
        ({"corps": "XYZ"}, "aucun grade pour le corps « XYZ » en normale."),
        (
            {"echelon": "12"},
            "l'échelon 12 n'existe pas dans le grade « Professeur certifié de classe normale » (1 à 11).",
        ),
        ({"echelon": "sept"}, "l'échelon « sept » doit être un nombre."),
        ({"date_echelon": "31/02/2024"}, "date_echelon « 31/02/2024 » n'est pas une date JJ/MM/AAAA."),
        ({"date_naissance": "01/01/2030"}, "date_naissance ne peut pas être dans le futur."),
        ({"discipline": "L9999"}, "discipline « L9999 » inconnue."),
        ({"uai": "0630019D"}, "établissement « 0630019D » inconnu."),
        ({"zone_remplacement": "ZR063CLF"}, "indiquez un établissement ou une zone de remplacement, pas les deux."),
        ({"email": "pas-une-adresse"}, "l'adresse électronique « pas-une-adresse » n'est pas valide."),
        ({"civilite": "Dr"}, "civilité « Dr » inconnue (M ou MME)."),
        ({"prenom": ""}, "le prénom est obligatoire."),
        ({"numen": "12E0312345ABC"}, "un agent a déjà ce NUMEN (identifiant fdupont)."),
    ],
)
def test_one_bad_agent_line_writes_no_agent(teacher_a: Agent, overrides: dict[str, str], message: str) -> None:
    Agent.objects.filter(pk=teacher_a.pk).update(numen="12E0312345ABC")
    text = AGENT_HEADER + agent_line("Martin", "Julie", "15E0300009ABC") + agent_line(**overrides)
    with pytest.raises(ImportRefused) as exc:
        AgentImporter().apply(text, auteur=None)
    assert f"Ligne 3\u00a0: {message}" in [str(e) for e in exc.value.errors]
    assert not Agent.objects.filter(nom__in=["Martin", "Durand"]).exists()
    assert Dossier.objects.count() == 1


def test_the_same_numen_twice_in_a_file_is_refused() -> None:
    text = AGENT_HEADER + agent_line() + agent_line("Autre", "Paul")
    errors = [str(e) for e in AgentImporter().preview(text).errors]
    assert errors == ["Ligne 3\u00a0: ce NUMEN figure déjà ligne 2."]


# --- the admin views ----------------------------------------------------------------------


def test_staff_upload_preview_then_confirm_etablissements(staff_client: Client) -> None:
    url = reverse("admin:dossier_etablissement_import")
    text = ETAB_HEADER + "0630019D;Lycée Sidoine-Apollinaire;LGT;63113;\n"
    preview = staff_client.post(url, {"fichier": upload(text)})
    body = html.unescape(preview.content.decode())
    assert preview.status_code == 200
    assert 'data-testid="import-preview"' in body and "Lycée Sidoine-Apollinaire" in body
    assert not Etablissement.objects.filter(uai="0630019D").exists()
    payload = preview.context["payload"]
    done = staff_client.post(url, {"payload": payload})
    assert done.status_code == 302 and done["Location"] == reverse("admin:dossier_etablissement_changelist")
    assert Etablissement.objects.filter(uai="0630019D").exists()


def test_staff_see_line_numbered_errors_and_nothing_is_written(staff_client: Client) -> None:
    url = reverse("admin:dossier_etablissement_import")
    text = ETAB_HEADER + "0630019D;Lycée Sidoine-Apollinaire;LGT;63113;\n0630020F;Lycée Jeanne-d'Arc;LGT;63113;\n"
    response = staff_client.post(url, {"fichier": upload(text)})
    body = html.unescape(response.content.decode())
    assert "Ligne 3\u00a0: le code UAI « 0630020F » a une lettre de contrôle fausse (attendu\u00a0: E)." in body
    assert "payload" not in response.context or not response.context.get("payload")
    assert not Etablissement.objects.filter(uai="0630019D").exists()


def test_a_tampered_payload_is_refused(staff_client: Client) -> None:
    url = reverse("admin:dossier_etablissement_import")
    response = staff_client.post(url, {"payload": "forged"}, follow=True)
    assert "L'aperçu a expiré ou a été modifié" in html.unescape(response.content.decode())
    assert Etablissement.objects.count() == 1


def test_confirm_revalidates_what_changed_since_the_preview(staff_client: Client, teacher_a: Agent) -> None:
    url = reverse("admin:dossier_dossier_import")
    preview = staff_client.post(url, {"fichier": upload(AGENT_HEADER + agent_line())})
    Agent.objects.filter(pk=teacher_a.pk).update(numen="15E0300001ABC")  # somebody took the NUMEN meanwhile
    response = staff_client.post(url, {"payload": preview.context["payload"]})
    body = html.unescape(response.content.decode())
    assert "Ligne 2\u00a0: un agent a déjà ce NUMEN (identifiant fdupont)." in body
    assert not Agent.objects.filter(nom="Durand").exists()


def test_staff_import_agents_through_the_dossier_admin(staff_client: Client) -> None:
    url = reverse("admin:dossier_dossier_import")
    preview = staff_client.post(url, {"fichier": upload(AGENT_HEADER + agent_line())})
    assert "identifiant prévu\u00a0: adurand" in html.unescape(preview.content.decode())
    staff_client.post(url, {"payload": preview.context["payload"]})
    assert Dossier.objects.filter(agent__identifiant="adurand").exists()


def test_the_import_link_and_model_file_are_offered_to_staff(staff_client: Client) -> None:
    changelist = staff_client.get(reverse("admin:dossier_etablissement_changelist")).content.decode()
    assert reverse("admin:dossier_etablissement_import") in changelist
    model = staff_client.get(reverse("admin:dossier_etablissement_import_template"))
    assert model.content.decode("utf-8-sig").splitlines()[0] == ETAB_HEADER.strip()


def test_drh_cannot_import(drh: Agent) -> None:
    client = Client()
    client.force_login(drh)
    assert client.get(reverse("admin:dossier_etablissement_import")).status_code == 403
    assert client.get(reverse("admin:dossier_dossier_import")).status_code == 403


def test_teachers_cannot_reach_the_import(client_a: Client) -> None:
    response = client_a.get(reverse("admin:dossier_etablissement_import"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
