"""`idmf submit`: a draft goes for review."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import change_assessment, examples, say

EXAMPLES = examples(
    'idmf submit assessments/extended-pharmacy-hours.yaml --by "Priya Shah"',
)



def submit(path: Path = typer.Argument(..., help="Assessment file."),
           by: str = typer.Option(..., "--by", help="Who is submitting it.")) -> None:
    """Submit a draft for review (refused while blocking findings remain)."""
    from .. import lifecycle
    from ..rules import default_engine

    def action(a, q):
        lifecycle.submit(a, by=by, findings=default_engine(q).check(a))
    change_assessment(path, action)
    say(f"submitted: {path}")
