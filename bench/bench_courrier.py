"""post_courrier on 10,000 and 50,000 recipients, in a throwaway database.

Run: IPROF_ENV=test .venv/bin/python bench/bench_courrier.py

Creates the database `bench_courrier` on the same PostgreSQL server as DATABASE_URL,
migrates it, creates 50,000 agents in bulk, times post_courrier (with the query count),
its idempotent replay and the e-mail notification task (locmem backend), then drops the
database. Shared machines are noisy: a reference operation (bulk_create of 10,000 bare
rows) is timed in the same run, and the ratios to it are what compare between runs.
Target: post_courrier for 50,000 recipients in 10 s at most.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import DB_SUFFIX  # noqa: E402 - the path above makes it importable

BENCH_DB = "bench_courrier" + DB_SUFFIX  # named after the checkout (bench/server.py)
AGENTS = 50_000
DEFAULT_URL = "postgres://iprof@127.0.0.1:54329/iprof"


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    import psycopg

    dsn = _with_database(os.environ.get("DATABASE_URL", DEFAULT_URL), "postgres").replace(
        "postgres://", "postgresql://", 1
    )
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@contextmanager
def throwaway_database() -> Iterator[None]:
    _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = _with_database(os.environ.get("DATABASE_URL", DEFAULT_URL), BENCH_DB)
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


@contextmanager
def counting() -> Iterator[list[int]]:
    from django.db import connection

    count = [0]

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def timed(label: str, action: Callable[[], Any]) -> float:
    with counting() as queries:
        started = time.perf_counter()
        action()
        elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s (queries: {queries[0]})", flush=True)
    return elapsed


def best_of(label: str, actions: list[Callable[[], Any]]) -> float:
    """The best of a few runs: the least disturbed by whatever else the machine does."""
    times, queries = [], []
    for action in actions:
        with counting() as count:
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        queries.append(count[0])
    spread = ", ".join(f"{t:.2f}" for t in times)
    print(f"{label}: {min(times):.2f} s (queries: {max(queries)}) [best of {len(times)}: {spread}]", flush=True)
    return min(times)


def run() -> None:
    from django.contrib.auth.models import Group
    from django.core import mail

    from accounts.models import Agent
    from iprof.courrier.models import Message
    from iprof.courrier.services import post_courrier
    from iprof.courrier.tasks import send_pending_notifications

    started = time.perf_counter()
    Agent.objects.bulk_create(
        (
            Agent(identifiant=f"agent{i}", nom=f"Nom{i}", prenom="Agent", email=f"agent{i}@example.org", password="!")
            for i in range(AGENTS)
        ),
        batch_size=5_000,
    )
    print(f"setup: {AGENTS} agents created in {time.perf_counter() - started:.2f} s", flush=True)
    ids = list(Agent.objects.order_by("pk").values_list("pk", flat=True))

    def reference_run(n: int) -> Callable[[], Any]:
        return lambda: Group.objects.bulk_create(Group(name=f"reference-{n}-{i}") for i in range(10_000))

    reference = best_of("reference bulk_create 10000 bare rows", [reference_run(n) for n in range(3)])
    text = "Bonjour,\n\nLe résultat de votre demande de mutation est disponible dans SIAM.\n\nLa DRH"
    pdf = b"%PDF-1.4\n" + b"0" * 20_000 + b"\n%%EOF\n"

    def post(recipients: Any, key: str, **kwargs: Any) -> Callable[[], Any]:
        return lambda: post_courrier(recipients=recipients, sujet="Résultat", corps=text, key=key, **kwargs)

    # each run is a new envoi (its own key) to the same agents
    t10 = best_of("post_courrier 10000 recipients", [post(ids[:10_000], f"bench-10k-{n}") for n in range(3)])
    timed("post_courrier 10000 recipients again (idempotent, nothing new)", post(ids[:10_000], "bench-10k-0"))
    t50 = best_of("post_courrier 50000 recipients", [post(Agent.objects.all(), f"bench-50k-{n}") for n in range(2)])
    timed(
        "post_courrier 10000 recipients with one shared PDF",
        post(ids[10_000:20_000], "bench-10k-pdf", attachments=[("note.pdf", pdf, "application/pdf")]),
    )
    per_agent = {agent_id: [(f"confirmation-{agent_id}.pdf", pdf + str(agent_id).encode(), "application/pdf")]
                 for agent_id in ids[20_000:30_000]}  # fmt: skip
    timed(
        "post_courrier 10000 recipients with a PDF each",
        post(ids[20_000:30_000], "bench-10k-own-pdf", attachments=per_agent),
    )

    mail.outbox = []
    pending = Message.objects.filter(envoi__key="bench-10k-0")
    notify = timed("notification task for 10000 messages (locmem mail)", lambda: send_pending_notifications(pending))
    print(f"notifications sent: {len(mail.outbox)} ({len(mail.outbox) / notify:.0f} per s)")

    print(f"ratio post_courrier 10000 / reference: {t10 / reference:.1f}")
    print(f"ratio post_courrier 50000 / reference: {t50 / reference:.1f}")
    print(f"target post_courrier 50000 <= 10 s: {'met' if t50 <= 10 else 'MISSED'} ({t50:.2f} s)")


def main() -> None:
    os.environ.setdefault("IPROF_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iprof.settings")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    media = tempfile.mkdtemp(prefix="bench-courrier-")
    os.environ["MEDIA_ROOT"] = media
    with throwaway_database():
        import django
        from django.core.management import call_command

        django.setup()
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"setup: database {BENCH_DB} migrated in {time.perf_counter() - started:.1f} s", flush=True)
        try:
            run()
        finally:
            shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
