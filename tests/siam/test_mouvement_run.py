"""run_mouvement on a hand-built campagne in PostgreSQL: assignments, certificate, statistics, bulk loading."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from siam.errors import MouvementError
from siam.models import Campagne, Poste
from siam.models.mouvement import MouvementResultat, MouvementRun, StatutRun, TableExtension
from siam.services.mouvement import audit_run, compare_runs, load_snapshot, run_mouvement
from tests.siam.conftest import PENDANT
from tests.siam.mouvement_helpers import AFTER_CLOSING, chain_scenario, crowd

pytestmark = pytest.mark.django_db


def outcome(run: MouvementRun) -> dict[str, tuple[str | None, int | None, bool, bool]]:
    rows = MouvementResultat.objects.filter(run=run).select_related("demande__agent", "poste__etablissement")
    return {
        r.demande.agent.nom: (r.poste.etablissement.nom if r.poste else None, r.voeu_rang, r.kept, r.extended)  # type: ignore[union-attr]
        for r in rows
    }


def test_chain_kept_and_extension_come_out_as_worked_by_hand(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    assert outcome(run) == {
        "Arnaud": ("Collège Albert-Camus", 1, False, False),
        "Blanc": ("Lycée Jeanne-d'Arc", 1, False, False),
        "Caron": ("Lycée Virlogeux", 1, False, False),
        "Dumas": ("Lycée Blaise-Pascal", 2, False, False),
        "Fabre": ("Collège Mendès-France", None, True, False),
        "Garnier": ("Collège Emile-Guillaumin", None, False, True),
    }
    run.refresh_from_db()
    assert run.statut == StatutRun.DONE and run.verdict_ok is True and run.violations == []
    assert run.stats["satisfaits_par_rang"] == {"1": 3, "2": 1}
    assert (run.stats["maintenus"], run.stats["extensions"], run.stats["mutations"]) == (1, 1, 3)
    assert (run.stats["sans_poste"], run.stats["participants"], run.stats["obligatoires"]) == (0, 6, 2)
    assert run.seed == "graine-des-tests"
    assert run.params["table_extension"] == "distance"


def test_current_posts_missing_from_the_campagne_are_created_without_vacancy(
    intra: Campagne, ref: dict[str, Any], at: Any
) -> None:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run_mouvement(campagne=intra, by=None)
    created = Poste.objects.filter(campagne=intra, nombre=0, susceptible_vacant=True)
    assert sorted(created.values_list("etablissement__nom", flat=True)) == [
        "Collège Albert-Camus",
        "Collège Mendès-France",
        "Lycée Blaise-Pascal",
        "Lycée Jeanne-d'Arc",
    ]


def test_why_not_rows_are_stored_with_the_barre(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    scenario = chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    fabre = MouvementResultat.objects.get(run=run, demande=scenario.demandes["F"])
    e4 = Poste.objects.get(campagne=intra, etablissement=scenario.etabs["E4"])
    assert fabre.why_not == [[1, 2005, 3000, "barre", 1, e4.pk]]
    run.refresh_from_db()
    assert run.barres[str(e4.pk)] == [1, 1, 3000, run.barres[str(e4.pk)][3]]


def test_the_snapshot_reruns_to_the_same_results_and_certificate(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    run.refresh_from_db()
    audit = audit_run(run=run)
    assert audit.verdict.ok and audit.differences == 0 and audit.sha256_ok and audit.participants == 6
    assert len(load_snapshot(bytes(run.inputs))["prefs"]) == 6  # type: ignore[arg-type]


def test_a_tampered_result_is_caught_by_the_audit(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    scenario = chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    MouvementResultat.objects.filter(run=run, demande=scenario.demandes["F"]).update(poste=None, kept=False)
    assert audit_run(run=run).differences == 1


def test_the_exchange_stage_is_stored_as_a_comparison_only(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None, exchange=True)
    run.refresh_from_db()
    assert run.exchange_report is not None and run.exchange_report["sound"] is True
    assert run.exchange_report["movers_before"] == 3
    assert outcome(run)["Caron"] == ("Lycée Virlogeux", 1, False, False)


def test_an_extension_table_entered_by_staff_is_followed(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    chain_scenario(intra, ref)
    TableExtension.objects.create(campagne=intra, zone="063", voisins=["003"])
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    assert run.params["table_extension"] == "table"
    assert outcome(run)["Garnier"] == ("Collège Emile-Guillaumin", None, False, True)


def test_an_unknown_zone_in_the_table_fails_the_run_and_keeps_it_as_failed(
    intra: Campagne, ref: dict[str, Any], at: Any
) -> None:
    chain_scenario(intra, ref)
    TableExtension.objects.create(campagne=intra, zone="063", voisins=["999"])
    at(AFTER_CLOSING)
    with pytest.raises(MouvementError, match="999"):
        run_mouvement(campagne=intra, by=None)
    failed = MouvementRun.objects.get(campagne=intra)
    assert failed.statut == StatutRun.FAILED and "999" in failed.erreur
    assert not MouvementResultat.objects.exists()


def test_a_run_is_refused_while_the_saisie_is_open(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    chain_scenario(intra, ref)
    at(PENDANT)
    with pytest.raises(MouvementError, match="saisie"):
        run_mouvement(campagne=intra, by=None)
    assert not MouvementRun.objects.exists()


def test_a_second_run_while_one_is_computing_is_refused(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    MouvementRun.objects.create(campagne=intra)
    with pytest.raises(MouvementError, match="déjà en cours"):
        run_mouvement(campagne=intra, by=None)


def test_a_run_left_computing_for_hours_is_closed_as_interrupted_and_the_new_one_runs(
    intra: Campagne, ref: dict[str, Any], at: Any
) -> None:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    interrupted = MouvementRun.objects.create(campagne=intra, started_at=AFTER_CLOSING - datetime.timedelta(hours=3))
    run = run_mouvement(campagne=intra, by=None)
    interrupted.refresh_from_db()
    assert interrupted.statut == StatutRun.FAILED
    assert interrupted.erreur == "Interrompu\u00a0: le calcul ne s'est jamais terminé."
    assert interrupted.finished_at is not None
    assert run.statut == StatutRun.DONE and run.pk != interrupted.pk


def test_a_run_computing_for_an_hour_is_left_alone_and_the_new_one_refused(
    intra: Campagne, ref: dict[str, Any], at: Any
) -> None:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    computing = MouvementRun.objects.create(campagne=intra, started_at=AFTER_CLOSING - datetime.timedelta(hours=1))
    with pytest.raises(MouvementError, match="déjà en cours"):
        run_mouvement(campagne=intra, by=None)
    computing.refresh_from_db()
    assert (computing.statut, computing.erreur, computing.finished_at) == (StatutRun.RUNNING, "", None)
    assert MouvementRun.objects.filter(campagne=intra).count() == 1


def test_missing_baremes_refuse_the_run(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    from siam.models.bareme import BaremeVoeu

    chain_scenario(intra, ref)
    BaremeVoeu.objects.filter(voeu__demande__agent__nom="Fabre").delete()
    at(AFTER_CLOSING)
    with pytest.raises(MouvementError, match=r"1 vœu.*sans barème"):
        run_mouvement(campagne=intra, by=None)


def test_two_runs_on_the_same_data_compare_equal(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    chain_scenario(intra, ref)
    at(AFTER_CLOSING)
    first = run_mouvement(campagne=intra, by=None)
    second = run_mouvement(campagne=intra, by=None)
    second.refresh_from_db()
    assert second.previous() == first
    comparison = compare_runs(a=first, b=second)
    assert (comparison.changed, comparison.only_a, comparison.only_b) == (0, 0, 0)
    assert second.inputs_sha256 == MouvementRun.objects.get(pk=first.pk).inputs_sha256


def test_a_cancelled_demande_is_not_a_participant(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    from siam.models import EtatDemande

    scenario = chain_scenario(intra, ref)
    scenario.demandes["C"].etat = EtatDemande.ANNULEE
    scenario.demandes["C"].save()
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    result = outcome(run)
    assert "Caron" not in result
    # without C leaving E3, B has nowhere to go and the chain stops: A and B stay
    assert result["Blanc"] == ("Collège Albert-Camus", None, True, False)


@pytest.mark.parametrize("n", [5, 50])
def test_a_run_needs_the_same_number_of_queries_for_5_or_50_participants(
    n: int, intra: Campagne, ref: dict[str, Any], at: Any, django_assert_max_num_queries: Any
) -> None:
    crowd(intra, ref, n)
    at(AFTER_CLOSING)
    with django_assert_max_num_queries(25):  # constant: no query per participant (+1 the jalons, +1 capacities)
        run = run_mouvement(campagne=intra, by=None)
    assert MouvementResultat.objects.filter(run=run).count() == n
    run.refresh_from_db()
    assert run.verdict_ok


def test_the_inter_extends_along_the_limitrophes_and_never_into_corse_or_the_dom(
    inter: Campagne, ref: dict[str, Any], at: Any
) -> None:
    from dossier.models import Academie
    from siam.models import TypeVoeu
    from siam.models.bareme import TirageDepartage
    from tests.siam.mouvement_helpers import participant

    clermont, lyon = ref["academie"], ref["lyon_academie"]
    clermont.limitrophes.add(lyon)
    corse = Academie.objects.create(code="CORSE", nom="Corse", is_corse=True)
    guyane = Academie.objects.create(code="GUYANE", nom="Guyane", is_dom=True)
    maths = ref["discipline"]
    lyon_poste = Poste.objects.create(campagne=inter, discipline=maths, academie=lyon, nombre=1)
    for academie, seats in ((corse, 2), (guyane, 2)):
        Poste.objects.create(campagne=inter, discipline=maths, academie=academie, nombre=seats)
    TirageDepartage.objects.create(campagne=inter, seed="graine-inter")
    participant(inter, "Thomas", "Titulaire", ref["etablissement"], [(TypeVoeu.ACA, lyon, "300")])
    participant(inter, "Olga", "Une", None, [(TypeVoeu.ACA, lyon, "100")], obligatory=True, extension="100")
    participant(inter, "Oscar", "Deux", None, [(TypeVoeu.ACA, lyon, "50")], obligatory=True, extension="50")
    at(AFTER_CLOSING)
    # only Corse and Guyane have room for the second obligatory participant: the run is refused
    with pytest.raises(MouvementError, match="2 participants obligatoires, 5 places, dont 1 hors Corse et DOM"):
        run_mouvement(campagne=inter, by=None)
    Poste.objects.filter(pk=lyon_poste.pk).update(nombre=2)
    run = run_mouvement(campagne=inter, by=None)
    rows = {
        r.demande.agent.nom: (r.poste.academie.nom if r.poste else None, r.kept, r.extended)  # type: ignore[union-attr]
        for r in MouvementResultat.objects.filter(run=run).select_related("demande__agent", "poste__academie")
    }
    # Thomas and Olga obtain Lyon; Oscar, extended, takes the seat Thomas freed in Clermont (limitrophe of
    # Lyon), never the free seats of Corse and Guyane, where the extension never goes.
    assert rows == {
        "Titulaire": ("Lyon", False, False),
        "Une": ("Lyon", False, False),
        "Deux": ("Clermont-Ferrand", False, True),
    }
    assert run.params["table_extension"] == "limitrophes"
    run.refresh_from_db()
    assert run.verdict_ok and run.stats["obligatoires_sans_poste"] == 0


def test_a_campagne_without_participants_runs_to_an_empty_certified_result(intra: Campagne, at: Any) -> None:
    from siam.models.bareme import TirageDepartage

    TirageDepartage.objects.create(campagne=intra, seed="vide")
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    run.refresh_from_db()
    assert run.verdict_ok and run.stats["participants"] == 0 and not run.resultats.exists()


def test_without_a_tiebreak_draw_the_run_fails_with_the_barème_services_message(
    intra: Campagne, ref: dict[str, Any], at: Any
) -> None:
    from siam.errors import SiamError
    from siam.models.bareme import TirageDepartage

    chain_scenario(intra, ref)
    TirageDepartage.objects.all().delete()
    at(AFTER_CLOSING)
    with pytest.raises(SiamError, match="tirage au sort"):
        run_mouvement(campagne=intra, by=None)
    assert MouvementRun.objects.get().statut == StatutRun.FAILED


def test_a_volunteer_without_voeux_takes_no_part_in_the_run(intra: Campagne, ref: dict[str, Any], at: Any) -> None:
    from tests.siam.mouvement_helpers import participant

    chain_scenario(intra, ref)
    _agent, empty = participant(intra, "Vide", "Sansvoeu", None, [])
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    assert not MouvementResultat.objects.filter(run=run, demande=empty).exists()
    assert MouvementResultat.objects.filter(run=run).count() == 6
