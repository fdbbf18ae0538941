"""Published barres: entrants, leavers and the lowest barème admitted per zone × discipline, page and CSV."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Discipline
from siam.models import Campagne
from siam.models.mouvement import MouvementResultat, MouvementRun
from siam.services.barres import Flux, aggregate, barres_of, neutralise
from siam.services.mouvement import run_mouvement
from siam.services.mouvement.publication import publish_run
from tests.siam.conftest import client_for, text
from tests.siam.mouvement_helpers import AFTER_CLOSING, RESULTS_OPEN, Scenario, chain_scenario

pytestmark = pytest.mark.django_db

ZONES = {1: "Clermont-Ferrand", 2: "Lyon", 3: "Grenoble"}
MATHS = {10: "Mathématiques"}


def cells(flux: list[Flux]) -> dict[str, tuple[int, int, Decimal | None]]:
    (table,) = aggregate(flux, ZONES, MATHS)
    return {c.zone: (c.entrants, c.sortants, c.barre) for c in table.cellules}


@pytest.mark.parametrize(
    ("flux", "expected"),
    [
        # three admitted on a vœu in Lyon, two of them from Clermont: the barre is the lowest of the three
        (
            [Flux(2, 1, 10, 2, 2, 1502), Flux(2, None, 10, 1, 1, 2000)],
            {"Lyon": (3, 0, Decimal("150.2")), "Clermont-Ferrand": (0, 2, None)},
        ),
        # only two admitted on a vœu (the third extended): no barre, it would be a colleague's barème
        (
            [Flux(2, 1, 10, 2, 2, 1502), Flux(2, 3, 10, 1, 0, None)],
            {"Lyon": (3, 0, None), "Clermont-Ferrand": (0, 2, None), "Grenoble": (0, 1, None)},
        ),
        # moving inside one's own zone counts as entering it, never as leaving it
        ([Flux(1, 1, 10, 3, 3, 800)], {"Clermont-Ferrand": (3, 0, Decimal("80"))}),
        # an extended entrant's (lower) barème is not the barre
        (
            [Flux(2, 1, 10, 3, 3, 1000), Flux(2, 1, 10, 1, 0, None)],
            {"Lyon": (4, 0, Decimal("100")), "Clermont-Ferrand": (0, 4, None)},
        ),
        # an origin outside the zones shown (an entrant from another académie at the intra) leaves nothing
        ([Flux(1, 99, 10, 3, 3, 500)], {"Clermont-Ferrand": (3, 0, Decimal("50"))}),
    ],
)
def test_cells_are_counted_as_worked_by_hand(flux: list[Flux], expected: dict[str, Any]) -> None:
    assert cells(flux) == expected


@pytest.mark.parametrize(
    ("value", "written"),
    [("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("Lyon", "Lyon"), (12, "12")],
)
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(value: object, written: str) -> None:
    assert neutralise(value) == written


@pytest.fixture
def published(intra: Campagne, ref: dict[str, Any], at: Any, drh: Agent) -> tuple[Scenario, MouvementRun]:
    scenario = chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    at(RESULTS_OPEN)
    publish_run(run=run, by=drh)
    return scenario, run


def test_the_intra_barres_of_the_published_run(published: tuple[Scenario, MouvementRun]) -> None:
    scenario, _run = published
    found = barres_of(scenario.campagne)
    assert found is not None and not found.inter
    (maths,) = found.disciplines
    by_zone = {c.zone: (c.entrants, c.sortants, c.barre) for c in maths.cellules}
    # Arnaud, Blanc, Caron and Dumas (100 points, vœu 2) obtain posts of the Puy-de-Dôme; Garnier is extended
    # to the Allier: one entrant there, no barre; Fabre keeps his post and counts nowhere
    assert by_zone == {"Puy-de-Dôme": (4, 0, Decimal("100")), "Allier": (1, 0, None)}


def test_every_teacher_reads_the_page_with_a_chart_and_its_table_in_few_queries(
    published: tuple[Scenario, MouvementRun], teacher_b: Agent, django_assert_max_num_queries: Any
) -> None:
    client = client_for(teacher_b)  # not a participant
    # session, user, campagne, run, one aggregate, zones, disciplines, unread courrier, banner, session save
    with django_assert_max_num_queries(12):
        response = client.get(f"/siam/{published[0].campagne.slug}/barres/")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<svg role="img" aria-labelledby="barres-titre-1 barres-desc-1"', page)
    assert '<title id="barres-titre-1">' in page and '<th scope="row">Puy-de-Dôme</th>' in page
    assert " style=" not in page and "<style" not in page  # the CSP (style-src 'self') would block them
    shown = text(response)
    assert "100" in shown and "Arnaud" not in shown and "Dumas" not in shown


def test_the_csv_gives_the_same_cells_and_neutralises_formulas(
    published: tuple[Scenario, MouvementRun], teacher_b: Agent, ref: dict[str, Any]
) -> None:
    Discipline.objects.filter(pk=ref["discipline"].pk).update(libelle='=HYPERLINK("http://x")')
    response = client_for(teacher_b).get(f"/siam/{published[0].campagne.slug}/barres.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "discipline;académie;entrants;sortants;barre".replace("académie", "département")
    assert sorted(lines[1:]) == [
        '"\'=HYPERLINK(""http://x"")";Allier;1;0;',
        '"\'=HYPERLINK(""http://x"")";Puy-de-Dôme;4;0;100,0',
    ]


def test_before_publication_the_page_says_so_and_there_is_no_csv(
    intra: Campagne, ref: dict[str, Any], at: Any, teacher_a: Agent
) -> None:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run_mouvement(campagne=intra, by=None)  # computed, not published
    at(RESULTS_OPEN)
    client = client_for(teacher_a)
    page = client.get(f"/siam/{intra.slug}/barres/")
    assert page.status_code == 200 and "seront publiées avec les résultats" in text(page)
    assert client.get(f"/siam/{intra.slug}/barres.csv").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(published: tuple[Scenario, MouvementRun]) -> None:
    from django.test import Client

    response = Client().get(f"/siam/{published[0].campagne.slug}/barres/")
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_siam_home_links_the_barres_of_a_campagne_in_its_results(
    published: tuple[Scenario, MouvementRun], teacher_b: Agent
) -> None:
    page = client_for(teacher_b).get("/siam/").content.decode()
    assert f'href="/siam/{published[0].campagne.slug}/barres/"' in page


def test_the_inter_barres_count_leavers_of_the_academie_of_origin(
    inter: Campagne, ref: dict[str, Any], at: Any, drh: Agent
) -> None:
    from siam.models import Poste, TypeVoeu
    from siam.models.bareme import TirageDepartage
    from tests.siam.mouvement_helpers import participant

    lyon = ref["lyon_academie"]
    Poste.objects.create(campagne=inter, discipline=ref["discipline"], academie=lyon, nombre=3)
    TirageDepartage.objects.create(campagne=inter, seed="graine-inter")
    for nom, bareme in (("Un", "300"), ("Deux", "250.5"), ("Trois", "200.2"), ("Quatre", "150")):
        participant(inter, "Prof", nom, ref["etablissement"], [(TypeVoeu.ACA, lyon, bareme)])
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=inter, by=None)
    at(RESULTS_OPEN)
    publish_run(run=run, by=drh)
    found = barres_of(inter)
    assert found is not None and found.inter
    (maths,) = found.disciplines
    # three leave Clermont for Lyon, the fourth (150 points) stays: the barre is the third's barème
    assert {c.zone: (c.entrants, c.sortants, c.barre) for c in maths.cellules} == {
        "Lyon": (3, 0, Decimal("200.2")),
        "Clermont-Ferrand": (0, 3, None),
    }


def test_a_result_published_after_exchanges_is_read_on_the_post_after_exchanges(
    intra: Campagne, ref: dict[str, Any], at: Any, drh: Agent
) -> None:
    scenario = chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None, exchange=True)
    at(RESULTS_OPEN)
    publish_run(run=run, by=drh, exchange=True)
    found = barres_of(scenario.campagne)
    assert found is not None and found.run.published_exchange
    (maths,) = found.disciplines
    moved = MouvementResultat.objects.filter(run=run, poste__isnull=False, kept=False)
    assert sum(c.entrants for c in maths.cellules) == moved.count() == 5
