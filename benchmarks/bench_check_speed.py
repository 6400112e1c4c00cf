"""Checking at the speed of reading: `idmf check` against merely reading the same files.

    python benchmarks/bench_check_speed.py [--n 10000] [--keep DIR] [--repeat 5]

In one run, over N generated assessment files (written once to --keep and reused):

1. the floor: reading every file with PyYAML's C loader in 2 processes (a fresh interpreter);
2. `idmf check DIR --format json` with an empty check cache (the first run: every file read,
   checked and stored), and with the cache turned off;
3. the same check again with nothing changed (the cache answers);
4. `idmf check FILE` on one file, cache warm and cache off (median of --repeat runs).

Targets (issue 29, 2-core machine): (2) <= 1.5 x (1); (3) <= 1 s; (4) warm <= 0.25 s.
Prints figures only; nothing is asserted (tests never time anything).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READ_WITH_C_LOADER = """
import sys, yaml
from concurrent.futures import ProcessPoolExecutor
def read(names):
    for name in names:
        with open(name, "rb") as handle:
            yaml.load(handle, Loader=yaml.CLoader)
    return len(names)
if __name__ == "__main__":
    names = sorted(str(p) for p in __import__("pathlib").Path(sys.argv[1]).glob("*.yaml"))
    with ProcessPoolExecutor(2) as pool:
        print(sum(pool.map(read, [names[0::2], names[1::2]])))
"""


def generate(folder: Path, n: int) -> None:
    from idmf.questionnaire import load_questionnaire
    from idmf.samples import random_assessment
    from idmf.store import save_assessment

    have = len(list(folder.glob("*.yaml")))
    if have >= n:
        return
    questionnaire = load_questionnaire()
    rng = random.Random(2026)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        assessment = random_assessment(questionnaire, rng)
        if i >= have:
            save_assessment(assessment, folder / f"a{i:05d}.yaml")
    # As files saved a while ago (the check cache trusts a file's stat only once it has settled).
    past = time.time() - 3600
    for path in folder.glob("*.yaml"):
        os.utime(path, (past, past))


def timed(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="generate the files here once and reuse them")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="idmf-bench-")) / "assessments"
    generate(folder, args.n)
    files = sorted(folder.glob("*.yaml"))[:args.n]
    if len(files) != len(list(folder.glob("*.yaml"))):
        sys.exit(f"{folder} holds more than --n {args.n} files; use an empty --keep folder")
    cache = Path(tempfile.mkdtemp(prefix="idmf-bench-cache-"))
    env = {**os.environ, "IDMF_CACHE_DIR": str(cache)}
    off = {**os.environ, "IDMF_CACHE": "off"}
    idmf = [sys.executable, "-m", "idmf", "check"]
    print(f"{len(files)} generated assessments in {folder}, {os.cpu_count()} cores")

    floor = timed([sys.executable, "-c", READ_WITH_C_LOADER, str(folder)], env)
    print(f"read with PyYAML's C loader, 2 processes: {floor:.2f} s")
    first = timed([*idmf, str(folder), "--format", "json", "--fail-on", "never"], env)
    print(f"idmf check DIR --format json, empty cache: {first:.2f} s = {first / floor:.2f} x the read (target <= 1.5)")
    uncached = timed([*idmf, str(folder), "--format", "json", "--fail-on", "never"], off)
    print(f"idmf check DIR --format json, cache off:   {uncached:.2f} s = {uncached / floor:.2f} x the read")
    again = [timed([*idmf, str(folder), "--format", "json", "--fail-on", "never"], env) for _ in range(3)]
    print(f"the same check again, nothing changed:     {min(again):.2f} s best of 3, "
          f"{statistics.median(again):.2f} s median (target <= 1 s)")
    one = str(files[0])
    warm = [timed([*idmf, one, "--format", "json"], env) for _ in range(args.repeat)]
    cold = [timed([*idmf, one, "--format", "json"], off) for _ in range(args.repeat)]
    bare = [timed([sys.executable, "-c", "pass"], env) for _ in range(args.repeat)]
    print(f"idmf check FILE: {statistics.median(warm):.3f} s cached, {statistics.median(cold):.3f} s cache off "
          f"(median of {args.repeat}; target <= 0.25 s); a bare interpreter {statistics.median(bare):.3f} s")


if __name__ == "__main__":
    main()
