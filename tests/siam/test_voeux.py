"""Entering vœux through the pages: add by code and by search, remove, move, history, warnings."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent
from siam.models import Campagne, Demande, DemandeVersion, Motif, MotifDeclare, StatutMotif, Voeu
from tests.siam.conftest import add, client_for, text

pytestmark = pytest.mark.django_db


def ranks(demande: Demande) -> list[str]:
    return [v.code for v in Voeu.objects.filter(demande=demande).with_targets().order_by("rang")]


def test_teacher_opens_siam_demande_and_lands_on_their_own(intra: Any, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    response = client.post("/siam/intra-2027/demande/commencer/")
    demande = Demande.objects.get(agent=teacher_a, campagne=intra)
    assert response.status_code == 302 and response["Location"] == f"/siam/demandes/{demande.pk}/"
    page = client.get(response["Location"])
    assert "Votre demande de mutation" in page.content.decode()
    assert "volontaire" in page.content.decode()


def test_adding_voeux_by_code_saves_each_one_with_a_version(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    client = client_for(teacher_a)
    assert add(client, demande_a, "ETB", "0631018p").status_code == 302
    assert add(client, demande_a, "COM", "63113", "CLG").status_code == 302
    assert add(client, demande_a, "DPT", "63").status_code == 302
    assert ranks(demande_a) == ["0631018P", "63113", "063"]
    demande_a.refresh_from_db()
    assert demande_a.version == 3
    history = list(DemandeVersion.objects.filter(demande=demande_a).order_by("version"))
    assert [h.version for h in history] == [1, 2, 3]
    assert [v["code"] for v in history[-1].contenu["voeux"]] == ["0631018P", "63113", "063"]
    assert history[-1].auteur == teacher_a
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/voeux/"))
    assert "Collège Albert-Camus" in page and "collège" in page


def test_the_history_row_of_each_add_is_the_list_and_the_motifs_the_database_holds_after_it(
    demande_a: Demande, teacher_a: Agent, ref: Any
) -> None:
    from siam.services.demandes import contenu

    MotifDeclare.objects.create(demande=demande_a, motif=Motif.TZR, statut=StatutMotif.VALIDE)
    MotifDeclare.objects.create(demande=demande_a, motif=Motif.RQTH)
    client = client_for(teacher_a)
    targets = [
        ("ETB", "0631018P", "TOUT"),
        ("COM", "63113", "CLG"),
        ("GEO", "GEO063CLF", "TOUT"),
        ("ZRE", "ZR063CLF", "TOUT"),
    ]
    for voeu_type, code, filtre in targets:
        assert add(client, demande_a, voeu_type, code, filtre).status_code == 302
        assert DemandeVersion.objects.filter(demande=demande_a).latest("version").contenu == contenu(demande_a)
    # « Annuler » after removing vœu 3 puts it back at its rank, the last one moves down
    third = Voeu.objects.get(demande=demande_a, rang=3)
    demande_a.refresh_from_db()
    client.post(f"/siam/voeux/{third.pk}/supprimer/", {"version": demande_a.version})
    demande_a.refresh_from_db()
    data = {"type": "GEO", "code": "GEO063CLF", "filtre": "TOUT", "rang": 3, "version": demande_a.version}
    assert client.post(f"/siam/demandes/{demande_a.pk}/voeux/ajouter/", data).status_code == 302
    latest = DemandeVersion.objects.filter(demande=demande_a).latest("version")
    assert latest.contenu == contenu(demande_a)
    assert [(v["rang"], v["code"], v["filtre"]) for v in latest.contenu["voeux"]] == [
        (1, "0631018P", "TOUT"),
        (2, "63113", "CLG"),
        (3, "GEO063CLF", "TOUT"),
        (4, "ZR063CLF", "TOUT"),
    ]
    assert latest.contenu["voeux"][0]["libelle"] == "Collège Albert-Camus"
    assert latest.contenu["motifs"] == [
        {"motif": "tzr", "statut": "validated"},
        {"motif": "rqth", "statut": "declared"},
    ]
    # moves and removals write the list as the database holds it after them too
    last = Voeu.objects.get(demande=demande_a, rang=4)
    steps: list[tuple[str, dict[str, Any]]] = [
        (f"/siam/voeux/{last.pk}/rang/", {"rang": 2}),  # up: the ones between move down
        (f"/siam/voeux/{last.pk}/rang/", {"rang": 3}),  # down: the one between moves up
        (f"/siam/voeux/{last.pk}/deplacer/", {"direction": "up"}),
        (f"/siam/voeux/{last.pk}/supprimer/", {}),  # in the middle: the ones after move up
        (f"/siam/voeux/{Voeu.objects.get(demande=demande_a, rang=3).pk}/supprimer/", {}),  # the last one
    ]
    for url, data in steps:
        demande_a.refresh_from_db()
        assert client.post(url, {**data, "version": demande_a.version}).status_code == 302, url
        assert DemandeVersion.objects.filter(demande=demande_a).latest("version").contenu == contenu(demande_a), url
    assert [v["code"] for v in contenu(demande_a)["voeux"]] == ["0631018P", "63113"]


def test_search_finds_targets_and_each_result_has_an_add_form(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    client = client_for(teacher_a)
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/voeux/", {"type": "ETB", "q": "camus"}))
    assert "Collège Albert-Camus" in page
    assert 'name="code" value="0631018P"' in page
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/voeux/", {"type": "ETB", "q": "parc"}))
    assert "Lycée du Parc" not in page  # Lyon is outside the intra's académie


def test_moving_a_voeu_up_and_down_swaps_ranks(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    client = client_for(teacher_a)
    for voeu_type, code in (("ETB", "0631018P"), ("COM", "63113"), ("GEO", "GEO063CLF")):
        add(client, demande_a, voeu_type, code)
    third = Voeu.objects.get(demande=demande_a, rang=3)
    demande_a.refresh_from_db()
    response = client.post(f"/siam/voeux/{third.pk}/deplacer/", {"version": demande_a.version, "direction": "up"})
    assert response.status_code == 302 and f"#voeu-{third.pk}" in response["Location"]
    assert ranks(demande_a) == ["0631018P", "GEO063CLF", "63113"]
    demande_a.refresh_from_db()
    client.post(f"/siam/voeux/{third.pk}/deplacer/", {"version": demande_a.version, "direction": "up"})
    assert ranks(demande_a) == ["GEO063CLF", "0631018P", "63113"]
    demande_a.refresh_from_db()
    response = client.post(f"/siam/voeux/{third.pk}/deplacer/", {"version": demande_a.version, "direction": "up"})
    assert response.status_code == 400 and "déjà en première position" in text(response)


class RowForms(HTMLParser):
    """The POST forms of each row of the vœux page, as a browser sends them: {"voeu-12": [(action, fields)]}."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[tuple[str, dict[str, str]]]] = {}
        self.row = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "li" and found.get("data-testid") == "voeu":
            self.row = found["id"]
            self.rows[self.row] = []
        elif tag == "form" and self.row and found.get("method") == "post":
            self.rows[self.row].append((found["action"], {}))
        elif tag == "input" and self.row and self.rows[self.row]:
            self.rows[self.row][-1][1][found["name"]] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.row = ""


