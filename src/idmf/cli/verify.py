"""`idmf verify`: is the history intact, and is the content still what was approved?"""

from __future__ import annotations

from pathlib import Path

import typer

from .common import examples, open_assessment, say

EXAMPLES = examples(
    "idmf verify assessments/extended-pharmacy-hours.yaml",
)



def verify(path: Path = typer.Argument(..., help="Assessment file.")) -> None:
    """Check the history chain and whether the content still matches its approval."""
    from .. import lifecycle
    from ..answer_text import format_date
    from ..errors import EXIT_PROBLEMS

    file, _ = open_assessment(path)
    result = lifecycle.integrity(file.assessment)
    if result.ok:
        if result.approval_verified:
            state = (f"approved on {format_date(result.approval.date)} by {result.approval.reviewer}; "
                     f"unchanged since; signature verified (key {file.assessment.signature.key_id})")
        elif result.approval:
            state = (f"not approved now (approved on {format_date(result.approval.date)}, then reopened; the "
                     "signature is removed on reopening, so that approval is not verified now)")
        else:
            state = "not approved yet"
        say(f"OK: {len(file.assessment.history)} history entries intact; {state}")
        return
    say(result.statement())
    raise typer.Exit(EXIT_PROBLEMS)
