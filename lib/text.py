"""French wording helpers shared by the apps."""

from __future__ import annotations


def accord(n: int, singulier: str, pluriel: str) -> str:
    """« 0 motif », « 1 motif », « 2 motifs »: French agreement, where 0 and 1 take the singular.

    ngettext without a compiled French catalogue applies the English rule (« 0 motifs »); the two forms
    come here already translated (gettext) and carry a %(n)s placeholder.
    """
    return (singulier if abs(n) < 2 else pluriel) % {"n": n}
