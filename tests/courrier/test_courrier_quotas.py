"""Issue 17, point 5: per-teacher quotas on conversations and attachments; a reply subject always fits."""

from __future__ import annotations

import html
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Agent
from iprof.courrier.models import Attachment, Conversation, Message

PDF = b"%PDF-1.4\n" + b"0" * 100_000 + b"\n%%EOF\n"


def _write(client: Client, sujet: str = "Erreur sur mon échelon", **extra: object) -> Any:
    data = {"sujet": sujet, "corps": "Mon échelon est le 8e depuis le 1er septembre.", **extra}
    return client.post("/courrier/correspondant/nouveau/", data)


def test_a_teacher_starts_at_most_so_many_conversations_a_day(
    client_a: Client, correspondant: Any, settings: Any
) -> None:
    settings.COURRIER_CONVERSATIONS_PER_DAY = 3
    for i in range(3):
        assert _write(client_a, sujet=f"Question {i}").status_code == 302
    refused = _write(client_a, sujet="Question de trop")
    assert refused.status_code == 200
    assert "Vous avez déjà commencé 3 conversations depuis 24 heures" in html.unescape(refused.content.decode())
    assert Conversation.objects.count() == 3


def test_a_teachers_attachments_are_bounded_in_all(client_a: Client, correspondant: Any, settings: Any) -> None:
    settings.COURRIER_ATTACHMENTS_MAX_BYTES_PER_AGENT = 250_000
    for i in range(2):
        response = _write(client_a, sujet=f"Arrêté {i}", piece_jointe=SimpleUploadedFile("a.pdf", PDF))
        assert response.status_code == 302
    refused = _write(client_a, sujet="Arrêté 3", piece_jointe=SimpleUploadedFile("a.pdf", PDF))
    assert refused.status_code == 200
    text = html.unescape(refused.content.decode())
    assert "Vos pièces jointes occupent déjà 195,3\u00a0Ko sur les 244,1\u00a0Ko autorisés" in text
    assert Attachment.objects.count() == 2 and Conversation.objects.count() == 2


def test_a_staff_reply_to_a_200_character_subject_fits_its_column(
    client_a: Client, teacher_a: Agent, rectorat: Agent, correspondant: Any
) -> None:
    sujet = "É" * 200
    assert _write(client_a, sujet=sujet).status_code == 302
    conversation = Conversation.objects.get()
    staff = Client()
    staff.force_login(rectorat)
    response = staff.post(f"/courrier/gestion/{conversation.pk}/", {"corps": "C'est corrigé."})
    assert response.status_code == 302
    reply = Message.objects.get(recipient=teacher_a)
    assert len(reply.sujet) == 200
    assert reply.sujet == "Réponse\u00a0: " + "É" * 189 + "…"
