"""How a finding reads in the findings panel: the severity as a word, never colour alone."""

from __future__ import annotations

from rich.text import Text

from ...rules.model import Finding
from ...textsafety import for_terminal

SEVERITY_WORD = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW", "info": "INFO"}


def finding_line(finding: Finding, *, to_come: bool = False) -> Text:
    """One row; a finding about a question not reached yet says so in words (and is dimmed),
    and does not claim to block: it blocks nothing until the user gets there."""
    if to_come:
        return Text(for_terminal(f"(to come) {finding.rule_id} {finding.title}", limit=500), style="dim")
    blocking = " BLOCKING" if finding.blocking else ""
    return Text(for_terminal(f"[{SEVERITY_WORD[finding.severity]}{blocking}] {finding.rule_id} {finding.title}"
                             + (f" (+{len(finding.consequences)} from the same gap)" if finding.consequences else ""), limit=500))


