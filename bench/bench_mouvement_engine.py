"""The pure mouvement core on seeded synthetic mouvements (no database).

Run: .venv/bin/python bench/bench_mouvement_engine.py [seed]

Times, best of 3 (of 5 for DA* and the checker): DA* (with and without its
input validation), the independent checker, the why-not tables, the
block-exchange stage and the two-pass extension on a national inter of 30,000 participants (realistic
lists, then every list full: the 30,000 × 30 worst case); the same on an
intra of 20,000 participants × 20 typed voeux, expansion included; and the
`matching` package on a smaller inter without tenured teachers, for a ratio.
Shared machines are noisy, so each figure also gives its ratio to a fixed
pure-Python reference loop timed in the same run. Peak memory is measured
apart (tracemalloc slows everything down), on allocations made by the step.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from siam.mouvement.checker import check, check_extension_run  # the path above makes the script runnable
from siam.mouvement.engine import Instance, assign
from siam.mouvement.exchange import exchange
from siam.mouvement.extension import run_with_extension
from siam.mouvement.synthetic import generate_inter, generate_intra
from siam.mouvement.why_not import barres, why_not

T = TypeVar("T")
REFERENCE = 0.0  # seconds of the reference loop, measured in main()


def reference_loop() -> float:
    """Ten million integer additions in a Python loop: the yardstick of this machine, now."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def best_of(runs: int, step: Callable[[], T]) -> tuple[float, T]:
    best, value = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        value = step()
        best = min(best, time.perf_counter() - start)
    return best, value  # type: ignore[return-value]


def report(label: str, seconds: float, extra: str = "") -> None:
    note = f"{seconds / REFERENCE:.2f}x the reference loop" + (f"; {extra}" if extra else "")
    print(f"{label}: {seconds:.3f} s ({note})", flush=True)


def peak_mb(step: Callable[[], object]) -> float:
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def entries(instance: Instance) -> int:
    return sum(map(len, instance.prefs))


def bench_inter(seed: int, full_lists: bool) -> None:
    started = time.perf_counter()
    inter = generate_inter(seed, full_lists=full_lists)
    inst = inter.instance
    n = inst.n_teachers
    shape = f"{n}x30 full lists" if full_lists else f"{n}"
    print(f"generate inter {shape}: {time.perf_counter() - started:.1f} s, {entries(inst):,} list entries")
    seconds, result = best_of(5, lambda: assign(inst))
    report(f"engine inter {shape}", seconds)
    seconds, _ = best_of(5, lambda: assign(inst, check_input=False))
    report(f"engine inter {shape}, input not validated", seconds)
    seconds, verdict = best_of(5, lambda: check(inst, result))
    report(f"checker inter {shape}", seconds, "certified" if verdict.ok else f"{verdict.total} violations")
    if full_lists:
        return
    seconds, _ = best_of(
        3, lambda: [why_not(inst, result, post_barres, t) for post_barres in [barres(inst, result)] for t in range(n)]
    )
    report(f"why-not inter {shape} (every teacher)", seconds)
    seconds, outcome = best_of(3, lambda: exchange(inst, result, own_post_score=inter.own_post_score))
    r = outcome.report
    report(
        f"exchange inter {shape}",
        seconds,
        f"movers {r.movers_before} -> {r.movers_after} (+{r.more_movers}), {r.improved} improve, {r.cycles} cycles",
    )
    seconds, run = best_of(3, lambda: run_with_extension(inst, inter.obligatory, inter.extension_for))
    report(f"extension run inter {shape} (both passes)", seconds, f"{sum(run.combined.extended)} extended")
    seconds, verdict = best_of(3, lambda: check_extension_run(inst, inter.obligatory, run))
    report(f"checker extension run inter {shape}", seconds, "certified" if verdict.ok else "NOT certified")
    print(f"peak memory engine inter {shape}: {peak_mb(lambda: assign(inst)):.1f} MB")
    print(f"peak memory checker inter {shape}: {peak_mb(lambda: check(inst, result)):.1f} MB")
    print(f"peak memory generate inter {shape}: {peak_mb(lambda: generate_inter(seed)):.1f} MB")


def bench_intra(seed: int) -> None:
    seconds, intra = best_of(1, lambda: generate_intra(seed))
    inst = intra.instance
    shape = f"{inst.n_teachers}x20"
    report(
        f"generate and expand intra {shape}",
        seconds,
        f"{entries(inst):,} list entries after expansion, {inst.n_posts} posts",
    )
    seconds, result = best_of(5, lambda: assign(inst))
    report(f"engine intra {shape}", seconds)
    seconds, verdict = best_of(5, lambda: check(inst, result))
    report(f"checker intra {shape}", seconds, "certified" if verdict.ok else f"{verdict.total} violations")
    seconds, outcome = best_of(3, lambda: exchange(inst, result, own_post_score=intra.own_post_score))
    report(f"exchange intra {shape}", seconds, f"+{outcome.report.more_movers} movers")
    seconds, run = best_of(3, lambda: run_with_extension(inst, intra.obligatory, intra.extension_for))
    report(f"extension run intra {shape} (both passes)", seconds, f"{sum(run.combined.extended)} extended")
    print(f"peak memory engine intra {shape}: {peak_mb(lambda: assign(inst)):.1f} MB")
    print(f"peak memory generate and expand intra {shape}: {peak_mb(lambda: generate_intra(seed)):.1f} MB")


def bench_matching(seed: int, n: int) -> None:
    """`matching`'s HospitalResident against DA* on an inter without tenured teachers."""
    from matching.games import HospitalResident

    inst = generate_inter(seed, n_teachers=n, n_obligatory=n).instance
    applicants: dict[int, list[tuple[int, int, int]]] = {}
    for t, posts in enumerate(inst.prefs):
        for p, score in zip(posts, inst.scores[t], strict=True):
            if inst.capacities[p] > 0:
                applicants.setdefault(p, []).append((-score, inst.tiebreak[t], t))
    hospitals = {p: [t for *_, t in sorted(found)] for p, found in applicants.items()}
    residents = {t: [p for p in posts if p in hospitals] for t, posts in enumerate(inst.prefs)}
    residents = {t: posts for t, posts in residents.items() if posts}
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20 * n))

    def solve() -> list[int | None]:
        got: list[int | None] = [None] * n
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(
                residents, hospitals, {p: inst.capacities[p] for p in hospitals}
            )
            for hospital, matched in game.solve(optimal="resident").items():
                for resident in matched:
                    got[resident.name] = hospital.name
        return got

    theirs, expected = best_of(1, solve)
    ours, result = best_of(5, lambda: assign(inst))
    same = "same assignment" if list(result.post) == expected else "DIFFERENT assignment"
    report(f"matching HospitalResident inter {n} without tenured", theirs, same)
    report(f"engine inter {n} without tenured", ours, f"matching / engine = {theirs / ours:.0f}x")


def main() -> None:
    global REFERENCE
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 2026
    REFERENCE = min(reference_loop() for _ in range(3))
    print(f"reference loop: {REFERENCE:.3f} s")
    bench_inter(seed, full_lists=False)
    bench_inter(seed, full_lists=True)
    bench_intra(seed + 1)
    bench_matching(seed, 3000)


if __name__ == "__main__":
    main()
