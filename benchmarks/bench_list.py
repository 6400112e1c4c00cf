"""Benchmark the register: `idmf list` over a folder of N generated assessments.

    python benchmarks/bench_list.py [--n 10000] [--dir FOLDER]

Target on this 2-core machine: 10,000 assessments in <= 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from idmf.questionnaire import load_questionnaire
from idmf.samples import random_assessment
from idmf.store import save_assessment


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, help="reuse (or fill) this folder")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="idmf-bench-list-"))
    folder.mkdir(parents=True, exist_ok=True)
    existing = len(list(folder.glob("*.yaml")))
    if existing < args.n:
        questionnaire = load_questionnaire()
        rng = random.Random(42)
        for i in range(existing, args.n):
            save_assessment(random_assessment(questionnaire, rng), folder / f"a{i:05d}.yaml")
    for fmt in ("table", "json", "csv"):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "idmf", "list", str(folder), "--format", fmt],
                              capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"})
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(proc.stderr[-2000:])
        if fmt == "table":
            rows = int(proc.stdout.splitlines()[-1].split()[0])  # "10000 assessment(s)"
        else:
            rows = len(proc.stdout.splitlines()) - 1 if fmt == "csv" else proc.stdout.count('"file":')
        print(f"idmf list {args.n} files --format {fmt}: {elapsed:.1f} s ({rows} rows, {args.n / elapsed:.0f} assessments/s)")
    print(f"folder: {folder}")


if __name__ == "__main__":
    main()
