"""The demo fixtures: coherent reference data, and teachers whose dossiers tell the stories they should."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import Agent
from dossier.models import (
    Academie,
    Commune,
    Departement,
    Dossier,
    EchelonDuree,
    EchelonHistorique,
    Etablissement,
    Grade,
)
from dossier.services.perspectives import mois_en_education_prioritaire
from dossier.uai import is_valid_uai
from siam.bareme.geography import ACADEMIES, CORSE, DOM, LIMITROPHES

pytestmark = pytest.mark.django_db

FIXTURES = ("fixtures/10_referentiel.json", "fixtures/20_agents.json", "fixtures/30_dossiers.json")


# First in the module: it loads the demo into an empty database, before the module's fixtures are loaded once
# for the tests below (a worker runs its share of a module in the module's order).
def test_load_demo_runs_twice_in_a_row(settings: Any) -> None:
    settings.IPROF_ENV = "dev"
    assert not Agent.objects.exists()
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert Agent.objects.get(identifiant="fdupont").check_password("demo-iprof-clermont")


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The fixtures, loaded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *FIXTURES, verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded: None, db: None) -> None:
    """The fixtures, inside this test's savepoint: what a test writes is gone for the next one."""


def test_the_fixtures_load_twice_without_duplicating_anything(demo: None) -> None:
    counts = (Academie.objects.count(), Etablissement.objects.count(), EchelonHistorique.objects.count())
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert (Academie.objects.count(), Etablissement.objects.count(), EchelonHistorique.objects.count()) == counts


def test_all_thirty_academies_with_the_barème_codes_and_neighbours(demo: None) -> None:
    academies = {a.code_ministere: a for a in Academie.objects.prefetch_related("limitrophes")}
    assert set(academies) == set(ACADEMIES)
    for code, academie in academies.items():
        assert academie.nom == ACADEMIES[code]
        assert academie.is_dom is (code in DOM)
        assert academie.is_corse is (code in CORSE)
        assert {n.code_ministere for n in academie.limitrophes.all()} == LIMITROPHES[code], academie.nom
    clermont = Academie.objects.get(code="CLERMONT")
    assert sorted(a.code for a in clermont.limitrophes.all()) == [
        "DIJON",
        "GRENOBLE",
        "LIMOGES",
        "LYON",
        "MONTPELLIER",
        "ORLEANS-TOURS",
        "TOULOUSE",
    ]


def test_the_four_departements_of_clermont_and_their_communes(demo: None) -> None:
    assert sorted(Departement.objects.filter(academie__code="CLERMONT").values_list("code", "nom")) == [
        ("003", "Allier"),
        ("015", "Cantal"),
        ("043", "Haute-Loire"),
        ("063", "Puy-de-Dôme"),
    ]
    communes = Commune.objects.filter(departement__academie__code="CLERMONT")
    assert 25 <= communes.count() <= 60
    for commune in communes:
        # the académie lies between 44.6° and 46.9° N, 2.0° and 4.5° E
        assert Decimal("44.6") < commune.latitude < Decimal("46.9"), commune.nom  # type: ignore[operator]
        assert Decimal("2.0") < commune.longitude < Decimal("4.5"), commune.nom  # type: ignore[operator]
        assert commune.code_insee.startswith(commune.departement.code[1:]), commune.nom


def test_every_etablissement_has_a_valid_uai_and_some_are_in_education_prioritaire(demo: None) -> None:
    assert Etablissement.objects.count() >= 30
    assert all(is_valid_uai(uai) for uai in Etablissement.objects.values_list("uai", flat=True))
    assert Etablissement.objects.get(uai="0630018C").nom == "Lycée Blaise-Pascal"
    assert Etablissement.objects.filter(education_prioritaire="REP+", type="CLG").count() >= 2
    assert Etablissement.objects.filter(education_prioritaire="REP").count() >= 2


def test_the_ppcr_grid_is_data(demo: None) -> None:
    for grade in Grade.objects.filter(classe="normale"):
        grid = {d.echelon: (d.duree_mois, d.duree_acceleree_mois) for d in EchelonDuree.objects.filter(grade=grade)}
        assert grid == {
            1: (12, None),
            2: (12, None),
            3: (24, None),
            4: (24, None),
            5: (30, None),
            6: (36, 24),
            7: (36, None),
            8: (42, 30),
            9: (48, None),
            10: (48, None),
        }, grade.libelle
    assert set(Grade.objects.values_list("corps__code", flat=True)) == {"CERT", "AGREG", "PLP", "CPE", "PSYEN", "PEPS"}


def test_every_dossier_is_coherent_with_its_grade_and_history(demo: None) -> None:
    for dossier in Dossier.objects.select_related("grade"):
        assert dossier.grade.corps_id == dossier.corps_id
        assert 1 <= dossier.echelon <= dossier.grade.echelon_max
        last = EchelonHistorique.objects.filter(dossier=dossier).order_by("-date_effet").first()
        if last is not None:
            assert (last.grade_id, last.echelon, last.date_effet) == (
                dossier.grade_id,
                dossier.echelon,
                dossier.date_echelon,
            ), str(dossier)


def test_the_demo_cast(demo: None) -> None:
    staff = dict(Agent.objects.filter(pk__in=[1, 2, 3, 4]).values_list("pk", "identifiant"))
    assert staff == {1: "fdupont", 2: "fdupont1", 3: "cgestion", 4: "drh"}
    fdupont = Dossier.objects.get(agent__identifiant="fdupont")
    assert (fdupont.discipline.code, fdupont.etablissement.uai, fdupont.corps.code) == ("L1300", "0630018C", "CERT")  # type: ignore[union-attr]
    assert (fdupont.situation_familiale, fdupont.conjoint_academie.code) == ("marie", "LYON")  # type: ignore[union-attr]
    assert fdupont.enfants.count() == 2
    assert Dossier.objects.filter(zone_remplacement__isnull=False).exists()  # a TZR
    assert Dossier.objects.filter(position="stagiaire").exists()
    assert Dossier.objects.filter(position="stagiaire_ex_contractuel", reclassement_echelon=4).exists()
    assert Dossier.objects.filter(corps__code="AGREG", grade__classe="hors_classe").exists()
    assert Dossier.objects.filter(corps__code="PLP").exists()
    assert Dossier.objects.filter(date_echelon__isnull=True).exists()  # the missing-date story
    rep_plus = Dossier.objects.get(etablissement__education_prioritaire="REP+")
    months = mois_en_education_prioritaire(list(rep_plus.affectations.all()), datetime.date(2026, 11, 28))
    assert months >= 6 * 12
