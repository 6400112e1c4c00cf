"""The first screen: recent assessments to resume, or a new one."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from ...errors import IdmfError
from ...store import list_assessment_files, load_assessment
from ..session import Session


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
        # The short columns first: a long title then runs off the right edge of a
        # narrow terminal instead of pushing the status and rating out of sight.
        table.add_columns("Status", "RAG", "Last edited", "Title")
        questionnaire = self.app.questionnaire
        engine = self.app.engine
        files = sorted(list_assessment_files(self.folder), key=lambda p: p.stat().st_mtime, reverse=True)[:50]
        for path in files:
            try:
                a = load_assessment(path, questionnaire).assessment
                rag = engine.check(a).rag.upper()
                table.add_row(a.status, rag, f"{a.last_changed:%Y-%m-%d %H:%M}", a.title)
            except IdmfError as exc:
                table.add_row("unreadable", "", "", f"{path.name}: {exc.message}")
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
