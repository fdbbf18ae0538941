"""A whole mouvement run from the database: load, expand, compute, check, store.

Run: .venv/bin/python bench/bench_mouvement_run.py [seed]

In a throwaway database (created, migrated, dropped): ``manage.py mouvement generate`` writes
the synthetic national inter (30,000 participants × up to 31 académies) and an intra of
20,000 participants × 20 typed voeux; then each campagne is run once by ``run_mouvement``
in a fresh process, so that its peak memory is the run's own. Printed per campagne: time per
stage, total, queries, peak RSS, and two references measured in the same process just
before: one bulk SELECT of the campagne's voeux, and DA* alone on the run's own instance.
Targets (issue 7): inter ≤ 15 s, intra ≤ 30 s.
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

DATABASE = "bench_mouvement_run"
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
        run = run_mouvement(campagne=campagne, by=None, exchange=False)
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
