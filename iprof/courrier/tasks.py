"""E-mail notifications of new courrier, sent by the django-tasks worker after commit.

The mail says a message is waiting in I-Prof, never what it says. post_courrier
enqueues one task per envoi (one query whatever the number of recipients); the task
sends in chunks over a single mail connection, each chunk in its own transaction that
records notified_at, so every message is notified once even if two workers run the
same envoi (rows are locked with SKIP LOCKED). `manage.py courrier_notify` sends
whatever a lost task left behind.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from iprof.courrier.models import Message

NOTIFY_CHUNK = 500


@task()
def notify_envoi(envoi_id: int) -> int:
    return send_pending_notifications(Message.objects.filter(envoi_id=envoi_id))


@task()
def notify_messages(message_ids: list[int]) -> int:
    return send_pending_notifications(Message.objects.filter(pk__in=message_ids))


def enqueue_envoi_notifications(envoi_id: int) -> None:
    notify_envoi.enqueue(envoi_id)


def enqueue_message_notifications(message_ids: list[int]) -> None:
    notify_messages.enqueue(message_ids)


def send_pending_notifications(messages: QuerySet[Message], *, chunk: int = NOTIFY_CHUNK) -> int:
    """Notify the not-yet-notified messages among `messages`; return the number of e-mails sent."""
    pending = (
        messages.filter(notified_at__isnull=True, recipient__isnull=False)
        .select_related("recipient")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
    )
    sent = 0
    with get_connection() as connection:  # one connection for every chunk
        while True:
            with transaction.atomic():
                batch = list(pending[:chunk])
                if not batch:
                    return sent
                emails = [
                    _notification(message, connection)
                    for message in batch
                    if message.recipient.email and message.recipient.is_active  # type: ignore[union-attr]
                ]
                connection.send_messages(emails)
                Message.objects.filter(pk__in=[m.pk for m in batch]).update(notified_at=timezone.now())
            sent += len(emails)


def _notification(message: Message, connection: BaseEmailBackend) -> EmailMessage:
    context = {
        "agent": message.recipient,
        "academie": settings.IPROF_ACADEMIE,
        "site_url": getattr(settings, "IPROF_SITE_URL", ""),
    }
    return EmailMessage(
        subject=render_to_string("courrier/email/notification_subject.txt", context).strip(),
        body=render_to_string("courrier/email/notification_message.txt", context),
        to=[message.recipient.email],  # type: ignore[union-attr]
        connection=connection,
    )
