"""The unread count on the « Votre courrier » menu entry, on every page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lib.prepared import Param, PreparedQuery


def _unread() -> Any:
    from iprof.courrier.models import Message

    recipient: Any = Param("agent", IntegerField())
    # grouped by the one recipient: a row with the count, or no row at all (none unread)
    unread = Message.objects.for_recipient(recipient).unread().order_by()
    return unread.values("recipient").annotate(n=Count("pk")).values_list("n")


# one COUNT on the partial index message_unread_idx, compiled once (lib.prepared)
_UNREAD: PreparedQuery[tuple[int]] = PreparedQuery(_unread)


def _count(request: HttpRequest) -> int:
    found = _UNREAD.first(agent=request.user.pk)
    return found[0] if found else 0


def unread_count_for(request: HttpRequest) -> int:
    """Lazy: a page that never renders the menu never counts."""
    return SimpleLazyObject(lambda: _count(request))  # type: ignore[return-value]
