"""What the calculator returns: the lines of a barème, each with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class LineState(StrEnum):
    APPLIED = "applied"
    # The bonus would apply on this voeu but its pièces are not validated yet.
    PENDING = "pending"
    REFUSED = "refused"
    NOT_APPLICABLE = "not_applicable"
    # Staff changed the points of a line the rule applies on this voeu (siam.bareme.corrections).
    CORRECTED = "corrected"


# The states whose points are in the total.
COUNTED = frozenset({LineState.APPLIED, LineState.CORRECTED})


@dataclass(frozen=True, slots=True)
class BaremeLine:
    """One component on one voeu.

    ``points`` is what the line adds: zero unless ``state`` is APPLIED.
    ``potential`` is what it would add once validated (APPLIED or PENDING),
    so the portal can say what a pending or lost bonus is worth.
    ``sentence`` is the whole French explanation; ``detail`` its reason part.
    """

    code: str
    state: LineState
    points: Decimal
    potential: Decimal
    detail: str
    sentence: str

    @property
    def applies(self) -> bool:
        return self.state is LineState.APPLIED


@dataclass(frozen=True, slots=True)
class Bareme:
    lines: tuple[BaremeLine, ...]
    total: Decimal

    def line(self, code: str) -> BaremeLine | None:
        return next((line for line in self.lines if line.code == code), None)


@dataclass(frozen=True, slots=True)
class ExtensionBareme:
    """The barème used for the procédure d'extension, and the voeu it was taken from."""

    rang: int
    bareme: Bareme

    @property
    def total(self) -> Decimal:
        return self.bareme.total
