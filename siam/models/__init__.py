from siam.models.bareme import (  # noqa: F401 - the barème's models
    BaremeChange,
    BaremeCorrection,
    BaremeExtension,
    BaremeLigne,
    BaremeVoeu,
    Contestation,
    RegleBareme,
    ReglesBareme,
    TirageDepartage,
    VerificationBareme,
)
from siam.models.campagne import Campagne, Poste
from siam.models.capacite import CapaciteAccueil
from siam.models.choices import (
    CampagneKind,
    EtatDemande,
    Motif,
    Participation,
    Phase,
    StatutMotif,
    StatutPiece,
    TypeFiltre,
    TypeVoeu,
)
from siam.models.demande import Demande, DemandeVersion, MotifDeclare, PieceJustificative, Voeu
from siam.models.mouvement import MouvementResultat, MouvementRun, StatutRun, TableExtension  # noqa: F401
from siam.models.spea import Avis, CandidatureSpea, EtatCandidature  # noqa: F401 - mouvement spécifique

__all__ = [
    "Campagne",
    "CampagneKind",
    "CapaciteAccueil",
    "Demande",
    "DemandeVersion",
    "EtatDemande",
    "Motif",
    "MotifDeclare",
    "Participation",
    "Phase",
    "PieceJustificative",
    "Poste",
    "StatutMotif",
    "StatutPiece",
    "TypeFiltre",
    "TypeVoeu",
    "Voeu",
]
