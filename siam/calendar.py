"""The phases of a campagne, derived from its dated milestones: pure Python, no Django.

Every service asks ``phase_at(calendrier, now)`` before acting, so a closed
saisie is refused by the server whatever the page showed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise


class Phase(StrEnum):
    A_VENIR = "a_venir"
    SAISIE = "saisie"
    CLOTURE = "cloture"
    CONFIRMATION = "confirmation"
    INSTRUCTION = "instruction"
    AFFICHAGE_BAREMES = "affichage_baremes"
    VERIFICATION = "verification"
    BAREMES_DEFINITIFS = "baremes_definitifs"
    RESULTATS = "resultats"


# Milestone names in order; each one opens the phase beside it.
MILESTONES: tuple[tuple[str, Phase], ...] = (
    ("saisie_debut", Phase.SAISIE),
    ("saisie_fin", Phase.CLOTURE),
    ("confirmation_debut", Phase.CONFIRMATION),
    ("retour_pieces_fin", Phase.INSTRUCTION),
    ("bareme_affichage_debut", Phase.AFFICHAGE_BAREMES),
    ("bareme_affichage_fin", Phase.VERIFICATION),
    ("baremes_definitifs", Phase.BAREMES_DEFINITIFS),
    ("resultats", Phase.RESULTATS),
)
ORDER: tuple[Phase, ...] = (Phase.A_VENIR, *(phase for _, phase in MILESTONES))


@dataclass(frozen=True, slots=True, kw_only=True)
class Calendrier:
    saisie_debut: datetime.datetime
    saisie_fin: datetime.datetime
    confirmation_debut: datetime.datetime
    retour_pieces_fin: datetime.datetime
    bareme_affichage_debut: datetime.datetime
    bareme_affichage_fin: datetime.datetime
    baremes_definitifs: datetime.datetime
    annulation_fin: datetime.datetime
    resultats: datetime.datetime

    def is_ordered(self) -> bool:
        dates = [getattr(self, name) for name, _ in MILESTONES]
        return all(a <= b for a, b in pairwise(dates)) and (
            self.saisie_debut < self.saisie_fin and self.baremes_definitifs <= self.annulation_fin <= self.resultats
        )


def phase_at(calendrier: Calendrier, now: datetime.datetime) -> Phase:
    """The phase in force at ``now``: a milestone belongs to the phase it opens."""
    current = Phase.A_VENIR
    for name, phase in MILESTONES:
        if now < getattr(calendrier, name):
            break
        current = phase
    return current


def phase_end(calendrier: Calendrier, phase: str) -> datetime.datetime | None:
    """When ``phase`` ends (the next milestone), None for the results, which never end."""
    names = [name for name, _ in MILESTONES]
    index = ORDER.index(Phase(phase))
    return getattr(calendrier, names[index]) if index < len(names) else None


def at_or_after(phase: str, reference: str) -> bool:
    """Accepts the core Phase or the model's Phase (same values)."""
    return ORDER.index(Phase(phase)) >= ORDER.index(Phase(reference))


def annulation_open(calendrier: Calendrier, now: datetime.datetime) -> bool:
    """After the saisie (before it, removing the voeux is enough) and until the cancellation deadline."""
    return calendrier.saisie_fin <= now < calendrier.annulation_fin
