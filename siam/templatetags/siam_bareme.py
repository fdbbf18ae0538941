"""Barème display in templates: points in French (« 150,2 points ») and the provisional barème of the voeux page."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import template

from siam.bareme.text import format_decimal, format_points
from siam.models import Demande
from siam.services.bareme.display import provisional_for_voeux

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    """150.2 -> « 150,2 points »; 1 -> « 1 point »; None -> « — »."""
    return "—" if value is None else format_points(Decimal(value))


@register.filter
def nombre(value: Decimal | None) -> str:
    """150.2 -> « 150,2 » (no unit, for table cells)."""
    return "—" if value is None else format_decimal(Decimal(value))


@register.simple_tag
def baremes_provisoires(demande: Demande, rows: Iterable[Any]) -> dict[int, Decimal]:
    """Voeu id -> provisional total, computed once for the whole list (``rows`` carry the loaded voeux)."""
    return provisional_for_voeux(demande, [row.voeu for row in rows])


@register.inclusion_tag("siam/bareme/includes/_provisoire.html")
def bareme_provisoire(baremes: dict[int, Decimal], voeu_id: int) -> dict[str, Any]:
    return {"total": baremes.get(voeu_id)}
