"""The admin: the rectorat launches a run and reads it; the DRH publishes after a confirmation page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accounts.models import Agent
from iprof.courrier.models import Message
from siam.models import Campagne
from siam.models.mouvement import MouvementRun, TableExtension
from siam.services.mouvement import run_mouvement
from tests.siam.conftest import PENDANT, client_for, text
from tests.siam.mouvement_helpers import AFTER_CLOSING, RESULTS_OPEN, chain_scenario

pytestmark = pytest.mark.django_db
RUNS = "/admin/siam/mouvementrun/"


@pytest.fixture
def scenario_closed(intra: Campagne, ref: dict[str, Any], at: Any) -> Campagne:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    return intra


def test_the_rectorat_launches_a_run_and_reads_its_statistics_and_certificate(
    scenario_closed: Campagne, rectorat: Agent
) -> None:
    staff = client_for(rectorat, staff=True)
    assert "Lancer le mouvement" in text(staff.get(RUNS))
    response = staff.post(f"{RUNS}lancer/", {"campagne": scenario_closed.pk, "extension": "on"})
    run = MouvementRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{RUNS}{run.pk}/change/")
    page = text(staff.get(response["Location"]))
    assert "Résultat certifié" in page
    assert "vœu 1 : 3" in page and "vœu 2 : 1" in page
    assert "Publier" not in page  # the rectorat does not publish


def test_a_run_refused_at_launch_is_explained_on_the_launch_page(
    scenario_closed: Campagne, rectorat: Agent, at: Any
) -> None:
    at(PENDANT)
    response = client_for(rectorat, staff=True).post(f"{RUNS}lancer/", {"campagne": scenario_closed.pk})
    assert response.status_code == 200
    assert "La saisie des vœux n'est pas close" in text(response)
    assert not MouvementRun.objects.exists()


def test_a_run_failing_in_the_worker_shows_its_reason_on_its_page(scenario_closed: Campagne, rectorat: Agent) -> None:
    TableExtension.objects.create(campagne=scenario_closed, zone="063", voisins=["999"])
    staff = client_for(rectorat, staff=True)
    response = staff.post(f"{RUNS}lancer/", {"campagne": scenario_closed.pk})
    page = text(staff.get(response["Location"]))
    assert "échoué" in page and "zone(s) inconnue(s) pour cette campagne : 999" in page


def test_the_drh_cannot_launch_and_teachers_never_reach_the_admin(
    scenario_closed: Campagne, drh: Agent, teacher_a: Agent
) -> None:
    assert client_for(drh, staff=True).post(f"{RUNS}lancer/", {"campagne": scenario_closed.pk}).status_code == 403
    assert client_for(teacher_a).get(f"{RUNS}lancer/").status_code == 302
    assert not MouvementRun.objects.exists()


def test_a_second_run_is_compared_with_the_previous_one(scenario_closed: Campagne, rectorat: Agent) -> None:
    run_mouvement(campagne=scenario_closed, by=None)
    second = run_mouvement(campagne=scenario_closed, by=None)
    staff = client_for(rectorat, staff=True)
    assert "Comparaison avec le run précédent" in text(staff.get(f"{RUNS}{second.pk}/change/"))
    page = text(staff.get(f"{RUNS}{second.pk}/comparer/"))
    assert re.search(r"\b0 participants? obtien", page)


def test_the_drh_confirms_then_publishes(scenario_closed: Campagne, drh: Agent, at: Any) -> None:
    run = run_mouvement(campagne=scenario_closed, by=None)
    at(RESULTS_OPEN)
    staff = client_for(drh, staff=True)
    assert "Publier" in text(staff.get(f"{RUNS}{run.pk}/change/"))
    confirm = text(staff.get(f"{RUNS}{run.pk}/publier/"))
    assert "6 participants recevront un courrier de résultat" in confirm
    # without ticking the confirmation nothing is sent
    assert staff.post(f"{RUNS}{run.pk}/publier/", {}).status_code == 200
    assert not Message.objects.exists()
    response = staff.post(f"{RUNS}{run.pk}/publier/", {"confirm": "on"})
    assert response.status_code == 302
    assert Message.objects.count() == 6


def test_publication_before_the_results_phase_shows_the_reason(scenario_closed: Campagne, drh: Agent) -> None:
    run = run_mouvement(campagne=scenario_closed, by=None)
    response = client_for(drh, staff=True).post(f"{RUNS}{run.pk}/publier/", {"confirm": "on"})
    assert response.status_code == 200
    assert "ne peuvent être publiés qu'à partir du 20 juin 2027" in text(response)
    assert not Message.objects.exists()


def test_the_rectorat_cannot_publish(scenario_closed: Campagne, rectorat: Agent, at: Any) -> None:
    run = run_mouvement(campagne=scenario_closed, by=None)
    at(RESULTS_OPEN)
    staff = client_for(rectorat, staff=True)
    assert staff.get(f"{RUNS}{run.pk}/publier/").status_code == 403
    assert staff.post(f"{RUNS}{run.pk}/publier/", {"confirm": "on"}).status_code == 403
    assert not Message.objects.exists()


def test_results_are_listed_with_their_explanation(scenario_closed: Campagne, rectorat: Agent) -> None:
    run = run_mouvement(campagne=scenario_closed, by=None)
    staff = client_for(rectorat, staff=True)
    assert "FABRE Fanny" in text(staff.get("/admin/siam/mouvementresultat/"))
    resultat = run.resultats.get(demande__agent__nom="Fabre")
    assert "200.5 / 300.0 — barème inférieur à la barre" in text(
        staff.get(f"/admin/siam/mouvementresultat/{resultat.pk}/change/")
    )


def test_the_extension_table_rejects_unknown_codes(intra: Campagne, rectorat: Agent) -> None:
    staff = client_for(rectorat, staff=True)
    response = staff.post("/admin/siam/tableextension/add/", {"campagne": intra.pk, "zone": "063", "voisins": "999"})
    assert response.status_code == 200 and "Codes inconnus" in text(response)
    response = staff.post("/admin/siam/tableextension/add/", {"campagne": intra.pk, "zone": "063", "voisins": "063"})
    assert response.status_code == 302
    assert TableExtension.objects.get().voisins == ["063"]


def test_the_comparison_names_who_obtains_something_else(scenario_closed: Campagne, rectorat: Agent) -> None:
    from decimal import Decimal

    from siam.models.bareme import BaremeVoeu

    first = run_mouvement(campagne=scenario_closed, by=None)
    BaremeVoeu.objects.filter(demande__agent__nom="Fabre").update(total=Decimal("400"))  # a corrected barème
    second = run_mouvement(campagne=scenario_closed, by=None)
    page = text(client_for(rectorat, staff=True).get(f"{RUNS}{second.pk}/comparer/?avec={first.pk}"))
    # F now beats C on E4: C stays, so do B and A, and D goes to extension — the chain is undone
    changed = re.search(r"(\d+) participants obtiennent un autre résultat", page)
    assert changed and int(changed.group(1)) >= 5
    row = page[page.index("FABRE Fanny") :]
    assert "maintenu : Collège Mendès-France" in row and "vœu n° 1 : Lycée Virlogeux" in row


def test_the_run_page_reports_the_exchange_stage(scenario_closed: Campagne, rectorat: Agent) -> None:
    run = run_mouvement(campagne=scenario_closed, by=None, exchange=True)
    run.refresh_from_db()
    r = run.exchange_report
    assert r is not None
    page = text(client_for(rectorat, staff=True).get(f"{RUNS}{run.pk}/change/"))
    assert (
        f"Titulaires mutés : {r['movers_before']} par le mouvement, {r['movers_after']} après les échanges ; "
        f"{r['improved']} {'enseignant mieux affecté' if r['improved'] < 2 else 'enseignants mieux affectés'} en "
        f"{r['cycles']} {'échange' if r['cycles'] < 2 else 'échanges'}."
    ) in page
    assert "Rang de vœu gagné en moyenne par les enseignants mieux affectés : 0,00." in page
