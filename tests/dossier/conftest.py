"""Dossier test data: the certifiés' grid, long histories, and a CSRF-enforcing client."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent
from dossier.models import (
    Affectation,
    ConditionPromotion,
    CVEntry,
    Diplome,
    Dossier,
    EchelonDuree,
    EchelonHistorique,
    Enfant,
    Formation,
    Grade,
)
from tests.factories import referentiel

CN_GRID = {1: (12, None), 2: (12, None), 3: (24, None), 4: (24, None), 5: (30, None), 6: (36, 24), 7: (36, None)}
CN_GRID |= {8: (42, 30), 9: (48, None), 10: (48, None)}
HC_GRID = {1: (24, None), 2: (24, None), 3: (30, None), 4: (30, None), 5: (36, None)}


def make_grid() -> dict[str, Grade]:
    """The certifiés' classe normale and hors-classe, with the PPCR durations and the promotion conditions."""
    ref = referentiel()
    corps, cn = ref["corps"], ref["grade"]
    hc, _ = Grade.objects.get_or_create(
        corps=corps, classe="hors_classe", defaults={"libelle": "Professeur certifié hors classe", "echelon_max": 6}
    )
    ce, _ = Grade.objects.get_or_create(
        corps=corps,
        classe="exceptionnelle",
        defaults={"libelle": "Professeur certifié de classe exceptionnelle", "echelon_max": 5},
    )
    for grade, grid in ((cn, CN_GRID), (hc, HC_GRID)):
        for echelon, (mois, acc) in grid.items():
            EchelonDuree.objects.get_or_create(
                grade=grade, echelon=echelon, defaults={"duree_mois": mois, "duree_acceleree_mois": acc}
            )
    ConditionPromotion.objects.get_or_create(
        grade=cn, vers=hc, libelle="", defaults={"echelon_min": 9, "anciennete_echelon_mois": 24}
    )
    ConditionPromotion.objects.get_or_create(
        grade=hc,
        vers=ce,
        libelle="vivier 1 : fonctions particulières",
        defaults={"echelon_min": 3, "fonctions_particulieres_mois": 96},
    )
    ConditionPromotion.objects.get_or_create(
        grade=hc, vers=ce, libelle="vivier 2 : dernier échelon de la hors-classe", defaults={"echelon_min": 6}
    )
    return {"normale": cn, "hors_classe": hc, "exceptionnelle": ce}


@pytest.fixture
def grid(db: None) -> dict[str, Grade]:
    return make_grid()


def add_histories(agent: Agent, *, echelons: int, affectations: int, rows: int) -> None:
    """Long histories for query-count tests: `echelons` échelon rows, `affectations` affectations,
    and `rows` children, diplômes and formations each."""
    dossier = Dossier.objects.get(agent=agent)
    ref = referentiel()
    start = datetime.date(1980, 9, 1)
    EchelonHistorique.objects.bulk_create(
        EchelonHistorique(
            dossier=dossier,
            grade=dossier.grade,
            echelon=1 + i % 11,
            date_effet=start + datetime.timedelta(days=200 * i),
        )
        for i in range(echelons)
    )
    Affectation.objects.bulk_create(
        Affectation(
            dossier=dossier,
            etablissement=ref["etablissement"],
            date_debut=start + datetime.timedelta(days=300 * i),
            date_fin=start + datetime.timedelta(days=300 * i + 299),
        )
        for i in range(affectations)
    )
    Enfant.objects.bulk_create(
        Enfant(dossier=dossier, prenom=f"Enfant {i}", date_naissance=datetime.date(2000 + i % 20, 1, 1))
        for i in range(rows)
    )
    Diplome.objects.bulk_create(Diplome(dossier=dossier, intitule=f"Diplôme {i}", annee=1990 + i) for i in range(rows))
    Formation.objects.bulk_create(
        Formation(
            dossier=dossier, nature="formation", libelle=f"Stage {i}", date_debut=datetime.date(2001 + i % 20, 3, 1)
        )
        for i in range(rows)
    )


def add_cv_entries(agent: Agent, count: int) -> list[CVEntry]:
    sections = ["formation", "diplome", "activite", "competence", "langue", "jury", "publication"]
    return CVEntry.objects.bulk_create(
        CVEntry(agent=agent, section=sections[i % len(sections)], titre=f"Entrée {i}", ordre=i) for i in range(count)
    )


@pytest.fixture
def csrf_client_a(teacher_a: Agent) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher_a)
    return client


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "section": "langue",
        "titre": "Anglais — niveau C1",
        "organisme": "",
        "date_debut": "",
        "date_fin": "",
        "description": "",
    }
    return data | overrides
