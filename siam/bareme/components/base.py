"""How one component turns a participant and a vœu into a line.

A component classifies the voeu into a small *outcome key* (cheap: a few
comparisons), then explains that outcome once per participant: the line is
memoised on the key, so a participant's 31 voeux build each distinct line
once, and the French sentence is formatted once. Lines that the voeu filter
forbids do not depend on the participant at all and are memoised per
component.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import ClassVar

from siam.bareme.config import ComponentRule, Param, RulesError
from siam.bareme.geography import Geographie
from siam.bareme.result import BaremeLine, LineState
from siam.bareme.situation import Claim, ClaimStatus, Lieu, Situation, TypeVoeu, VoeuFacts
from siam.bareme.text import filtre_phrase, format_points, join_fr, type_phrase

ZERO = Decimal(0)
# Facts from the dossier (échelon, poste…) need no staff decision.
FACT = Claim(status=ClaimStatus.VALIDATED)

Previous = Mapping[str, BaremeLine]


class Participant:
    """One situation prepared for all its vœux (the memo lives as long as it does)."""

    __slots__ = ("memos", "pre", "situation", "voeu_1")

    def __init__(self, situation: Situation, voeu_1: VoeuFacts | None, n_components: int) -> None:
        self.situation = situation
        self.voeu_1 = voeu_1
        self.memos: list[dict[Hashable, BaremeLine]] = [{} for _ in range(n_components)]
        # What each component worked out once about the participant (see Component.prepare).
        self.pre: list[Hashable] = [None] * n_components


class Component:
    code: ClassVar[str]
    label: ClassVar[str]
    PARAMS: ClassVar[Mapping[str, Param]]
    # True when ``Claims`` has a field named after the code: the bonus must be asked for.
    claimable: ClassVar[bool] = False
    # False: the same line on every voeu, unless the rules restrict the voeux.
    varies_by_voeu: ClassVar[bool] = True
    # Agrees with the label: "Mutation simultanée : refusée par le rectorat".
    refused: ClassVar[str] = "refusé"

    def __init__(self, rule: ComponentRule, geo: Geographie, index: int) -> None:
        self.rule = rule
        self.geo = geo
        self.index = index
        self.filtered = not rule.applique_a.unrestricted
        self._blocked: dict[tuple[str, str, bool], BaremeLine | None] = {}
        self._fixed: dict[Hashable, BaremeLine] = {}

    @classmethod
    def check(cls, rule: ComponentRule, earlier: list[str]) -> None:
        """Refuse references to components that are not evaluated before this one."""

    @staticmethod
    def require_earlier(rule: ComponentRule, codes: tuple[str, ...] | list[str], earlier: list[str]) -> None:
        missing = [code for code in codes if code not in earlier]
        if missing:
            raise RulesError(f"Composante « {rule.code} » : {missing} doivent être configurées avant elle")

    # -- what a subclass provides -------------------------------------------------

    def claim(self, situation: Situation) -> Claim | None:
        """The claim behind the line, FACT for dossier facts, None when no line is due."""
        if self.claimable:
            claim: Claim | None = getattr(situation.claims, self.code)
            return claim
        return FACT if self.relevant(situation) else None

    def relevant(self, situation: Situation) -> bool:
        return True

    def prepare(self, p: Participant) -> Hashable:
        """Whatever ``outcome`` needs that does not depend on the vœu, computed once."""
        return None

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        return None

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        raise NotImplementedError

    def facts(self, situation: Situation) -> Hashable:
        """Everything the line of a component that ignores the vœu depends on."""
        raise NotImplementedError

    # -- the line -----------------------------------------------------------------

    def line(self, p: Participant, claim: Claim, voeu: VoeuFacts, previous: Previous) -> BaremeLine | None:
        if self.filtered:
            blocking = (voeu.type, voeu.filtre, voeu.rang == 1)
            if blocking in self._blocked:
                blocked = self._blocked[blocking]
            else:
                blocked = self._blocked[blocking] = self._blocked_line(voeu)
            if blocked is not None:
                return blocked
        key = self.outcome(p, voeu, previous)
        memo = p.memos[self.index]
        line = memo.get(key)
        if line is None:
            line = memo[key] = self.make_line(p, claim, key)
        return line

    def fixed_line(self, p: Participant, claim: Claim) -> BaremeLine:
        """The line of a component that ignores the vœu, shared by all who have the same facts."""
        key = (claim.status, self.facts(p.situation))
        line = self._fixed.get(key)
        if line is None:
            line = self._fixed[key] = self.make_line(p, claim, None)
        return line

    def make_line(self, p: Participant, claim: Claim, key: Hashable) -> BaremeLine:
        points, detail = self.explain(p, key)
        if not points:
            return self.zero_line(detail)
        if claim.status is ClaimStatus.VALIDATED:
            return self.applied_line(points, detail)
        return self.pending_line(points, detail)

    def applied_line(self, points: Decimal, detail: str) -> BaremeLine:
        return BaremeLine(
            self.code, LineState.APPLIED, points, points, detail, f"{self.label} : {format_points(points)} — {detail}"
        )

    def pending_line(self, points: Decimal, detail: str) -> BaremeLine:
        sentence = f"{self.label} : {format_points(points)} en attente de validation par le rectorat — {detail}"
        return BaremeLine(self.code, LineState.PENDING, ZERO, points, detail, sentence)

    def zero_line(self, detail: str) -> BaremeLine:
        return BaremeLine(self.code, LineState.NOT_APPLICABLE, ZERO, ZERO, detail, f"{self.label} : 0 point — {detail}")

    def refused_line(self, claim: Claim) -> BaremeLine:
        detail = claim.motif_refus or "sans motif communiqué"
        return BaremeLine(
            self.code,
            LineState.REFUSED,
            ZERO,
            ZERO,
            detail,
            f"{self.label} : {self.refused} par le rectorat — {detail}",
        )

    def _blocked_line(self, voeu: VoeuFacts) -> BaremeLine | None:
        reason = self.blocking_reason(voeu)
        return None if reason is None else self.zero_line(reason)

    def blocking_reason(self, voeu: VoeuFacts) -> str | None:
        scope = self.rule.applique_a
        if scope.rangs == "voeu_1" and voeu.rang != 1:
            return "ne s'applique qu'au vœu 1"
        if voeu.type in scope.types_exclus:
            return f"ne s'applique pas aux vœux de type {type_phrase(voeu.type)}"
        if scope.types and voeu.type not in scope.types:
            allowed = join_fr((type_phrase(t) for t in TypeVoeu if t in scope.types), "ou")
            return f"ne s'applique qu'aux vœux de type {allowed}"
        if scope.filtres and voeu.filtre not in scope.filtres:
            allowed = join_fr((filtre_phrase(f) for f in sorted(scope.filtres)), "ou")
            return f"exige un vœu {allowed} : le filtre {filtre_phrase(voeu.filtre)} de ce vœu le fait perdre"
        return None

    # -- shared helpers -----------------------------------------------------------

    def flat_points(self, voeu_type: str) -> Decimal:
        """``points``, unless ``points_par_type`` gives this vœu type another value."""
        return self.rule.decimals("points_par_type").get(voeu_type, self.rule.decimal("points"))


def covers(voeu: VoeuFacts, lieu: Lieu) -> str | None:
    """The level at which ``voeu`` covers ``lieu`` (a place is inside the vœu), or None."""
    kind = voeu.type
    if kind is TypeVoeu.ETB:
        return "etablissement" if voeu.etablissement and voeu.etablissement == lieu.etablissement else None
    if kind in (TypeVoeu.COM, TypeVoeu.GEO, TypeVoeu.ZRE):
        return "commune" if lieu.commune in voeu.communes else None
    if kind in (TypeVoeu.DPT, TypeVoeu.ZRD):
        return "departement" if voeu.departement and voeu.departement == lieu.departement else None
    return "academie" if voeu.academie == lieu.academie else None
