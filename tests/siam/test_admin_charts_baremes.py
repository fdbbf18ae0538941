"""The campagne page draws the vœu-1 barèmes per discipline, the run page the rank obtained: SVG and table.

Every expected figure below is worked out by hand from the fixture (quartiles by linear interpolation,
as PostgreSQL's percentile_cont: for 10, 20, 30, 40, 50 the quartiles are 20, 30, 40).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Agent
from dossier.models import Discipline, Dossier
from siam.admin.charts import bareme_distribution, boxes, echelle, run_outcomes
from siam.models import Campagne, Demande, Poste, Voeu
from siam.models.bareme import BaremeVoeu
from siam.models.mouvement import MouvementResultat, MouvementRun, StatutRun
from tests.factories import make_teacher
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db


def demande(campagne: Campagne, ref: dict[str, Any], nom: str, discipline: Discipline, *totaux: str) -> Demande:
    agent = make_teacher("Agent", nom)
    Dossier.objects.filter(agent=agent).update(discipline=discipline)
    d = Demande.objects.create(agent=agent, campagne=campagne)
    for rang, total in enumerate(totaux, 1):
        commune = ref["clermont"] if rang == 1 else ref["riom"]
        voeu = Voeu.objects.create(demande=d, rang=rang, type="COM", commune=commune)
        BaremeVoeu.objects.create(voeu=voeu, demande=d, total=Decimal(total), calcule_le=timezone.now())
    return d


@pytest.fixture
def lettres(db: None) -> Discipline:
    return Discipline.objects.create(code="L0202", libelle="Lettres modernes")


@pytest.fixture
def cast(intra: Campagne, ref: dict[str, Any], lettres: Discipline) -> dict[str, Demande]:
    maths = ref["discipline"]
    out = {f"m{t}": demande(intra, ref, f"Maths{t}", maths, t, "999") for t in ("10", "20", "30", "40", "50")}
    out |= {f"l{t}": demande(intra, ref, f"Lettres{t}", lettres, t) for t in ("100", "200")}
    return out


def rows_of(html: str, testid: str) -> list[list[str]]:
    figure = html.split(f'data-testid="{testid}"', 1)[1].split("</figure>", 1)[0]
    body = figure.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_the_scale_ends_on_a_round_number() -> None:
    assert [echelle(v) for v in (0, 7, 50, 60.5, 180, 636, 1000.5)] == [1, 8, 60, 80, 200, 800, 2000]
    drawn, top = boxes([("A", 2, 0.0, 25.0, 50.0, 75.0, 100.0)])
    assert top == 100 and drawn[0].x == (170, 270, 370, 470, 570)


def test_the_campagne_page_shows_the_vœu_1_quartiles_per_discipline(
    cast: dict[str, Demande], intra: Campagne, rectorat: Agent
) -> None:
    page = client_for(rectorat, staff=True).get(f"/admin/siam/campagne/{intra.pk}/change/")
    html = page.content.decode()
    figure = html.split('data-testid="chart-baremes"', 1)[1].split("</figure>", 1)[0]
    assert 'role="img"' in figure and "<desc" in figure and "<script" not in figure and "style=" not in figure
    assert len(re.findall(r"<rect ", figure)) == 2  # one box per discipline
    assert rows_of(html, "chart-baremes") == [
        ["Lettres modernes", "2", "100", "125", "150", "175", "200"],
        ["Mathématiques", "5", "10", "20", "30", "40", "50"],  # the 999 of each vœu 2 is left out
    ]
    assert "(7 demandes)" in text(page)


def test_the_distribution_is_one_query(
    cast: dict[str, Demande], intra: Campagne, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        bareme_distribution(intra)


def test_before_the_barèmes_are_computed_the_page_says_so(intra: Campagne, rectorat: Agent) -> None:
    page = client_for(rectorat, staff=True).get(f"/admin/siam/campagne/{intra.pk}/change/")
    assert "Les barèmes ne sont pas encore calculés." in text(page)
    assert 'data-testid="chart-baremes"' not in page.content.decode()


def results(intra: Campagne, ref: dict[str, Any], cast: dict[str, Demande]) -> MouvementRun:
    """Maths: vœu 1 twice, vœu 3 once, one extension, one kept; lettres: vœu 1 once, nothing once."""
    poste = Poste.objects.create(campagne=intra, discipline=ref["discipline"], etablissement=ref["college"], nombre=9)
    run = MouvementRun.objects.create(campagne=intra, statut=StatutRun.DONE, finished_at=timezone.now())
    outcomes: dict[str, dict[str, Any]] = {
        "m10": {"voeu_rang": 1},
        "m20": {"voeu_rang": 1},
        "m30": {"voeu_rang": 3},
        "m40": {"extended": True},
        "m50": {"kept": True, "voeu_rang": 2},  # kept on a listed post: counted as kept, not as vœu 2
        "l100": {"voeu_rang": 1},
        "l200": {"poste": None},
    }
    for key, fields in outcomes.items():
        MouvementResultat.objects.create(run=run, demande=cast[key], **{"poste": poste, **fields})
    return run


def test_the_run_page_shows_the_rank_obtained_per_discipline(
    cast: dict[str, Demande], intra: Campagne, ref: dict[str, Any], rectorat: Agent
) -> None:
    run = results(intra, ref, cast)
    page = client_for(rectorat, staff=True).get(f"/admin/siam/mouvementrun/{run.pk}/change/")
    html = page.content.decode()
    figure = html.split('data-testid="chart-outcomes"', 1)[1].split("</figure>", 1)[0]
    assert 'role="img"' in figure and "<desc" in figure and "<script" not in figure and "style=" not in figure
    header = re.findall(r'<th scope="col">([^<]*)</th>', figure)
    assert header == ["discipline", "vœu 1", "vœu 3", "extension", "maintenus", "sans poste", "total"]
    assert rows_of(html, "chart-outcomes") == [
        ["Lettres modernes", "1", "0", "0", "0", "1", "2"],
        ["Mathématiques", "2", "1", "1", "1", "0", "5"],
        ["toutes disciplines", "3", "1", "1", "1", "1", "7"],
    ]
    assert len(re.findall(r"<rect ", figure)) == 5


def test_the_outcomes_are_one_query(
    cast: dict[str, Demande], intra: Campagne, ref: dict[str, Any], django_assert_num_queries: Any
) -> None:
    run = results(intra, ref, cast)
    with django_assert_num_queries(1):
        run_outcomes(run)
