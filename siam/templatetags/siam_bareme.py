"""Barème display in templates: points in French (« 150,2 points »)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from siam.bareme.text import format_decimal, format_points

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    """150.2 -> « 150,2 points »; 1 -> « 1 point »; None -> « — »."""
    return "—" if value is None else format_points(Decimal(value))


@register.filter
def nombre(value: Decimal | None) -> str:
    """150.2 -> « 150,2 » (no unit, for table cells)."""
    return "—" if value is None else format_decimal(Decimal(value))
