"""Bulk decisions in the admin: through the single-row services, with the history, counted, idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Agent
from siam.models import Demande, Motif, MotifDeclare, PieceJustificative, StatutMotif, StatutPiece
from siam.models.bareme import BaremeChange
from tests.siam.conftest import client_for, text
from tests.siam.test_admin_queues import piece

pytestmark = pytest.mark.django_db

PIECES = "/admin/siam/piecejustificative/"
MOTIFS = "/admin/siam/motifdeclare/"


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_accepting_pieces_in_bulk_counts_what_was_already_done_and_a_double_submit_changes_nothing(
    demande_a: Demande, rectorat: Agent
) -> None:
    for _ in range(3):
        piece(demande_a)
    piece(demande_a, statut=StatutPiece.ACCEPTEE)
    pks = list(PieceJustificative.objects.values_list("pk", flat=True))
    staff = client_for(rectorat, staff=True)
    first = staff.post(PIECES, {"action": "accepter", "_selected_action": pks}, follow=True)
    assert messages_of(first) == ["3 pièces acceptées, 1 déjà traitée"]
    decided = dict(PieceJustificative.objects.values_list("pk", "decided_at"))
    again = staff.post(PIECES, {"action": "accepter", "_selected_action": pks}, follow=True)
    assert messages_of(again) == ["0 pièce acceptée, 4 déjà traitées"]
    assert dict(PieceJustificative.objects.values_list("pk", "decided_at")) == decided
    assert set(PieceJustificative.objects.values_list("statut", flat=True)) == {StatutPiece.ACCEPTEE}


def test_refusing_pieces_in_bulk_asks_the_reason_first_and_writes_nothing_before(
    demande_a: Demande, rectorat: Agent
) -> None:
    piece(demande_a)
    piece(demande_a)
    pks = list(PieceJustificative.objects.values_list("pk", flat=True))
    staff = client_for(rectorat, staff=True)
    page = staff.post(PIECES, {"action": "refuser", "_selected_action": pks})
    assert page.status_code == 200 and "2 lignes sélectionnées" in text(page) and "Motif du refus" in text(page)
    assert not PieceJustificative.objects.exclude(statut=StatutPiece.EN_ATTENTE).exists()
    blank = staff.post(PIECES, {"action": "refuser", "_selected_action": pks, "motif_refus": "   "})
    assert "Ce champ est obligatoire." in text(blank)
    assert not PieceJustificative.objects.exclude(statut=StatutPiece.EN_ATTENTE).exists()
    done = staff.post(PIECES, {"action": "refuser", "_selected_action": pks, "motif_refus": "Illisible"}, follow=True)
    assert messages_of(done) == ["2 pièces refusées"]
    assert list(PieceJustificative.objects.values_list("motif_refus", flat=True)) == ["Illisible", "Illisible"]


def test_validating_motifs_in_bulk_writes_one_history_entry_each_even_when_submitted_twice(
    demande_a: Demande, demande_b: Demande, rectorat: Agent
) -> None:
    pks = [MotifDeclare.objects.create(demande=d, motif=Motif.RQTH).pk for d in (demande_a, demande_b)]
    staff = client_for(rectorat, staff=True)
    first = staff.post(MOTIFS, {"action": "valider", "_selected_action": pks}, follow=True)
    assert messages_of(first) == ["2 motifs validés"]
    assert BaremeChange.objects.count() == 2
    again = staff.post(MOTIFS, {"action": "valider", "_selected_action": pks}, follow=True)
    assert messages_of(again) == ["0 motif validé, 2 déjà traités"]
    assert BaremeChange.objects.count() == 2
    assert set(MotifDeclare.objects.values_list("statut", "decided_by")) == {(StatutMotif.VALIDE, rectorat.pk)}


def test_refusing_one_motif_in_bulk_records_the_reason_in_the_history(demande_a: Demande, rectorat: Agent) -> None:
    motif = MotifDeclare.objects.create(demande=demande_a, motif=Motif.RQTH)
    staff = client_for(rectorat, staff=True)
    page = staff.post(MOTIFS, {"action": "refuser", "_selected_action": [motif.pk]})
    assert "1 ligne sélectionnée" in text(page) and not BaremeChange.objects.exists()
    data = {"action": "refuser", "_selected_action": [motif.pk], "motif_refus": "Attestation expirée"}
    assert messages_of(staff.post(MOTIFS, data, follow=True)) == ["1 motif refusé"]
    motif.refresh_from_db()
    assert motif.statut == StatutMotif.REFUSE and motif.motif_refus == "Attestation expirée"
    assert BaremeChange.objects.get().motif == "Attestation expirée"


def test_drh_may_not_decide_pieces_in_bulk(demande_a: Demande, drh: Agent) -> None:
    piece(demande_a)
    staff = client_for(drh, staff=True)
    staff.post(PIECES, {"action": "accepter", "_selected_action": [PieceJustificative.objects.get().pk]})
    assert PieceJustificative.objects.get().statut == StatutPiece.EN_ATTENTE


def test_the_postes_import_says_how_many_with_plural_agreement(intra: Any, rectorat: Agent, ref: Any) -> None:
    from tests.siam.conftest import import_csv
    from tests.siam.test_admin import GOOD

    staff = client_for(rectorat, staff=True)
    done = import_csv(staff, "/admin/siam/poste/importer/", GOOD, campagne=intra.pk, follow=True)
    assert messages_of(done) == ["3 postes créés, 0 mis à jour"]
    first_line = GOOD.split("\n", 2)[0] + "\n" + GOOD.split("\n")[1] + "\n"
    again = import_csv(staff, "/admin/siam/poste/importer/", first_line, campagne=intra.pk, follow=True)
    assert messages_of(again) == ["0 poste créé, 1 mis à jour"]
