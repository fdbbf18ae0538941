"""Fault: PostgreSQL restarted in the middle of a closing-day load run, gunicorn left alone.

Run: IPROF_ENV=test .venv/bin/python bench/bench_fault.py   (or `make bench`)

A PostgreSQL server of the run's own (server.throwaway_postgres: initdb in a temporary directory, a free
loopback port, Debian's PostgreSQL binaries), never the checkout's shared one: nobody else's connections
are cut. On it, a throwaway database `bench_fault` served by `gunicorn iprof.wsgi` (production settings,
Django's CONN_HEALTH_CHECKS on); USERS teachers run the closing-day journey of bench_load for
RUN_SECONDS; RESTART_AT seconds in, that server is restarted once (`pg_ctl stop -m fast`, then
`start`: open transactions rolled back, every connection cut). Printed: the statuses second by second
around the outage, how long until requests succeed again without restarting gunicorn, whether every
error was the clean 503 page with Retry-After (no traceback, no 500), then the reconciliation of
acknowledged saves and the integrity of every voeux list. The cluster is removed at the end.
BENCH_FAULT_DRY=1 runs everything but the restart.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadlib
import server
from bench_load import SLUG, bench_identifiants, campagne_targets, reconcile

DB = "bench_fault"
USERS = 8
RUN_SECONDS = 30.0
RESTART_AT = 8.0
CLEAN_503 = "Service momentanément indisponible"
DRY = os.environ.get("BENCH_FAULT_DRY") == "1"


def failed(event: loadlib.Event) -> bool:
    return event.status >= 500


def restart_postgres(cluster: server.ThrowawayPostgres) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        cluster.restart()
        outcome = "pg_ctl stop -m fast, then start: done"
    except subprocess.CalledProcessError as exc:
        outcome = f"FAILED: {(exc.stderr or b'').decode(errors='replace')[-200:]}"
    return time.perf_counter() - started, outcome


def timeline(events: list[loadlib.Event], start: float, end: float, step: float = 1.0) -> None:
    t = start
    while t < end:
        window = Counter(e.status for e in events if t <= e.at < t + step)
        shown = ", ".join(f"{status}×{n}" for status, n in sorted(window.items())) or "nothing answered"
        print(f"  t={t:5.1f}–{t + step:4.1f} s: {shown}")
        t += step


def judge_errors(events: list[loadlib.Event]) -> None:
    errors = [e for e in events if failed(e)]
    clean = [e for e in errors if e.status == 503 and CLEAN_503 in e.body and e.retry_after]
    tracebacks = [e for e in errors if "Traceback" in e.body or "Exception Value" in e.body]
    others = [e for e in errors if e not in clean]
    print(
        f"errors during the outage: {len(errors)}, of which clean 503 pages with Retry-After: {len(clean)}; "
        f"other: {len(others)} {dict(Counter(e.status for e in others))}; with a traceback: {len(tracebacks)} "
        f"-> {'clean' if not others else 'NOT clean'}"
    )
    for name, statuses in sorted(
        {e.name: Counter(x.status for x in others if x.name == e.name) for e in others}.items()
    ):
        sample = next(e for e in others if e.name == name)
        excerpt = " ".join(sample.body.split())[:160] if sample.body else "(no answer: connection refused or reset)"
        print(f"  {name}: {dict(statuses)}; e.g. {excerpt}")


def integrity(url: str) -> None:
    """No half-written list: ranks exactly 1..n, and one DemandeVersion per version with the list as it is."""
    gaps = server.sql(
        url,
        """
        SELECT demande_id, array_agg(rang ORDER BY rang) FROM siam_voeu GROUP BY demande_id
        HAVING min(rang) <> 1 OR max(rang) <> count(*) OR count(DISTINCT rang) <> count(*)
        """,
    )
    versions = server.sql(
        url,
        """
        SELECT d.id, d.version, count(v.id), COALESCE(max(v.version), 0),
               (SELECT jsonb_array_length(l.contenu -> 'voeux') FROM siam_demandeversion l
                 WHERE l.demande_id = d.id ORDER BY l.version DESC LIMIT 1),
               (SELECT count(*) FROM siam_voeu x WHERE x.demande_id = d.id)
          FROM siam_demande d LEFT JOIN siam_demandeversion v ON v.demande_id = d.id
         GROUP BY d.id, d.version
        """,
    )
    inconsistent = [
        row
        for row in versions
        if row[1] != row[2]
        or row[1] != row[3]
        or (row[4] is not None and row[4] != row[5])
        or (row[4] is None and row[5])
    ]
    print(
        f"half-written lists: {len(gaps)} with a rank gap or duplicate, {len(inconsistent)} whose history disagrees "
        f"(DemandeVersion rows = version, newest snapshot = current list), out of {len(versions)} demandes"
    )
    for row in [*gaps, *inconsistent][:5]:
        print(f"  demande {row[0]}: {row[1:]}")


def main() -> None:
    print(server.machine_line(), flush=True)
    with server.throwaway_postgres() as cluster, server.portal_database(DB, teachers=200, base=cluster.url) as url:
        print(f"PostgreSQL of the run: {cluster.bin.parent.name}, 127.0.0.1:{cluster.port}, data in {cluster.data}")
        targets, max_voeux = campagne_targets(url, SLUG)
        pool = loadlib.AccountPool(bench_identifiants(url), targets, per_account=max_voeux, seed=2028)
        with server.gunicorn(url) as g:
            journey = loadlib.Journey(port=g.port, slug=SLUG, password=server.BENCH_PASSWORD, pool=pool)
            loadlib.run_for(2, 4, journey.user)  # warm-up: every worker holds a database connection
            journey.retry_for = 20.0  # users press reload on an error page, as the 503 page asks
            journey.pause_after_failure = 0.2
            print(
                f"{USERS} teachers on the closing-day journey for {RUN_SECONDS:.0f} s, gunicorn {g.workers} workers, "
                "an error page is reloaded every 0.2 s (same session); "
                f"PostgreSQL restarted at t={RESTART_AT:.0f} s{' (DRY RUN: not restarted)' if DRY else ''}",
                flush=True,
            )
            stats = loadlib.Stats()
            result: dict[str, tuple[loadlib.Stats, float]] = {}
            run = threading.Thread(
                target=lambda: result.update(run=loadlib.run_for(RUN_SECONDS, USERS, journey.user, stats))
            )
            run.start()
            time.sleep(RESTART_AT)
            began = time.perf_counter() - stats.origin
            took, outcome = (0.0, "dry run") if DRY else restart_postgres(cluster)
            back = began + took
            print(
                f"restart of the run's PostgreSQL took {took:.1f} s ({outcome}); "
                f"PostgreSQL down from t={began:.1f} s, accepting connections at t={back:.1f} s",
                flush=True,
            )
            run.join()
            elapsed = result["run"][1]
        events = sorted(stats.events, key=lambda e: e.at)
        report_outage(events, began, back, elapsed)
        loadlib.report(stats, elapsed, "whole fault run", loadlib.JOURNEY)
        judge_errors(events)
        reconcile(url, journey.acks)
        integrity(url)


def report_outage(events: list[loadlib.Event], began: float, back: float, elapsed: float) -> None:
    failures = [e for e in events if failed(e)]
    before = [e for e in failures if e.at < began]
    print(f"failures before the restart: {len(before)}")
    if not failures:
        print("no request failed: the outage went unnoticed")
        return
    last = failures[-1]
    recovered = next((e for e in events if e.at > last.at and not failed(e)), None)
    print("statuses, second by second, around the outage (t = seconds since the run started):")
    timeline(events, max(0.0, int(began) - 2.0), min(elapsed, int(last.at) + 3.0))
    if recovered is None:
        print("requests did NOT succeed again before the end of the run")
        return
    after_back = recovered.at - back
    print(
        f"requests succeed again at t={recovered.at:.1f} s, {recovered.at - began:.1f} s after the restart began "
        f"and {'at once' if after_back <= 0 else f'{after_back:.1f} s'} after PostgreSQL accepted connections again "
        f"(the restart took {back - began:.1f} s), gunicorn not restarted; "
        f"failed answers from t={failures[0].at:.1f} s to t={last.at:.1f} s; the last failed request was sent at "
        f"t={last.at - last.seconds:.1f} s ({'before' if last.at - last.seconds <= back else 'after'} PostgreSQL "
        "was back)"
    )


if __name__ == "__main__":
    main()
