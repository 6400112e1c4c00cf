"""`idmf audit`: the backlog audit of a folder of assessments (HTML and CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import examples, say

EXAMPLES = examples(
    "idmf audit assessments/ --html audit.html --csv audit.csv",
)



def _ours(path: Path, head: bytes) -> bool:
    """An audit idmf wrote earlier: its CSV header row, or its HTML page's title."""
    text = head.removeprefix(b"\xef\xbb\xbf")
    return text.startswith(b"kind,detail,") or b"<title>Backlog audit" in text


def _write(path: Path, text: str, force: bool) -> None:
    from ..safe_write import write_output

    # Through the one guarded writer: never through a link, never over an assessment, never over
    # a file idmf did not write unless --force; atomic.
    write_output(path, text.encode("utf-8"), what="audit", force=force, ours=_ours)
    say(f"wrote {path}")


def audit(folder: Optional[Path] = typer.Argument(None, help="Folder of assessments (default: $IDMF_HOME or ./assessments)."),
          html: Optional[Path] = typer.Option(None, "--html", help="Also write the summary as a web page."),
          csv: Optional[Path] = typer.Option(None, "--csv", help="Also write the summary as CSV for a spreadsheet."),
          force: bool = typer.Option(False, "--force", help="Replace an existing --html/--csv file that idmf did not write.")) -> None:
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
    for line in summary_lines(result):
        say(line)  # file names and titles come from files: inert
    if html:
        _write(html, render_html(result), force)
    if csv:
        _write(csv, render_csv(result), force)
    if any(form.gaps for form in result.forms) or result.unreadable:
        raise typer.Exit(EXIT_PROBLEMS)
