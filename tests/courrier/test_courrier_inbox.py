"""Votre courrier: the inbox, a message, its attachments — each agent sees only their own."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from accounts.models import Agent
from iprof.courrier.models import Attachment, Message
from iprof.courrier.services import post_courrier

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n"


def _post_to(
    agent: Agent, key: str = "k1", sujet: str = "Accusé de réception de votre demande", **kw: object
) -> Message:
    post_courrier(recipients=[agent.pk], sujet=sujet, corps="Nous avons bien reçu votre demande.", key=key, **kw)  # type: ignore[arg-type]
    return Message.objects.get(envoi__key=key, recipient=agent)


def test_inbox_lists_my_messages_newest_first_and_marks_the_unread(client_a: Client, teacher_a: Agent) -> None:
    old = _post_to(teacher_a, "old", "Ancien message")
    Message.objects.filter(pk=old.pk).update(
        read_at=timezone.now(), created_at=timezone.now() - datetime.timedelta(days=3)
    )
    _post_to(teacher_a, "new", "Nouveau message")
    body = client_a.get("/courrier/").content.decode()
    assert body.index("Nouveau message") < body.index("Ancien message")
    rows = {row.split("</tr>")[0] for row in body.split("<tr")[1:]}
    new_row = next(row for row in rows if "Nouveau message" in row)
    old_row = next(row for row in rows if "Ancien message" in row)
    # the unread marker and its words are on the new message's row, the old one says "Lu"
    assert 'data-testid="unread"' in new_row and "Non lu" in new_row
    assert 'data-testid="unread"' not in old_row and "Non lu" not in old_row and ">Lu<" in old_row


def test_inbox_never_shows_another_agents_messages(client_a: Client, teacher_b: Agent) -> None:
    _post_to(teacher_b, sujet="Pour Françoise seulement")
    body = client_a.get("/courrier/").content.decode()
    assert "Pour Françoise seulement" not in body
    assert "Vous n'avez aucun message." in body


def test_the_menu_shows_my_unread_count(client_a: Client, teacher_a: Agent, teacher_b: Agent) -> None:
    assert 'title="messages non lus"' not in client_a.get("/").content.decode()
    _post_to(teacher_a, "a1")
    _post_to(teacher_a, "a2")
    _post_to(teacher_b, "b1")
    body = client_a.get("/").content.decode()
    assert 'title="messages non lus">2</span>' in body


def test_opening_a_message_marks_it_read_once(client_a: Client, teacher_a: Agent) -> None:
    message = _post_to(teacher_a)
    response = client_a.get(f"/courrier/{message.pk}/")
    assert response.status_code == 200
    assert "Nous avons bien reçu votre demande." in response.content.decode()
    first = Message.objects.get(pk=message.pk).read_at
    assert first is not None
    client_a.get(f"/courrier/{message.pk}/")
    assert Message.objects.get(pk=message.pk).read_at == first
    assert 'title="messages non lus"' not in client_a.get("/").content.decode()


def test_another_agents_message_is_a_404_and_stays_unread(client_b: Client, teacher_a: Agent) -> None:
    message = _post_to(teacher_a)
    assert client_b.get(f"/courrier/{message.pk}/").status_code == 404
    assert client_b.post(f"/courrier/{message.pk}/non-lu/").status_code == 404
    assert Message.objects.get(pk=message.pk).read_at is None


def test_a_message_can_be_marked_unread_again(client_a: Client, teacher_a: Agent) -> None:
    message = _post_to(teacher_a)
    client_a.get(f"/courrier/{message.pk}/")
    response = client_a.post(f"/courrier/{message.pk}/non-lu/")
    assert response.status_code == 302 and response["Location"] == "/courrier/"
    assert Message.objects.get(pk=message.pk).read_at is None


def test_the_recipient_downloads_the_attachment(client_a: Client, teacher_a: Agent) -> None:
    message = _post_to(teacher_a, attachments=[("accuse.pdf", PDF, "application/pdf")])
    piece = Attachment.objects.get(message=message)
    assert f'href="/courrier/pieces-jointes/{piece.pk}/"' in client_a.get(f"/courrier/{message.pk}/").content.decode()
    response = client_a.get(f"/courrier/pieces-jointes/{piece.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="accuse.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_another_teacher_gets_404_on_the_attachment(client_b: Client, teacher_a: Agent) -> None:
    message = _post_to(teacher_a, attachments=[("accuse.pdf", PDF, "application/pdf")])
    piece = Attachment.objects.get(message=message)
    assert client_b.get(f"/courrier/pieces-jointes/{piece.pk}/").status_code == 404


def test_drh_may_download_a_posted_attachment_but_not_the_rectorat(
    drh: Agent, rectorat: Agent, teacher_a: Agent
) -> None:
    message = _post_to(teacher_a, attachments=[("accuse.pdf", PDF, "application/pdf")])
    piece = Attachment.objects.get(message=message)
    url = f"/courrier/pieces-jointes/{piece.pk}/"
    drh_client, rectorat_client = Client(), Client()
    drh_client.force_login(drh)
    rectorat_client.force_login(rectorat)
    assert drh_client.get(url).status_code == 200
    assert rectorat_client.get(url).status_code == 404


def test_attachments_are_stored_under_the_private_media_root(settings, teacher_a: Agent) -> None:  # type: ignore[no-untyped-def]
    message = _post_to(teacher_a, attachments=[("accuse.pdf", PDF, "application/pdf")])
    path = Attachment.objects.get(message=message).file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))


def test_the_inbox_is_paginated(client_a: Client, teacher_a: Agent) -> None:
    for i in range(25):
        _post_to(teacher_a, f"k{i}", f"Message numéro {i:02d}")
    first = client_a.get("/courrier/").content.decode()
    second = client_a.get("/courrier/?page=2").content.decode()
    assert "Message numéro 24" in first and "Message numéro 04" not in first
    assert "Message numéro 04" in second and "Message numéro 05" not in second
    assert "fr-pagination" in first
    assert client_a.get("/courrier/?page=99").status_code == 200


def test_the_inbox_query_count_does_not_grow_with_the_messages(
    client_a: Client, teacher_a: Agent, django_assert_max_num_queries
) -> None:
    client_a.get("/")  # the session's first write is not the inbox's
    for i in range(3):
        _post_to(teacher_a, f"few{i}", attachments=[("a.pdf", PDF, "application/pdf")])
    # session, agent, page count, unread badge, banner, 2 × permissions (staff links), the page itself
    with django_assert_max_num_queries(8) as captured:
        client_a.get("/courrier/")
    few = len(captured.captured_queries)  # read now: every request empties Django's query log
    assert any('"courrier_message"' in q["sql"] for q in captured.captured_queries)  # the capture saw the page
    for i in range(30):
        _post_to(teacher_a, f"many{i}", attachments=[("a.pdf", PDF, "application/pdf")])
    with django_assert_max_num_queries(few):
        client_a.get("/courrier/")


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, teacher_a: Agent) -> None:
    message = _post_to(teacher_a, attachments=[("a.pdf", PDF, "application/pdf")])
    piece = Attachment.objects.get()
    for url in ("/courrier/", f"/courrier/{message.pk}/", f"/courrier/pieces-jointes/{piece.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/compte/login/"), url


def test_wrong_methods_are_refused(client_a: Client, teacher_a: Agent) -> None:
    message = _post_to(teacher_a, attachments=[("a.pdf", PDF, "application/pdf")])
    piece = Attachment.objects.get()
    assert client_a.post("/courrier/").status_code == 405
    assert client_a.post(f"/courrier/{message.pk}/").status_code == 405
    assert client_a.get(f"/courrier/{message.pk}/non-lu/").status_code == 405
    assert client_a.post(f"/courrier/pieces-jointes/{piece.pk}/").status_code == 405


def test_marking_unread_requires_the_csrf_token(teacher_a: Agent) -> None:
    message = _post_to(teacher_a)
    Message.objects.filter(pk=message.pk).update(read_at=timezone.now())
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher_a)
    assert client.post(f"/courrier/{message.pk}/non-lu/").status_code == 403
    assert Message.objects.get(pk=message.pk).read_at is not None
