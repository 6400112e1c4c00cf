"""The keys, as a modal screen (F1 or ?)."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Markdown

HELP = """\
# Keys

| Key | What it does |
|---|---|
| Enter | Save the answer (one-line answers) |
| Ctrl+S | Save the answer (long text, lists, tables) |
| y / n | Choose Yes or No; on one answered before, change it (until you type in the reason) |
| Ctrl+G | Why we ask this question |
| Ctrl+K | Skip this question for now |
| Ctrl+A | Add a row to the action plan |
| Ctrl+N / Ctrl+B | Stage 2: the next or the previous group |
| Ctrl+F | Show all findings, including those about questions still to come |
| Ctrl+R | Check your answers, then submit |
| Ctrl+O | Write the report (HTML, Markdown, Word, PDF) |
| Ctrl+T | High-contrast theme on or off |
| Ctrl+P | Command palette: type a question's number (14, Q7) or words to go to it; every action |
| Shift+Tab | From the answer box to your replies; ↑ ↓ between them, Enter changes one |
| Tab / Shift+Tab | Between the steps, the findings, the replies and the answer box |
| F1 or ? | This help |
| 10/33+ | A step on the left: 10 of at least 33 required questions answered (+: answers may add more) |
| Ctrl+Q | Quit (every answer is already saved) |

↑ ↓ and Page Up/Down scroll this list; Tab then Enter, or Esc, closes it.

Enter on a step lists its questions with your answers (Enter opens one); Enter on a
finding opens the question behind it; Enter on one of your replies asks that
question again so you can change it. In "Check your answers" ↑ ↓, Page Up/Down,
Home and End move and Enter changes the answer under the cursor.
"""


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        # The keys scroll (arrows, Page Up/Down) inside the box; Close stays below them, on
        # screen however small the terminal (Tab reaches it, Enter or Esc closes).
        with Vertical(id="help"):
            with VerticalScroll(id="help-text"):
                yield Markdown(HELP)
            yield Label("", id="help-typed", classes="hint", markup=False)
            yield Button("Close (Esc)", id="close-help")

    def on_mount(self) -> None:
        self.query_one("#help-text").focus()

    def on_key(self, event: events.Key) -> None:
        # Typing here (meant for the answer box underneath) is said so, not dropped unseen.
        if event.is_printable and event.character and event.key not in self.active_bindings:
            event.stop()
            self._typed = getattr(self, "_typed", "") + event.character
            label = self.query_one("#help-typed", Label)
            label.display = True
            label.update(
                f"\u201c{self._typed[-40:]}\u201d was not typed anywhere: this is the help. Esc closes it, then type your answer.")

    @on(Button.Pressed, "#close-help")
    def close(self) -> None:
        self.dismiss()
