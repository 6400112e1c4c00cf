"""`idmf report`: the EHIIRA report for the board paper."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .common import open_assessment


class Audience(str, Enum):
    board = "board"
    author = "author"


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    docx = "docx"
    pdf = "pdf"
    all = "all"


def report(
    path: Path = typer.Argument(..., help="Assessment file."),
    fmt: ReportFormat = typer.Option(ReportFormat.html, "--format", help="html, md, docx, pdf or all."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File (or folder, with --format all). Default: next to the assessment."),
    audience: Audience = typer.Option(Audience.board, "--audience", help="board: the appendix to the board paper (summary, the EHIIRA form, actions, sign-off); author: the full working report with every finding and what to do about it."),
) -> None:
    """Render the EHIIRA report: the board's appendix, or the author's working report."""
    from ..report import report_paths, write_reports
    from ..rules import default_engine

    file, questionnaire = open_assessment(path)
    findings = default_engine(questionnaire).check(file.assessment)
    written = write_reports(file.assessment, questionnaire, findings,
                            report_paths(path, fmt.value, output, audience.value), audience.value)
    for name, target in written.items():
        print(f"{name}: {target}")
