"""`idmf wizard` (and bare `idmf` in a terminal)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from .common import examples

EXAMPLES = examples(
    "idmf wizard",
    "idmf wizard assessments/extended-pharmacy-hours.yaml",
)



def run_wizard(file: Optional[Path] = None, folder: Optional[Path] = None) -> None:
    from ..errors import InputError
    from ..paths import assessments_dir
    from ..questionnaire import load_questionnaire
    from ..textsafety import for_terminal
    from ..wizard.app import WizardApp

    if file is not None and file.is_dir():
        raise InputError("is a folder, not a file", where=str(file),
                         hint=f"give the path of an assessment, or open the folder's assessments with `idmf wizard --dir {file}`")
    if file is not None and not file.is_file():
        raise InputError("file not found", where=str(file), hint="give the path of an assessment, or run `idmf wizard` to pick one")
    target = assessments_dir(folder)
    target.mkdir(parents=True, exist_ok=True)
    app = WizardApp(target if file is None else file.parent, file, load_questionnaire())
    app.run()
    if app.farewell:
        print(for_terminal(app.farewell, limit=None), file=sys.stderr if app.return_code else sys.stdout)
    if app.return_code:  # 70 after a bug (the wizard has written the crash log and said where)
        raise typer.Exit(app.return_code)


def wizard(
    file: Optional[Path] = typer.Argument(None, help="Assessment to open (default: choose on the start screen)."),
    folder: Optional[Path] = typer.Option(None, "--dir", help="Folder for assessments (default: $IDMF_HOME or ./assessments)."),
) -> None:
    """Open the chat-style wizard: answer the six steps and the EHIIRA, with live findings."""
    run_wizard(file, folder)
