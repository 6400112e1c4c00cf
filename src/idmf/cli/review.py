"""`idmf submit`, `idmf review approve|return`, `idmf verify`, `idmf list`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .. import lifecycle
from ..answer_text import format_date
from ..checking import check_files, expand
from ..errors import EXIT_PROBLEMS, InputError
from ..paths import assessments_dir
from ..rules import default_engine
from ..store import edit_lock, save_assessment
from . import app
from .common import open_assessment
from .register_table import print_register

review_app = typer.Typer(help="Approve or return a submitted assessment.", no_args_is_help=True)
app.add_typer(review_app, name="review")


def _change(path: Path, action) -> None:
    """Load under the edit lock, apply the change, save atomically."""
    with edit_lock(path):
        file, questionnaire = open_assessment(path)
        action(file.assessment, questionnaire)
        save_assessment(file.assessment, path)


@app.command()
def submit(path: Path = typer.Argument(..., help="Assessment file."),
           by: str = typer.Option(..., "--by", help="Who is submitting it.")) -> None:
    """Submit a draft for review (refused while blocking findings remain)."""
    def action(a, q):
        lifecycle.submit(a, by=by, findings=default_engine(q).check(a))
    _change(path, action)
    print(f"submitted: {path}")


@review_app.command("approve")
def approve(path: Path = typer.Argument(..., help="Assessment file."),
            reviewer: str = typer.Option(..., "--reviewer"), role: str = typer.Option(..., "--role"),
            comment: str = typer.Option("", "--comment", help="Stage 1 approval comments.")) -> None:
    """Approve a submitted assessment, recording who, when, comments and the content approved."""
    holder = {}

    def action(a, q):
        holder["approval"] = lifecycle.approve(a, reviewer=reviewer, role=role, comment=comment)
    _change(path, action)
    approval = holder["approval"]
    print(f"approved by {approval.reviewer} ({approval.role}) on {approval.date.isoformat()}; "
          f"review due {approval.review_date.isoformat()}; content {approval.content_hash[:12]}")


@review_app.command("return")
def return_(path: Path = typer.Argument(..., help="Assessment file."),
            reviewer: str = typer.Option(..., "--reviewer"),
            comment: str = typer.Option(..., "--comment", help="What the author should change.")) -> None:
    """Return a submitted assessment to its author with comments."""
    _change(path, lambda a, q: lifecycle.return_for_changes(a, reviewer=reviewer, comment=comment))
    print(f"returned to the author: {path}")


@app.command()
def verify(path: Path = typer.Argument(..., help="Assessment file.")) -> None:
    """Check the history chain and whether the content still matches its approval."""
    file, _ = open_assessment(path)
    result = lifecycle.integrity(file.assessment)
    if result.ok:
        state = f"approved on {format_date(result.approval.date)} by {result.approval.reviewer}; unchanged" if result.approval else "not approved yet"
        print(f"OK: {len(file.assessment.history)} history entries intact; {state}")
        return
    print(result.statement())
    raise typer.Exit(EXIT_PROBLEMS)


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Status(str, Enum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    returned = "returned"
    error = "error"  # files that could not be read


COLUMNS = ["file", "title", "owner", "organisation", "status", "rag", "blocking", "last_change",
           "approved_by", "review_due", "overdue", "note"]


@app.command("list")
def list_(folder: Optional[Path] = typer.Argument(None, help="Folder (default: $IDMF_HOME or ./assessments)."),
          status: Optional[Status] = typer.Option(None, "--status", help="Only assessments with this status."),
          overdue: bool = typer.Option(False, "--overdue", help="Only assessments whose review date has passed."),
          output_format: ListFormat = typer.Option(ListFormat.table, "--format")) -> None:
    """The assessment register: every assessment in a folder with status, RAG and review date."""
    if folder is not None and not folder.exists():
        raise InputError("folder not found", where=str(folder),
                         hint="pass the folder that holds the assessments (default: $IDMF_HOME or ./assessments)")
    folder = folder or assessments_dir()
    today = dt.date.today()
    rows = []
    # The default folder appears with the first assessment; until then the register is empty.
    files = expand([folder]) if folder.exists() else []
    for r in check_files(files, register=True):
        if r.error is not None:
            rows.append({"file": str(r.path), "title": "", "owner": "", "organisation": "", "status": "error",
                         "rag": "", "blocking": "", "last_change": "", "approved_by": "", "review_due": "",
                         "overdue": False, "note": r.error})
            continue
        is_overdue = bool(r.review_due and r.review_due < today)
        rows.append({
            "file": str(r.path), "title": r.title, "owner": r.owner, "organisation": r.organisation,
            "status": r.status, "rag": r.rag, "blocking": r.blocking,
            "last_change": r.last_changed.isoformat() if r.last_changed else "", "approved_by": r.approved_by,
            "review_due": r.review_due.isoformat() if r.review_due else "", "overdue": is_overdue, "note": r.integrity,
        })
    if status:
        rows = [row for row in rows if row["status"] == status.value]
    if overdue:
        rows = [row for row in rows if row["overdue"]]
    if output_format == ListFormat.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output_format == ListFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        print(buffer.getvalue(), end="")
    else:
        if rows:
            print_register(rows, f"Assessments in {folder}")
        elif not files:
            print(f"No assessments in {folder} yet: start one with `idmf wizard`.")
        print(f"{len(rows)} assessment(s)")
