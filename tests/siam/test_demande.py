"""The demande page: dossier data, participation obligatoire / volontaire, motifs; and who may see what."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent
from dossier.models import Dossier, Position
from siam.models import Campagne, Demande, DemandeVersion, Motif, MotifDeclare, Participation, Voeu
from siam.services.demandes import participation_for
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("position", "provisoire", "entrant", "kind", "expected"),
    [
        (Position.TITULAIRE, False, False, "inter", Participation.VOLONTAIRE),
        (Position.STAGIAIRE, False, False, "inter", Participation.OBLIGATOIRE),
        (Position.STAGIAIRE_EX_CONTRACTUEL, False, False, "inter", Participation.OBLIGATOIRE),
        (Position.TITULAIRE, True, False, "inter", Participation.OBLIGATOIRE),
        (Position.TITULAIRE, False, True, "intra", Participation.OBLIGATOIRE),
        (Position.TITULAIRE, False, False, "intra", Participation.VOLONTAIRE),
        (Position.TITULAIRE, False, True, "inter", Participation.VOLONTAIRE),  # the entrant flag is an intra fact
    ],
)
def test_participation_is_derived_from_the_dossier(
    intra: Campagne,
    inter: Campagne,
    teacher_a: Agent,
    position: str,
    provisoire: bool,
    entrant: bool,
    kind: str,
    expected: str,
) -> None:
    dossier = Dossier.objects.get(agent=teacher_a)
    dossier.position, dossier.affectation_provisoire = position, provisoire
    participation, raisons = participation_for(dossier, intra if kind == "intra" else inter, entrant_inter=entrant)
    assert participation == expected
    assert bool(raisons) == (expected == Participation.OBLIGATOIRE)


def test_demande_page_shows_the_dossier_data_and_an_obligatory_participation(intra: Campagne, teacher_a: Agent) -> None:
    Dossier.objects.filter(agent=teacher_a).update(affectation_provisoire=True)
    client = client_for(teacher_a)
    page = text(client.get(client.post("/siam/intra-2027/demande/commencer/")["Location"]))
    assert "obligatoire" in page and "affecté(e) à titre provisoire" in page
    assert "7" in page and "Lycée Blaise-Pascal" in page and "célibataire" in page
    assert Demande.objects.get(agent=teacher_a).participation == Participation.OBLIGATOIRE


def test_intra_entrant_created_by_staff_is_obligatory(intra: Campagne, teacher_a: Agent) -> None:
    Demande.objects.create(agent=teacher_a, campagne=intra, entrant_inter=True)
    client = client_for(teacher_a)
    assert "entré(e) dans l'académie par le mouvement inter-académique" in text(client.get("/siam/"))
    page = text(client.get(client.post("/siam/intra-2027/demande/commencer/")["Location"]))
    assert "entré(e) dans l'académie par le mouvement inter-académique" in page


def test_declaring_and_withdrawing_a_motif(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    client = client_for(teacher_a)
    url = f"/siam/demandes/{demande_a.pk}/motifs/"
    response = client.post(url, {"version": 0, "motif": Motif.RAPPROCHEMENT_CONJOINTS, "commune": ""})
    assert response.status_code == 400 and "Indiquez la commune concernée" in text(response)
    response = client.post(url, {"version": 0, "motif": Motif.RAPPROCHEMENT_CONJOINTS, "commune": "99999"})
    assert response.status_code == 400 and "Aucune commune ne porte le code INSEE « 99999 »" in text(response)
    response = client.post(url, {"version": 0, "motif": Motif.RAPPROCHEMENT_CONJOINTS, "commune": "63300", "annees": 2})
    assert response.status_code == 302
    motif = MotifDeclare.objects.get(demande=demande_a)
    assert motif.conjoint_commune == ref["riom"] and motif.annees == 2 and motif.statut == "declared"
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/"))
    assert "rapprochement de conjoints" in page and "attestation récente de l'activité professionnelle" in page
    assert client.post(f"/siam/motifs/{motif.pk}/retirer/", {"version": 1}).status_code == 302
    assert not MotifDeclare.objects.exists()
    assert [v.action for v in DemandeVersion.objects.filter(demande=demande_a).order_by("version")] == [
        "Motif déclaré\u00a0: rapprochement de conjoints",
        "Motif retiré\u00a0: rapprochement de conjoints",
    ]


def test_a_motif_declared_twice_is_refused(demande_a: Demande, teacher_a: Agent) -> None:
    MotifDeclare.objects.create(demande=demande_a, motif=Motif.RQTH)
    response = client_for(teacher_a).post(f"/siam/demandes/{demande_a.pk}/motifs/", {"version": 0, "motif": Motif.RQTH})
    assert response.status_code == 400  # no longer among the choices
    assert MotifDeclare.objects.count() == 1


def test_another_teacher_gets_404_on_demande_voeux_and_motifs(demande_a: Demande, teacher_b: Agent, ref: Any) -> None:
    voeu = Voeu.objects.create(demande=demande_a, rang=1, type="COM", commune=ref["clermont"])
    motif = MotifDeclare.objects.create(demande=demande_a, motif=Motif.RQTH)
    other = client_for(teacher_b)
    for url in (f"/siam/demandes/{demande_a.pk}/", f"/siam/demandes/{demande_a.pk}/voeux/"):
        assert other.get(url).status_code == 404, url
    posts = [
        (f"/siam/demandes/{demande_a.pk}/voeux/ajouter/", {"type": "COM", "code": "63300", "version": 1}),
        (f"/siam/voeux/{voeu.pk}/supprimer/", {"version": 0}),
        (f"/siam/voeux/{voeu.pk}/deplacer/", {"version": 0, "direction": "down"}),
        (f"/siam/demandes/{demande_a.pk}/motifs/", {"version": 0, "motif": Motif.CARTE_SCOLAIRE}),
        (f"/siam/motifs/{motif.pk}/retirer/", {"version": 0}),
        (f"/siam/demandes/{demande_a.pk}/annuler/", {"version": 0}),
    ]
    for url, data in posts:
        assert other.post(url, data).status_code == 404, url
    assert Voeu.objects.filter(demande=demande_a).count() == 1 and MotifDeclare.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/siam/demandes/{d}/",
        "/siam/demandes/{d}/voeux/",
        "/siam/demandes/{d}/confirmation.pdf",
        "/siam/demandes/{d}/pieces/",
    ],
)
def test_anonymous_is_sent_to_login_and_writes_nothing(demande_a: Demande, url: str) -> None:
    response = Client().get(url.format(d=demande_a.pk))
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")
    response = Client().post(
        f"/siam/demandes/{demande_a.pk}/voeux/ajouter/", {"type": "COM", "code": "63113", "version": 0}
    )
    assert response.status_code == 302 and not Voeu.objects.exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/siam/demandes/{d}/"),
        ("get", "/siam/demandes/{d}/motifs/"),
        ("get", "/siam/demandes/{d}/annuler/"),
        ("post", "/siam/demandes/{d}/confirmation.pdf"),
        ("delete", "/siam/demandes/{d}/pieces/"),
    ],
)
def test_wrong_method_is_405(demande_a: Demande, teacher_a: Agent, method: str, url: str) -> None:
    assert getattr(client_for(teacher_a), method)(url.format(d=demande_a.pk)).status_code == 405


# --- a GET never writes: the demande is started by an explicit POST ------------------------------------


def test_opening_the_demande_page_creates_nothing_and_offers_to_start(intra: Campagne, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    response = client.get("/siam/intra-2027/demande/")
    assert response.status_code == 200
    page = text(response)
    assert "Vous n'avez pas de demande pour ce mouvement." in page and "Commencer ma demande" in page
    assert 'action="/siam/intra-2027/demande/commencer/"' in page
    assert "Commencer ma demande" in text(client.get("/siam/"))
    assert not Demande.objects.exists()


def test_commencer_ma_demande_creates_it_once(intra: Campagne, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    first = client.post("/siam/intra-2027/demande/commencer/")
    demande = Demande.objects.get(agent=teacher_a, campagne=intra)
    assert first.status_code == 302 and first["Location"] == f"/siam/demandes/{demande.pk}/"
    second = client.post("/siam/intra-2027/demande/commencer/")
    assert second["Location"] == first["Location"] and Demande.objects.count() == 1
    assert client.get("/siam/intra-2027/demande/")["Location"] == f"/siam/demandes/{demande.pk}/"
    assert f'href="/siam/demandes/{demande.pk}/"' in text(client.get("/siam/"))


def test_staff_without_a_dossier_can_never_become_a_participant(intra: Campagne, rectorat: Agent) -> None:
    client = client_for(rectorat, staff=True)
    response = client.post("/siam/intra-2027/demande/commencer/", follow=True)
    page = text(response)
    assert "Aucun dossier administratif d'enseignant n'est enregistré à votre nom" in page
    assert "Commencer ma demande" not in page
    assert "Aucun dossier administratif d'enseignant" in text(client.get("/siam/"))
    assert not Demande.objects.exists()


def test_a_demande_cannot_be_started_before_the_saisie(intra: Campagne, teacher_a: Agent, at: Any) -> None:
    from tests.siam.conftest import AVANT

    at(AVANT)
    client = client_for(teacher_a)
    response = client.post("/siam/intra-2027/demande/commencer/", follow=True)
    assert "n'est pas encore ouverte" in text(response)
    assert not Demande.objects.exists()


def test_commencer_answers_post_only(intra: Campagne, teacher_a: Agent) -> None:
    assert client_for(teacher_a).get("/siam/intra-2027/demande/commencer/").status_code == 405
    assert not Demande.objects.exists()
