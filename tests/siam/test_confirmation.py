"""The confirmation de demande PDF and the accusés de réception posted once to the courrier."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from accounts.models import Agent
from iprof.courrier.models import Attachment, Message
from siam.models import Demande, EtatDemande, Motif, MotifDeclare, Participation, Voeu
from tests.siam.conftest import APRES, CONFIRMATION, client_for

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    return " ".join(words)


@pytest.fixture
def demande_remplie(demande_a: Demande, ref: Any) -> Demande:
    Voeu.objects.create(demande=demande_a, rang=1, type="GEO", groupement=ref["geo"])
    Voeu.objects.create(demande=demande_a, rang=2, type="ETB", etablissement=ref["college"])
    Voeu.objects.create(demande=demande_a, rang=3, type="COM", commune=ref["riom"], filtre="LYC")
    MotifDeclare.objects.create(demande=demande_a, motif=Motif.RAPPROCHEMENT_CONJOINTS, conjoint_commune=ref["riom"])
    return demande_a


def test_confirmation_is_a_real_pdf_with_identity_voeux_in_order_motifs_and_pieces(
    demande_remplie: Demande, teacher_a: Agent, at: Any
) -> None:
    at(CONFIRMATION)
    response = client_for(teacher_a).get(f"/siam/demandes/{demande_remplie.pk}/confirmation.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    content = pdf_text(response.content)
    assert "DUPONT Frédéric" in content
    assert "Mouvement intra-académique 2027" in content
    geo, college, riom = (content.index(s) for s in ("GEO063CLF", "0631018P", "63300"))
    assert geo < college < riom
    assert "rapprochement de conjoints" in content
    assert "attestation récente de l'activité professionnelle du conjoint" in content
    assert "Fait à" in content and "Signature" in content


def test_another_teacher_gets_404_on_the_confirmation(demande_remplie: Demande, teacher_b: Agent, at: Any) -> None:
    at(CONFIRMATION)
    assert client_for(teacher_b).get(f"/siam/demandes/{demande_remplie.pk}/confirmation.pdf").status_code == 404


def test_accuses_are_refused_while_the_saisie_is_open(demande_remplie: Demande) -> None:
    with pytest.raises(CommandError, match="La saisie est encore ouverte"):
        call_command("siam_accuses", "intra-2027", stdout=io.StringIO())
    assert not Message.objects.exists()


def test_accuses_are_posted_once_per_demande_and_rerunning_posts_nothing(
    demande_remplie: Demande, teacher_a: Agent, teacher_b: Agent, at: Any
) -> None:
    empty_volontaire = Demande.objects.create(agent=teacher_b, campagne=demande_remplie.campagne)
    at(APRES)
    out = io.StringIO()
    call_command("siam_accuses", "intra-2027", stdout=out)
    assert "1 accusé(s) de réception déposé(s), 0 déjà envoyé(s)" in out.getvalue()
    message = Message.objects.get()
    assert message.recipient == teacher_a and message.categorie == "accuse_reception"
    assert message.sujet == "Accusé de réception — Mouvement intra-académique 2027"
    attachment = Attachment.objects.get(message=message)
    assert attachment.content_type == "application/pdf" and attachment.filename.endswith(".pdf")
    demande_remplie.refresh_from_db()
    assert demande_remplie.etat == EtatDemande.ENREGISTREE and demande_remplie.accuse_envoye_le is not None
    empty_volontaire.refresh_from_db()
    assert empty_volontaire.etat == EtatDemande.EN_SAISIE

    out = io.StringIO()
    call_command("siam_accuses", "intra-2027", stdout=out)
    assert "0 accusé(s) de réception déposé(s), 1 déjà envoyé(s)" in out.getvalue()
    assert Message.objects.count() == 1


def test_a_demande_posted_but_not_marked_is_not_posted_twice(demande_remplie: Demande, at: Any) -> None:
    at(APRES)
    call_command("siam_accuses", "intra-2027", stdout=io.StringIO())
    Demande.objects.filter(pk=demande_remplie.pk).update(etat=EtatDemande.EN_SAISIE, accuse_envoye_le=None)
    call_command("siam_accuses", "intra-2027", stdout=io.StringIO())
    assert Message.objects.count() == 1  # the courrier's idempotency key


def test_an_obligatory_participant_without_voeux_still_gets_the_accuse(intra: Any, teacher_b: Agent, at: Any) -> None:
    Demande.objects.create(agent=teacher_b, campagne=intra, participation=Participation.OBLIGATOIRE)
    at(APRES)
    call_command("siam_accuses", "intra-2027", stdout=io.StringIO())
    assert Message.objects.get().recipient == teacher_b


def test_unknown_campagne_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="Campagne inconnue : nope"):
        call_command("siam_accuses", "nope", stdout=io.StringIO())
