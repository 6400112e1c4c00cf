"""`idmf submit`: a draft goes for review."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import change_assessment, err, examples, say

EXAMPLES = examples(
    'idmf submit assessments/extended-pharmacy-hours.yaml --by "Priya Shah"',
)



def submit(path: Path = typer.Argument(..., help="Assessment file."),
           by: str = typer.Option(..., "--by", help="Who is submitting it.")) -> None:
    """Submit a draft for review (refused while blocking findings remain)."""
    from .. import lifecycle
    from ..errors import IdmfError
    from ..paths import source
    from ..rules import default_engine

    judged: list[str] = []

    def action(a, q):
        engine = default_engine(q)
        # Whose rules judged the assessment, said whether it is accepted or refused.
        judged.append(source("rules").statement(engine.ruleset.version[:12]))
        lifecycle.submit(a, by=by, findings=engine.check(a))
    try:
        change_assessment(path, action)
    except IdmfError:
        for line in judged:
            err(line)
        raise
    say(f"submitted: {path}")
    for line in judged:
        say(line)
