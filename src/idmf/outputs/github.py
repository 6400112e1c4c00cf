"""`idmf check --format github`: workflow commands that annotate the assessment files in a pull request."""

from __future__ import annotations

from . import CheckOutput
from .lines import first_question, question_line

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}


def _esc(text: str) -> str:
    # Inert in the Actions log: no escape sequences, and no line break that
    # could start a workflow command of its own.
    from ..textsafety import for_terminal

    return for_terminal(text, limit=None).replace("%", "%25").replace("\n", "%0A")


def _prop(text: object) -> str:
    """A property value (file=..., title=...): also no comma or colon to end it early."""
    return _esc(str(text)).replace(",", "%2C").replace(":", "%3A")


class Output(CheckOutput):
    def begin(self) -> None:
        self.errors: list = []

    def add(self, result) -> None:
        if result.error is not None:
            self.errors.append(result)
            return
        path = result.path
        for f in result.findings:
            qid = first_question(f)
            title = _esc(f"{f.rule_id} {f.title}".replace(",", "%2C").replace("::", ": :"))
            self.write(f"::{LEVEL[f.severity]} file={_prop(path)},line={question_line(path, qid)},title={title}::"
                       + _esc(f"{f.message} ({qid}) — {f.guidance}" if qid else f"{f.message} — {f.guidance}") + "\n")

    def end(self) -> None:
        for result in self.errors:
            self.write(f"::error file={_prop(result.path)},line=1,title=unreadable assessment::{_esc(result.error)}\n")
        for statement in self.run.statements:
            self.write(statement + "\n")
