"""Benchmark report rendering for the red example, the largest shipped example and a large generated one.

    python benchmarks/bench_report.py [--repeat 5]

Targets on this machine, for both audiences (board and author): HTML and Markdown <= 100 ms,
Word <= 1 s, PDF <= 3 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from idmf.paths import PROJECT_ROOT
from idmf.questionnaire import load_questionnaire
from idmf.report import AUDIENCES, build_context, render
from idmf.rules import default_engine
from idmf.samples import random_assessment
from idmf.store import load_assessment


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    questionnaire = load_questionnaire()
    engine = default_engine(questionnaire)
    largest = max((PROJECT_ROOT / "examples").glob("*.yaml"), key=lambda p: p.stat().st_size)
    big = random_assessment(questionnaire, random.Random(1), answer_rate=1.0)
    big.set_answer("decide.actions", [{"action": f"Action {i}", "owner": "Owner", "due": "2026-06-01",
                                       "status": "not_started"} for i in range(100)])
    red = next((PROJECT_ROOT / "examples").glob("red-*.yaml"))
    cases = {f"{path.name}": load_assessment(path, questionnaire).assessment for path in dict.fromkeys((red, largest))}
    cases["generated, every question and 100 actions"] = big
    for name, assessment in cases.items():
        start = time.perf_counter()
        context = build_context(assessment, questionnaire, engine.check(assessment))
        built = (time.perf_counter() - start) * 1000
        print(f"{name}: context (check + build) {built:.0f} ms")
        render(context, "pdf")  # warm the fonts
        for audience in AUDIENCES:
            for fmt in ("html", "md", "docx", "pdf"):
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    render(context, fmt, audience)
                    times.append((time.perf_counter() - start) * 1000)
                print(f"  {audience:6} {fmt:5} median {statistics.median(times):7.0f} ms   min {min(times):7.0f} ms")


if __name__ == "__main__":
    main()
