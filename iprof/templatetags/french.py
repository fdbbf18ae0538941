"""French typography for every page, PDF and mail: ``{% load french %}``.

- ``{{ d|date_fr }}`` → « 1er mars 2027 », « 2 mars 2027 »; ``{{ d|date_fr:"court" }}`` → « 1er mars »;
  ``{{ dt|datetime_fr }}`` → « 1er mars 2027 à 12 h », « … à 12 h 30 » (local time);
- ``{{ n|compte:"vœu,vœux" }}`` → « 0 vœu », « 1 vœu », « 2 vœux » (French: 0 and 1 are singular);
- ``{{ 150.2|points }}`` → « 150,2 points », « 1 point », « 1 250,5 points »;
- ``{{ agent|accord:"marié,mariée" }}`` → by the agent's civilité, « marié(e) » only when it is unknown.

Between a number and its unit, and between thousands, the space is non-breaking (U+00A0, as in
Django's French number format), so that « 150,2 » and « points » never sit on two lines.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils import timezone

from lib.dates import MOIS
from lib.text import is_singular

register = template.Library()

NBSP = "\u00a0"


def jour(day: int) -> str:
    return "1er" if day == 1 else str(day)


def format_date_fr(value: datetime.date | datetime.datetime | None, style: str = "") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    text = f"{jour(value.day)}{NBSP}{MOIS[value.month - 1]}"
    return text if style == "court" else f"{text} {value.year}"


def format_heure_fr(value: datetime.datetime | datetime.time) -> str:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    minutes = f"{NBSP}{value.minute:02d}" if value.minute else ""
    return f"{value.hour}{NBSP}h{minutes}"


@register.filter
def date_fr(value: datetime.date | datetime.datetime | None, style: str = "") -> str:
    return format_date_fr(value, style)


@register.filter
def datetime_fr(value: datetime.datetime | None, style: str = "") -> str:
    if value is None or value == "":
        return ""
    return f"{format_date_fr(value, style)} à {format_heure_fr(value)}"


def plural_fr(count: int | float | Decimal, forms: str) -> str:
    """The singular for 0, 1 and anything below 2 (French rule); forms is "singulier,pluriel"."""
    singulier, _, pluriel = forms.partition(",")
    return singulier if is_singular(count) else (pluriel or singulier + "s")


@register.filter
def compte(count: Any, forms: str) -> str:
    number = int(count or 0)
    return f"{grouped(str(number))}{NBSP}{plural_fr(number, forms)}"


def grouped(digits: str) -> str:
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    groups: list[str] = []
    while len(digits) > 3:
        digits, tail = digits[:-3], digits[-3:]
        groups.insert(0, tail)
    return sign + NBSP.join([digits, *groups])


def nombre_fr(value: Any, decimals: int = 2) -> str:
    """150.2 → « 150,2 »; 1250.5 → « 1 250,5 » (non-breaking space); trailing zeros dropped."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{number:f}".partition(".")
    fraction = fraction.rstrip("0")
    return grouped(whole) + (f",{fraction}" if fraction else "")


@register.filter
def points(value: Any) -> str:
    if value is None or value == "":
        return ""
    return f"{nombre_fr(value)}{NBSP}{plural_fr(Decimal(str(value)), 'point,points')}"


def civilite_of(who: Any) -> str:
    return str(getattr(who, "civilite", who) or "")


@register.filter
def accord(who: Any, forms: str) -> str:
    """ "masculin,féminin" by the civilité (M / MME) of an agent, or « masculin(e) »-style when unknown."""
    masculin, _, feminin = forms.partition(",")
    civilite = civilite_of(who)
    if civilite == "M":
        return masculin
    if civilite == "MME":
        return feminin
    suffix = feminin[len(masculin) :] if feminin.startswith(masculin) else ""
    return f"{masculin}({suffix})" if suffix else f"{masculin}/{feminin}"
