"""The barème calculator: priority points per voeu, each line with its reason.

Pure Python (no Django): the SIAM service loads situations and voeux from the
ORM in bulk, compiles the campagne's rules once, calls these functions and
writes the lines back.

    compiled = Rules.from_dicts(rows).compile()
    baremes = compute_baremes(situation, voeux, compiled)
"""

from __future__ import annotations

from collections.abc import Sequence

from siam.bareme.config import AppliesTo, ComponentRule, RulesError
from siam.bareme.corrections import (
    FactCorrection,
    Fait,
    LineOverride,
    apply_overrides,
    corrected_baremes,
    corrected_extension,
    corrected_situation,
    fact_value,
)
from siam.bareme.defaults import default_rules_inter, default_rules_intra_clermont
from siam.bareme.engine import CompiledRules
from siam.bareme.geography import FRANCE, Geographie
from siam.bareme.result import COUNTED, Bareme, BaremeLine, ExtensionBareme, LineState
from siam.bareme.rules import Rules
from siam.bareme.situation import (
    CimmClaim,
    Claim,
    Claims,
    ClaimStatus,
    Classe,
    EducationPrioritaire,
    EducationPrioritaireType,
    ExContractuelClaim,
    Famille,
    HandicapClaim,
    Lieu,
    PreferentielClaim,
    Situation,
    Stagiaire,
    TypeVoeu,
    TzrClaim,
    VoeuFacts,
)


def compute_bareme(
    situation: Situation, voeu: VoeuFacts, rules: CompiledRules, *, all_voeux: Sequence[VoeuFacts]
) -> Bareme:
    """The barème of one voeu; ``all_voeux`` is needed to know the voeu 1."""
    return rules.bareme(situation, voeu, all_voeux=all_voeux)


def compute_baremes(situation: Situation, voeux: Sequence[VoeuFacts], rules: CompiledRules) -> tuple[Bareme, ...]:
    """The barèmes of all a participant's voeux, in the order given: the bulk path."""
    return rules.baremes(situation, voeux)


def compute_extension_bareme(situation: Situation, voeux: Sequence[VoeuFacts], rules: CompiledRules) -> ExtensionBareme:
    """The lowest barème among the voeux, stripped of the voeu-specific bonuses."""
    return rules.extension(situation, voeux)


def warnings_for_voeu(
    situation: Situation, voeu: VoeuFacts, rules: CompiledRules, *, all_voeux: Sequence[VoeuFacts]
) -> tuple[str, ...]:
    """French sentences for each bonus this voeu's type or établissement filter loses."""
    return rules.warnings(situation, voeu, all_voeux=all_voeux)


__all__ = [
    "COUNTED",
    "FRANCE",
    "AppliesTo",
    "Bareme",
    "BaremeLine",
    "CimmClaim",
    "Claim",
    "ClaimStatus",
    "Claims",
    "Classe",
    "CompiledRules",
    "ComponentRule",
    "EducationPrioritaire",
    "EducationPrioritaireType",
    "ExContractuelClaim",
    "ExtensionBareme",
    "FactCorrection",
    "Fait",
    "Famille",
    "Geographie",
    "HandicapClaim",
    "Lieu",
    "LineOverride",
    "LineState",
    "PreferentielClaim",
    "Rules",
    "RulesError",
    "Situation",
    "Stagiaire",
    "TypeVoeu",
    "TzrClaim",
    "VoeuFacts",
    "apply_overrides",
    "compute_bareme",
    "compute_baremes",
    "compute_extension_bareme",
    "corrected_baremes",
    "corrected_extension",
    "corrected_situation",
    "default_rules_inter",
    "default_rules_intra_clermont",
    "fact_value",
    "warnings_for_voeu",
]
