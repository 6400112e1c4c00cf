"""The steps panel: one line per IDMF step with answered/required counts."""

from __future__ import annotations

from textual.widgets import Label, ListItem

from ...textsafety import for_terminal


class StepItem(ListItem):
    def __init__(self, step_id: str, text: str):
        super().__init__(Label(for_terminal(text, limit=500), markup=False))
        self.step_id = step_id
        self.text = text

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.query_one(Label).update(for_terminal(text, limit=500))


def step_text(progress) -> str:
    """"4. 10/33+ Analyse the impact": answered of the required questions asked whatever the answers,
    a total that never moves as the user answers; "+" when answers may add more (at least 33)."""
    done = "✓" if progress.required and progress.answered == progress.required else " "
    more = "+" if progress.more else ""
    return f"{done}{progress.step.number}. {progress.certain_answered}/{progress.certain}{more} {progress.step.title}"
