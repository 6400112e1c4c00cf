"""The idmf wizard: a chat-style walk through the six IDMF steps and the EHIIRA."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.widgets.option_list import Option
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, ListItem, ListView, Markdown, OptionList, Static

from ..answer_text import answer_text
from ..errors import IdmfError
from ..model.questionnaire import Question, Questionnaire
from ..questionnaire.answers import AnswerError
from ..rules import default_engine
from ..rules.model import Finding, Findings
from ..store import list_assessment_files, load_assessment
from .editors import ActionsEditor, Editor, editor_for
from .session import Session

HIGH_CONTRAST = Theme(
    name="idmf-high-contrast", primary="#ffff00", secondary="#00ffff", accent="#ffffff", foreground="#ffffff",
    background="#000000", surface="#000000", panel="#1a1a1a", success="#00ff00", warning="#ffff00", error="#ff5555", dark=True,
)
TRANSCRIPT_LIMIT = 16
SEVERITY_WORD = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW", "info": "INFO"}

HELP = """\
# Keys

| Key | What it does |
|---|---|
| Enter | Save the answer (one-line answers) |
| Ctrl+S | Save the answer (long text, lists, tables) |
| y / n | Choose Yes or No (when not typing) |
| Ctrl+G | Why we ask this question |
| Ctrl+K | Skip this question for now |
| Ctrl+A | Add a row to the action plan |
| Ctrl+R | Check your answers, then submit |
| Ctrl+O | Write the report (HTML, Markdown, Word, PDF) |
| Ctrl+T | High-contrast theme on or off |
| Ctrl+P | Command palette (every action) |
| F1 or ? | This help |
| Ctrl+Q | Quit (every answer is already saved) |

