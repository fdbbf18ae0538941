"""Components from the career: échelon, poste, éducation prioritaire, stagiaires, TZR."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal

from siam.bareme.components.base import ZERO, Component, Participant, Previous
from siam.bareme.config import Param, palier
from siam.bareme.result import BaremeLine
from siam.bareme.situation import (
    Claim,
    ClaimStatus,
    Classe,
    EducationPrioritaireType,
    Situation,
    VoeuFacts,
)
from siam.bareme.text import FILTRE_LABELS, format_decimal, join_fr, ordinal, plural

DECIMAL = Param("decimal")
INT = Param("int")
PALIERS = Param("paliers")
CODES = Param("codes")

EP_LABELS = {
    EducationPrioritaireType.REP: "REP",
    EducationPrioritaireType.REP_PLUS: "REP+",
    EducationPrioritaireType.POLITIQUE_VILLE: "quartier politique de la ville",
}


class Echelon(Component):
    code = "echelon"
    label = "Échelon"
    varies_by_voeu = False
    PARAMS = {
        "normale_par_echelon": DECIMAL,
        "normale_minimum": DECIMAL,
        "hors_classe_base": DECIMAL,
        "hors_classe_base_agreges": DECIMAL,
        "hors_classe_par_echelon": DECIMAL,
        "agreges_dernier_echelon_hc": INT,
        "agreges_dernier_echelon_hc_paliers": PALIERS,
        "exceptionnelle_base": DECIMAL,
        "exceptionnelle_par_echelon": DECIMAL,
        "exceptionnelle_maximum": DECIMAL,
        "corps_agreges": CODES,
    }

    def facts(self, situation: Situation) -> Hashable:
        s = situation
        return (s.corps, s.classe, s.echelon, s.annees_4e_echelon_hc)

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        s, r = p.situation, self.rule
        rank = f"{ordinal(s.echelon)} échelon"
        if s.classe is Classe.NORMALE:
            per, minimum = r.decimal("normale_par_echelon"), r.decimal("normale_minimum")
            computed = per * s.echelon
            if computed < minimum:
                return minimum, f"{rank} de la classe normale (minimum de {format_decimal(minimum)} points)"
            return computed, f"{rank} de la classe normale ({format_decimal(per)} points par échelon)"
        if s.classe is Classe.HORS_CLASSE:
            return self._hors_classe(s, rank)
        base, per = r.decimal("exceptionnelle_base"), r.decimal("exceptionnelle_par_echelon")
        maximum = r.decimal("exceptionnelle_maximum")
        points = min(base + per * s.echelon, maximum)
        return points, (
            f"{rank} de la classe exceptionnelle ({format_decimal(base)} + {format_decimal(per)} par échelon, "
            f"maximum {format_decimal(maximum)})"
        )

    def _hors_classe(self, s: Situation, rank: str) -> tuple[Decimal, str]:
        r = self.rule
        agrege = s.corps in r.codes("corps_agreges")
        base = r.decimal("hors_classe_base_agreges" if agrege else "hors_classe_base")
        per = r.decimal("hors_classe_par_echelon")
        points = base + per * s.echelon
        if agrege and s.echelon == r.integer("agreges_dernier_echelon_hc"):
            # The agrégés' last HC échelon is worth a flat amount after some years in it.
            flat = palier(r.paliers("agreges_dernier_echelon_hc_paliers"), s.annees_4e_echelon_hc)
            if flat is not None and flat > points:
                years = plural(s.annees_4e_echelon_hc, "an")
                return flat, f"{rank} de la hors-classe des agrégés depuis {years}"
        whose = " pour les agrégés" if agrege else ""
        return points, f"{rank} de la hors-classe ({format_decimal(base)} + {format_decimal(per)} par échelon{whose})"


class Poste(Component):
    code = "poste"
    label = "Ancienneté dans le poste"
    varies_by_voeu = False
    PARAMS = {"par_an": DECIMAL, "par_tranche": DECIMAL, "annees_tranche": Param("int", default=4)}

    def facts(self, situation: Situation) -> Hashable:
        stage = situation.stagiaire
        return (situation.anciennete_poste, None if stage is None else stage.anciennete_poste_titulaire, stage is None)

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        # Only years as titulaire count (note de service inter, summarised in DOMAIN.md §6): a stagiaire
        # counts the post he held as titulaire of another corps, or nothing for his stage year.
        stage = p.situation.stagiaire
        if stage is None:
            years, where = p.situation.anciennete_poste, "dans le poste"
        elif stage.anciennete_poste_titulaire is None:
            return ZERO, "stagiaire : seules les années dans un poste comme titulaire comptent, pas l'année de stage"
        else:
            years, where = stage.anciennete_poste_titulaire, "dans le poste précédent, comme titulaire d'un autre corps"
        if years <= 0:
            return ZERO, f"moins d'une année complète {where}"
        per_year, per_tranche = self.rule.decimal("par_an"), self.rule.decimal("par_tranche")
        size = self.rule.integer("annees_tranche")
        tranches = years // size if size else 0
        detail = f"{plural(years, 'an')} {where} ({format_decimal(per_year)} × {years})"
        if tranches:
            count = plural(tranches, "tranche complète", "tranches complètes")
            detail += f" et {count} de {size} ans ({format_decimal(per_tranche)} par tranche)"
        return per_year * years + per_tranche * tranches, detail


class EducationPrioritaire(Component):
    code = "education_prioritaire"
    label = "Éducation prioritaire"
    varies_by_voeu = False
    PARAMS = {"annees_minimum": INT, "points": Param("decimals")}

    def relevant(self, situation: Situation) -> bool:
        return situation.education_prioritaire is not None

    def facts(self, situation: Situation) -> Hashable:
        return situation.education_prioritaire

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        ep = p.situation.education_prioritaire
        assert ep is not None
        where = f"{plural(ep.annees, 'an')} d'exercice en {EP_LABELS[ep.type]}"
        minimum = self.rule.integer("annees_minimum")
        if ep.annees < minimum:
            return ZERO, f"{where} : il en faut {minimum}"
        points = self.rule.decimals("points").get(ep.type.value, ZERO)
        return points, where if points else f"{where} : pas de bonification prévue pour ce classement"


class StagiaireExContractuel(Component):
    code = "stagiaire_ex_contractuel"
    label = "Stagiaire ex-contractuel"
    claimable = True
    varies_by_voeu = False
    PARAMS = {"paliers": PALIERS}

    def facts(self, situation: Situation) -> Hashable:
        claim = situation.claims.stagiaire_ex_contractuel
        assert claim is not None
        return (claim.echelon_reclassement, situation.stagiaire is None)

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        claim = p.situation.claims.stagiaire_ex_contractuel
        assert claim is not None
        if p.situation.stagiaire is None:
            return ZERO, "réservé aux stagiaires"
        echelon = claim.echelon_reclassement
        points = palier(self.rule.paliers("paliers"), echelon) or ZERO
        return points, f"reclassé au {ordinal(echelon)} échelon"


class StagiaireAcademieStage(Component):
    """The small bonus of the other stagiaires; an ex-contractuel once validated has the grid instead."""

    code = "stagiaire_academie_stage"
    label = "Stagiaire, académie de stage"
    PARAMS = {"points": DECIMAL}

    def relevant(self, situation: Situation) -> bool:
        ex = situation.claims.stagiaire_ex_contractuel
        stage = situation.stagiaire
        return (
            stage is not None and bool(stage.academie_stage) and (ex is None or ex.status is not ClaimStatus.VALIDATED)
        )

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        stage = p.situation.stagiaire
        assert stage is not None
        return voeu.academie == stage.academie_stage

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        stage = p.situation.stagiaire
        assert stage is not None
        name = self.geo.academie(stage.academie_stage)
        if not key:
            return ZERO, f"seulement sur l'académie de stage ({name})"
        return self.rule.decimal("points"), f"académie de stage ({name})"


class StagiaireVoeu1(Component):
    code = "stagiaire_voeu_1"
    label = "Stagiaire, bonification sur le vœu 1"
    refused = "refusée"
    claimable = True
    PARAMS = {"points": DECIMAL}

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        if p.situation.stagiaire is None:
            return ZERO, "réservé aux stagiaires"
        return self.rule.decimal("points"), "bonification choisie par le stagiaire (une fois sur trois ans)"


class AgregeLycee(Component):
    code = "agrege_lycee"
    label = "Agrégé sur un vœu lycée"
    PARAMS = {"points": DECIMAL, "corps": CODES, "etablissement_types": CODES}

    def relevant(self, situation: Situation) -> bool:
        return situation.corps in self.rule.codes("corps")

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        return voeu.etablissement_type in self.rule.codes("etablissement_types")

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        kinds = join_fr((FILTRE_LABELS.get(t, t) for t in self.rule.codes("etablissement_types")), "ou")
        if not key:
            return ZERO, f"seulement sur un établissement de type {kinds}"
        return self.rule.decimal("points"), f"agrégé, vœu sur un établissement de type {kinds}"


class RepPlusEntree(Component):
    """A bonus carried by the vœu's target, so only vœux on such a target get a line."""

    code = "rep_plus_entree"
    label = "Entrée en REP+"
    PARAMS = {"points": DECIMAL}

    def line(self, p: Participant, claim: Claim, voeu: VoeuFacts, previous: Previous) -> BaremeLine | None:
        if voeu.etablissement_ep != EducationPrioritaireType.REP_PLUS:
            return None
        return super().line(p, claim, voeu, previous)

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        return self.rule.decimal("points"), "vœu sur un établissement classé REP+"


class Tzr(Component):
    code = "tzr"
    label = "Stabilisation des TZR"
    refused = "refusée"
    claimable = True
    varies_by_voeu = False
    PARAMS = {"paliers": PALIERS}

    def facts(self, situation: Situation) -> Hashable:
        claim = situation.claims.tzr
        assert claim is not None
        return claim.annees

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        claim = p.situation.claims.tzr
        assert claim is not None
        steps = self.rule.paliers("paliers")
        years = f"{plural(claim.annees, 'an')} comme titulaire sur zone de remplacement"
        points = palier(steps, claim.annees)
        if points is None:
            return ZERO, f"{years} : il en faut {steps[0][0]}"
        return points, years