def row_forms(client: Client, demande: Demande) -> dict[str, list[tuple[str, dict[str, str]]]]:
    parser = RowForms()
    parser.feed(client.get(f"/siam/demandes/{demande.pk}/voeux/").content.decode())
    return parser.rows


def test_each_row_form_posts_as_a_browser_would_with_its_csrf_token_and_the_list_version(
    demande_a: Demande, teacher_a: Agent, ref: Any
) -> None:
    client = client_for(teacher_a)
    for voeu_type, code in (("ETB", "0631018P"), ("COM", "63113"), ("GEO", "GEO063CLF")):
        add(client, demande_a, voeu_type, code)
    client.handler.enforce_csrf_checks = True  # as a browser: a form without its token is refused (403)
    first, second, third = Voeu.objects.filter(demande=demande_a).order_by("rang")
    forms = row_forms(client, demande_a)
    moves = "/siam/voeux/{}/deplacer/", "/siam/voeux/{}/rang/", "/siam/voeux/{}/supprimer/"
    assert [action for action, _ in forms[f"voeu-{first.pk}"]] == [
        moves[0].format(first.pk),
        moves[1].format(first.pk),
        moves[2].format(first.pk),
    ]
    assert [fields.get("direction") for _, fields in forms[f"voeu-{second.pk}"]] == ["up", "down", None, None]
    assert [fields.get("direction") for _, fields in forms[f"voeu-{third.pk}"]] == ["up", None, None]
    for row in forms.values():
        for _, fields in row:
            assert fields["version"] == "3" and fields["csrfmiddlewaretoken"]
    action, fields = forms[f"voeu-{first.pk}"][0]  # « Descendre le vœu n° 1 »
    assert client.post(action, fields).status_code == 302
    assert ranks(demande_a) == ["63113", "0631018P", "GEO063CLF"]
    action, fields = row_forms(client, demande_a)[f"voeu-{third.pk}"][1]  # « Déplacer » with the rank typed
    assert client.post(action, {**fields, "rang": "1"}).status_code == 302
    assert ranks(demande_a) == ["GEO063CLF", "63113", "0631018P"]
    action, fields = row_forms(client, demande_a)[f"voeu-{second.pk}"][-1]  # « Supprimer »
    assert client.post(action, fields).status_code == 302
    assert ranks(demande_a) == ["GEO063CLF", "0631018P"]
    action, fields = row_forms(client, demande_a)[f"voeu-{first.pk}"][-1]
    assert client.post(action, {"version": fields["version"]}).status_code == 403


