"""/siam/<campagne>/resultat/: the teacher's own result and its explanation, after publication only."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Agent
from siam.models import Campagne, Demande
from siam.models.mouvement import MouvementRun
from siam.services.mouvement import run_mouvement
from siam.services.mouvement.publication import publish_run
from tests.siam.conftest import client_for, text
from tests.siam.mouvement_helpers import AFTER_CLOSING, RESULTS_OPEN, Scenario, chain_scenario

pytestmark = pytest.mark.django_db
URL = "/siam/intra-2027/resultat/"


@pytest.fixture
def computed(intra: Campagne, ref: dict[str, Any], at: Any) -> tuple[Scenario, MouvementRun]:
    scenario = chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    at(RESULTS_OPEN)
    return scenario, run


@pytest.fixture
def published(computed: tuple[Scenario, MouvementRun], drh: Agent) -> Scenario:
    scenario, run = computed
    publish_run(run=run, by=drh)
    return scenario


def test_before_publication_a_participant_is_told_to_wait_and_sees_no_result(
    computed: tuple[Scenario, MouvementRun],
) -> None:
    scenario, _run = computed
    response = client_for(scenario.agents["A"]).get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Les résultats ne sont pas encore publiés" in page
    assert "Albert-Camus" not in page


def test_a_teacher_who_obtained_a_voeu_reads_it(published: Scenario) -> None:
    page = text(client_for(published.agents["A"]).get(URL))
    assert "Vœu n° 1 obtenu" in page
    assert "Vous avez obtenu votre vœu n° 1 : Collège Albert-Camus" in page
    assert "Vous avez obtenu votre premier vœu" in page


def test_a_kept_teacher_reads_why_not_with_their_bareme_and_the_barre(published: Scenario) -> None:
    response = client_for(published.agents["F"]).get(URL)
    page = text(response)
    assert "Aucun vœu obtenu" in page
    assert "vous restez affecté(e) sur votre poste actuel : Collège Mendès-France" in page
    row = page[page.index("Vœu n° 1") :]
    assert "Lycée Virlogeux" in row
    assert "200,5" in row and "300" in row
    assert "barème inférieur à la barre" in row


def test_an_extended_teacher_reads_the_extension_and_why_not(published: Scenario) -> None:
    page = text(client_for(published.agents["G"]).get(URL))
    assert "Aucun vœu obtenu" in page
    assert "Au titre de la procédure d'extension, vous êtes affecté(e) : Collège Emile-Guillaumin" in page
    assert "Collège Albert-Camus" in page and "500" in page


def test_a_teacher_without_demande_gets_404(published: Scenario, teacher_b: Agent) -> None:
    assert client_for(teacher_b).get(URL).status_code == 404


def test_a_demande_outside_the_published_run_gets_404(published: Scenario, intra: Campagne, teacher_b: Agent) -> None:
    Demande.objects.create(agent=teacher_b, campagne=intra)
    assert client_for(teacher_b).get(URL).status_code == 404


def test_an_unknown_campagne_gets_404(published: Scenario) -> None:
    assert client_for(published.agents["A"]).get("/siam/nulle-part/resultat/").status_code == 404


def test_anonymous_is_sent_to_login(published: Scenario) -> None:
    response = client_for(published.agents["A"]).get(URL)
    assert response.status_code == 200
    from django.test import Client

    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_post_is_not_allowed(published: Scenario) -> None:
    assert client_for(published.agents["A"]).post(URL).status_code == 405


def test_the_page_costs_a_fixed_number_of_queries(published: Scenario, django_assert_max_num_queries: Any) -> None:
    client = client_for(published.agents["D"])
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert "Vœu n° 2 obtenu" in text(response)


def test_the_siam_home_links_to_the_result_in_the_results_phase(published: Scenario) -> None:
    page = text(client_for(published.agents["A"]).get("/siam/"))
    assert URL in page
