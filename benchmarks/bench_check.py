"""Benchmark the rules engine: per-assessment evaluation time and `idmf check DIR` throughput.

    python benchmarks/bench_check.py [--n 10000] [--keep DIR]

Prints p50/p95/p99 evaluation time for the durable-rules engine and the
pure-Python oracle over N generated assessments in one process, then the
end-to-end throughput of the real `idmf check` command over N files.
Targets (2-core machine): p95 <= 5 ms; `idmf check` over 10,000 files <= 20 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from idmf.facts import build_facts
from idmf.questionnaire import load_questionnaire
from idmf.rules import OracleEngine, RulesEngine, load_rules
from idmf.samples import random_assessment
from idmf.store import save_assessment


def percentiles(samples: list[float]) -> str:
    qs = statistics.quantiles(samples, n=100)
    return f"p50 {qs[49] * 1000:.2f} ms  p95 {qs[94] * 1000:.2f} ms  p99 {qs[98] * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    args = parser.parse_args()

    questionnaire = load_questionnaire()
    ruleset = load_rules(questionnaire=questionnaire)
    engines = {"durable-rules": RulesEngine(ruleset, questionnaire), "oracle": OracleEngine(ruleset, questionnaire)}
    rng = random.Random(2026)
    assessments = [random_assessment(questionnaire, rng) for _ in range(args.n)]
    print(f"{len(ruleset.rules)} rules, {len(questionnaire.questions())} questions, {args.n} generated assessments")

    for name, engine in engines.items():
        times, findings = [], 0
        for assessment in assessments:
            start = time.perf_counter()
            result = engine.check(assessment)  # facts + rules + result, as the wizard does after each answer
            times.append(time.perf_counter() - start)
            findings += len(result)
        print(f"{name:14} check(): {percentiles(times)}  ({findings / args.n:.1f} findings per assessment)")
    fact_times = []
    for assessment in assessments[:2000]:
        start = time.perf_counter()
        build_facts(assessment, questionnaire)
        fact_times.append(time.perf_counter() - start)
    print(f"{'':14} of which building facts: {percentiles(fact_times)}")

    folder = args.keep or Path(tempfile.mkdtemp(prefix="idmf-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for i, assessment in enumerate(assessments):
        save_assessment(assessment, folder / f"a{i:05d}.yaml")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "idmf", "check", str(folder), "--format", "json", "--fail-on", "never"],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        print(proc.stderr[-2000:])
        sys.exit(f"idmf check failed with exit code {proc.returncode}")
    print(f"idmf check {args.n} files: {elapsed:.1f} s  ({args.n / elapsed:.0f} assessments/s, both cores)")


if __name__ == "__main__":
    main()
