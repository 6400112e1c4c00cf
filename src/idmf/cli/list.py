"""`idmf list`: the assessment register."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from .common import examples

EXAMPLES = examples(
    "idmf list",
    "idmf list assessments/ --overdue",
    "idmf list assessments/ --format csv > register.csv",
)



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


def list_(folder: Optional[Path] = typer.Argument(None, help="Folder (default: $IDMF_HOME or ./assessments)."),
          status: Optional[Status] = typer.Option(None, "--status", help="Only assessments with this status."),
          overdue: bool = typer.Option(False, "--overdue", help="Only assessments whose review date has passed."),
          output_format: ListFormat = typer.Option(ListFormat.table, "--format", help="table for people, json or csv for other tools.")) -> None:
    """The assessment register: every assessment in a folder with status, RAG and review date."""
    import csv
    import datetime as dt
    import io
    import json
    import sys

    from ..checking import check_files, expand
    from ..errors import EXIT_BUG, InputError
    from ..paths import assessments_dir
    from ..textsafety import for_terminal, json_inert, spreadsheet_cell

    if folder is not None and not folder.exists():
        raise InputError("folder not found", where=str(folder),
                         hint="pass the folder that holds the assessments (default: $IDMF_HOME or ./assessments)")
    folder = folder or assessments_dir()
    today = dt.date.today()
    rows = []
    bugs = 0
    # The default folder appears with the first assessment; until then the register is empty.
    files = expand([folder]) if folder.exists() else []
    for r in check_files(files, register=True):
        if r.error is not None:
            bugs += r.bug
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
        print(json_inert(json.dumps(rows, indent=2, ensure_ascii=False)))
    elif output_format == ListFormat.csv:
        # For spreadsheets: UTF-8 with a byte order mark (so Excel reads the accents),
        # no cell that could run as a formula, times in UTC without an offset
        # (which Excel would read as text), Yes/No rather than True/False.
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            if row["last_change"]:
                row["last_change"] = dt.datetime.fromisoformat(row["last_change"]).strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow({key: spreadsheet_cell(value) for key, value in row.items()})
        sys.stdout.write("\ufeff" + buffer.getvalue())
    else:
        from .register_table import print_register

        if rows:
            # Inert, and short enough to lay out: a register shows the start of a long title.
            print_register([{key: for_terminal(value, limit=500) if isinstance(value, str) else value
                             for key, value in row.items()} for row in rows],
                           for_terminal(f"Assessments in {folder}"))
        elif not files:
            print(for_terminal(f"No assessments in {folder} yet: start one with `idmf wizard`."))
        print(f"{len(rows)} assessment(s)")
        from ..paths import source

        print(for_terminal(source("rules").statement()))  # whose rules rated them, and where they came from
    if bugs:
        raise typer.Exit(EXIT_BUG)
