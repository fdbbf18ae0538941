"""`make bench`: runs every bench/bench_*.py in turn and prints their figures.

Each script measures its own reference in the same run and prints ratios against
it, so the figures compare across machines. No figure passes or fails; a script that crashes or runs out
of time does: it is named at the end and `make bench` exits 1 (a crashed bench went unnoticed for a
landing: bench_lighthouse stopped at its setup while the others printed their figures).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "900"))


def main() -> int:
    only = sys.argv[1:]
    scripts = sorted(HERE.glob("bench_*.py"))
    if only:
        scripts = [s for s in scripts if any(name in s.name for name in only)]
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    broken: list[str] = []
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        started = time.perf_counter()
        try:
            code = subprocess.run(
                [sys.executable, str(script)], cwd=HERE.parent, timeout=TIMEOUT, check=False
            ).returncode
        except subprocess.TimeoutExpired:
            print(f"{script.stem}: stopped after {TIMEOUT} s")
            broken.append(f"{script.stem} (stopped after {TIMEOUT} s)")
        else:
            if code:
                broken.append(f"{script.stem} (exit {code})")
        print(f"({script.stem} took {time.perf_counter() - started:.1f} s)", flush=True)
    if broken:
        print(f"\nbenches that did not run through: {', '.join(broken)}")
        return 1
    print(f"\nall {len(scripts)} benches ran through")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