Select a step on the left to jump to it, a finding to go to the question
behind it, or one of your replies in the conversation to change it.
"""


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Markdown(HELP)
            yield Button("Close (Esc)", id="close-help")

    @on(Button.Pressed, "#close-help")
    def close(self) -> None:
        self.dismiss()


class Bubble(Static):
    """One message in the conversation; replies can be clicked to change the answer."""

    def __init__(self, text: str, *, kind: str, question_id: Optional[str] = None):
        super().__init__(text, classes=f"bubble {kind}", markup=False)
        self.question_id = question_id

    def on_click(self) -> None:
        if self.question_id:
            self.screen.ask(self.question_id)


class StepItem(ListItem):
    def __init__(self, step_id: str, text: str):
        super().__init__(Label(text, markup=False))
        self.step_id = step_id
        self.text = text

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.query_one(Label).update(text)


def _finding_line(finding: Finding) -> Text:
    blocking = " BLOCKING" if finding.blocking else ""
    return Text(f"[{SEVERITY_WORD[finding.severity]}{blocking}] {finding.rule_id} {finding.title}")


class AssessmentScreen(Screen):
    # Priority bindings: they must work while typing in a text box too
    # (the text area would otherwise take ctrl+k and ctrl+a for editing).
    BINDINGS = [
        Binding("ctrl+s", "save_answer", "Save answer", priority=True),
        Binding("ctrl+k", "skip", "Skip", priority=True),
        Binding("ctrl+g", "why", "Why we ask", priority=True),
        Binding("ctrl+r", "review", "Check answers", priority=True),
        Binding("ctrl+o", "report", "Report", priority=True),
        Binding("ctrl+a", "add_row", "Add row", show=False, priority=True),
    ]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.question: Optional[Question] = None
        self.findings: Optional[Findings] = None
        self._known: set[str] = set()
        self._finding_by_id: dict[str, Finding] = {}

    @property
    def questionnaire(self) -> Questionnaire:
        return self.session.questionnaire

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="body"):
            with Vertical(id="side"):
                yield Label("Steps (answered/required)", classes="panel-title")
                yield ListView(*[StepItem(p.step.id, self._step_text(p)) for p in self.session.progress()], id="steps")
                yield Label("Findings", classes="panel-title", id="findings-title")
                yield OptionList(id="findings")
            with Vertical(id="main"):
                yield VerticalScroll(id="transcript")
                with Vertical(id="answer-area"):
                    yield Label("", id="prompt")
                    yield Vertical(id="editor-slot")
                    yield Label("", id="error", classes="error")
                    with Horizontal(id="answer-buttons"):
                        yield Button("Save answer", id="save", variant="primary")
                        yield Button("Skip for now", id="skip")
                        yield Button("Why we ask", id="why")
        yield Footer()

    def on_mount(self) -> None:
        a = self.session.assessment
        self.title = f"idmf · {a.title}"
        self._saved_state()
        self.say(f"Hello. This is the assessment for \u201c{a.title}\u201d. I'll ask one question at a time; every "
                 "answer is saved as soon as you give it, so you can stop and come back whenever you like.", kind="bot")
        self.run_check()
        self.ask_next()

    # --- conversation ---------------------------------------------------

    def say(self, text: str, *, kind: str, question_id: Optional[str] = None) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.mount(Bubble(text, kind=kind, question_id=question_id))
        # Keep the conversation to its recent part: every answer is in the file
        # and on the check-your-answers screen, and a short transcript stays fast.
        bubbles = transcript.query(Bubble)
        if len(bubbles) > TRANSCRIPT_LIMIT:
            for old in list(bubbles)[: len(bubbles) - TRANSCRIPT_LIMIT]:
                old.remove()
        transcript.scroll_end(animate=False)

    def _step_text(self, progress) -> str:
        done = "✓" if progress.required and progress.answered == progress.required else " "
        return f"{done}{progress.step.number}. {progress.answered}/{progress.required} {progress.step.title}"

    def _saved_state(self) -> None:
        saved = self.session.saved_at
        self.sub_title = f"{self.session.assessment.status} · " + (f"saved {saved:%H:%M:%S}" if saved else "all answers saved")

    def ask_next(self) -> None:
        after = self.question.id if self.question else None
        question = self.session.next_question(after=after)
        if question is None:
            self.question = None
            self.query_one("#prompt", Label).update("Every question has an answer or was skipped.")
            self.query_one("#editor-slot").remove_children()
            self.say("That's every question for now. Press Ctrl+R to check your answers and submit, "
                     "or pick a step on the left to go back.", kind="bot")
            return
        self.ask(question.id)

    def ask(self, question_id: str) -> None:
        located = self.questionnaire.locate(question_id)
        if located is None:
            return
        step, section, question = located
        self.question = question
        number = f"Q{question.number}. " if question.number else ""
        optional = "" if question.required else " (optional)"
        self.say(f"Step {step.number}, {section.title}\n{number}{question.text}{optional}", kind="bot", question_id=None)
        self.query_one("#prompt", Label).update(f"{number}{question.text}{optional}")
        self.query_one("#error", Label).update("")
        slot = self.query_one("#editor-slot")
        slot.remove_children()
        editor = editor_for(question, self.questionnaire, self.session.assessment.get_answer(question.id))
        slot.mount(editor)  # the editor focuses its first field once mounted

    def editor(self) -> Optional[Editor]:
        editors = self.query(Editor)
        return editors.first() if editors else None

    def action_save_answer(self) -> None:
        editor = self.editor()
        if editor is None or self.question is None:
            return
        question = self.question
        try:
            value = self.session.answer(question, editor.value())
        except AnswerError as exc:
            self.query_one("#error", Label).update(f"Not saved: {exc.message}" + (f". {exc.hint}" if exc.hint else ""))
            return
        except IdmfError as exc:
            self.query_one("#error", Label).update(f"Not saved: {exc}")
            return
        self.run_check()  # first, so the findings are ready by the time the screen is redrawn
        reply = answer_text(question, value, self.questionnaire)
        self.say(f"{reply}   (select to change)", kind="reply", question_id=question.id)
        if question.type.value == "yes_no" and isinstance(value, dict) and not value.get("rationale") and question.rationale_required:
            self.say("Saved. A Yes or No needs a short reason too; you can add it now or later.", kind="bot")
        self._saved_state()
        self.refresh_steps()
        self.ask_next()

    def action_skip(self) -> None:
        if self.question is not None:
            self.session.skip(self.question)
            self.say("Skipped for now; it stays on the list of things to answer.", kind="reply")
            self.ask_next()

    def action_why(self) -> None:
        if self.question is not None:
            self.say(f"Why we ask: {self.question.why or 'No guidance written for this question.'}", kind="why")

    def action_add_row(self) -> None:
        editor = self.editor()
        if isinstance(editor, ActionsEditor):
            editor.add_row()

    def action_review(self) -> None:
        self.app.push_screen(ReviewScreen(self.session, self.findings))

    def action_report(self) -> None:
        from ..report import FORMATS, report_paths, write_reports

        findings = self.findings or default_engine(self.questionnaire).check(self.session.assessment)
        try:
            written = write_reports(self.session.assessment, self.questionnaire, findings,
                                    report_paths(self.session.path, "all", None))
        except Exception as exc:  # noqa: BLE001 - a report failure must not lose the session
            self.say(f"The report could not be written: {exc}", kind="warning")
            return
        listing = "\n".join(f"  {fmt}: {path}" for fmt, path in written.items() if fmt in FORMATS)
        self.say(f"Report written:\n{listing}", kind="bot")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save_answer()

    @on(Button.Pressed, "#skip")
    def _skip_pressed(self) -> None:
        self.action_skip()

    @on(Button.Pressed, "#why")
    def _why_pressed(self) -> None:
        self.action_why()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save_answer()

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self) -> None:
        self.action_save_answer()

    @on(ListView.Selected, "#steps")
    def _step_selected(self, event: ListView.Selected) -> None:
        question = self.session.first_in_step(event.item.step_id)
        if question is not None:
            self.ask(question.id)

    @on(OptionList.OptionSelected, "#findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        finding = self._finding_by_id.get(event.option.id)
        if finding is None:
            return
        for trigger in finding.triggered_by:
            qid = trigger.question_id
            if qid.startswith("derived.") and qid == "derived.unanswered_required":
                first = self.session.unanswered_required()
                qid = first[0].id if first else qid
            if self.questionnaire.question(qid) is not None:
                self.say(f"{finding.rule_id}: {finding.message}\nWhat to do: {finding.guidance}", kind="warning")
                self.ask(qid)
                return

    def refresh_steps(self) -> None:
        for item, progress in zip(self.query(StepItem), self.session.progress()):
            item.set_text(self._step_text(progress))  # unchanged text costs no redraw

    # --- live findings (off the UI thread) ----------------------------------

    def run_check(self) -> None:
        self.check_worker(self.session.assessment.model_copy(deep=True))

    @work(thread=True, exclusive=True, group="check")
    def check_worker(self, snapshot) -> None:
        findings = default_engine(self.questionnaire).check(snapshot)
        self.app.call_from_thread(self.show_findings, findings)

    def show_findings(self, findings: Findings) -> None:
        self.findings = findings
        ordered = sorted(findings.findings, key=lambda f: (not f.blocking, ["critical", "high", "medium", "low", "info"].index(f.severity)))
        changed = list(self._finding_by_id) != [f.rule_id for f in ordered]
        self._finding_by_id = {f.rule_id: f for f in ordered}
        if changed:
            # An OptionList redraws cheaply (no widget per finding), which keeps
            # the update after each answer quick.
            panel = self.query_one("#findings", OptionList)
            panel.clear_options()
            panel.add_options([Option(_finding_line(f), id=f.rule_id) for f in ordered])
        self.query_one("#findings-title", Label).update(
            f"Findings: {findings.rag.upper()} · {len(findings.blocking)} blocking · {len(findings.findings)} in all")
        new = [f for f in ordered if f.rule_id not in self._known and (f.blocking or f.severity in ("critical", "high"))]
        if self._known or not new:
            for f in new:
                if f.readiness == "stage2_required":
                    self.say(f"That answer means a full stage 2 assessment is needed, because: {f.message}", kind="warning")
                else:
                    self.say(f"New finding ({f.severity}{', blocking' if f.blocking else ''}): {f.title}. {f.guidance}", kind="warning")
        self._known = {f.rule_id for f in findings.findings}
        self.app.post_message(FindingsUpdated(findings))


from textual.message import Message  # noqa: E402


class FindingsUpdated(Message):
    def __init__(self, findings: Findings):
        super().__init__()
        self.findings = findings


class ReviewScreen(Screen):
    """Check your answers: every answer by step, what is missing, and what blocks submission."""

    BINDINGS = [Binding("escape", "back", "Back to questions"), Binding("ctrl+u", "submit", "Submit")]

    def __init__(self, session: Session, findings: Optional[Findings]):
        super().__init__()
        self.session = session
        self.findings = findings or default_engine(session.questionnaire).check(session.assessment)

    def compose(self) -> ComposeResult:
        yield Header()
        q = self.session.questionnaire
        items: list[ListItem] = []
        missing = self.session.unanswered_required()
        blocking = self.findings.blocking
        items.append(ListItem(Label(f"Rating: {self.findings.rag.upper()} · {self.findings.readiness}", markup=False), disabled=True))
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
            items.append(ListItem(Label(f"Step {step.number}: {step.title}", classes="step-heading", markup=False), disabled=True))
            for section in step.sections:
                for question in section.questions:
                    if question.id not in visible:
                        continue
                    text = answer_text(question, self.session.assessment.get_answer(question.id), q)
                    label = f"Q{question.number}. " if question.number else ""
                    items.append(_Jump(f"  {label}{question.text}\n      → {text}   [change]", question.id))
        yield ListView(*items, id="review")
        with Horizontal(id="review-buttons"):
            yield Button("Submit for review (Ctrl+U)", id="submit", variant="success")
            yield Button("Back to questions (Esc)", id="back")
        yield Label("", id="review-message")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Check your answers"

    @on(ListView.Selected, "#review")
    def _jump(self, event: ListView.Selected) -> None:
        if isinstance(event.item, _Jump) and event.item.question_id:
            self.app.pop_screen()
            self.app.screen.ask(event.item.question_id)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        message = self.query_one("#review-message", Label)
        try:
            self.session.submit(self.findings)
        except IdmfError as exc:
            message.update(f"Not submitted: {exc.message}")
            return
        message.update("Submitted for review. The reviewer can now approve it or send it back with comments.")


class _Jump(ListItem):
    def __init__(self, text: str, question_id: Optional[str]):
        super().__init__(Label(text, markup=False))
        self.question_id = question_id


def _first_question(finding: Finding, session: Session) -> Optional[str]:
    for trigger in finding.triggered_by:
        if session.questionnaire.question(trigger.question_id) is not None:
            return trigger.question_id
    missing = session.unanswered_required()
    return missing[0].id if missing else None


class StartScreen(Screen):
    """Recent assessments to resume, or a new one."""

    BINDINGS = [Binding("ctrl+n", "focus_new", "New assessment")]

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder
        self.paths: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static("Inclusive Decision-Making Framework and EHIIRA", classes="panel-title")
            yield Static(f"Assessments in {self.folder}. Choose one to carry on, or start a new one below.", markup=False)
            yield DataTable(id="recent", cursor_type="row")
            yield Label("Start a new assessment: what is the decision called?")
            yield Input(placeholder="e.g. Community diabetes service redesign", id="new-title")
            yield Label("", id="start-message", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "idmf"
        table = self.query_one("#recent", DataTable)
        table.add_columns("Title", "Status", "Last edited", "RAG")
        questionnaire = self.app.questionnaire
        engine = default_engine(questionnaire)
        files = sorted(list_assessment_files(self.folder), key=lambda p: p.stat().st_mtime, reverse=True)[:50]
        for path in files:
            try:
                a = load_assessment(path, questionnaire).assessment
                rag = engine.check(a).rag.upper()
                table.add_row(a.title, a.status, f"{a.last_changed:%Y-%m-%d %H:%M}", rag)
            except IdmfError as exc:
                table.add_row(path.name, "unreadable", "", exc.message[:40])
            self.paths.append(path)
        if files:
            table.focus()
        else:
            self.query_one("#new-title", Input).focus()
        self.app.open_initial()

    def action_focus_new(self) -> None:
        self.query_one("#new-title", Input).focus()

    @on(DataTable.RowSelected, "#recent")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.open_path(self.paths[event.cursor_row])

    @on(Input.Submitted, "#new-title")
    def _new(self, event: Input.Submitted) -> None:
        title = event.value.strip()
        if not title:
            self.query_one("#start-message", Label).update("Give the decision a title first.")
            return
        try:
            session = Session.create(self.folder, title, self.app.questionnaire)
        except IdmfError as exc:
            self.query_one("#start-message", Label).update(str(exc))
            return
        self.app.start_session(session)

    def show_error(self, text: str) -> None:
        self.query_one("#start-message", Label).update(text)


class WizardApp(App):
    CSS_PATH = "wizard.tcss"
    TITLE = "idmf"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "contrast", "High contrast", show=False),
    ]

    def __init__(self, folder: Path, path: Optional[Path] = None, questionnaire: Optional[Questionnaire] = None):
        super().__init__()
        from ..questionnaire import load_questionnaire

        self.folder = folder
        self.initial_path = path
        self.questionnaire = questionnaire or load_questionnaire()
        self.session: Optional[Session] = None
        self.register_theme(HIGH_CONTRAST)

    def on_mount(self) -> None:
        self.push_screen(StartScreen(self.folder))

    def open_initial(self) -> None:
        """Called by the start screen once it is drawn, so errors have somewhere to show."""
        path, self.initial_path = self.initial_path, None
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        try:
            session = Session.open(path, self.questionnaire)
        except IdmfError as exc:
            message = str(exc)
            if isinstance(self.screen, StartScreen):
                self.screen.show_error(message)
            self.notify(message, severity="error", timeout=10)
            return
        self.start_session(session)

    def start_session(self, session: Session) -> None:
        if self.session is not None:
            self.session.close()
        self.session = session
        self.push_screen(AssessmentScreen(session))

    def action_help(self) -> None:
        # "?" reaches here only when not typing (inputs keep it as text); F1 always does.
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_contrast(self) -> None:
        self.theme = "textual-dark" if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: keys", "List every key", self.action_help)
        yield SystemCommand("High-contrast theme", "Toggle a high-contrast theme", self.action_contrast)
        if isinstance(screen, AssessmentScreen):
            yield SystemCommand("Check your answers", "Review every answer, then submit", screen.action_review)
            yield SystemCommand("Write the report", "HTML, Markdown, Word and PDF next to the assessment", screen.action_report)
            yield SystemCommand("Why we ask", "Guidance for the current question", screen.action_why)
            yield SystemCommand("Skip this question", "Come back to it later", screen.action_skip)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
