"""Staff corrections, as the calculator sees them: the core stays the only source of points.

A correction is one of two things, never a line written by hand:

- a corrected *fact* (years of separation, children, échelon, ancienneté dans le poste): the
  situation is changed before the calculation, so every voeu is recomputed by the rules, and a
  bonus resting on the fact still appears only where its rule applies;
- a *line override*: the points of one component, on one voeu (``rang``) or on all. It only
  changes a line the rule applied on that voeu; a voeu where the rule gives no points (or no
  line) keeps what the rule gave. It can never create a line.

The total is always recomputed as the sum of the counted lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from siam.bareme.engine import CompiledRules
from siam.bareme.result import COUNTED, Bareme, BaremeLine, ExtensionBareme, LineState
from siam.bareme.situation import Situation, VoeuFacts
from siam.bareme.text import format_points

ZERO = Decimal(0)


class Fait(StrEnum):
    """The facts of a situation staff may correct (field names of the dossier's facts)."""

    ANNEES_SEPARATION = "annees_separation"
    ENFANTS = "enfants"
    ECHELON = "echelon"
    ANCIENNETE_POSTE = "anciennete_poste"


@dataclass(frozen=True, slots=True, kw_only=True)
class FactCorrection:
    fait: Fait
    valeur: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LineOverride:
    """New points for the line ``code``: on the vœu of rank ``rang``, or every vœu when None."""

    code: str
    points: Decimal
    justification: str
    rang: int | None = None


def fact_value(situation: Situation, fait: Fait) -> int:
    """The value the situation gives this fact (what a correction replaces)."""
    if fait is Fait.ANNEES_SEPARATION:
        return situation.famille.annees_separation
    if fait is Fait.ENFANTS:
        return situation.famille.enfants
    if fait is Fait.ECHELON:
        return situation.echelon
    stage = situation.stagiaire
    if stage is not None:
        return stage.anciennete_poste_titulaire or 0
    return situation.anciennete_poste


def corrected_situation(situation: Situation, corrections: Iterable[FactCorrection]) -> Situation:
    """The situation with staff's corrected facts (the last correction of a fact wins)."""
    for c in corrections:
        if c.valeur < 0:
            raise ValueError(f"{c.fait} : valeur négative {c.valeur}")
        if c.fait is Fait.ANNEES_SEPARATION:
            situation = replace(situation, famille=replace(situation.famille, annees_separation=c.valeur))
        elif c.fait is Fait.ENFANTS:
            situation = replace(situation, famille=replace(situation.famille, enfants=c.valeur))
        elif c.fait is Fait.ECHELON:
            situation = replace(situation, echelon=c.valeur)
        elif situation.stagiaire is not None:
            # A stagiaire's counted ancienneté is the one of his post as titulaire of another corps
            # (0 years for one who never was titulaire leaves him so: his stage year gives nothing).
            before = situation.stagiaire.anciennete_poste_titulaire
            stage = replace(
                situation.stagiaire, anciennete_poste_titulaire=None if before is None and not c.valeur else c.valeur
            )
            situation = replace(situation, stagiaire=stage)
        else:
            situation = replace(situation, anciennete_poste=c.valeur)
    return situation


def overrides_for(overrides: Iterable[LineOverride], rang: int) -> dict[str, LineOverride]:
    """The overrides that concern the vœu of rank ``rang``: its own win over those of every voeu."""
    chosen: dict[str, LineOverride] = {}
    for o in overrides:
        if o.rang is None:
            chosen.setdefault(o.code, o)
    for o in overrides:
        if o.rang == rang:
            chosen[o.code] = o
    return chosen


def overridden_line(line: BaremeLine, override: LineOverride, label: str) -> BaremeLine:
    points = override.points
    sentence = f"{label} : {format_points(points)} — corrigé par le rectorat : {override.justification}"
    return BaremeLine(line.code, LineState.CORRECTED, points, points, override.justification, sentence)


def apply_overrides(bareme: Bareme, chosen: Mapping[str, LineOverride], labels: Mapping[str, str]) -> Bareme:
    """The barème with ``chosen`` overrides on the lines the rule applied here; the total recomputed."""
    if not chosen:
        return bareme
    lines = []
    changed = False
    for line in bareme.lines:
        override = chosen.get(line.code)
        if override is not None and line.state is LineState.APPLIED:
            line = overridden_line(line, override, labels.get(line.code, line.code))
            changed = True
        lines.append(line)
    if not changed:
        return bareme
    return Bareme(tuple(lines), sum((x.points for x in lines if x.state in COUNTED), ZERO))


def corrected_baremes(
    situation: Situation,
    voeux: Sequence[VoeuFacts],
    rules: CompiledRules,
    *,
    facts: Iterable[FactCorrection] = (),
    overrides: Sequence[LineOverride] = (),
) -> tuple[Bareme, ...]:
    """Each vœu's barème computed on the corrected situation, with the line overrides that apply."""
    baremes = rules.baremes(corrected_situation(situation, facts), voeux)
    if not overrides:
        return baremes
    return tuple(
        apply_overrides(b, overrides_for(overrides, v.rang), rules.labels) for b, v in zip(baremes, voeux, strict=True)
    )


def corrected_extension(
    situation: Situation,
    voeux: Sequence[VoeuFacts],
    rules: CompiledRules,
    *,
    facts: Iterable[FactCorrection] = (),
    overrides: Sequence[LineOverride] = (),
) -> ExtensionBareme:
    """The extension barème (lowest stripped barème) once the corrections are applied."""
    if not voeux:
        raise ValueError("le barème d'extension se calcule sur les vœux du participant : aucun vœu")
    stripped = rules.stripped()
    baremes = corrected_baremes(situation, voeux, stripped, facts=facts, overrides=overrides)
    bareme, voeu = min(zip(baremes, voeux, strict=True), key=lambda pair: (pair[0].total, pair[1].rang))
    return ExtensionBareme(rang=voeu.rang, bareme=bareme)
