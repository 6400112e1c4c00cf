"""Check your answers: every answer by step with a link back, what is missing, then submit."""

from __future__ import annotations

from typing import Optional

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Header, Label, ListItem, ListView

from ...errors import IdmfError
from ...rules.model import Finding, Findings
from ...textsafety import for_terminal
from ..session import Session
from ..widgets.editors import TypeToFind
from ..widgets.footer import KeysFooter


class ReviewScreen(Screen):
    """Check your answers: every answer by step, what is missing, and what blocks submission."""

    BINDINGS = [Binding("escape", "back", "Back to questions"), Binding("ctrl+u", "submit", "Submit")]

    def __init__(self, session: Session, findings: Findings):
        super().__init__()
        self.session = session
        self.findings = findings
        self._typed = TypeToFind()

    def compose(self) -> ComposeResult:
        yield Header()
        q = self.session.questionnaire
        items: list[ListItem] = []
        missing = self.session.unanswered_required()
        blocking = self.findings.blocking
        items.append(ListItem(Label(for_terminal(f"Rating: {self.findings.rag.upper()} · {self.findings.readiness}"), markup=False), disabled=True))
        if blocking:
            items.append(ListItem(Label(f"{len(blocking)} blocking finding(s) must be resolved before you can submit:", markup=False), disabled=True))
            for f in blocking:
                items.append(_Jump(f"  ✗ {f.rule_id} {f.title}: {f.guidance}", _first_question(f, self.session)))
        if missing:
            items.append(ListItem(Label(f"{len(missing)} required question(s) still to answer:", markup=False), disabled=True))
            for question in missing:
                items.append(_Jump(f"  • {question.text}", question.id))
        visible = {question.id for question in self.session.visible()}
        for step in q.steps:
            items.append(ListItem(Label(for_terminal(f"Step {step.number}: {step.title}", limit=500), classes="step-heading", markup=False), disabled=True))
            for section in step.sections:
                for question in section.questions:
                    if question.id not in visible:
                        continue
                    text = self.session.answer_shown(question)
                    label = f"Q{question.number}. " if question.number else ""
                    items.append(_Jump(f"  {label}{question.text}\n      → {text}   [change]", question.id))
        yield _Answers(*items, id="review")
        with Horizontal(id="review-buttons"):
            yield Button("Submit for review (Ctrl+U)", id="submit", variant="success")
            yield Button("Back to questions (Esc)", id="back")
        yield Label("", id="review-message", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Check your answers"
        self.query_one("#review", ListView).focus()  # Up/Down move, Enter changes the answer

    def on_key(self, event: events.Key) -> None:
        # Nothing here takes typing: a character typed is said so, with what to do, never dropped unseen.
        if event.is_printable and event.character and event.key not in self.active_bindings:
            event.stop()
            typed = self._typed.add(event.character)
            self.query_one("#review-message", Label).update(for_terminal(
                f"\u201c{typed}\u201d: there is no box to type in here. \u2191/\u2193 to an answer and Enter "
                "to change it; Esc goes back to the questions.", limit=500))

    @on(ListView.Selected, "#review")
    def _jump(self, event: ListView.Selected) -> None:
        if isinstance(event.item, _Jump) and event.item.question_id:
            self.dismiss(event.item.question_id)  # the assessment screen opens it

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        message = self.query_one("#review-message", Label)
        try:
            self.session.submit()  # fresh findings, never the panel's
        except IdmfError as exc:
            message.update(for_terminal(f"Not submitted: {exc.message}", limit=2000))
            return
        message.update("Submitted for review. The reviewer can now approve it or send it back with comments.")


class _Answers(ListView):
    """Every answer as a list: Up/Down, Page Up/Down and Home/End move (headings are skipped),
    Enter changes the answer under the cursor."""

    BINDINGS = [
        Binding("pagedown", "page(10)", "Page down", show=False),
        Binding("pageup", "page(-10)", "Page up", show=False),
        Binding("home", "page(-100000)", "First", show=False),
        Binding("end", "page(100000)", "Last", show=False),
    ]

    def action_page(self, step: int) -> None:
        items = list(self.query_children(ListItem))
        usable = [i for i, item in enumerate(items) if not item.disabled]
        if not usable:
            return
        target = (self.index or 0) + step
        # The nearest item that can be chosen, in the direction of travel.
        ahead = [i for i in usable if (i >= target if step > 0 else i <= target)]
        self.index = (min(ahead) if step > 0 else max(ahead)) if ahead else (usable[-1] if step > 0 else usable[0])


class _Jump(ListItem):
    def __init__(self, text: str, question_id: Optional[str]):
        super().__init__(Label(for_terminal(text, limit=2000), markup=False))
        self.question_id = question_id


def _first_question(finding: Finding, session: Session) -> Optional[str]:
    question = session.question_for(finding)
    return question.id if question else None
