"""French wording helpers shared by the apps."""

from __future__ import annotations

from decimal import Decimal


def is_singular(n: int | float | Decimal) -> bool:
    """The French rule: 0, 1 and anything below 2 take the singular (« 0 motif », « 1,5 point »)."""
    return abs(Decimal(str(n))) < 2


def accord(n: int, singulier: str, pluriel: str) -> str:
    """« 0 motif », « 1 motif », « 2 motifs »: French agreement, where 0 and 1 take the singular.

    ngettext without a compiled French catalogue applies the English rule (« 0 motifs »); the two forms
    come here already translated (gettext) and carry a %(n)s placeholder.
    """
    return (singulier if is_singular(n) else pluriel) % {"n": n}


def bilan(traitees: str, deja: int, deja_singulier: str, deja_pluriel: str) -> str:
    """« 12 pièces acceptées, 2 déjà traitées »: the second part only when something was already done."""
    return traitees if not deja else f"{traitees}, {accord(deja, deja_singulier, deja_pluriel)}"
