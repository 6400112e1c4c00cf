"""The findings panel: a heading with the rating and counts, then a row per finding (the severity as
a word, never colour alone), those about questions not reached yet listed apart, as to come.

A widget that owns its state (the findings shown, their rows, the heading, which were news) and
takes its findings from the session only (``show``); what it has to tell (a new blocking finding,
a stage 2 now needed) it returns, for the screen to say in the conversation, and a finding chosen
(Enter, a click) is posted as ``FindingsPanel.Chosen``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...rules.model import Finding, Findings
from ...textsafety import for_terminal
from ..session import Session

_RANK = ["critical", "high", "medium", "low", "info"]

SEVERITY_WORD = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW", "info": "INFO"}


def finding_line(finding: Finding, *, to_come: bool = False) -> Text:
    """One row; a finding about a question not reached yet says so in words (and is dimmed),
    and does not claim to block: it blocks nothing until the user gets there."""
    if to_come:
        return Text(for_terminal(f"(to come) {finding.rule_id} {finding.title}", limit=500), style="dim")
    blocking = " BLOCKING" if finding.blocking else ""
    return Text(for_terminal(f"[{SEVERITY_WORD[finding.severity]}{blocking}] {finding.rule_id} {finding.title}"
                             + (f" (+{len(finding.consequences)} from the same gap)" if finding.consequences else ""), limit=500))


class FindingsUpdated(Message):
    def __init__(self, findings: Findings):
        super().__init__()
        self.findings = findings


@dataclass
class News:
    """A finding to tell in the conversation: newly blocking or serious, or a stage 2 now needed."""

    finding: Finding
    to_come: bool


class FindingsPanel(Vertical):
    DEFAULT_CSS = "FindingsPanel { height: 1fr; }"

    class Chosen(Message):
        def __init__(self, finding: Finding):
            super().__init__()
            self.finding = finding

    def __init__(self, session: Session):
        super().__init__(id="findings-panel")
        self.session = session
        self.findings: Optional[Findings] = None  # every finding last shown (check-your-answers uses them all)
        self._by_id: dict[str, Finding] = {}
        self._layout: list[str] = []  # the rows as last drawn (their words; "--" the to-come heading)
        self._title = ""
        self._known: set[str] = set()  # findings counted now, as last shown
        self._told: set[str] = set()  # stage 2 news told
        self._shown_seq = 0  # each check is numbered, so a slow worker's result never replaces newer findings

    def compose(self) -> ComposeResult:
        yield Label("Findings", classes="panel-title", id="findings-title")
        yield OptionList(id="findings")

    def on_mount(self) -> None:
        self._title_label = self.query_one("#findings-title", Label)
        self._rows = self.query_one("#findings", OptionList)

    def again(self) -> list[News]:
        """Draw the findings shown again: the user went further, or asked for every finding."""
        return self.show(self.findings) if self.findings is not None else []

    def show(self, findings: Findings, seq: Optional[int] = None) -> list[News]:
        """Show ``findings`` (the session's, for the answers now); what is news to tell, in order."""
        if seq is not None:
            if seq < self._shown_seq:
                return []  # a worker's result for answers older than the findings already shown
            self._shown_seq = seq
        self.findings = findings
        # Only findings about questions reached count now; the others are listed apart, as to come.
        live, later = self.session.live_findings(findings)
        ordered = sorted(live.findings, key=lambda f: (not f.blocking, _RANK.index(f.severity)))
        to_come = sorted(later, key=lambda f: (not f.blocking, _RANK.index(f.severity)))
        self._draw_rows(ordered, to_come)
        if self.session.screening_started() or self.session.all_findings:
            rating = f"{live.rag.upper()} · {len(live.blocking)} blocking"
        else:  # no rating before the screening: GREEN would say the decision was checked
            rating = "not started" + (f" · {len(live.blocking)} blocking" if live.blocking else "")
        title = f"Findings: {rating}" + (f" · {len(to_come)} to come" if to_come else "")
        if title != self._title:  # an unchanged title costs no relayout
            self._title = title
            self._title_label.update(title)
        return self._news(ordered, to_come)

    def _draw_rows(self, ordered: list[Finding], to_come: list[Finding]) -> None:
        # The rows as they read, not only which findings they are: a root cause that gains a
        # consequence keeps its place, but its row's "(+N from the same gap)" must change.
        rows = [(f.rule_id, finding_line(f)) for f in ordered]
        later_rows = [(f.rule_id, finding_line(f, to_come=True)) for f in to_come]
        layout = [line.plain for _, line in rows] + ["--"] + [line.plain for _, line in later_rows]
        self._by_id = {f.rule_id: f for f in ordered + to_come}
        if layout == self._layout:
            return
        self._layout = layout
        # An OptionList redraws cheaply (no widget per finding), which keeps the update after each answer quick.
        options = [Option(line, id=rule_id) for rule_id, line in rows]
        if to_come:
            options.append(Option(f"To come ({len(to_come)}): about questions not reached yet", disabled=True))
            options += [Option(line, id=rule_id) for rule_id, line in later_rows]
        self._rows.set_options(options)

    def _news(self, ordered: list[Finding], to_come: list[Finding]) -> list[News]:
        """New blocking or serious findings, and a stage 2 now needed (told at once although its
        questions are to come). Not when the first findings counted arrive all at once (opening an
        assessment: they are not news about an answer just given)."""
        new = [f for f in ordered if f.rule_id not in self._known and (f.blocking or f.severity in ("critical", "high"))]
        stage2 = [f for f in to_come if f.readiness == "stage2_required" and f.rule_id not in self._told]
        tell = bool(self._known) or not new
        self._known = {f.rule_id for f in ordered}
        self._told.update(f.rule_id for f in stage2)
        if not tell:
            self._told.update(f.rule_id for f in new if f.readiness == "stage2_required")
            return []
        news = [News(f, True) for f in stage2]
        for finding in new:
            if finding.readiness == "stage2_required":
                if finding.rule_id in self._told:
                    continue
                self._told.add(finding.rule_id)
            news.append(News(finding, False))
        return news

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        finding = self._by_id.get(event.option.id or "")
        if finding is not None:
            self.post_message(self.Chosen(finding))
