"""Compiled rules: the barèmes of a participant's vœux, the extension barème, the warnings.

Built once per campagne by ``Rules.compile``. For each participant the
components that concern them are picked once (a plan). Lines that cannot
depend on the voeu (échelon, poste, a refused claim…) are built once for all
the voeux, and shared by every participant with the same facts; a
participant whose every line is such gets one ``Bareme`` object for all
their voeux. Results are immutable, so sharing them is safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from siam.bareme.components import REGISTRY, Component
from siam.bareme.components.base import ZERO, Participant
from siam.bareme.geography import Geographie
from siam.bareme.result import Bareme, BaremeLine, ExtensionBareme, LineState
from siam.bareme.situation import Claim, ClaimStatus, Situation, VoeuFacts
from siam.bareme.text import format_points

if TYPE_CHECKING:
    from siam.bareme.rules import Rules

_APPLIED = LineState.APPLIED
_COUNTS = (LineState.APPLIED, LineState.PENDING)


@dataclass(slots=True)
class _Prepared:
    """A participant's plan: fixed lines in place, and the components to ask per voeu."""

    participant: Participant
    template: list[BaremeLine | None]
    fixed_total: Decimal
    dynamic: list[tuple[int, Component, Claim]]
    constant: Bareme | None
    # Voeux whose dynamic lines are the same (memoised) objects share one Bareme.
    shared: dict[tuple[int, ...], Bareme]


def voeu_1_of(voeux: Sequence[VoeuFacts]) -> VoeuFacts | None:
    return next((v for v in voeux if v.rang == 1), None)


