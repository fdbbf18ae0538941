"""The stagiaire rule from the dossier: only a post held as titulaire counts (the core: tests/siam/bareme/test_bareme_stagiaire.py).

Both ways the service builds a situation agree: the bulk load of a campagne (stored barèmes) and the
per-demande one (the voeux page's provisional barème).
"""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Affectation, Dossier, Position
from siam.models import Campagne
from siam.selectors import voeux_of
from siam.services.bareme import recompute_baremes
from siam.services.bareme.display import provisional_for_voeux
from tests.siam.bareme_cast import ECHELON, academies, inter_demande, totals_by_rang  # noqa: F401
from tests.siam.conftest import APRES, PENDANT

pytestmark = pytest.mark.django_db

D = datetime.date


def stagiaire(agent: Agent, ref: dict[str, Any], history: list[tuple[str, D, D | None]]) -> None:
    """teacher_a in his stage year since 1 September 2026 (one complete year on 1 September 2027)."""
    dossier = Dossier.objects.get(agent=agent)
    dossier.position, dossier.academie_stage, dossier.date_entree_poste = (
        Position.STAGIAIRE,
        ref["academie"],
        D(2026, 9, 1),
    )
    dossier.save()
    for nature, debut, fin in history:
        Affectation.objects.create(
            dossier=dossier, etablissement=ref["college"], nature=nature, date_debut=debut, date_fin=fin
        )


DEFINITIVE, STAGE = Affectation.Nature.DEFINITIVE, Affectation.Nature.STAGE


@pytest.mark.parametrize(
    ("history", "poste"),
    [
        # Never titulaire: the stage year gives nothing (it gave « 20 (1 an) »).
        ([(STAGE, D(2026, 9, 1), None)], 0),
        # Titulaire of another corps from 2018 to 2026: seven complete years, 140 + one tranche of 4 years 50.
        ([(DEFINITIVE, D(2018, 9, 1), D(2026, 8, 31)), (STAGE, D(2026, 9, 1), None)], 190),
        # Two posts as titulaire: the last one counts (2022 → 2026: three complete years).
        ([(DEFINITIVE, D(2012, 9, 1), D(2022, 8, 31)), (DEFINITIVE, D(2022, 9, 1), D(2026, 8, 31))], 60),
        # A provisional assignment is not a post held as titulaire.
        ([(Affectation.Nature.PROVISOIRE, D(2020, 9, 1), D(2026, 8, 31))], 0),
    ],
)  # fmt: skip
def test_a_stagiaire_counts_only_his_post_as_titulaire_in_stored_and_provisional_baremes(
    inter: Campagne, teacher_a: Agent, ref: dict[str, Any], academies: dict[str, Any], at: Any,
    history: list[tuple[str, D, D | None]], poste: int,
) -> None:  # fmt: skip
    stagiaire(teacher_a, ref, history)
    demande = inter_demande(teacher_a, inter, academies, rc=None)
    at(PENDANT)
    provisional = provisional_for_voeux(demande, voeux_of(demande))
    assert set(provisional.values()) == {ECHELON + poste}
    at(APRES)
    recompute_baremes(campagne=inter)
    assert set(totals_by_rang(demande).values()) == {Decimal(ECHELON + poste)}


def test_an_ex_contractuels_contract_years_are_not_a_titulaires_post(
    inter: Campagne, teacher_a: Agent, ref: dict[str, Any], academies: dict[str, Any], at: Any
) -> None:
    """As tgirard in the demo: his contracts are recorded « à titre définitif », yet he never was titulaire."""
    stagiaire(teacher_a, ref, [(DEFINITIVE, D(2019, 9, 1), D(2026, 8, 31))])
    Dossier.objects.filter(agent=teacher_a).update(position=Position.STAGIAIRE_EX_CONTRACTUEL, reclassement_echelon=4)
    demande = inter_demande(teacher_a, inter, academies, rc=None)
    at(APRES)
    recompute_baremes(campagne=inter)
    assert set(totals_by_rang(demande).values()) == {Decimal(ECHELON)}
