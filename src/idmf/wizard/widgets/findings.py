"""How a finding reads in the findings panel: the severity as a word, never colour alone."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message

from ...rules.model import Finding, Findings
from ...textsafety import for_terminal

SEVERITY_WORD = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW", "info": "INFO"}


def finding_line(finding: Finding) -> Text:
    blocking = " BLOCKING" if finding.blocking else ""
    return Text(for_terminal(f"[{SEVERITY_WORD[finding.severity]}{blocking}] {finding.rule_id} {finding.title}"
                             + (f" (+{len(finding.consequences)} from the same gap)" if finding.consequences else ""), limit=500))


class FindingsUpdated(Message):
    def __init__(self, findings: Findings):
        super().__init__()
        self.findings = findings
