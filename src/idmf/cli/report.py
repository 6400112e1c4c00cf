"""`idmf report`: the EHIIRA report for the board paper."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .common import examples, open_assessment

EXAMPLES = examples(
    "idmf report assessments/extended-pharmacy-hours.yaml",
    "idmf report assessments/extended-pharmacy-hours.yaml --format pdf --output board-appendix.pdf",
    "idmf report assessments/extended-pharmacy-hours.yaml --format all --audience author",
)



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
    force: bool = typer.Option(False, "--force", help="Replace an existing file that is not an idmf report."),
) -> None:
    """Render the EHIIRA report: the board's appendix, or the author's working report."""
    from ..output_guard import check_report_target, write_failed
    from ..report import report_paths, write_reports
    from ..rules import default_engine
    from ..textsafety import for_terminal

    file, questionnaire = open_assessment(path)
    findings = default_engine(questionnaire).check(file.assessment)
    targets = report_paths(path, fmt.value, output, audience.value)
    for name, target in targets.items():
        check_report_target(target, path, name, force=force)
    try:
        written = write_reports(file.assessment, questionnaire, findings, targets, audience.value)
    except OSError as exc:
        raise write_failed(Path(exc.filename or next(iter(targets.values()))), exc)
    for name, target in written.items():
        print(for_terminal(f"{name}: {target}"))
