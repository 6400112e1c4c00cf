"""The EHIIRA report for board papers: one context, four formats."""

from __future__ import annotations

from pathlib import Path

from ..model.assessment import Assessment
from ..model.questionnaire import Questionnaire
from ..rules.model import Findings
from .context import AUDIENCES, ReportContext, build_context
from .render import FORMATS, render, write

__all__ = ["AUDIENCES", "FORMATS", "ReportContext", "build_context", "render", "report_paths", "write_reports"]


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


def write_reports(assessment: Assessment, questionnaire: Questionnaire, findings: Findings,
                  paths: dict[str, Path], audience: str = "board") -> dict[str, Path]:
    context = build_context(assessment, questionnaire, findings)
    for fmt, path in paths.items():
        write(path, render(context, fmt, audience))
    return paths
