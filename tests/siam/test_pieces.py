"""Pièces justificatives: content checked by magic bytes, private storage, owner and staff only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Agent
from lib.audit.models import LogEntry
from siam.models import Demande, Motif, MotifDeclare, PieceJustificative, StatutPiece
from siam.services.pieces import decide_piece
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def upload(client: Any, demande: Demande, name: str, content: bytes, **data: Any) -> Any:
    return client.post(f"/siam/demandes/{demande.pk}/pieces/", {"fichier": SimpleUploadedFile(name, content), **data})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("livret.pdf", PDF, "application/pdf"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("scan.png", PNG, "image/png"),
        ("sans-extension", PDF, "application/pdf"),
    ],
)
def test_accepted_files_are_stored_privately_with_the_type_read_from_their_content(
    demande_a: Demande, teacher_a: Agent, name: str, content: bytes, content_type: str
) -> None:
    response = upload(client_for(teacher_a), demande_a, name, content)
    assert response.status_code == 302
    piece = PieceJustificative.objects.get(demande=demande_a)
    assert piece.content_type == content_type and piece.nom_original == name and piece.taille == len(content)
    stored = Path(settings.MEDIA_ROOT) / piece.fichier.name  # type: ignore[operator]
    assert stored.read_bytes() == content
    assert name not in piece.fichier.name  # type: ignore[operator]  # the disk never sees the uploaded name
    assert not str(stored).startswith(str(settings.STATIC_ROOT))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("justificatif.pdf", ELF, "n'est ni un PDF, ni une image JPEG, ni une image PNG"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "n'est ni un PDF"),
        ("vide.pdf", b"", "vide"),
    ],
)
def test_a_renamed_executable_or_other_content_is_refused(
    demande_a: Demande, teacher_a: Agent, name: str, content: bytes, message: str
) -> None:
    response = upload(client_for(teacher_a), demande_a, name, content)
    assert response.status_code == 400
    assert message in text(response)
    assert not PieceJustificative.objects.exists()
    assert not list((Path(settings.MEDIA_ROOT)).rglob("*.*")) if Path(settings.MEDIA_ROOT).exists() else True


def test_a_file_over_the_size_limit_is_refused(demande_a: Demande, teacher_a: Agent, settings: Any) -> None:
    settings.SIAM_PIECE_MAX_BYTES = 1024
    response = upload(client_for(teacher_a), demande_a, "gros.pdf", PDF + b"0" * 2000)
    assert response.status_code == 400 and "dépasse la taille maximale autorisée (1 Ko)" in text(response)
    assert not PieceJustificative.objects.exists()


def test_a_piece_is_linked_to_one_of_the_teachers_motifs(demande_a: Demande, teacher_a: Agent) -> None:
    motif = MotifDeclare.objects.create(demande=demande_a, motif=Motif.RQTH)
    assert upload(client_for(teacher_a), demande_a, "rqth.pdf", PDF, motif=motif.pk).status_code == 302
    assert PieceJustificative.objects.get().motif == motif
    page = text(client_for(teacher_a).get(f"/siam/demandes/{demande_a.pk}/pieces/"))
    assert "rqth.pdf" in page and "attestation de reconnaissance de la qualité de travailleur handicapé" in page


def test_owner_downloads_the_file_and_can_withdraw_it_while_unexamined(demande_a: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    upload(client, demande_a, "livret.pdf", PDF)
    piece = PieceJustificative.objects.get()
    response = client.get(f"/siam/pieces/{piece.pk}/fichier/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="livret.pdf"' in response["Content-Disposition"]
    assert client.post(f"/siam/pieces/{piece.pk}/retirer/").status_code == 302
    assert not PieceJustificative.objects.exists()


def test_examined_piece_cannot_be_withdrawn(demande_a: Demande, teacher_a: Agent, rectorat: Agent) -> None:
    client = client_for(teacher_a)
    upload(client, demande_a, "livret.pdf", PDF)
    piece = PieceJustificative.objects.get()
    piece.statut = StatutPiece.ACCEPTEE
    piece.save()
    response = client.post(f"/siam/pieces/{piece.pk}/retirer/")
    assert response.status_code == 400 and "déjà été examinée" in text(response)
    assert PieceJustificative.objects.exists()


def test_another_teacher_gets_404_on_the_piece_and_its_file(
    demande_a: Demande, teacher_a: Agent, teacher_b: Agent
) -> None:
    upload(client_for(teacher_a), demande_a, "livret.pdf", PDF)
    piece = PieceJustificative.objects.get()
    other = client_for(teacher_b)
    assert other.get(f"/siam/pieces/{piece.pk}/fichier/").status_code == 404
    assert other.post(f"/siam/pieces/{piece.pk}/retirer/").status_code == 404
    assert other.get(f"/siam/demandes/{demande_a.pk}/pieces/").status_code == 404
    assert (
        other.post(f"/siam/demandes/{demande_a.pk}/pieces/", {"fichier": SimpleUploadedFile("x.pdf", PDF)}).status_code
        == 404
    )
    assert PieceJustificative.objects.count() == 1


def test_rectorat_staff_download_any_piece_drh_and_others_do_not_withdraw(
    demande_a: Demande, teacher_a: Agent, rectorat: Agent, drh: Agent
) -> None:
    upload(client_for(teacher_a), demande_a, "livret.pdf", PDF)
    piece = PieceJustificative.objects.get()
    staff = client_for(rectorat, staff=True)
    assert staff.get(f"/siam/pieces/{piece.pk}/fichier/").status_code == 200
    assert client_for(drh, staff=True).get(f"/siam/pieces/{piece.pk}/fichier/").status_code == 200
    assert staff.post(f"/siam/pieces/{piece.pk}/retirer/").status_code == 404
    assert PieceJustificative.objects.exists()


def test_anonymous_is_sent_to_login(demande_a: Demande, teacher_a: Agent) -> None:
    from django.test import Client

    upload(client_for(teacher_a), demande_a, "livret.pdf", PDF)
    piece = PieceJustificative.objects.get()
    for url in (f"/siam/pieces/{piece.pk}/fichier/", f"/siam/demandes/{demande_a.pk}/pieces/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/compte/login/")


def test_deposit_withdrawal_and_decision_are_kept_in_the_demande_journal(
    demande_a: Demande, teacher_a: Agent, rectorat: Agent
) -> None:
    client = client_for(teacher_a)
    upload(client, demande_a, "livret.pdf", PDF)
    upload(client, demande_a, "photo.png", PNG)
    first, second = PieceJustificative.objects.order_by("pk")
    assert client.post(f"/siam/pieces/{first.pk}/retirer/").status_code == 302
    decide_piece(piece=second, staff=rectorat, statut=StatutPiece.REFUSEE, motif_refus="Illisible.")
    journal = [
        (e.action, e.auteur, e.libelle, e.motif)
        for e in LogEntry.objects.for_object(demande_a).filter(action__startswith="piece.").order_by("date", "pk")
    ]
    assert journal == [
        ("piece.depot", teacher_a, "Pièce déposée\u00a0: livret.pdf", ""),
        ("piece.depot", teacher_a, "Pièce déposée\u00a0: photo.png", ""),
        ("piece.retrait", teacher_a, "Pièce retirée\u00a0: livret.pdf", ""),
        ("piece.decision", rectorat, "Pièce photo.png\u00a0: refusée", "Illisible."),
    ]