def test_a_target_s_code_and_name_are_escaped_in_its_row(inter: Any, teacher_a: Agent, ref: Any) -> None:
    from dossier.models import Academie

    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    academie = Academie.objects.create(code='<i>"A&B', nom="<b>Académie</b>")
    Voeu.objects.create(demande=demande, rang=1, type="ACA", academie=academie)
    Voeu.objects.create(demande=demande, rang=2, type="ACA", academie=Academie.objects.create(code="B", nom="B"))
    page = client_for(teacher_a).get(f"/siam/demandes/{demande.pk}/voeux/").content.decode()
    assert "académie (ACA) — code &lt;i&gt;&quot;A&amp;B</p>" in page
    assert "<strong>&lt;b&gt;Académie&lt;/b&gt;</strong>" in page
    assert "<i>" not in page and "<b>Académie" not in page


def test_removing_a_voeu_closes_the_gap_in_ranks(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    client = client_for(teacher_a)
    for voeu_type, code in (("ETB", "0631018P"), ("COM", "63113"), ("ZRE", "ZR063CLF")):
        add(client, demande_a, voeu_type, code)
    first = Voeu.objects.get(demande=demande_a, rang=1)
    demande_a.refresh_from_db()
    assert client.post(f"/siam/voeux/{first.pk}/supprimer/", {"version": demande_a.version}).status_code == 302
    assert list(Voeu.objects.filter(demande=demande_a).order_by("rang").values_list("rang", "type")) == [
        (1, "COM"),
        (2, "ZRE"),
    ]


def test_an_etb_voeu_warns_on_the_spot_that_the_family_bonus_is_lost(
    demande_a: Demande, teacher_a: Agent, ref: Any
) -> None:
    MotifDeclare.objects.create(demande=demande_a, motif=Motif.RAPPROCHEMENT_CONJOINTS, conjoint_commune=ref["riom"])
    client = client_for(teacher_a)
    response = add(client, demande_a, "ETB", "0631018P")
    page = text(client.get(response["Location"]))
    assert "Rapprochement de conjoints" in page and "perdu" in page
    assert 'role="alert" data-testid="voeu-warnings"' in page
    add(client, demande_a, "DPT", "063")
    dpt = Voeu.objects.get(demande=demande_a, type="DPT")
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/voeux/"))
    assert f'id="voeu-{dpt.pk}"' in page
    dpt_row = page.split(f'id="voeu-{dpt.pk}"')[1].split("</li>")[0]
    assert "voeu-warnings" not in dpt_row  # the département voeu keeps the bonus


def test_restricting_the_etablissement_type_warns_about_lost_bonuses(
    demande_a: Demande, teacher_a: Agent, ref: Any
) -> None:
    MotifDeclare.objects.create(demande=demande_a, motif=Motif.RAPPROCHEMENT_CONJOINTS, conjoint_commune=ref["riom"])
    client = client_for(teacher_a)
    page = text(client.get(add(client, demande_a, "COM", "63300", "CLG")["Location"]))
    assert "collège" in page and "perdu" in page


def test_voeux_page_with_31_voeux_holds_its_query_count(
    inter: Any, teacher_a: Agent, ref: Any, django_assert_num_queries: Any
) -> None:
    from dossier.models import Academie

    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    academies = [Academie.objects.create(code=f"A{i:02d}", nom=f"Académie {i}") for i in range(31)]
    Voeu.objects.bulk_create(Voeu(demande=demande, rang=i + 1, type="ACA", academie=a) for i, a in enumerate(academies))
    MotifDeclare.objects.create(demande=demande, motif=Motif.RQTH)
    client = client_for(teacher_a)
    client.get(f"/siam/demandes/{demande.pk}/voeux/")  # warm the session
    # session and agent (one query), demande (with its campagne, the campagne's jalons and the staff corrections),
    # voeux with targets, dossier with its children (read once: warnings, provisional barème and the banner),
    # motifs, unread courrier: 6 whatever the number of voeux (+2 prefetches when GEO / ZR voeux are present); the
    # provisional barème: the campagne's rules (+1)
    with django_assert_num_queries(7):  # the campagne, its jalons and the corrections come with the demande
        response = client.get(f"/siam/demandes/{demande.pk}/voeux/")
    assert text(response).count('data-testid="voeu"') == 31
    assert "nombre maximal de vœux" in text(response)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/siam/demandes/{demande}/voeux/ajouter/"),
        ("get", "/siam/voeux/{voeu}/supprimer/"),
        ("get", "/siam/voeux/{voeu}/deplacer/"),
        ("post", "/siam/demandes/{demande}/voeux/"),
        ("put", "/siam/demandes/{demande}/voeux/"),
    ],
)
def test_wrong_method_is_405(demande_a: Demande, teacher_a: Agent, ref: Any, method: str, url: str) -> None:
    voeu = Voeu.objects.create(demande=demande_a, rang=1, type="ETB", etablissement=ref["etablissement"])
    client = client_for(teacher_a)
    response = getattr(client, method)(url.format(demande=demande_a.pk, voeu=voeu.pk))
    assert response.status_code == 405


