"""publish_run: DRH only, certified runs only, from the results phase, once, to the participants only."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Agent
from iprof.courrier.models import Categorie, Message
from siam.errors import PublicationRefusee
from siam.models import Campagne, EtatDemande
from siam.models.mouvement import MouvementRun
from siam.services.mouvement import run_mouvement
from siam.services.mouvement.publication import publish_run
from tests.siam.mouvement_helpers import AFTER_CLOSING, RESULTS_OPEN, Scenario, chain_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(intra: Campagne, ref: dict[str, Any], at: Any) -> tuple[Scenario, MouvementRun]:
    scenario = chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None, exchange=True)
    at(RESULTS_OPEN)
    return scenario, run


def corps_of(agent: Agent) -> str:
    return Message.objects.get(recipient=agent, categorie=Categorie.RESULTAT).corps


def test_each_participant_receives_their_result_and_where_to_read_its_explanation(
    computed: tuple[Scenario, MouvementRun], drh: Agent
) -> None:
    scenario, run = computed
    done = publish_run(run=run, by=drh)
    assert (done.created, done.already_posted) == (6, 0)
    assert "Vous avez obtenu votre vœu n° 1\u00a0: Collège Albert-Camus" in corps_of(scenario.agents["A"])
    assert "Vous avez obtenu votre vœu n° 2\u00a0: Lycée Blaise-Pascal" in corps_of(scenario.agents["D"])
    assert (
        "Vous n'avez obtenu aucun de vos vœux\u00a0; vous restez affecté(e) sur votre poste actuel\u00a0: Collège Mendès-France"
        in corps_of(scenario.agents["F"])
    )
    assert "procédure d'extension, vous êtes affecté(e)\u00a0: Collège Emile-Guillaumin" in corps_of(
        scenario.agents["G"]
    )
    assert "/siam/intra-2027/resultat/" in corps_of(scenario.agents["A"])
    run.refresh_from_db()
    assert run.published_by == drh and run.published_at is not None and not run.published_exchange


def test_publishing_twice_posts_nothing_new(computed: tuple[Scenario, MouvementRun], drh: Agent) -> None:
    _scenario, run = computed
    publish_run(run=run, by=drh)
    again = publish_run(run=run, by=drh)
    assert (again.created, again.already_posted) == (0, 6)
    assert Message.objects.filter(categorie=Categorie.RESULTAT).count() == 6


def test_non_participants_never_receive_a_result(
    computed: tuple[Scenario, MouvementRun], drh: Agent, teacher_b: Agent
) -> None:
    _scenario, run = computed
    publish_run(run=run, by=drh)
    assert not Message.objects.filter(recipient=teacher_b).exists()
    assert not Message.objects.filter(recipient=drh).exists()


def test_only_the_drh_may_publish(computed: tuple[Scenario, MouvementRun], rectorat: Agent) -> None:
    _scenario, run = computed
    with pytest.raises(PublicationRefusee, match="DRH"):
        publish_run(run=run, by=rectorat)
    assert not Message.objects.exists()


def test_a_run_the_checker_did_not_certify_is_refused(computed: tuple[Scenario, MouvementRun], drh: Agent) -> None:
    _scenario, run = computed
    MouvementRun.objects.filter(pk=run.pk).update(verdict_ok=False, violations_total=1)
    with pytest.raises(PublicationRefusee, match="certifié"):
        publish_run(run=run, by=drh)
    assert not Message.objects.exists()
    assert not MouvementRun.objects.published().exists()


def test_publication_is_refused_before_the_results_phase(
    computed: tuple[Scenario, MouvementRun], drh: Agent, at: Any
) -> None:
    _scenario, run = computed
    at(AFTER_CLOSING)
    with pytest.raises(PublicationRefusee, match="20 juin 2027"):
        publish_run(run=run, by=drh)
    assert not Message.objects.exists()


def test_a_second_run_cannot_be_published_once_one_is(
    computed: tuple[Scenario, MouvementRun], drh: Agent, at: Any
) -> None:
    scenario, run = computed
    publish_run(run=run, by=drh)
    other = run_mouvement(campagne=scenario.campagne, by=None)
    with pytest.raises(PublicationRefusee, match="déjà publié"):
        publish_run(run=other, by=drh)


def test_a_demande_cancelled_after_the_run_blocks_publication(
    computed: tuple[Scenario, MouvementRun], drh: Agent
) -> None:
    scenario, run = computed
    scenario.demandes["B"].etat = EtatDemande.ANNULEE
    scenario.demandes["B"].save()
    with pytest.raises(PublicationRefusee, match="relancez"):
        publish_run(run=run, by=drh)
    assert not Message.objects.exists()


def test_the_exchange_result_is_published_only_when_chosen(computed: tuple[Scenario, MouvementRun], drh: Agent) -> None:
    _scenario, run = computed
    publish_run(run=run, by=drh, exchange=True)
    run.refresh_from_db()
    assert run.published_exchange
    with pytest.raises(PublicationRefusee, match="autre résultat"):
        publish_run(run=run, by=drh, exchange=False)
