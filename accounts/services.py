from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from accounts.audit import record
from accounts.models import Agent, AuditEvent
from accounts.tasks import notify_account_change
from accounts.tasks import send_identifiant_reminder as reminder_task

# Changes the owner of the account is told about by e-mail.
NOTIFIED_FIELDS = {"email", "password"}


def identifiant_oublie_allowed(request: HttpRequest, *, numen: str) -> bool:
    """Rate limited like the password reset: per address, and per NUMEN (IDENTIFIANT_OUBLIE_RATE_LIMIT)."""
    from allauth.core.internal import ratelimit
    from django.conf import settings

    return bool(
        ratelimit.consume(
            request,
            app="accounts",
            action="identifiant_oublie",
            config={"identifiant_oublie": settings.IDENTIFIANT_OUBLIE_RATE_LIMIT},
            key=numen.upper(),
        )
    )


def send_identifiant_reminder(*, numen: str, date_naissance: datetime.date) -> None:
    """Hand the look-up and the mail to the task worker: the page answers in the same time either way."""
    reminder_task.enqueue(numen, date_naissance.isoformat())


def mask_email(address: str) -> str:
    """« c***n@ac-clermont.fr »: enough to recognise an address in the journal, not to harvest it."""
    if "@" not in address:
        return "***" if address else ""
    local, domain = address.rsplit("@", 1)
    shown = local[0] + "***" + local[-1] if len(local) > 2 else local[:1] + "***"
    return f"{shown}@{domain}"


def _shown(field: str, value: Any) -> str:
    if field == "email":
        return mask_email(str(value or ""))
    if field == "password":
        return "***"
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(sorted(str(v) for v in value)) or "∅"
    return str(value)


def journal_account_changes(
    *, request: HttpRequest | None, by: Agent, agent: Agent, changes: dict[str, tuple[Any, Any]]
) -> None:
    """One STAFF_CHANGE line per field changed (who, when, field, old → new); mail the owner on e-mail/password."""
    with transaction.atomic():
        for field, (old, new) in changes.items():
            record(
                AuditEvent.Kind.STAFF_CHANGE,
                request=request,
                agent=agent,
                auteur=by,
                detail=f"{field} : {_shown(field, old)} → {_shown(field, new)}",
            )
        for field in sorted(NOTIFIED_FIELDS & set(changes)):
            old_email = str(changes["email"][0] or "") if field == "email" else ""
            transaction.on_commit(partial(notify_account_change.enqueue, agent.pk, field, old_email))
