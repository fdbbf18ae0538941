"""Cast of the Django-side barème tests: a full inter dossier (RC towards Lyon, two children), phases, staff.

Imported by the tests/siam/test_bareme_*.py modules (fixtures are picked up from the module namespace).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Academie, Dossier, Enfant
from siam.models import Campagne, Demande, Motif, MotifDeclare, StatutMotif, Voeu
from tests.siam.conftest import APRES, paris

INSTRUCTION = paris(2027, 4, 20, 10)
AFFICHAGE = paris(2027, 5, 15, 10)
VERIFICATION = paris(2027, 6, 1, 10)
DEFINITIFS = paris(2027, 6, 6, 10)

# teacher_a on 1 September 2027: 7th échelon (49), 11 years in post since 2016 (220 + 2 × 50 = 320).
ECHELON, POSTE = Decimal(49), Decimal(320)
RC, ENFANTS, SEPARATION = Decimal("150.2"), Decimal(200), Decimal(325)
VOEU_1 = ECHELON + POSTE + RC + ENFANTS + SEPARATION  # 1 044,2
SANS_FAMILLE = ECHELON + POSTE  # 369


@pytest.fixture
def academies(ref: dict[str, Any]) -> dict[str, Any]:
    """Lyon comes from the SIAM cast; Grenoble is next to it, Paris is not."""
    grenoble = Academie.objects.create(code="GRENOBLE", nom="Grenoble")
    paris_ = Academie.objects.create(code="PARIS", nom="Paris")
    return {
        "lyon": ref["lyon_academie"],
        "grenoble": grenoble,
        "paris": paris_,
        "clermont": ref["academie"],
        "lyon_commune": ref["lyon"],
    }


def family(agent: Agent, ref: dict[str, Any]) -> Dossier:
    """Married, the conjoint works in Lyon, two children under 18 and one over."""
    dossier = Dossier.objects.get(agent=agent)
    dossier.situation_familiale = "marie"
    dossier.conjoint_commune = ref["lyon"]
    dossier.conjoint_academie = ref["lyon_academie"]
    dossier.save()
    for prenom, born in (
        ("Léo", datetime.date(2015, 5, 12)),
        ("Emma", datetime.date(2018, 10, 3)),
        ("Jules", datetime.date(2005, 1, 2)),
    ):
        Enfant.objects.create(dossier=dossier, prenom=prenom, date_naissance=born)
    return dossier


def inter_demande(agent: Agent, campagne: Campagne, academies: dict[str, Any], *, rc: str | None) -> Demande:
    """Vœux Lyon, Grenoble, Paris; an RC claim in the given status (or none)."""
    demande = Demande.objects.create(agent=agent, campagne=campagne)
    for rang, key in enumerate(("lyon", "grenoble", "paris"), start=1):
        Voeu.objects.create(demande=demande, rang=rang, type="ACA", academie=academies[key])
    if rc is not None:
        MotifDeclare.objects.create(
            demande=demande, motif=Motif.RAPPROCHEMENT_CONJOINTS, conjoint_commune=academies["lyon_commune"], academie=academies["lyon"], annees=2, statut=rc,
            motif_refus="attestation de l'employeur du conjoint absente" if rc == StatutMotif.REFUSE else "",
        )  # fmt: skip
    return demande


@pytest.fixture
def dossier_rc(inter: Campagne, teacher_a: Agent, ref: dict[str, Any], academies: dict[str, Any]) -> Demande:
    """teacher_a's inter demande: RC validated, conjoint in Lyon, Lyon as vœu 1."""
    family(teacher_a, ref)
    return inter_demande(teacher_a, inter, academies, rc=StatutMotif.VALIDE)


@pytest.fixture
def closed(at: Any) -> Any:
    """The saisie is closed: barèmes may be computed."""
    at(APRES)
    return at


def totals_by_rang(demande: Demande) -> dict[int, Decimal]:
    from siam.models.bareme import BaremeVoeu

    return dict(BaremeVoeu.objects.filter(voeu__demande=demande).values_list("voeu__rang", "total"))
