"""The first screen: recent assessments to resume, or a new one."""

from __future__ import annotations

from pathlib import Path

import os
import stat

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Static

from ...checking import CheckedFile, expand, iter_checked
from ...errors import IdmfError
from ...textsafety import for_terminal
from ..session import Session
from ..widgets.editors import AnswerBox
from ..widgets.footer import KeysFooter

RECENT_LIMIT = 50


def _last_modified(path: Path) -> float:
    # lstat: a dangling link or a pipe has a time of its own and is never followed or opened.
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return 0.0


def is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _reason(checked: CheckedFile) -> str:
    """The error on one line, the file by its name (file:line kept)."""
    text = checked.error or ""
    if text.startswith(str(checked.path)):
        text = checked.path.name + text[len(str(checked.path)):]
    return " ".join(text.replace("What to do:", "— what to do:").split())


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
            yield Static(for_terminal(f"Assessments in {self.folder}. Choose one to carry on, or start a new one below."), markup=False)
            yield DataTable(id="recent", cursor_type="row")
            yield Label("Start a new assessment: what is the decision called?")
            # An AnswerBox keeps a title typed into it when it takes the focus (a plain Input selects it all).
            yield AnswerBox(placeholder="e.g. Community diabetes service redesign", id="new-title")
            yield Label("", id="start-message", classes="error", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "idmf"
        table = self.query_one("#recent", DataTable)
        # The short columns first: a long title then runs off the right edge of a
        # narrow terminal instead of pushing the status and rating out of sight.
        table.add_columns("Status", "RAG", "Last edited", "Title")
        self.query_one("#new-title", Input).focus()
        self.list_assessments()
        self.app.open_initial()

    @work(thread=True, exclusive=True, group="register")
    def list_assessments(self) -> None:
        """Fill the table off the UI thread, with the register's own checks (``idmf list``): a bad
        file is a row saying why, never the end of the list; a pipe or device is never opened."""
        files = expand([self.folder])
        files = sorted(files, key=_last_modified, reverse=True)[:RECENT_LIMIT]
        for checked in iter_checked(files, register=True):
            self.app.call_from_thread(self._add_row, checked)

    def _add_row(self, checked: CheckedFile) -> None:
        table = self.query_one("#recent", DataTable)
        if checked.error:
            table.add_row("unreadable", "", "", Text(for_terminal(_reason(checked), limit=300)))
        else:
            when = f"{checked.last_changed:%Y-%m-%d %H:%M}" if checked.last_changed else ""
            # Text, not str: a table reads a str as markup, and a title is the author's text.
            table.add_row(checked.status, checked.rag.upper(), when, Text(for_terminal(checked.title, limit=200)))
        self.paths.append(checked.path)
        if table.row_count == 1 and isinstance(self.app.focused, Input) and not self.app.focused.value:
            table.focus()  # something to carry on with: start there (nothing typed yet is taken away)

    def action_focus_new(self) -> None:
        self.query_one("#new-title", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """A letter typed with the list focused is the start of a new title (what the README and the
        label above the box ask for): it goes into the title box, which takes the cursor, instead of
        going nowhere while Enter then opens the assessment highlighted in the list."""
        box = self.query_one("#new-title", Input)
        # The box itself takes every letter typed in it: one here was on its way to the list, even
        # if the cursor has moved to the box since (a title typed fast: every letter after the first).
        if not (event.is_printable and event.character):
            return
        event.stop()
        event.prevent_default()
        self.set_focus(box)  # at once: the next key typed must find the cursor there
        box.insert_text_at_cursor(event.character)

    @on(DataTable.RowSelected, "#recent")
    def _open(self, event: DataTable.RowSelected) -> None:
        if not is_regular_file(self.paths[event.cursor_row]):
            self.show_error(for_terminal(f"{self.paths[event.cursor_row].name} is not an assessment file; it is not opened.", limit=300))
            return
        self.app.open_path(self.paths[event.cursor_row])

    @on(Input.Submitted, "#new-title")
    def _new(self, event: Input.Submitted) -> None:
        title = event.value.strip()
        if not title:
            self.show_error("Give the decision a title first.")  # (the label is hidden until it has something to say)
            return
        try:
            session = Session.create(self.folder, title, self.app.questionnaire, rules=self.app.rules)
        except IdmfError as exc:
            self.show_error(str(exc))
            return
        self.app.start_session(session)

    def show_error(self, text: str) -> None:
        label = self.query_one("#start-message", Label)
        label.update(for_terminal(text, limit=2000))
        label.display = bool(text)  # wraps to the screen's width when shown; no empty red bar when not
