"""The EHIIRA report for board papers: one context, four formats."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model.assessment import Assessment
from ..model.questionnaire import Questionnaire
from ..rules.model import Findings
from .context import AUDIENCES, ReportContext, build_context
from .render import FORMATS, render, write

__all__ = ["AUDIENCES", "FORMATS", "ReportContext", "build_context", "render", "check_report_size", "report_paths", "write_reports"]


def report_paths(source: Path, fmt: str, output: Path | None, audience: str = "board") -> dict[str, Path]:
    """Where each format goes: next to the assessment by default. The board's
    appendix is ``<name>.report.<ext>``; the author's working report
    ``<name>.author-report.<ext>``, so one never overwrites the other."""
    formats = FORMATS if fmt == "all" else (fmt,)
    kind = "report" if audience == "board" else "author-report"
    if output is None:
        return {f: source.with_name(f"{source.stem}.{kind}.{f}") for f in formats}
    if fmt == "all" or output.is_dir():
        return {f: output / f"{source.stem}.{kind}.{f}" for f in formats}
    return {fmt: output}


# What one report holds at most. A board appendix is a few pages; beyond these the PDF engine
# alone takes tens of seconds (5,000 actions: 35 s; a 4.9 MB title: over a minute), so a file
# over them is refused with exit 2 before anything is rendered, saying which field is too big.
MAX_REPORT_TEXT = 20_000  # characters in any one value (the limit an answer already has)
MAX_REPORT_ROWS = 200  # entries in any one list (actions, impacts, groups ...)
MAX_REPORT_HISTORY = 2_000  # entries in the history
# All the text a report shows, together: the PDF engine's time grows with it (measured: 45,000
# characters 3 s, 60,000 about 7 s, 150,000 17 s); 60,000 characters is some 9,000 words, several
# times a thorough assessment.
MAX_REPORT_TOTAL = 60_000


def check_report_size(assessment: Assessment) -> None:
    """Refuse (exit 2) an assessment too big for a report, naming the field, before rendering."""
    def walk(value: object, where: str) -> None:
        if isinstance(value, str):
            if len(value) > MAX_REPORT_TEXT:
                raise InputError(f"is {len(value):,} characters; a report holds at most "
                                 f"{MAX_REPORT_TEXT:,} in one field", where=where,
                                 hint="shorten it (attach the long document and summarise it here)")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, (list, tuple)):
            if len(value) > MAX_REPORT_ROWS and where != "history":
                raise InputError(f"has {len(value):,} entries; a report shows at most {MAX_REPORT_ROWS:,}",
                                 where=where, hint="combine or remove entries")
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    if len(assessment.history) > MAX_REPORT_HISTORY:
        raise InputError(f"the history has {len(assessment.history):,} entries; a report reads at most "
                         f"{MAX_REPORT_HISTORY:,}", where="history")
    total = 0

    def count(value: object) -> None:
        nonlocal total
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, dict):
            for item in value.values():
                count(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                count(item)

    data = assessment.model_dump(mode="json", exclude={"signature", "history"})
    walk(data, "")
    for i, entry in enumerate(assessment.history):
        walk(entry.detail, f"history[{i}].detail")
        walk(entry.by, f"history[{i}].by")
    count(data)
    if total > MAX_REPORT_TOTAL:
        raise InputError(f"holds {total:,} characters of text; a report holds at most {MAX_REPORT_TOTAL:,}",
                         where=str(assessment._source or assessment.title[:60]),
                         hint="shorten the longest answers (attach long documents and summarise them here)")


def write_reports(assessment: Assessment, questionnaire: Questionnaire, findings: Findings,
                  paths: dict[str, Path], audience: str = "board") -> dict[str, Path]:
    check_report_size(assessment)
    context = build_context(assessment, questionnaire, findings)
    for fmt, path in paths.items():
        write(path, render(context, fmt, audience))
    return paths
