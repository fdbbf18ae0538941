"""The phases of a campagne, derived from its dated milestones: pure Python, no Django.

Every service asks ``phase_at(calendrier, now, jalons)`` before acting, so a closed
saisie is refused by the server whatever the page showed.

Dates alone can be edited; some things that happened cannot be undone. The *jalons* are
those facts (accusés de réception sent, barèmes définitifs, a result published): each one
sets a floor under the phase, whatever the dates say, and locks the dates up to it.
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


class Jalon(StrEnum):
    """A fact recorded in the database that the calendar can no longer undo."""

    ACCUSES = "accuses"  # accusés de réception sent: the saisie has closed
    DEFINITIFS = "definitifs"  # barèmes marked définitifs
    PUBLIE = "publie"  # a mouvement result published to the participants


# The phase each jalon guarantees, and the last date it locks (that date and every one before it).
JALON_PHASE: dict[Jalon, Phase] = {
    Jalon.ACCUSES: Phase.CLOTURE,
    Jalon.DEFINITIFS: Phase.BAREMES_DEFINITIFS,
    Jalon.PUBLIE: Phase.RESULTATS,
}
JALON_LAST_DATE: dict[Jalon, str] = {
    Jalon.ACCUSES: "saisie_fin",
    Jalon.DEFINITIFS: "baremes_definitifs",
    Jalon.PUBLIE: "resultats",
}
DATE_FIELDS: tuple[str, ...] = (
    "saisie_debut",
    "saisie_fin",
    "confirmation_debut",
    "retour_pieces_fin",
    "bareme_affichage_debut",
    "bareme_affichage_fin",
    "baremes_definitifs",
    "annulation_fin",
    "resultats",
)


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


def dated_phase(calendrier: Calendrier, now: datetime.datetime) -> Phase:
    """The phase the dates alone give at ``now``: a milestone belongs to the phase it opens."""
    current = Phase.A_VENIR
    for name, phase in MILESTONES:
        if now < getattr(calendrier, name):
            break
        current = phase
    return current


def floor_phase(jalons: frozenset[Jalon]) -> Phase:
    """The earliest phase the recorded facts still allow."""
    floors = [JALON_PHASE[jalon] for jalon in jalons]
    return max(floors, key=ORDER.index, default=Phase.A_VENIR)


def phase_at(calendrier: Calendrier, now: datetime.datetime, jalons: frozenset[Jalon] = frozenset()) -> Phase:
    """The phase in force: the dated one, never earlier than what the jalons reached."""
    return max(dated_phase(calendrier, now), floor_phase(jalons), key=ORDER.index)


def locked_dates(jalons: frozenset[Jalon]) -> tuple[str, ...]:
    """The dates that can no longer move into the future: every one up to the latest jalon's."""
    last = max((DATE_FIELDS.index(JALON_LAST_DATE[jalon]) for jalon in jalons), default=-1)
    return DATE_FIELDS[: last + 1]


def phase_end(calendrier: Calendrier, phase: str) -> datetime.datetime | None:
    """When ``phase`` ends (the next milestone), None for the results, which never end."""
    names = [name for name, _ in MILESTONES]
    index = ORDER.index(Phase(phase))
    return getattr(calendrier, names[index]) if index < len(names) else None


def at_or_after(phase: str, reference: str) -> bool:
    """Accepts the core Phase or the model's Phase (same values)."""
    return ORDER.index(Phase(phase)) >= ORDER.index(Phase(reference))


def annulation_open(calendrier: Calendrier, now: datetime.datetime, jalons: frozenset[Jalon] = frozenset()) -> bool:
    """After the saisie (before it, removing the voeux is enough) and until the cancellation deadline."""
    phase = phase_at(calendrier, now, jalons)
    if phase in (Phase.A_VENIR, Phase.SAISIE, Phase.RESULTATS):
        return False
    return now < calendrier.annulation_fin
