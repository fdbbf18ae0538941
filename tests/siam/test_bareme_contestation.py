"""Contesting a barème during the display window; staff answer, the answer arrives in the courrier."""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Agent
from iprof.courrier.models import Message
from siam.errors import PhaseFermee, SiamError
from siam.models import Demande
from siam.models.bareme import BaremeChange, Contestation, ObjetChange, StatutContestation
from siam.services.bareme import recompute_baremes
from siam.services.bareme.contestation import CorrectionDemandee, answer_contestation, open_contestation
from tests.siam.bareme_cast import (
    AFFICHAGE,
    DEFINITIFS,
    VERIFICATION,
    VOEU_1,
    academies,  # noqa: F401
    dossier_rc,  # noqa: F401
    totals_by_rang,
)
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def url(demande: Demande) -> str:
    return f"/siam/demandes/{demande.pk}/bareme/contester/"


@pytest.fixture
def affiche(dossier_rc: Demande, at: Any) -> Demande:
    at(AFFICHAGE)
    recompute_baremes(campagne=dossier_rc.campagne)
    return dossier_rc


def test_the_teacher_asks_for_a_correction_with_a_reason_and_a_pdf(affiche: Demande, teacher_a: Agent) -> None:
    voeu = affiche.voeux.get(rang=2)
    piece = SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf")
    response = client_for(teacher_a).post(
        url(affiche), {"motif": "Mon conjoint travaille à Grenoble depuis janvier.", "voeu": voeu.pk, "fichier": piece}
    )
    assert response.status_code == 302 and response["Location"] == f"/siam/demandes/{affiche.pk}/bareme/"
    contestation = Contestation.objects.get()
    assert contestation.statut == StatutContestation.OUVERTE and contestation.voeu == voeu
    assert contestation.piece_type == "application/pdf" and contestation.piece_nom == "attestation.pdf"
    page = text(client_for(teacher_a).get(f"/siam/demandes/{affiche.pk}/bareme/"))
    assert "en cours d'examen" in page and "contestation-form" not in page
    download = client_for(teacher_a).get(reverse("siam:contestation-piece", args=[contestation.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_the_reason_is_required(affiche: Demande, teacher_a: Agent) -> None:
    response = client_for(teacher_a).post(url(affiche), {"motif": "   "})
    assert response.status_code == 400
    assert not Contestation.objects.exists()


def test_a_file_that_is_not_a_pdf_or_an_image_is_refused_by_its_content(affiche: Demande, teacher_a: Agent) -> None:
    fake = SimpleUploadedFile("releve.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(teacher_a).post(url(affiche), {"motif": "Erreur", "fichier": fake})
    assert response.status_code == 400
    assert "son contenu a été vérifié" in text(response)
    assert not Contestation.objects.exists()


def test_only_one_open_request_at_a_time(affiche: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    client.post(url(affiche), {"motif": "Première demande"})
    response = client.post(url(affiche), {"motif": "Seconde demande"})
    assert response.status_code == 400
    assert "déjà une demande de correction en cours" in text(response)
    assert Contestation.objects.count() == 1


def test_requests_are_refused_outside_the_display_window(dossier_rc: Demande, teacher_a: Agent, at: Any) -> None:
    at(VERIFICATION)
    response = client_for(teacher_a).post(url(dossier_rc), {"motif": "Trop tard ?"})
    assert response.status_code == 403
    assert "du 10 mai 2027 à 8 h au 31 mai 2027 à 12 h" in text(response)
    assert not Contestation.objects.exists()


def test_another_teacher_gets_404(affiche: Demande, teacher_b: Agent) -> None:
    assert client_for(teacher_b).post(url(affiche), {"motif": "Je conteste"}).status_code == 404
    assert not Contestation.objects.exists()


def test_anonymous_is_sent_to_login(affiche: Demande, client: Client) -> None:
    response = client.post(url(affiche), {"motif": "Je conteste"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_get_is_405(affiche: Demande, teacher_a: Agent) -> None:
    assert client_for(teacher_a).get(url(affiche)).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(affiche: Demande, teacher_a: Agent) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher_a)
    assert client.post(url(affiche), {"motif": "Je conteste"}).status_code == 403
    assert not Contestation.objects.exists()


def test_another_teacher_cannot_download_the_piece(affiche: Demande, teacher_a: Agent, teacher_b: Agent) -> None:
    piece = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    contestation = open_contestation(demande=affiche, motif="Erreur", fichier=piece)
    assert client_for(teacher_b).get(reverse("siam:contestation-piece", args=[contestation.pk])).status_code == 404


def test_staff_accept_with_a_correction_and_the_answer_arrives_in_the_courrier(
    affiche: Demande, teacher_a: Agent, rectorat: Agent
) -> None:
    contestation = open_contestation(demande=affiche, motif="Trois années de séparation, pas deux.")
    answer_contestation(
        contestation=contestation, staff=rectorat, accepte=True,
        reponse="Trois années de séparation justifiées : 475 points.",
        correction=CorrectionDemandee("separation", "475"),
    )  # fmt: skip
    contestation.refresh_from_db()
    assert contestation.statut == StatutContestation.ACCEPTEE and contestation.repondu_par == rectorat
    assert totals_by_rang(affiche)[1] == VOEU_1 + 150
    message = Message.objects.get(recipient=teacher_a)
    assert "acceptée" in message.corps and "Trois années de séparation justifiées : 475 points." in message.corps
    change = BaremeChange.objects.get(action=ObjetChange.CONTESTATION)
    assert change.motif == "Trois années de séparation justifiées : 475 points."
    assert change.avant["totaux"]["1"] == "1044.2" and change.apres["totaux"]["1"] == "1194.2"


def test_a_rejection_needs_a_reason_and_is_posted_once(affiche: Demande, teacher_a: Agent, rectorat: Agent) -> None:
    contestation = open_contestation(demande=affiche, motif="Je veux plus de points.")
    with pytest.raises(SiamError, match="Rédigez la réponse"):
        answer_contestation(contestation=contestation, staff=rectorat, accepte=False, reponse="")
    answer_contestation(contestation=contestation, staff=rectorat, accepte=False, reponse="Barème conforme au dossier.")
    with pytest.raises(SiamError, match="déjà reçu une réponse"):
        answer_contestation(contestation=contestation, staff=rectorat, accepte=False, reponse="Encore")
    assert Message.objects.filter(recipient=teacher_a).count() == 1
    assert totals_by_rang(affiche)[1] == Decimal(VOEU_1)


def test_no_answer_changes_anything_once_the_baremes_are_definitifs(affiche: Demande, rectorat: Agent, at: Any) -> None:
    contestation = open_contestation(demande=affiche, motif="Erreur")
    at(DEFINITIFS)
    with pytest.raises(PhaseFermee, match="définitifs"):
        answer_contestation(
            contestation=contestation,
            staff=rectorat,
            accepte=True,
            reponse="Oui",
            correction=CorrectionDemandee("rc", "300"),
        )
    assert totals_by_rang(affiche)[1] == VOEU_1
    assert not Message.objects.exists()


def test_staff_answer_from_the_admin_list_of_open_requests(affiche: Demande, teacher_a: Agent, rectorat: Agent) -> None:
    contestation = open_contestation(demande=affiche, motif="Séparation : trois ans.")
    client = client_for(rectorat, staff=True)
    listing = client.get("/admin/siam/contestation/?statut__exact=ouverte")
    assert listing.status_code == 200 and "Séparation" not in text(listing) and str(affiche) in text(listing)
    url = f"/admin/siam/contestation/{contestation.pk}/change/"
    refused = client.post(url, {"decision": "acceptee", "reponse": "", "correction_code": "separation"})
    assert refused.status_code == 200 and not Message.objects.exists()
    response = client.post(url, {"decision": "acceptee", "reponse": "Trois années justifiées.",
                                 "correction_code": "separation", "correction_points": "475"})  # fmt: skip
    assert response.status_code == 302
    assert totals_by_rang(affiche)[1] == VOEU_1 + 150
    assert "Trois années justifiées." in Message.objects.get(recipient=teacher_a).corps
    assert "acceptée" in text(client.get(url))


def test_the_drh_reads_a_request_without_answering(affiche: Demande, drh: Agent) -> None:
    contestation = open_contestation(demande=affiche, motif="Erreur")
    client = client_for(drh, staff=True)
    assert client.get(f"/admin/siam/contestation/{contestation.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/siam/contestation/{contestation.pk}/change/", {"decision": "rejetee", "reponse": "Non"}
    )
    assert response.status_code == 403
    contestation.refresh_from_db()
    assert contestation.statut == StatutContestation.OUVERTE
