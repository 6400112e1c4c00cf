"""The conversation: one bubble per message."""

from __future__ import annotations

from typing import Optional

from textual.widgets import Static

from ...textsafety import for_terminal


class Bubble(Static):
    """One message in the conversation; replies can be clicked to change the answer."""

    def __init__(self, text: str, *, kind: str, question_id: Optional[str] = None):
        # Titles, answers and findings come from files: nothing in them may act on the terminal.
        super().__init__(for_terminal(text), classes=f"bubble {kind}", markup=False)
        self.question_id = question_id

    def on_click(self) -> None:
        if self.question_id:
            self.screen.ask(self.question_id)