class CompiledRules:
    def __init__(self, rules: Rules, geographie: Geographie) -> None:
        self.rules = rules
        self.geographie = geographie
        self.components = tuple(REGISTRY[rule.code](rule, geographie, i) for i, rule in enumerate(rules.components))
        self.labels = {c.code: c.label for c in self.components}
        self._stripped: CompiledRules | None = None
        self._relaxed: CompiledRules | None = None

    # -- barèmes ------------------------------------------------------------------

    def baremes(self, situation: Situation, voeux: Sequence[VoeuFacts]) -> tuple[Bareme, ...]:
        """The barème of each vœu, in the order given (the bulk path)."""
        if not voeux:
            return ()
        prepared = self._prepare(situation, voeu_1_of(voeux))
        if prepared.constant is not None:
            return (prepared.constant,) * len(voeux)
        return tuple(self._compute(prepared, voeu) for voeu in voeux)

    def bareme(self, situation: Situation, voeu: VoeuFacts, *, all_voeux: Sequence[VoeuFacts]) -> Bareme:
        """One vœu; ``all_voeux`` tells which is vœu 1 (``voeu`` itself may be it, or be new)."""
        voeu_1 = voeu if voeu.rang == 1 else voeu_1_of(all_voeux)
        prepared = self._prepare(situation, voeu_1)
        return prepared.constant or self._compute(prepared, voeu)

    def extension(self, situation: Situation, voeux: Sequence[VoeuFacts]) -> ExtensionBareme:
        """The lowest barème among the vœux once the voeu-specific bonuses are dropped."""
        if not voeux:
            raise ValueError("le barème d'extension se calcule sur les vœux du participant : aucun vœu")
        stripped = self.stripped()
        ranked = zip(stripped.baremes(situation, voeux), voeux, strict=True)
        bareme, voeu = min(ranked, key=lambda pair: (pair[0].total, pair[1].rang))
        return ExtensionBareme(rang=voeu.rang, bareme=bareme)

    def warnings(self, situation: Situation, voeu: VoeuFacts, *, all_voeux: Sequence[VoeuFacts]) -> tuple[str, ...]:
        """Bonuses this vœu's type or établissement filter makes the participant lose."""
        actual = self.bareme(situation, voeu, all_voeux=all_voeux)
        possible = self.relaxed().bareme(situation, voeu, all_voeux=all_voeux)
        return self._lost(actual, possible)

    def list_warnings(
        self, situation: Situation, voeux: Sequence[VoeuFacts], *, baremes: Sequence[Bareme] | None = None
    ) -> tuple[tuple[str, ...], ...]:
        """``warnings`` of each vœu of a list, in its order: the participant's plan made once for the list (and
        once for the relaxed rules), not once per vœu; vœux sharing their barèmes share their sentences.

        ``baremes``: the list's barèmes under these rules (``self.baremes(situation, voeux)``) when the caller has
        computed them already (the vœux page: its provisional barème is the same list's)."""
        relaxed = self.relaxed().baremes(situation, voeux)
        actuals = self.baremes(situation, voeux) if baremes is None else baremes
        found: dict[tuple[int, int], tuple[str, ...]] = {}
        result = []
        for actual, possible in zip(actuals, relaxed, strict=True):
            key = (id(actual), id(possible))
            if key not in found:
                found[key] = self._lost(actual, possible)
            result.append(found[key])
        return tuple(result)

    def _lost(self, actual: Bareme, possible: Bareme) -> tuple[str, ...]:
        lost = []
        for could in possible.lines:
            if could.state not in _COUNTS:
                continue
            line = actual.line(could.code)
            if line is not None and line.state is LineState.NOT_APPLICABLE:
                noun = "perdu" if could.potential < 2 else "perdus"
                label = self.labels[could.code]
                lost.append(f"{label} : {format_points(could.potential)} {noun} sur ce vœu — {line.detail}")
        return tuple(lost)

    def stripped(self) -> CompiledRules:
        if self._stripped is None:
            self._stripped = self.rules.without_voeu_specific().compile(self.geographie)
        return self._stripped

    def relaxed(self) -> CompiledRules:
        if self._relaxed is None:
            self._relaxed = self.rules.relaxed().compile(self.geographie)
        return self._relaxed

    # -- internals ----------------------------------------------------------------

    def _prepare(self, situation: Situation, voeu_1: VoeuFacts | None) -> _Prepared:
        participant = Participant(situation, voeu_1, len(self.components))
        template: list[BaremeLine | None] = []
        fixed: list[BaremeLine] = []
        dynamic: list[tuple[int, Component, Claim]] = []
        for component in self.components:
            claim = component.claim(situation)
            if claim is None:
                continue
            participant.pre[component.index] = component.prepare(participant)
            line = None
            if claim.status is ClaimStatus.REFUSED:
                line = component.refused_line(claim)
            elif not component.varies_by_voeu and not component.filtered:
                line = component.fixed_line(participant, claim)
            if line is None:
                dynamic.append((len(template), component, claim))
            else:
                fixed.append(line)
            template.append(line)
        fixed_total = sum((line.points for line in fixed), ZERO)
        constant = None if dynamic else Bareme(tuple(fixed), fixed_total)
        return _Prepared(participant, template, fixed_total, dynamic, constant, {})

    @staticmethod
    def _compute(prepared: _Prepared, voeu: VoeuFacts) -> Bareme:
        participant = prepared.participant
        # Only applied or pending lines are ever read by a later component, and
        # fixed lines are never such family lines, so dynamic lines suffice here.
        previous: dict[str, BaremeLine] = {}
        found: list[BaremeLine | None] = []
        for _, component, claim in prepared.dynamic:
            line = component.line(participant, claim, voeu, previous)
            found.append(line)
            if line is not None:
                previous[component.code] = line
        # Lines are memoised per participant, so identity says "same lines".
        key = tuple(map(id, found))
        bareme = prepared.shared.get(key)
        if bareme is None:
            lines = prepared.template.copy()
            total = prepared.fixed_total
            for (position, _, _), line in zip(prepared.dynamic, found, strict=True):
                lines[position] = line
                if line is not None and line.state is _APPLIED:
                    total += line.points
            bareme = prepared.shared[key] = Bareme(tuple([line for line in lines if line is not None]), total)
        return bareme
