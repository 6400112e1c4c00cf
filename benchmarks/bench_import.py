"""Benchmark importing completed stage 1 forms: time per form, by file type and layout.

    python benchmarks/bench_import.py [--repeat 5]

Generates the test corpus (3 forms x 5 layouts x Word, Markdown and HTML-printed
PDF, plus 3 forms x 9 layouts x Word, Markdown and LibreOffice PDF at two page
widths, the PDFs from tests/fixtures/import_pdf), then times `import_form` (read, recognise, build the assessment) on each,
in one process after a warm-up, and prints p50/p95/max per file type, the
slowest form, and one end-to-end `idmf import DIR` run (start-up included).
Then prints, by layout and file type, the answers read out of those written on
the forms (and any read wrongly, which must be none). "pdf" is the HTML-printed
(WeasyPrint) PDF; "pdf-wide" and "pdf-narrow" are saved from Word by LibreOffice.
Target: <= 1 s per form.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from idmf.importing import import_form  # noqa: E402
from idmf.questionnaire import load_questionnaire  # noqa: E402
from tests.import_corpus import score, write_corpus, write_corpus_2  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    questionnaire = load_questionnaire()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "forms"
        corpus = write_corpus(folder) + write_corpus_2(folder / "word")
        import_form(corpus[0][0], questionnaire)  # warm-up: imports, regexes, the matcher
        times: dict[str, list[float]] = {}
        slowest = (0.0, "")
        recall: dict[tuple[str, str], list[int]] = {}
        for path, form, layout, fmt in corpus:
            for _ in range(args.repeat):
                start = time.perf_counter()
                result = import_form(path, questionnaire)
                elapsed = time.perf_counter() - start
                times.setdefault(fmt, []).append(elapsed)
                slowest = max(slowest, (elapsed, path.name))
            got = score(result.assessment, form)
            tally = recall.setdefault((layout, fmt), [0, 0, 0])
            tally[0] += got.read
            tally[1] += got.expected
            tally[2] += len(got.wrong)
        print(f"{len(corpus)} forms x {args.repeat} runs (target <= 1000 ms per form)")
        for fmt, samples in times.items():
            samples.sort()
            p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
            print(f"  {fmt:<5} p50 {statistics.median(samples) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
                  f"max {samples[-1] * 1000:7.1f} ms")
        print(f"  slowest: {slowest[1]} {slowest[0] * 1000:.1f} ms")
        formats = sorted({fmt for _, fmt in recall})
        print("Answers read / written on the forms, by layout and file type (wrong answers in brackets):")
        print("  " + f"{'layout':<14}" + "".join(f"{fmt:>14}" for fmt in formats))
        for layout in sorted({layout for layout, _ in recall}):
            cells = []
            for fmt in formats:
                read, expected, wrong = recall.get((layout, fmt), (0, 0, 0))
                cells.append(f"{read}/{expected}" + (f" [{wrong}]" if wrong else "") if expected else "-")
            print("  " + f"{layout:<14}" + "".join(f"{c:>14}" for c in cells))
        out = Path(tmp) / "register"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "idmf", "import", str(folder), str(folder / "word"), "--dir", str(out)],
                       check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        print(f"`idmf import DIR` over {len(corpus)} forms: {elapsed:.2f} s "
              f"({elapsed / len(corpus) * 1000:.0f} ms per form, start-up included)")


if __name__ == "__main__":
    main()
