"""Every component the rules may configure, by code."""

from __future__ import annotations

from collections.abc import Mapping

from siam.bareme.components.base import Component
from siam.bareme.components.carriere import (
    AgregeLycee,
    Echelon,
    EducationPrioritaire,
    Poste,
    RepPlusEntree,
    StagiaireAcademieStage,
    StagiaireExContractuel,
    StagiaireVoeu1,
    Tzr,
)
from siam.bareme.components.famille import (
    AutoriteParentaleConjointe,
    Enfants,
    MutationSimultanee,
    Preferentiel,
    RapprochementConjoints,
    Separation,
)
from siam.bareme.components.priorites import CarteScolaire, Cimm, Handicap, Rqth

REGISTRY: Mapping[str, type[Component]] = {
    cls.code: cls
    for cls in (
        Echelon,
        Poste,
        RapprochementConjoints,
        AutoriteParentaleConjointe,
        MutationSimultanee,
        Enfants,
        Separation,
        Rqth,
        Handicap,
        EducationPrioritaire,
        StagiaireExContractuel,
        StagiaireAcademieStage,
        StagiaireVoeu1,
        Preferentiel,
        Cimm,
        CarteScolaire,
        AgregeLycee,
        RepPlusEntree,
        Tzr,
    )
}

__all__ = ["REGISTRY", "Component"]
