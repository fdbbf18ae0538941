"""manage.py mouvement: generate a small synthetic inter and intra, run them, compare, verify."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Agent
from siam.models import Campagne, Voeu
from siam.models.bareme import BaremeVoeu
from siam.models.mouvement import MouvementRun, StatutRun

pytestmark = pytest.mark.django_db


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("mouvement", *args, stdout=out)
    return out.getvalue()


def test_generate_then_run_then_compare_then_verify_end_to_end() -> None:
    out = command("generate", "--seed", "5", "--inter", "300", "--intra", "200", "--voeux", "8")
    assert "synthetique-inter-5" in out and "synthetique-intra-5" in out
    inter = Campagne.objects.get(slug="synthetique-inter-5")
    intra = Campagne.objects.get(slug="synthetique-intra-5")
    assert inter.demandes.count() == 300 and intra.demandes.count() == 200
    assert not inter.publiee  # never shown to teachers
    assert BaremeVoeu.objects.count() == Voeu.objects.count() > 300
    # one shared unusable password, never a hash per agent
    assert set(Agent.objects.filter(identifiant__startswith="syn5").values_list("password", flat=True)).__len__() == 1
    assert not Agent.objects.filter(identifiant__startswith="syn5").first().has_usable_password()  # type: ignore[union-attr]

    for slug in ("synthetique-inter-5", "synthetique-intra-5"):
        out = command("run", slug, "--exchange")
        assert "Vérificateur : résultat certifié." in out, out
        assert "terminé" in out  # the progress lines (no terminal here)
    run = MouvementRun.objects.get(campagne=intra)
    assert run.statut == StatutRun.DONE and run.verdict_ok
    assert run.stats["participants"] == 200
    assert run.stats["extensions"] + run.stats["satisfaits"] + run.stats["maintenus"] > 0

    second = command("run", "synthetique-intra-5")
    assert "certifié" in second
    again = MouvementRun.objects.filter(campagne=intra).order_by("-pk").first()
    out = command("compare", str(run.pk), str(again.pk))  # type: ignore[union-attr]
    assert "0 participant(s) obtiennent un autre résultat" in out

    out = command("verify", str(run.pk))
    assert "Run reproduit à l'identique et certifié." in out


def test_generating_the_same_seed_twice_is_refused() -> None:
    command("generate", "--seed", "9", "--inter", "50", "--intra", "0")
    with pytest.raises(CommandError, match="déjà généré"):
        command("generate", "--seed", "9", "--inter", "50", "--intra", "0")


def test_an_unknown_campagne_is_named_with_the_known_ones() -> None:
    with pytest.raises(CommandError, match="Campagne inconnue : nulle-part"):
        command("run", "nulle-part")


def test_the_exchange_stage_moves_more_teachers_on_the_synthetic_inter() -> None:
    command("generate", "--seed", "12", "--inter", "400", "--intra", "0")
    out = command("run", "synthetique-inter-12", "--exchange")
    report = MouvementRun.objects.get(campagne__slug="synthetique-inter-12").exchange_report
    assert report is not None and report["sound"] is True
    # every tenured teacher's own-post barème is passed: swaps DA* blocks go through
    assert report["movers_after"] > report["movers_before"] and report["cycles"] > 0
    assert report["rang_moyen_gagne"] >= 1
    assert f"{report['movers_before']} → {report['movers_after']} titulaires mutés (DA* → échanges)" in out
    command("run", "synthetique-inter-12")
    a, b = MouvementRun.objects.filter(campagne__slug="synthetique-inter-12").order_by("pk")
    compared = command("compare", str(b.pk), str(a.pk))
    assert f"titulaires mutés après les échanges        None  {report['movers_after']:>10}" in compared, compared
