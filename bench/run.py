"""`make bench`: runs every bench/bench_*.py in turn and prints their figures.

Each script measures its own reference in the same run and prints ratios against
it, so the figures compare across machines. Nothing here passes or fails.
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
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        started = time.perf_counter()
        try:
            subprocess.run([sys.executable, str(script)], cwd=HERE.parent, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            print(f"{script.stem}: stopped after {TIMEOUT} s")
        print(f"({script.stem} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
