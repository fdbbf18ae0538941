"""What a change to the list does to the barème: the calculator run on the old list and on the new one.

Pure (no Django). Some bonuses depend on the rank: at the inter the rapprochement de conjoints and
the autorité parentale conjointe count only when voeu 1 is the conjoint's (the children's)
académie, the CIMM when voeu 1 is the DOM académie, the vœu préférentiel and the stagiaire bonus on
voeu 1 (DOMAIN.md §6, « Rank conditions »). Adding, moving or removing one voeu can therefore change
the total of every other one. ``compare_lists`` runs ``compute_baremes`` on both lists and reports,
for each voeu present in both, the bonuses it loses or gains and its total before and after;
``describe`` says it in the voeux page's words:

    « En plaçant Lyon en 2e position, vous perdez la bonification de rapprochement de conjoints
      sur tous vos vœux : 1 201,2 → 851 points. »

Totals count the bonuses still awaiting their pièces justificatives (during the saisie most claims
are only declared): that is what the teacher stands to lose; the sentence then says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from siam.bareme.engine import CompiledRules
from siam.bareme.result import Bareme, LineState
from siam.bareme.situation import Situation, VoeuFacts
from siam.bareme.text import format_decimal, format_points, join_fr

_COUNTS = (LineState.APPLIED, LineState.PENDING)

# How the page names each bonus in a sentence; unknown codes fall back to their label.
BONUS = {
    "rc": "la bonification de rapprochement de conjoints",
    "apc": "la bonification d'autorité parentale conjointe",
    "mutation_simultanee": "la bonification de mutation simultanée",
    "enfants": "les points pour enfants",
    "separation": "les points d'années de séparation",
    "cimm": "la bonification au titre du CIMM",
    "preferentiel": "la bonification de vœu préférentiel",
    "stagiaire_voeu_1": "la bonification de stagiaire sur le vœu 1",
    "stagiaire_academie_stage": "la bonification de stagiaire sur l'académie de stage",
    "handicap": "la bonification exceptionnelle au titre du handicap",
}
# Lines that only exist with a family bonus: named only when they are lost without it.
FOLLOWS = {"enfants": frozenset({"rc", "apc"}), "separation": frozenset({"rc"})}


@dataclass(frozen=True, slots=True)
class Entry:
    """One voeu of a list: ``key`` identifies it across the two lists (the voeu id), ``libelle`` names it."""

    key: int
    libelle: str
    voeu: VoeuFacts


@dataclass(frozen=True, slots=True)
class VoeuDiff:
    key: int
    libelle: str
    avant: Decimal
    apres: Decimal
    perdus: tuple[str, ...]
    gagnes: tuple[str, ...]
    en_attente: bool  # a bonus lost or gained here still awaits its pièces


@dataclass(frozen=True, slots=True)
class Comparison:
    voeux: tuple[VoeuDiff, ...]  # every voeu of both lists, in the new list's order

    @property
    def pertes(self) -> tuple[VoeuDiff, ...]:
        return tuple(d for d in self.voeux if d.perdus)

    @property
    def gains(self) -> tuple[VoeuDiff, ...]:
        return tuple(d for d in self.voeux if d.gagnes)


def counted(bareme: Bareme) -> dict[str, LineState]:
    """The bonuses that count (or will, once their pièces are validated) on this barème."""
    return {line.code: line.state for line in bareme.lines if line.state in _COUNTS and line.potential > 0}


def potential_total(bareme: Bareme) -> Decimal:
    return sum((line.potential for line in bareme.lines if line.state in _COUNTS), Decimal(0))


def _main(codes: set[str]) -> tuple[str, ...]:
    return tuple(sorted(c for c in codes if not (FOLLOWS.get(c, frozenset()) & codes)))


def compare_lists(
    situation: Situation, before: Sequence[Entry], after: Sequence[Entry], rules: CompiledRules
) -> Comparison:
    """Each voeu present in both lists, with the bonuses the change makes it lose or gain."""
    old = dict(zip((e.key for e in before), rules.baremes(situation, [e.voeu for e in before]), strict=True))
    new = rules.baremes(situation, [e.voeu for e in after])
    diffs = []
    for entry, bareme in zip(after, new, strict=True):
        previous = old.get(entry.key)
        if previous is None:
            continue  # the voeu just added: nothing to compare it with
        was, now = counted(previous), counted(bareme)
        lost, won = set(was) - set(now), set(now) - set(was)
        pending = any(was[c] is LineState.PENDING for c in lost) or any(now[c] is LineState.PENDING for c in won)
        diffs.append(
            VoeuDiff(
                entry.key,
                entry.libelle,
                potential_total(previous),
                potential_total(bareme),
                _main(lost),
                _main(won),
                pending,
            )
        )
    return Comparison(tuple(diffs))


def _phrase(codes: tuple[str, ...]) -> str:
    return join_fr(BONUS.get(code, f"la bonification « {code} »") for code in codes)


NBSP = "\u00a0"


def _change(avant: Decimal, apres: Decimal) -> str:
    # French typography: « 851 points » never split, a non-breaking space before the colon
    return f"{format_decimal(avant)} → {format_points(apres).replace(' ', NBSP)}"


def _where(group: list[VoeuDiff], everywhere: bool) -> str:
    same = len({(d.avant, d.apres) for d in group}) == 1
    if everywhere and len(group) > 1:
        if same:
            return f"sur tous vos vœux{NBSP}: {_change(group[0].avant, group[0].apres)}"
        return f"sur tous vos vœux{NBSP}: " + join_fr(f"{d.libelle} {_change(d.avant, d.apres)}" for d in group)
    if len(group) == 1:
        return f"sur votre vœu {group[0].libelle}{NBSP}: {_change(group[0].avant, group[0].apres)}"
    if same:
        return f"sur vos vœux {join_fr(d.libelle for d in group)}{NBSP}: {_change(group[0].avant, group[0].apres)}"
    return "sur vos vœux " + join_fr(f"{d.libelle} ({_change(d.avant, d.apres)})" for d in group)


def describe(comparison: Comparison, action: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(losses, gains) as sentences starting with ``action`` (« En plaçant Lyon en 2e position »)."""
    everyone = len(comparison.voeux)

    def sentences(verb: str, attr: str) -> tuple[str, ...]:
        groups: dict[tuple[str, ...], list[VoeuDiff]] = {}
        for diff in comparison.voeux:
            codes = getattr(diff, attr)
            if codes:
                groups.setdefault(codes, []).append(diff)
        found = []
        for codes, group in groups.items():
            sentence = f"{action}, vous {verb} {_phrase(codes)} {_where(group, len(group) == everyone)}"
            if any(d.en_attente for d in group):
                sentence += " (bonification en attente de la validation de vos pièces justificatives)"
            found.append(sentence + ".")
        return tuple(found)

    return sentences("perdez", "perdus"), sentences("obtenez", "gagnes")