def test_post_without_csrf_token_is_refused(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher_a)
    response = client.post(
        f"/siam/demandes/{demande_a.pk}/voeux/ajouter/", {"type": "ETB", "code": "0630018C", "version": 0}
    )
    assert response.status_code == 403
    assert not Voeu.objects.filter(demande=demande_a).exists()


def test_reading_the_voeux_page_writes_no_session_row(demande_a: Demande, teacher_a: Agent, at: Any) -> None:
    import datetime

    from tests.accounts.test_session_writes import session_writes
    from tests.siam.conftest import PENDANT

    client = client_for(teacher_a)
    add(client, demande_a, "COM", "63300")  # a change: the session keeps « Annuler » (a write, rightly)
    client.get("/")
    at(PENDANT + datetime.timedelta(seconds=20))
    assert session_writes(client, f"/siam/demandes/{demande_a.pk}/voeux/") == []
    assert session_writes(client, f"/siam/demandes/{demande_a.pk}/voeux/?q=Riom") == []


def test_an_added_voeu_and_its_history_row_are_written_whole_who_when_what_and_the_list(
    demande_a: Demande, teacher_a: Agent, ref: Any, at: Any
) -> None:
    import datetime

    from django.utils import timezone

    from tests.siam.conftest import paris

    at(paris(2027, 3, 20, 15, 30))
    client = client_for(teacher_a)
    assert add(client, demande_a, "ETB", "0631018P").status_code == 302
    response = add(client, demande_a, "COM", "63300", "CLG")
    voeu = Voeu.objects.get(demande=demande_a, rang=2)
    assert response["Location"] == f"/siam/demandes/{demande_a.pk}/voeux/?ajout={voeu.pk}#voeu-{voeu.pk}"
    assert (voeu.type, voeu.filtre, voeu.commune, voeu.etablissement_id) == ("COM", "CLG", ref["riom"], None)
    row = DemandeVersion.objects.get(demande=demande_a, version=2)
    assert (row.auteur, row.action) == (teacher_a, "Ajout du vœu n° 2\u00a0: Riom (063)")
    assert abs(row.date - paris(2027, 3, 20, 15, 30)) < datetime.timedelta(seconds=5)
    assert row.date <= timezone.now()
    assert row.contenu == {
        "voeux": [
            {"rang": 1, "type": "ETB", "code": "0631018P", "filtre": "TOUT", "libelle": "Collège Albert-Camus"},
            {"rang": 2, "type": "COM", "code": "63300", "filtre": "CLG", "libelle": "Riom"},
        ],
        "motifs": [],
    }
    demande_a.refresh_from_db()
    assert demande_a.version == 2


def test_the_list_heading_agrees_with_the_count_and_the_full_list_says_so(
    inter: Any, teacher_a: Agent, ref: Any
) -> None:
    from dossier.models import Academie

    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    Campagne.objects.filter(pk=inter.pk).update(max_voeux=2)
    academies = [Academie.objects.create(code=f"A{i:02d}", nom=f"Académie {i}") for i in range(2)]
    client = client_for(teacher_a)
    page = f"/siam/demandes/{demande.pk}/voeux/"
    assert '<h2 id="liste">Votre liste : 0 vœu sur 2 possibles</h2>' in text(client.get(page))  # French: 0 singular
    Voeu.objects.create(demande=demande, rang=1, type="ACA", academie=academies[0])
    said = text(client.get(page))
    assert '<h2 id="liste">Votre liste : 1 vœu sur 2 possibles</h2>' in said and "nombre maximal" not in said
    Voeu.objects.create(demande=demande, rang=2, type="ACA", academie=academies[1])
    said = text(client.get(page))
    assert '<h2 id="liste">Votre liste : 2 vœux sur 2 possibles</h2>' in said
    assert "Vous avez saisi le nombre maximal de vœux (2). Supprimez-en un pour en ajouter un autre." in said
