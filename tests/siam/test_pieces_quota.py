"""Issue 17, point 5: a teacher's pièces are bounded per demande and in megabytes, with French messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Agent
from siam.models import Demande, PieceJustificative
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 100_000 + b"\n%%EOF\n"


def upload(client: Any, demande: Demande) -> Any:
    return client.post(f"/siam/demandes/{demande.pk}/pieces/", {"fichier": SimpleUploadedFile("p.pdf", PDF)})


def test_so_many_pieces_per_demande_and_no_more(demande_a: Demande, teacher_a: Agent, settings: Any) -> None:
    settings.SIAM_PIECES_MAX_PER_DEMANDE = 2
    client = client_for(teacher_a)
    assert upload(client, demande_a).status_code == 302
    assert upload(client, demande_a).status_code == 302
    refused = upload(client, demande_a)
    assert "Vous avez déjà déposé 2 pièces pour cette demande, le maximum" in text(refused)
    assert PieceJustificative.objects.count() == 2


def test_a_teachers_pieces_are_bounded_in_megabytes(demande_a: Demande, teacher_a: Agent, settings: Any) -> None:
    settings.SIAM_PIECES_MAX_BYTES_PER_AGENT = 250_000
    client = client_for(teacher_a)
    assert upload(client, demande_a).status_code == 302
    assert upload(client, demande_a).status_code == 302
    refused = upload(client, demande_a)
    assert "Vos pièces occupent déjà 195,3 Ko sur les 244,1 Ko autorisés" in text(refused)  # text(): nbsp → space
    assert PieceJustificative.objects.count() == 2
