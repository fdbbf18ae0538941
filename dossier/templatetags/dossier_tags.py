"""French wording shared by the dossier templates and the pure cores."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from dossier.perspectives import format_date, ordinal

register = template.Library()


@register.filter
def date_fr(value: datetime.date | datetime.datetime | None) -> str:
    """27 novembre 2026; 1er septembre 2027 (the day one gets its 'er')."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return format_date(value)


@register.filter
def ordinal_fr(value: int | None) -> str:
    return "" if value is None else ordinal(int(value))
