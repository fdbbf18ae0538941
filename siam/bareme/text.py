"""French wording shared by the barème sentences: numbers, ordinals, lists."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

# Same separator as Django's French locale (NBSP), so core sentences and
# template-formatted numbers look alike on one page.
THOUSANDS = "\u00a0"

TYPE_LABELS = {
    "ETB": "établissement",
    "COM": "commune",
    "GEO": "groupement de communes",
    "DPT": "département",
    "ACA": "académie",
    "ZRE": "zone de remplacement",
    "ZRD": "zones de remplacement du département",
    "ZRA": "zones de remplacement de l'académie",
}

FILTRE_LABELS = {
    "TOUT": "tout type d'établissement",
    "CLG": "collège",
    "LYC": "lycée",
    "LP": "lycée professionnel",
    "SEP": "section d'enseignement professionnel",
    "EREA": "EREA",
}

_formatted: dict[Decimal, str] = {}


def format_decimal(value: Decimal) -> str:
    """150.20 -> '150,2'; 1500 -> '1 500' (NBSP); never an exponent."""
    text = _formatted.get(value)
    if text is None:
        raw = format(value, "f")
        if "." in raw:
            raw = raw.rstrip("0").rstrip(".")
        whole, _, fraction = raw.partition(".")
        sign = "-" if whole.startswith("-") else ""
        grouped = format(int(whole.lstrip("-")), ",").replace(",", THOUSANDS)
        text = f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"
        _formatted[value] = text
    return text


def format_points(value: Decimal) -> str:
    """French agreement: below 2 the noun stays singular (0 point, 1,5 point)."""
    noun = "point" if abs(value) < 2 else "points"
    return f"{format_decimal(value)} {noun}"


def ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def ordinal_f(n: int) -> str:
    """Feminine ordinal, for année: '1re année', '3e année'."""
    return "1re" if n == 1 else f"{n}e"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return f"{n} {singular if n < 2 else plural_form or singular + 's'}"


def type_phrase(code: str) -> str:
    """'établissement (ETB)': the label a teacher reads, then the SIAM code they typed."""
    return f"{TYPE_LABELS.get(code, code)} ({code})"


def filtre_phrase(code: str) -> str:
    return f"« {FILTRE_LABELS.get(code, code)} »"


def join_fr(items: Iterable[str], last: str = "et") -> str:
    words = list(items)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"
