"""History of the changes staff make to a dossier: who, when, what (before/after), why."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.models import Dossier, DossierChange
from lib.audit import log_action
from lib.audit.models import LogEntry

if TYPE_CHECKING:
    from accounts.models import Agent


@dataclass(frozen=True)
class Change:
    objet: str
    avant: str
    apres: str


def display(instance: models.Model, field: models.Field) -> str:  # type: ignore[type-arg]
    """A field's value as staff read it: choice labels, French dates, related objects' names."""
    value = getattr(instance, field.name, None)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def diff(before: models.Model | None, after: models.Model, names: Iterable[str], prefix: str = "") -> list[Change]:
    """Changes of the named fields between two states of one row (before None: every non-empty field)."""
    changes = []
    meta = after._meta
    for name in names:
        field = meta.get_field(name)
        if not isinstance(field, models.Field) or field.many_to_many:
            continue
        old = display(before, field) if before is not None else ""
        new = display(after, field)
        if old != new:
            changes.append(Change(f"{prefix}{field.verbose_name}"[:100], old, new))
    return changes


def describe_row(instance: models.Model) -> str:
    return f"{instance._meta.verbose_name} : {instance}"


@transaction.atomic
def record_changes(*, dossier: Dossier, auteur: Agent | None, motif: str, changes: Iterable[Change]) -> int:
    """One journal entry per changed field, all with the same who, when and why."""
    now = timezone.now()
    rows = [
        log_action(
            dossier,
            DossierChange.ACTION,
            auteur=auteur,
            motif=motif[:300],
            libelle=c.objet[:100],
            avant=c.avant,
            apres=c.apres,
            save=False,
        )
        for c in changes
    ]
    for row in rows:
        row.date = now
    LogEntry.objects.bulk_create(rows)
    return len(rows)
