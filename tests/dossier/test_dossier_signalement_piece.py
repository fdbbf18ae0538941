"""Signaler une erreur « avec un justificatif »: the file reaches the correspondant with the courrier message."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Agent
from dossier.models import SignalementErreur
from iprof.courrier.models import Attachment, Conversation, CorrespondantGestion

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
MESSAGE = {"rubrique": "carriere", "message": "Mon 7e échelon date du 1er mars 2023, voir l'arrêté joint."}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _post(client: Client, upload: SimpleUploadedFile | None) -> Any:
    data: dict[str, Any] = dict(MESSAGE)
    if upload is not None:
        data["justificatif"] = upload
    return client.post(reverse("dossier:signaler"), data)


def test_the_form_asks_for_an_optional_justificatif_and_sends_multipart(client_a: Client) -> None:
    body = client_a.get(reverse("dossier:signaler")).content.decode()
    assert 'enctype="multipart/form-data"' in body and 'name="justificatif"' in body and 'type="file"' in body


def test_the_justificatif_reaches_the_correspondant_with_the_message(
    client_a: Client, teacher_a: Agent, rectorat: Agent
) -> None:
    CorrespondantGestion.objects.create(libelle="DPE 2 — mathématiques", agent=rectorat)
    response = _post(client_a, SimpleUploadedFile("arrete.pdf", PDF, content_type="application/octet-stream"))
    assert response.status_code == 302
    message = Conversation.objects.get(agent=teacher_a).messages.get()
    attachment = Attachment.objects.get(message=message)
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "arrete.pdf",
        "application/pdf",
        len(PDF),
    )
    assert attachment.file.read() == PDF
    assert SignalementErreur.objects.get().envoye_au_courrier is True


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (
            SimpleUploadedFile("arrete.pdf", b"MZ\x90\x00 un executable"),
            "Seuls les fichiers PDF, JPEG ou PNG sont acceptés.",
        ),
        (SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), "Le fichier dépasse 5 Mo."),
    ],
    ids=["not-a-pdf", "too-big"],
)
def test_a_refused_justificatif_is_said_in_french_and_nothing_is_written(
    client_a: Client, rectorat: Agent, upload: SimpleUploadedFile, error: str
) -> None:
    CorrespondantGestion.objects.create(libelle="DPE 2 — mathématiques", agent=rectorat)
    response = _post(client_a, upload)
    assert response.status_code == 200
    assert error in html.unescape(response.content.decode())
    assert not SignalementErreur.objects.exists() and not Attachment.objects.exists()


def test_without_a_correspondant_the_teacher_is_told_the_justificatif_was_not_joined(client_a: Client) -> None:
    response = _post(client_a, SimpleUploadedFile("arrete.pdf", PDF))
    assert SignalementErreur.objects.get().envoye_au_courrier is False
    page = html.unescape(client_a.get(response["Location"]).content.decode())
    assert "le justificatif n’a pas pu être joint" in page


def test_a_report_without_justificatif_still_goes_through(client_a: Client, teacher_a: Agent, rectorat: Agent) -> None:
    CorrespondantGestion.objects.create(libelle="DPE 2 — mathématiques", agent=rectorat)
    assert _post(client_a, None).status_code == 302
    assert not Attachment.objects.exists() and Conversation.objects.get(agent=teacher_a).messages.count() == 1
