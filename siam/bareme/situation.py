"""What the calculator is told about a participant and one of their voeux.

Plain frozen values, filled by the Django service from the dossier, the
demande and the staff's decisions on each claimed bonus. Codes (académies,
départements, communes, UAI) are the référentiel's; names come from the
``Geographie`` at formatting time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Classe(StrEnum):
    NORMALE = "normale"
    HORS_CLASSE = "hors_classe"
    EXCEPTIONNELLE = "exceptionnelle"


class TypeVoeu(StrEnum):
    ETB = "ETB"
    COM = "COM"
    GEO = "GEO"
    DPT = "DPT"
    ACA = "ACA"
    ZRE = "ZRE"
    ZRD = "ZRD"
    ZRA = "ZRA"


ACADEMIE_WIDE = frozenset({TypeVoeu.ACA, TypeVoeu.ZRA})


class EducationPrioritaireType(StrEnum):
    REP = "REP"
    REP_PLUS = "REP+"
    POLITIQUE_VILLE = "PV"


class ClaimStatus(StrEnum):
    """Where staff stand on a claimed bonus: only VALIDATED ever gives points."""

    DECLARED = "declared"
    VALIDATED = "validated"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A bonus the participant asked for, and the rectorat's decision on its pièces."""

    status: ClaimStatus = ClaimStatus.DECLARED
    motif_refus: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class HandicapClaim(Claim):
    """The exceptional bonus only counts where the médecin says a move helps."""

    academies: frozenset[str] = frozenset()
    departements: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class CimmClaim(Claim):
    academie: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PreferentielClaim(Claim):
    """``annees_precedentes``: consecutive past campagnes with ``academie`` as voeu 1."""

    academie: str
    annees_precedentes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TzrClaim(Claim):
    annees: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ExContractuelClaim(Claim):
    echelon_reclassement: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Claims:
    """One optional claim per claimable component; the field name is the component code."""

    rc: Claim | None = None
    apc: Claim | None = None
    mutation_simultanee: Claim | None = None
    rqth: Claim | None = None
    handicap: HandicapClaim | None = None
    cimm: CimmClaim | None = None
    carte_scolaire: Claim | None = None
    tzr: TzrClaim | None = None
    preferentiel: PreferentielClaim | None = None
    stagiaire_ex_contractuel: ExContractuelClaim | None = None
    stagiaire_voeu_1: Claim | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Lieu:
    """A place at every level the voeux can name; unknown levels stay empty."""

    academie: str
    departement: str = ""
    commune: str = ""
    etablissement: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Famille:
    """Family facts from the dossier; they only count through a validated RC or APC."""

    conjoint: Lieu | None = None
    residence_enfants: Lieu | None = None
    enfants: int = 0
    annees_separation: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class EducationPrioritaire:
    type: EducationPrioritaireType
    annees: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Stagiaire:
    """A stagiaire (not yet titulaire of the corps of the demande).

    ``anciennete_poste_titulaire``: complete years in the last post held as titulaire of another corps,
    None when the stagiaire never was titulaire: the stage year gives no ancienneté dans le poste.
    """

    academie_stage: str = ""
    anciennete_poste_titulaire: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Situation:
    corps: str
    classe: Classe = Classe.NORMALE
    echelon: int
    annees_4e_echelon_hc: int = 0
    anciennete_poste: int = 0
    poste: Lieu | None = None
    education_prioritaire: EducationPrioritaire | None = None
    stagiaire: Stagiaire | None = None
    famille: Famille = field(default_factory=Famille)
    claims: Claims = field(default_factory=Claims)


@dataclass(frozen=True, slots=True, kw_only=True)
class VoeuFacts:
    """One voeu as the barème sees it.

    ``communes`` are those the voeu covers (one for COM or ETB, several for
    GEO or ZRE). ``etablissement_type`` and ``etablissement_ep`` describe the
    target of an ETB voeu; ``filtre`` is the type filter chosen on a wider
    voeu (an ETB voeu keeps "TOUT": it names one établissement).
    """

    rang: int
    type: TypeVoeu = TypeVoeu.ACA
    academie: str
    departement: str = ""
    communes: frozenset[str] = frozenset()
    etablissement: str = ""
    etablissement_type: str = ""
    etablissement_ep: str = ""
    filtre: str = "TOUT"
