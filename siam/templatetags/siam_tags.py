from __future__ import annotations

import datetime

from django import template

from siam.text import moment as _moment

register = template.Library()


@register.filter
def moment(value: datetime.datetime | None) -> str:
    """'2 avril 2027 à 12 h' in Europe/Paris."""
    return _moment(value) if value else ""
