"""SIAM on the last day of the saisie: the voeux save POST under concurrency, against a trivial view.

Run: IPROF_ENV=test .venv/bin/python bench/bench_siam.py [threads] [requests_per_thread]
Each thread is a teacher with their own demande, posting « add a voeu » then « move a voeu »
through Django's full stack (middleware, CSRF-exempt test client, sessions, real PostgreSQL)
while the others do the same. The reference is a trivial view behind the same middleware,
measured in the same run with the same concurrency, so the figure that matters is the ratio.
Uses its own database (TEST_DATABASE_NAME, default test_iprof_bench_siam), kept between runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iprof.settings")
os.environ.setdefault("IPROF_ENV", "test")
os.environ.setdefault("TEST_DATABASE_NAME", "test_iprof_bench_siam")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_databases, teardown_databases  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial/", trivial), path("", include("iprof.urls"))]

DEADLINE_SECONDS = 45.0


def build(threads: int, per_thread: int) -> list[tuple[object, int]]:
    """Reference data, a campagne in saisie, one teacher and one empty demande per thread."""
    from dossier.models import Etablissement
    from siam.demo import demo_calendar
    from siam.models import Campagne, CampagneKind, Demande, TypeVoeu
    from tests.factories import make_teacher, referentiel

    # the database is kept between runs: each run adds its own campagne and teachers
    run = Campagne.objects.filter(slug__startswith="bench-").count() + 1
    ref = referentiel()
    for i in range(per_thread):
        Etablissement.objects.get_or_create(
            uai=f"063{9000 + i:04d}X", defaults={"nom": f"Collège bench {i}", "type": "CLG", "commune": ref["commune"]}
        )
    campagne = Campagne.objects.create(
        slug=f"bench-{run}",
        kind=CampagneKind.INTRA,
        year=3000 + run,
        academie=ref["academie"],
        libelle="Bench",
        max_voeux=per_thread + 1,
        types_voeux=list(TypeVoeu.values),
        **demo_calendar(timezone.now(), 5),
    )
    teachers = [make_teacher("Agent", f"Bench{run}x{i}") for i in range(threads)]
    return [(t, Demande.objects.create(agent=t, campagne=campagne).pk) for t in teachers]


def run_threads(work: list[Callable[[], list[float]]]) -> list[float]:
    barrier = threading.Barrier(len(work))
    results: list[list[float]] = [[] for _ in work]
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work[index]()
        except BaseException as exc:  # reported below: a failed request must not pass for a fast one
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} thread(s) en échec : {errors[0]!r}")
    return [t for r in results for t in r]


def timed(call: Callable[[], int], expected: int) -> float:
    start = time.perf_counter()
    status = call()
    elapsed = time.perf_counter() - start
    if status != expected:
        raise RuntimeError(f"statut {status} au lieu de {expected}")
    return elapsed


def teacher_work(agent: object, demande_id: int, per_thread: int, started: float) -> Callable[[], list[float]]:
    """Alternately add a voeu (by UAI) and move the newest one up: the two saves of a saisie."""
    from siam.models import Voeu

    def work() -> tuple[list[float], list[float]]:
        client = Client()
        client.force_login(agent)  # type: ignore[arg-type]
        adds: list[float] = []
        moves: list[float] = []
        version = 0
        for i in range(per_thread):
            if time.perf_counter() - started > DEADLINE_SECONDS:
                break
            data = {"type": "ETB", "code": f"063{9000 + i:04d}X", "filtre": "TOUT", "version": version}
            url = f"/siam/demandes/{demande_id}/voeux/ajouter/"
            adds.append(timed(lambda d=data, u=url: client.post(u, d).status_code, 302))  # type: ignore[misc]
            version += 1
            if i:
                newest = Voeu.objects.filter(demande_id=demande_id, rang=i + 1).values_list("pk", flat=True).get()
                url = f"/siam/voeux/{newest}/deplacer/"
                data = {"version": version, "direction": "up"}
                moves.append(timed(lambda d=data, u=url: client.post(u, d).status_code, 302))  # type: ignore[misc]
                version += 1
        return adds, moves

    return work  # type: ignore[return-value]


def trivial_work(agent: object, per_thread: int) -> Callable[[], list[float]]:
    def work() -> list[float]:
        client = Client()
        client.force_login(agent)  # type: ignore[arg-type]
        return [timed(lambda: client.get("/bench/trivial/").status_code, 200) for _ in range(per_thread * 2)]

    return work


def main() -> None:
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    per_thread = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    database = settings.DATABASES["default"]["TEST"]["NAME"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=True, serialized_aliases=set())
    try:
        with override_settings(
            ROOT_URLCONF=__name__,
            ALLOWED_HOSTS=["testserver"],
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ):
            cast = build(threads, per_thread)
            started = time.perf_counter()
            baseline = run_threads([trivial_work(agent, per_thread) for agent, _ in cast])
            pairs = run_threads([teacher_work(agent, pk, per_thread, started) for agent, pk in cast])  # type: ignore[list-item]
            elapsed = time.perf_counter() - started
    finally:
        teardown_databases(old, verbosity=0, keepdb=True)
    adds = [t for pair in pairs[0::2] for t in pair]  # type: ignore[union-attr]
    moves = [t for pair in pairs[1::2] for t in pair]  # type: ignore[union-attr]
    report(threads, per_thread, baseline, adds, moves, elapsed, database)


def report(
    threads: int,
    per_thread: int,
    baseline: list[float],
    adds: list[float],
    moves: list[float],
    elapsed: float,
    database: str,
) -> None:
    base = statistics.median(baseline)
    print(
        f"SIAM voeux save under concurrency: {threads} threads x {per_thread} adds + moves, "
        f"PostgreSQL ({database}), {elapsed:.1f} s"
    )
    print(f"  trivial view (same stack)   median {base * 1000:7.2f} ms   n={len(baseline)}")
    for label, values in (("add a voeu (POST)", adds), ("move a voeu (POST)", moves)):
        median = statistics.median(values)
        p95 = statistics.quantiles(values, n=20)[-1]
        print(
            f"  {label:<27} median {median * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms   n={len(values)}"
            f"   ratio {median / base:5.1f}x trivial"
        )


if __name__ == "__main__":
    main()
