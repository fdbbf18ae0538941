"""A whole mouvement run from the database: load, expand, compute, check, store.

Run: .venv/bin/python bench/bench_mouvement_run.py [seed]

In a throwaway database (created, migrated, dropped): ``manage.py mouvement generate`` writes
the synthetic national inter (30,000 participants × up to 31 académies) and an intra of
20,000 participants × 20 typed voeux; then each campagne is run once by ``run_mouvement``
in a fresh process, so that its peak memory is the run's own. Printed per campagne: time per
stage, total, queries, peak RSS, and two references measured in the same process just
before: one bulk SELECT of the campagne's voeux, and DA* alone on the run's own instance.
Targets (issue 7): inter ≤ 15 s, intra ≤ 30 s. The inter runs with the exchange stage (movers DA* vs
exchange printed), then is published and handed to an intra linked to it (issue 12), twice.
Set BENCH_MOUVEMENT_DB to give the throwaway database a name of your own on a shared server.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.server import drop_database, env_for, recreate_database  # noqa: E402 - after the path

DATABASE = os.environ.get("BENCH_MOUVEMENT_DB", "bench_mouvement_run")  # several checkouts share one server
TARGETS = {"inter": 15.0, "intra": 30.0}
STEP_TIMEOUT = int(os.environ.get("BENCH_STEP_TIMEOUT", "600"))


def manage(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env_for(url), check=True, timeout=STEP_TIMEOUT)


def measure(slug: str) -> None:
    """In a fresh process: the references, then the run."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iprof.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from siam.models import Campagne, Voeu
    from siam.mouvement import assign
    from siam.services.bareme import extension_totals, voeu_totals
    from siam.services.bareme.departage import tiebreak_ranks
    from siam.services.mouvement import run_mouvement
    from siam.services.mouvement.market import build_market, load_market

    campagne = Campagne.objects.get(slug=slug)
    kind = "inter" if campagne.is_inter else "intra"
    started = time.perf_counter()
    n_voeux = len(list(Voeu.objects.filter(demande__campagne=campagne).values_list("pk", "demande_id", "rang", "type")))
    select = time.perf_counter() - started
    market = build_market(
        load_market(
            campagne,
            voeu_totals=voeu_totals(campagne),
            extension_totals=extension_totals(campagne),
            tiebreak=tiebreak_ranks(campagne),
        )
    )
    engine = min(_timed(lambda: assign(market.instance)) for _ in range(3))
    positions = sum(map(len, market.instance.prefs))

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        run = run_mouvement(campagne=campagne, by=None, exchange=campagne.is_inter)
    total = time.perf_counter() - started
    run.refresh_from_db()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    target = TARGETS[kind]
    print(
        f"{kind}: {run.stats['participants']} participants, {n_voeux} voeux, {positions} list positions after expansion"
    )
    print("  stages: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in run.durations.items()))
    print(
        f"  whole run: {total:.2f} s (target ≤ {target:.0f} s: {'met' if total <= target else 'MISSED'}); "
        f"{len(queries.captured_queries)} queries; certified: {run.verdict_ok}"
    )
    print(f"  peak RSS: {rss / 1024:.0f} MB (before the run: {rss_before / 1024:.0f} MB, after the references)")
    print(
        f"  references: bulk SELECT of the voeux {select:.2f} s → run = {total / select:.1f}× it; "
        f"DA* alone on the same instance {engine:.3f} s → run = {total / engine:.0f}× it"
    )
    print(
        f"  stats: satisfied {run.stats['satisfaits']}, kept {run.stats['maintenus']}, "
        f"extended {run.stats['extensions']}, without post {run.stats['sans_poste']}, movers {run.stats['mutations']}",
        flush=True,
    )
    if run.exchange_report:
        r = run.exchange_report
        print(
            f"  exchange stage: tenured movers DA* {r['movers_before']} → exchange {r['movers_after']} "
            f"(+{r['more_movers']}, {100 * r['more_movers'] / max(1, r['movers_before']):.1f} %), "
            f"{r['improved']} better off in {r['cycles']} cycles, {r['rang_moyen_gagne']} voeu ranks gained on "
            f"average; sound: {r['sound']}",
            flush=True,
        )
    if campagne.is_inter:
        publish_and_hand_off(run)


def publish_and_hand_off(run: object) -> None:
    """Publish the inter run (one courrier per participant) and hand its results to an intra linked to it."""
    from django.conf import settings

    from accounts.models import Agent
    from dossier.models import Academie
    from siam.models import Campagne, CampagneKind, Demande
    from siam.services.mouvement.publication import publish_run

    inter = run.campagne  # type: ignore[attr-defined]
    academie = Academie.objects.filter(nom__icontains="Clermont").first() or Academie.objects.order_by("pk").first()
    settings.IPROF_ACADEMIE_CODE = academie.code  # type: ignore[union-attr]
    dates = {f: getattr(inter, f) for f in ("saisie_debut", "saisie_fin", "confirmation_debut", "retour_pieces_fin",
             "bareme_affichage_debut", "bareme_affichage_fin", "baremes_definitifs", "annulation_fin", "resultats")}  # fmt: skip
    intra = Campagne.objects.create(
        slug=f"bench-intra-{inter.pk}", kind=CampagneKind.INTRA, year=inter.year, academie=academie,
        campagne_inter=inter, libelle="Intra de banc d'essai", publiee=False, **dates,
    )  # fmt: skip
    drh = Agent.objects.create(identifiant="benchdrh", nom="Drh", prenom="Bench", is_staff=True, is_superuser=True)
    started = time.perf_counter()
    done = publish_run(run=run, by=drh)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    entrants = Demande.objects.filter(campagne=intra, entrant_inter=True).count()
    print(
        f"  publish + hand-off: {seconds:.2f} s for {done.created} result courriers; {done.entrants} entrants of "
        f"{academie.code} made obligatory intra participants ({entrants} in the intra), {done.closed} intra "  # type: ignore[union-attr]
        "demandes closed",
        flush=True,
    )
    started = time.perf_counter()
    again = publish_run(run=run, by=drh)  # type: ignore[arg-type]
    print(
        f"  publishing again: {time.perf_counter() - started:.2f} s, {again.created} new courriers, "
        f"{again.entrants} new entrants (idempotent)",
        flush=True,
    )


def _timed(step: object) -> float:
    started = time.perf_counter()
    step()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    seed = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1].isdigit() else "2026"
    url = recreate_database(DATABASE)
    try:
        started = time.perf_counter()
        manage(url, "migrate", "--noinput", "-v", "0")
        print(f"throwaway database migrated in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        manage(url, "mouvement", "generate", "--seed", seed, "--inter", "30000", "--intra", "20000", "--voeux", "20")
        print(f"synthetic inter and intra written in {time.perf_counter() - started:.1f} s", flush=True)
        for kind in ("inter", "intra"):
            subprocess.run(
                [sys.executable, __file__, "--measure", f"synthetique-{kind}-{seed}"],
                cwd=ROOT,
                env=env_for(url),
                check=True,
                timeout=STEP_TIMEOUT,
            )
    finally:
        drop_database(DATABASE)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        measure(sys.argv[2])
    else:
        main()
