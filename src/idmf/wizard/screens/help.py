"""The keys, as a modal screen (F1 or ?)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown

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

↑ ↓ and Page Up/Down scroll this list; Tab then Enter, or Esc, closes it.

Select a step on the left to jump to it, a finding to go to the question
behind it, or one of your replies in the conversation to change it.
"""


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        # The keys scroll (arrows, Page Up/Down) inside the box; Close stays below them, on
        # screen however small the terminal (Tab reaches it, Enter or Esc closes).
        with Vertical(id="help"):
            with VerticalScroll(id="help-text"):
                yield Markdown(HELP)
            yield Button("Close (Esc)", id="close-help")

    def on_mount(self) -> None:
        self.query_one("#help-text").focus()

    @on(Button.Pressed, "#close-help")
    def close(self) -> None:
        self.dismiss()
