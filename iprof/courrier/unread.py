"""The unread count on the « Votre courrier » menu entry, on every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _count(request: HttpRequest) -> int:
    from iprof.courrier.models import Message

    # one COUNT on the partial index message_unread_idx
    return Message.objects.for_recipient(request.user).unread().count()  # type: ignore[arg-type]


def unread_count_for(request: HttpRequest) -> int:
    """Lazy: a page that never renders the menu never counts."""
    return SimpleLazyObject(lambda: _count(request))  # type: ignore[return-value]
