"""`idmf audit`: the backlog audit of a folder of assessments (HTML and CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import examples

EXAMPLES = examples(
    "idmf audit assessments/ --html audit.html --csv audit.csv",
)



def _write(path: Path, text: str) -> None:
    from ..errors import InputError

    if path.suffix.lower() in (".yaml", ".yml"):
        raise InputError("will not write the audit over an assessment file", where=str(path),
                         hint="name the output .html or .csv")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"could not write the audit ({exc.strerror or exc})", where=str(path),
                         hint="check the folder exists and you may write to it")
    print(f"wrote {path}")


def audit(folder: Optional[Path] = typer.Argument(None, help="Folder of assessments (default: $IDMF_HOME or ./assessments)."),
          html: Optional[Path] = typer.Option(None, "--html", help="Also write the summary as a web page."),
          csv: Optional[Path] = typer.Option(None, "--csv", help="Also write the summary as CSV for a spreadsheet.")) -> None:
    """Count the blocking gaps across every assessment in a folder, by kind: unanswered questions
    by number, missing rationales, answers contradicted elsewhere, stage 2 needed but absent, no
    approval. Exit 0 when no gap was found, 1 when any was, 2 when the folder cannot be read."""
    from ..errors import EXIT_PROBLEMS, InputError
    from ..importing.audit import audit_folder, render_csv, render_html, summary_lines
    from ..paths import assessments_dir
    from .common import questionnaire

    if folder is not None and not folder.is_dir():
        raise InputError("folder not found", where=str(folder),
                         hint="pass the folder that holds the assessments, e.g. the --dir you imported into")
    folder = folder or assessments_dir()
    if not folder.is_dir():
        raise InputError("folder not found", where=str(folder), hint="import some forms first with `idmf import`")
    result = audit_folder(folder, questionnaire())
    print("\n".join(summary_lines(result)))
    if html:
        _write(html, render_html(result))
    if csv:
        _write(csv, render_csv(result))
    if any(form.gaps for form in result.forms) or result.unreadable:
        raise typer.Exit(EXIT_PROBLEMS)
