"""`idmf questionnaire validate`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import err, examples

app = typer.Typer(help="Validate the questionnaire files.", no_args_is_help=True)


@app.command("validate", epilog=examples('idmf questionnaire validate', 'idmf questionnaire validate policy/questionnaires'))
def validate(path: Optional[Path] = typer.Argument(None, help="Questionnaire folder or manifest (default: questionnaires/).")) -> None:
    """Check the questionnaire: schema, unique ids, show_if references and values."""
    from ..errors import EXIT_PROBLEMS, ValidationProblems
    from ..questionnaire import default_questionnaire_path, load_questionnaire

    target = path or default_questionnaire_path()
    try:
        q = load_questionnaire(target)
    except ValidationProblems as exc:
        for problem in exc.problems:
            err(problem)
        err(f"questionnaire invalid: {len(exc.problems)} problem(s)")
        raise typer.Exit(EXIT_PROBLEMS)
    sections = sum(len(s.sections) for s in q.steps)
    print(f"questionnaire OK: {q.id} {q.version} — {len(q.steps)} steps, {sections} sections, "
          f"{len(q.questions())} questions, {len(q.groups)} groups, {len(q.changes)} kinds of change, "
          f"{len(q.signals)} signals ({target})")
