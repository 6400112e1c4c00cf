"""Start-up time of the `idmf` command, as a pre-commit hook or CI step pays it per call.

Targets (issue 14): `idmf --version` <= 0.15 s, `idmf check FILE` <= 0.4 s.
Prints the median and best of several runs of the installed command (.venv/bin/idmf).

    .venv/bin/python benchmarks/bench_startup.py [runs]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IDMF = shutil.which("idmf", path=str(Path(sys.executable).parent)) or "idmf"
GREEN = next((ROOT / "examples").glob("green-*.yaml"))
RED = next((ROOT / "examples").glob("red-*.yaml"))

CASES = [
    ("idmf --version", [IDMF, "--version"], 0.15),
    ("idmf check GREEN", [IDMF, "check", str(GREEN)], 0.4),
    ("idmf check RED --format json", [IDMF, "check", str(RED), "--format", "json"], 0.4),
    ("idmf rules validate", [IDMF, "rules", "validate"], None),
]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    # Figures on a shared 2-core machine swing with the load; print it beside them.
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load} (1, 5, 15 min)")
    print(f"{'command':32} {'median':>8} {'best':>8}  target   ({runs} runs each, {IDMF})")
    for name, argv, target in CASES:
        subprocess.run(argv, capture_output=True)  # warm the file cache
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True)
            times.append(time.perf_counter() - start)
        median, best = statistics.median(times), min(times)
        verdict = "" if target is None else f"{target:.2f} s {'met' if median <= target else 'NOT met'}"
        print(f"{name:32} {median:7.3f}s {best:7.3f}s  {verdict}")


if __name__ == "__main__":
    main()
