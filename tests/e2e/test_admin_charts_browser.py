"""The staff charts in a browser: the vœu-1 barèmes per discipline and the rank obtained after a run."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Agent
from dossier.models import Discipline
from siam.models import CampagneKind, Demande, Poste
from siam.models.mouvement import MouvementResultat, MouvementRun, StatutRun
from tests.e2e.conftest import ARTIFACTS
from tests.siam.conftest import build_campagne, build_ref, client_for
from tests.siam.test_admin_charts_baremes import demande


def test_the_staff_see_the_barèmes_and_the_ranks_obtained(page: Page, live_server: Any, rectorat: Agent) -> None:
    ref = build_ref()
    intra = build_campagne(CampagneKind.INTRA)
    disciplines = [
        ref["discipline"],
        Discipline.objects.create(code="L0202", libelle="Lettres modernes"),
        Discipline.objects.create(code="L1000", libelle="Histoire-géographie"),
    ]
    poste = Poste.objects.create(campagne=intra, discipline=ref["discipline"], etablissement=ref["college"], nombre=60)
    run = MouvementRun.objects.create(campagne=intra, statut=StatutRun.DONE, finished_at=timezone.now())
    for i in range(36):
        d = demande(intra, ref, f"Graphe{i:02d}", disciplines[i % 3], str(40 + (i * 37) % 300 + 150 * (i % 3)))
        outcomes: list[dict[str, Any]] = [
            {"voeu_rang": 1},
            {"voeu_rang": 1 + i % 4},
            {"extended": True},
            {"kept": True},
            {"poste": None},
            {"voeu_rang": 2},
        ]
        outcome = outcomes[i % 6]
        MouvementResultat.objects.create(run=run, demande=d, **{"poste": poste, **outcome})
    client = client_for(rectorat, staff=True)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/admin/siam/campagne/{intra.pk}/change/")
    chart = page.get_by_test_id("chart-baremes")
    expect(chart.get_by_role("img", name="Barème du vœu 1 par discipline (36 demandes)")).to_be_visible()
    expect(chart.locator("tbody tr")).to_have_count(3)
    expect(chart.locator("text").filter(has_text="800")).to_have_count(1)  # the scale ends on 800 (max 636)
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(ARTIFACTS / "admin-04-graphique-baremes.png"))
    page.goto(f"{live_server.url}/admin/siam/mouvementrun/{run.pk}/change/")
    chart = page.get_by_test_id("chart-outcomes")
    expect(chart.get_by_role("img", name="Résultat du run (36 participants)")).to_be_visible()
    expect(chart.locator("tbody tr").last).to_contain_text("toutes disciplines")
    expect(chart.locator("tbody tr td").last).to_have_text("36")
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(ARTIFACTS / "admin-05-graphique-rangs.png"))
    # a national run: many ranks, the labels slant and the values stay in the table
    dense = MouvementRun.objects.create(campagne=intra, statut=StatutRun.DONE, finished_at=timezone.now())
    for i, d in enumerate(Demande.objects.filter(campagne=intra).order_by("pk")):
        MouvementResultat.objects.create(run=dense, demande=d, poste=poste, voeu_rang=1 + i % 14)
    page.goto(f"{live_server.url}/admin/siam/mouvementrun/{dense.pk}/change/")
    chart = page.get_by_test_id("chart-outcomes")
    expect(chart.locator("thead th")).to_have_count(1 + 14 + 3 + 1)
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(ARTIFACTS / "admin-06-graphique-rangs-nombreux.png"))
