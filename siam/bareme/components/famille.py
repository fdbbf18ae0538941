"""Family components: RC, APC, enfants, séparation, mutation simultanée, vœu préférentiel.

How the children are counted, so that none is counted twice: the APC points
(250,2 by default) already include the first child, so on a voeu where the
APC applies the ``enfants`` line counts the others only; on a voeu where the
RC applies it counts them all. RC and APC are not cumulative on one voeu
(``non_cumulable_avec``): when both were validated the RC, evaluated first,
wins, and the APC line says why it gives nothing there.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from decimal import Decimal
from typing import ClassVar

from siam.bareme.components.base import ZERO, Component, Participant, Previous
from siam.bareme.config import ComponentRule, Param, RulesError, palier
from siam.bareme.geography import Geographie
from siam.bareme.result import BaremeLine, LineState
from siam.bareme.situation import ACADEMIE_WIDE, Claim, ClaimStatus, Lieu, Situation, VoeuFacts
from siam.bareme.text import format_decimal, join_fr, ordinal_f, plural

NOUNS = {
    "rc": "le rapprochement de conjoints",
    "apc": "l'autorité parentale conjointe",
    "mutation_simultanee": "la mutation simultanée",
}
VALIDATED = {
    "rc": "rapprochement de conjoints validé",
    "apc": "autorité parentale conjointe validée",
    "mutation_simultanee": "mutation simultanée validée",
}
_CARRIERS = (LineState.APPLIED, LineState.PENDING)


def _check_family(rule: ComponentRule, codes: tuple[str, ...] | list[str]) -> None:
    unknown = [code for code in codes if code not in NOUNS]
    if unknown:
        raise RulesError(f"Composante « {rule.code} » : {unknown} ne sont pas des bonifications familiales")


class FamilyZone(Component):
    """A bonus on the vœux at (or next to) a reference place: the conjoint's, the children's…"""

    claimable = True
    PARAMS = {
        "points": Param("decimal"),
        "points_par_type": Param("decimals", default={}),
        "niveau": Param("choice", default="academie", choices=("academie", "departement")),
        "limitrophes": Param("bool", default=False),
        "en_voeu_1": Param("bool", default=False),
        "non_cumulable_avec": Param("codes", default=()),
    }
    of_place: ClassVar[str]
    of_whom: ClassVar[str]

    def __init__(self, rule: ComponentRule, geo: Geographie, index: int) -> None:
        super().__init__(rule, geo, index)
        self.non_cumulable = rule.codes("non_cumulable_avec")
        self.by_academie = rule.text("niveau") == "academie"
        self.limitrophes = rule.flag("limitrophes")
        self.en_voeu_1 = rule.flag("en_voeu_1")

    @classmethod
    def check(cls, rule: ComponentRule, earlier: list[str]) -> None:
        _check_family(rule, rule.codes("non_cumulable_avec"))
        cls.require_earlier(rule, rule.codes("non_cumulable_avec"), earlier)

    def reference(self, p: Participant) -> Lieu | None:
        raise NotImplementedError

    def precondition(self, p: Participant) -> Hashable:
        """A key that voids the bonus on every vœu, or None."""
        return None

    def match(self, ref: Lieu, voeu: VoeuFacts) -> str | None:
        if self.by_academie or voeu.type in ACADEMIE_WIDE:
            if voeu.academie == ref.academie:
                return "meme"
            if self.limitrophes and voeu.academie in self.geo.limitrophes.get(ref.academie, ()):
                return "limitrophe"
            return None
        return "meme" if voeu.departement and voeu.departement == ref.departement else None

    def prepare(self, p: Participant) -> Hashable:
        """The reference place, or the key that voids the bonus on every voeu."""
        ref = self.reference(p)
        if ref is None:
            return "inconnu"
        void = self.precondition(p)
        if void is not None:
            return void
        if self.en_voeu_1 and (p.voeu_1 is None or self.match(ref, p.voeu_1) != "meme"):
            return "voeu_1"
        return ref

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        for code in self.non_cumulable:
            other = previous.get(code)
            if other is not None and other.state is LineState.APPLIED:
                return ("cumul", code)
        ref = p.pre[self.index]
        if not isinstance(ref, Lieu):
            return ref
        return (self.match(ref, voeu), voeu.type in ACADEMIE_WIDE, voeu.type)

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        ref = self.reference(p)
        if isinstance(key, tuple) and key[0] == "cumul":
            return ZERO, f"non cumulable avec {NOUNS[key[1]]}, déjà retenu sur ce vœu"
        if ref is None:
            return ZERO, f"lieu {self.of_place} non renseigné dans le dossier"
        if not isinstance(key, tuple):
            return ZERO, self.voided(p, ref, key)
        found, wide, voeu_type = key
        if not found:
            return ZERO, self.missed(ref, wide)
        points = self.flat_points(voeu_type)
        if found == "limitrophe":
            return points, f"académie limitrophe de celle {self.of_whom} ({self.geo.academie(ref.academie)})"
        if self.by_academie or wide:
            where = f"académie {self.of_place} ({self.geo.academie(ref.academie)})"
            return points, where + (", en vœu 1" if self.en_voeu_1 else "")
        return points, f"département {self.of_place} ({self.geo.departement(ref.departement)})"

    def voided(self, p: Participant, ref: Lieu, key: Hashable) -> str:
        """Why the bonus cannot apply anywhere (the vœu 1 is not the reference place)."""
        if self.by_academie:
            said = f"l'académie {self.of_whom} ({self.geo.academie(ref.academie)}) doit être le vœu 1"
            if p.voeu_1 is None:
                return f"{said} : aucun vœu 1"
            return f"{said} ; le vœu 1 porte sur {self.geo.academie(p.voeu_1.academie)}"
        return f"le vœu 1 doit porter sur le département {self.of_whom} ({self.geo.departement(ref.departement)})"

    def missed(self, ref: Lieu, wide: bool) -> str:
        if self.by_academie or wide:
            name = self.geo.academie(ref.academie)
            if self.limitrophes:
                return f"ni l'académie {self.of_whom} ({name}) ni une académie limitrophe"
            return f"hors de l'académie {self.of_whom} ({name})"
        return f"hors du département {self.of_whom} ({self.geo.departement(ref.departement)})"


class RapprochementConjoints(FamilyZone):
    code = "rc"
    label = "Rapprochement de conjoints"
    of_place = "de résidence professionnelle du conjoint"
    of_whom = "du conjoint"

    def reference(self, p: Participant) -> Lieu | None:
        return p.situation.famille.conjoint


class AutoriteParentaleConjointe(FamilyZone):
    code = "apc"
    label = "Autorité parentale conjointe"
    refused = "refusée"
    of_place = "de résidence des enfants"
    of_whom = "des enfants"

    def reference(self, p: Participant) -> Lieu | None:
        return p.situation.famille.residence_enfants

    def precondition(self, p: Participant) -> Hashable:
        return "sans_enfant" if p.situation.famille.enfants <= 0 else None

    def voided(self, p: Participant, ref: Lieu, key: Hashable) -> str:
        if key == "sans_enfant":
            return "aucun enfant de moins de 18 ans dans le dossier"
        return super().voided(p, ref, key)


class MutationSimultanee(FamilyZone):
    """Two titulaires moving together: the bonus follows the vœu 1 and its neighbours."""

    code = "mutation_simultanee"
    label = "Mutation simultanée"
    refused = "refusée"
    of_place = "du vœu 1"
    of_whom = "du vœu 1"

    def reference(self, p: Participant) -> Lieu | None:
        v1 = p.voeu_1
        return None if v1 is None else Lieu(academie=v1.academie, departement=v1.departement)

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        if p.voeu_1 is None:
            return ZERO, "aucun vœu 1"
        return super().explain(p, key)


class Enfants(Component):
    code = "enfants"
    label = "Enfants"
    # ``avec``: the family bonuses the children ride on, and how many children
    # each one's own points already include (1 for the APC).
    PARAMS = {"par_enfant": Param("decimal"), "avec": Param("ints")}

    def __init__(self, rule: ComponentRule, geo: Geographie, index: int) -> None:
        super().__init__(rule, geo, index)
        self.carriers = tuple(rule.ints("avec"))

    @classmethod
    def check(cls, rule: ComponentRule, earlier: list[str]) -> None:
        _check_family(rule, list(rule.ints("avec")))
        cls.require_earlier(rule, list(rule.ints("avec")), earlier)

    def relevant(self, situation: Situation) -> bool:
        claims = situation.claims
        return situation.famille.enfants > 0 and any(getattr(claims, code) for code in self.rule.ints("avec"))

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        return _carrier(previous, self.carriers)

    def make_line(self, p: Participant, claim: Claim, key: Hashable) -> BaremeLine:
        count = p.situation.famille.enfants
        children = f"{plural(count, 'enfant')} de moins de 18 ans"
        if key is None:
            return self.zero_line(f"{children}, comptés seulement {_where_claimed(p, self.rule.ints('avec'))}")
        assert isinstance(key, tuple)
        code, state = key
        included = self.rule.ints("avec")[code]
        counted = count - included
        if included:
            first = "le premier" if included == 1 else f"les {included} premiers"
            children += f", {first} déjà compté dans {NOUNS[code]}"
        else:
            children += f", avec {NOUNS[code]}"
        if counted <= 0:
            return self.zero_line(children)
        points = self.rule.decimal("par_enfant") * counted
        return (
            self.applied_line(points, children) if state is LineState.APPLIED else self.pending_line(points, children)
        )


class Separation(Component):
    code = "separation"
    label = "Années de séparation"
    PARAMS = {"paliers": Param("paliers"), "avec": Param("codes", default=("rc",))}

    def __init__(self, rule: ComponentRule, geo: Geographie, index: int) -> None:
        super().__init__(rule, geo, index)
        self.carriers = rule.codes("avec")

    @classmethod
    def check(cls, rule: ComponentRule, earlier: list[str]) -> None:
        _check_family(rule, rule.codes("avec"))
        cls.require_earlier(rule, rule.codes("avec"), earlier)

    def relevant(self, situation: Situation) -> bool:
        claims = situation.claims
        return situation.famille.annees_separation > 0 and any(getattr(claims, c) for c in self.rule.codes("avec"))

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        return _carrier(previous, self.carriers)

    def make_line(self, p: Participant, claim: Claim, key: Hashable) -> BaremeLine:
        years = p.situation.famille.annees_separation
        said = plural(years, "année")
        if key is None:
            return self.zero_line(
                f"{said} de séparation, comptées seulement {_where_claimed(p, self.rule.codes('avec'))}"
            )
        assert isinstance(key, tuple)
        code, state = key
        steps = self.rule.paliers("paliers")
        points = palier(steps, years)
        if points is None:
            return self.zero_line(f"{said} de séparation : il en faut au moins {steps[0][0]}")
        detail = f"{said} de séparation, avec {NOUNS[code]}"
        return self.applied_line(points, detail) if state is LineState.APPLIED else self.pending_line(points, detail)


class Preferentiel(Component):
    code = "preferentiel"
    label = "Vœu préférentiel"
    claimable = True
    PARAMS = {"par_an": Param("decimal"), "exclu_par": Param("codes")}

    @classmethod
    def check(cls, rule: ComponentRule, earlier: list[str]) -> None:
        _check_family(rule, rule.codes("exclu_par"))

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        claims = p.situation.claims
        for code in self.rule.codes("exclu_par"):
            family: Claim | None = getattr(claims, code)
            if family is not None and family.status is ClaimStatus.VALIDATED:
                return code
        claim = claims.preferentiel
        assert claim is not None
        return voeu.academie == claim.academie

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        claim = p.situation.claims.preferentiel
        assert claim is not None
        name = self.geo.academie(claim.academie)
        if isinstance(key, str):
            return ZERO, f"non cumulable avec les bonifications familiales ({VALIDATED[key]})"
        if not key:
            return ZERO, f"le vœu 1 n'est pas l'académie du vœu préférentiel ({name}) : la série recommence"
        years = claim.annees_precedentes
        if years <= 0:
            return ZERO, f"1re année avec {name} en vœu 1 : les points commencent à la 2e année consécutive"
        per_year = self.rule.decimal("par_an")
        return per_year * years, (
            f"{name} en vœu 1 pour la {ordinal_f(years + 1)} année consécutive "
            f"({format_decimal(per_year)} points par année à partir de la 2e)"
        )


def _where_claimed(p: Participant, codes: Iterable[str]) -> str:
    claims = p.situation.claims
    nouns = join_fr((NOUNS[code] for code in codes if getattr(claims, code) is not None), "ou")
    return f"sur les vœux où s'applique {nouns}"


def _carrier(previous: Previous, codes: tuple[str, ...]) -> tuple[str, LineState] | None:
    """The family line this vœu's dependent bonus rides on: applied first, else pending."""
    for state in _CARRIERS:
        for code in codes:
            line = previous.get(code)
            if line is not None and line.state is state:
                return code, state
    return None
