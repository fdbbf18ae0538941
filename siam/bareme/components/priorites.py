"""Priorités légales outside the family: handicap, CIMM, mesure de carte scolaire."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal

from siam.bareme.components.base import ZERO, Component, Participant, Previous, covers
from siam.bareme.config import Param
from siam.bareme.situation import Situation, VoeuFacts
from siam.bareme.text import join_fr

POINTS = {"points": Param("decimal")}


class Rqth(Component):
    code = "rqth"
    label = "Handicap (RQTH)"
    claimable = True
    varies_by_voeu = False
    PARAMS = POINTS

    def facts(self, situation: Situation) -> Hashable:
        return None

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        return self.rule.decimal("points"), "reconnaissance de la qualité de travailleur handicapé"


class Handicap(Component):
    """The exceptional bonus, on the zones the médecin conseiller named."""

    code = "handicap"
    label = "Handicap, bonification exceptionnelle"
    refused = "refusée"
    claimable = True
    PARAMS = POINTS

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        claim = p.situation.claims.handicap
        assert claim is not None
        if voeu.academie in claim.academies:
            return ("academie", voeu.academie)
        if voeu.departement in claim.departements:
            return ("departement", voeu.departement)
        return None

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        claim = p.situation.claims.handicap
        assert claim is not None
        if isinstance(key, tuple):
            level, code = key
            place = f"académie de {self.geo.academie(code)}" if level == "academie" else self.geo.departement(code)
            return self.rule.decimal("points"), f"{place} : zone retenue après avis médical"
        zones = [self.geo.academie(c) for c in sorted(claim.academies)]
        zones += [self.geo.departement(c) for c in sorted(claim.departements)]
        if not zones:
            return ZERO, "aucune zone retenue après avis médical"
        return ZERO, f"seulement sur les zones retenues après avis médical ({join_fr(zones)})"


class Cimm(Component):
    code = "cimm"
    label = "Centre des intérêts matériels et moraux (CIMM)"
    claimable = True
    PARAMS = POINTS

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        claim = p.situation.claims.cimm
        assert claim is not None
        if claim.academie not in self.geo.dom:
            return "hors_dom"
        return voeu.academie == claim.academie

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        claim = p.situation.claims.cimm
        assert claim is not None
        name = self.geo.academie(claim.academie)
        if key == "hors_dom":
            return ZERO, f"{name} n'est pas une académie d'outre-mer"
        if not key:
            return ZERO, f"seulement sur l'académie du centre des intérêts matériels et moraux ({name})"
        return self.rule.decimal("points"), f"académie du centre des intérêts matériels et moraux ({name})"


class CarteScolaire(Component):
    """A post closed by the rectorat: priority on the vœux that cover it, widest first."""

    code = "carte_scolaire"
    label = "Mesure de carte scolaire"
    refused = "refusée"
    claimable = True
    PARAMS = POINTS

    def outcome(self, p: Participant, voeu: VoeuFacts, previous: Previous) -> Hashable:
        poste = p.situation.poste
        return "inconnu" if poste is None else covers(voeu, poste)

    def explain(self, p: Participant, key: Hashable) -> tuple[Decimal, str]:
        poste = p.situation.poste
        if poste is None:
            return ZERO, "poste supprimé non renseigné dans le dossier"
        if key is None:
            return ZERO, "seulement sur les vœux qui couvrent le poste supprimé"
        where = {
            "etablissement": "l'établissement du poste supprimé",
            "commune": "la commune du poste supprimé",
            "departement": f"le département du poste supprimé ({self.geo.departement(poste.departement)})",
            "academie": f"l'académie du poste supprimé ({self.geo.academie(poste.academie)})",
        }[str(key)]
        return self.rule.decimal("points"), f"vœu sur {where}"
