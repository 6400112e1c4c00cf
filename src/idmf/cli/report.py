"""`idmf report`: the EHIIRA report for the board paper."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .common import open_assessment


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
) -> None:
    """Render the EHIIRA report for the board paper."""
    from ..report import report_paths, write_reports
    from ..rules import default_engine

    file, questionnaire = open_assessment(path)
    findings = default_engine(questionnaire).check(file.assessment)
    written = write_reports(file.assessment, questionnaire, findings, report_paths(path, fmt.value, output))
    for name, target in written.items():
        print(f"{name}: {target}")
