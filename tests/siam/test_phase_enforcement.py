"""The calendar is enforced by the server on every POST, whatever the page showed (time_machine)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Agent
from siam.calendar import Calendrier, Phase, phase_at, phase_end
from siam.models import Campagne, Demande, DemandeVersion, EtatDemande, Motif, MotifDeclare, PieceJustificative, Voeu
from tests.siam.conftest import APRES, AVANT, CALENDRIER, CONFIRMATION, PENDANT, client_for, paris, text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (paris(2027, 3, 10, 11, 59), Phase.A_VENIR),
        (paris(2027, 3, 10, 12), Phase.SAISIE),
        (paris(2027, 4, 2, 11, 59, 59), Phase.SAISIE),
        (paris(2027, 4, 2, 12), Phase.CLOTURE),
        (paris(2027, 4, 3, 8), Phase.CONFIRMATION),
        (paris(2027, 4, 13, 12), Phase.INSTRUCTION),
        (paris(2027, 5, 10, 8), Phase.AFFICHAGE_BAREMES),
        (paris(2027, 5, 31, 12), Phase.VERIFICATION),
        (paris(2027, 6, 5, 8), Phase.BAREMES_DEFINITIFS),
        (paris(2027, 6, 20, 8), Phase.RESULTATS),
        (paris(2030, 1, 1), Phase.RESULTATS),
    ],
)
def test_phase_is_derived_from_the_dates(moment: datetime.datetime, phase: Phase) -> None:
    calendrier = Calendrier(**CALENDRIER)
    assert calendrier.is_ordered()
    assert phase_at(calendrier, moment) is phase


def test_phase_end_is_the_next_milestone() -> None:
    calendrier = Calendrier(**CALENDRIER)
    assert phase_end(calendrier, Phase.SAISIE) == CALENDRIER["saisie_fin"]
    assert phase_end(calendrier, Phase.A_VENIR) == CALENDRIER["saisie_debut"]
    assert phase_end(calendrier, Phase.RESULTATS) is None


def test_database_refuses_a_calendar_out_of_order(intra: Campagne) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="campagne_saisie_debut_before_saisie_fin"), transaction.atomic():
        Campagne.objects.filter(pk=intra.pk).update(saisie_fin=CALENDRIER["saisie_debut"])
    with pytest.raises(IntegrityError, match="campagne_annulation_fin_before_resultats"), transaction.atomic():
        Campagne.objects.filter(pk=intra.pk).update(annulation_fin=paris(2027, 7, 1))


@pytest.fixture
def filled(demande_a: Demande, ref: Any) -> Demande:
    Voeu.objects.create(demande=demande_a, rang=1, type="COM", commune=ref["clermont"])
    Voeu.objects.create(demande=demande_a, rang=2, type="ETB", etablissement=ref["etablissement"])
    MotifDeclare.objects.create(demande=demande_a, motif=Motif.RQTH)
    return demande_a


def forged_posts(demande: Demande) -> list[tuple[str, dict[str, Any]]]:
    voeu = Voeu.objects.get(demande=demande, rang=2)
    motif = MotifDeclare.objects.get(demande=demande)
    version = {"version": demande.version}
    return [
        (
            f"/siam/demandes/{demande.pk}/voeux/ajouter/",
            {**version, "type": "ZRE", "code": "ZR063CLF", "filtre": "TOUT"},
        ),
        (f"/siam/voeux/{voeu.pk}/deplacer/", {**version, "direction": "up"}),
        (f"/siam/voeux/{voeu.pk}/supprimer/", version),
        (f"/siam/demandes/{demande.pk}/motifs/", {**version, "motif": Motif.CARTE_SCOLAIRE}),
        (f"/siam/motifs/{motif.pk}/retirer/", version),
    ]


@pytest.mark.parametrize(
    ("moment", "said"), [(AVANT, "n'est pas encore ouverte"), (APRES, "est fermée depuis le 2 avril 2027 à 12 h")]
)
def test_every_change_outside_the_saisie_is_refused_and_nothing_is_written(
    filled: Demande, teacher_a: Agent, at: Any, moment: datetime.datetime, said: str
) -> None:
    at(moment)
    client = client_for(teacher_a)
    before = list(Voeu.objects.filter(demande=filled).order_by("rang").values_list("pk", "rang"))
    for url, data in forged_posts(filled):
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert said in text(response), url
    assert list(Voeu.objects.filter(demande=filled).order_by("rang").values_list("pk", "rang")) == before
    assert list(MotifDeclare.objects.filter(demande=filled).values_list("motif", flat=True)) == [Motif.RQTH]
    filled.refresh_from_db()
    assert filled.version == 0 and not DemandeVersion.objects.filter(demande=filled).exists()


def test_the_same_posts_inside_the_saisie_are_accepted(filled: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    for url, data in forged_posts(filled):
        filled.refresh_from_db()
        data["version"] = filled.version
        assert client.post(url, data).status_code == 302, url
    filled.refresh_from_db()
    assert filled.version == 5


def test_voeux_page_after_closing_shows_no_change_controls(filled: Demande, teacher_a: Agent, at: Any) -> None:
    at(APRES)
    page = text(client_for(teacher_a).get(f"/siam/demandes/{filled.pk}/voeux/"))
    assert "La saisie des vœux est fermée depuis le" in page
    assert "/deplacer/" not in page and "/supprimer/" not in page and "voeu-code-form" not in page


def test_pieces_are_accepted_until_the_return_deadline_only(filled: Demande, teacher_a: Agent, at: Any) -> None:
    at(CONFIRMATION)
    client = client_for(teacher_a)
    url = f"/siam/demandes/{filled.pk}/pieces/"
    assert client.post(url, {"fichier": SimpleUploadedFile("a.pdf", PDF)}).status_code == 302
    at(paris(2027, 4, 13, 12))
    client = client_for(teacher_a)
    response = client.post(url, {"fichier": SimpleUploadedFile("b.pdf", PDF)})
    assert response.status_code == 403 and "Le dépôt des pièces justificatives est clos" in text(response)
    piece = PieceJustificative.objects.get()
    response = client.post(f"/siam/pieces/{piece.pk}/retirer/")
    assert response.status_code == 403
    assert PieceJustificative.objects.count() == 1


def test_confirmation_pdf_only_from_the_confirmation_phase(filled: Demande, teacher_a: Agent, at: Any) -> None:
    client = client_for(teacher_a)
    response = client.get(f"/siam/demandes/{filled.pk}/confirmation.pdf")
    assert response.status_code == 302
    assert "disponible à partir du 3 avril 2027 à 8 h" in text(client.get(response["Location"]))
    at(CONFIRMATION)
    response = client_for(teacher_a).get(f"/siam/demandes/{filled.pk}/confirmation.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_cancellation_is_refused_during_the_saisie_and_after_the_deadline(
    filled: Demande, teacher_a: Agent, at: Any
) -> None:
    url = f"/siam/demandes/{filled.pk}/annuler/"
    assert client_for(teacher_a).post(url, {"version": 0}).status_code == 403
    at(paris(2027, 6, 10, 12))
    assert client_for(teacher_a).post(url, {"version": 0}).status_code == 403
    filled.refresh_from_db()
    assert filled.etat == EtatDemande.EN_SAISIE
    at(paris(2027, 6, 1, 12))
    assert client_for(teacher_a).post(url, {"version": 0}).status_code == 302
    filled.refresh_from_db()
    assert filled.etat == EtatDemande.ANNULEE and filled.version == 1


def test_no_new_demande_is_opened_once_the_saisie_is_closed(intra: Campagne, teacher_b: Agent, at: Any) -> None:
    at(PENDANT + datetime.timedelta(days=30))
    client = client_for(teacher_b)
    response = client.post("/siam/intra-2027/demande/commencer/")
    assert response.status_code == 302 and response["Location"] == "/siam/intra-2027/demande/"
    page = text(client.get(response["Location"]))
    assert "La saisie des vœux est fermée depuis le 2 avril 2027 à 12 h" in page
    assert "Commencer ma demande" not in page
    assert not Demande.objects.filter(agent=teacher_b).exists()


def test_a_demande_closed_by_the_inter_refuses_an_added_voeu_and_keeps_its_version(
    filled: Demande, teacher_a: Agent
) -> None:
    Demande.objects.filter(pk=filled.pk).update(etat=EtatDemande.CLOSE_INTER)
    data = {"version": 0, "type": "ZRE", "code": "ZR063CLF", "filtre": "TOUT"}
    response = client_for(teacher_a).post(f"/siam/demandes/{filled.pk}/voeux/ajouter/", data)
    assert response.status_code == 403 and "Votre demande est close" in text(response)
    filled.refresh_from_db()
    assert filled.version == 0 and Voeu.objects.filter(demande=filled).count() == 2
    assert not DemandeVersion.objects.filter(demande=filled).exists()
