"""The unread count on the « Votre courrier » menu entry, on every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lib.queries import Prepared


def _unread(recipient_id: Any) -> Any:
    from iprof.courrier.models import Message

    return Message.objects.for_recipient(recipient_id).unread()


# one COUNT on the partial index message_unread_idx, compiled once (lib.queries.Prepared); no agent has the sample id
_UNREAD = Prepared(_unread, -7_340_227_219, count=True)


def _count(request: HttpRequest) -> int:
    return _UNREAD.count(request.user.pk)


def unread_count_for(request: HttpRequest) -> int:
    """Lazy: a page that never renders the menu never counts."""
    return SimpleLazyObject(lambda: _count(request))  # type: ignore[return-value]
