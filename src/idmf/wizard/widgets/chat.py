"""The conversation: one bubble per message; a reply can be reached and reopened by keyboard or mouse."""

from __future__ import annotations

from typing import Optional

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from ...textsafety import for_terminal
from ..keys import KeyHolder


class Bubble(Static):
    """One message in the conversation."""

    def __init__(self, text: str, *, kind: str, question_id: Optional[str] = None):
        # Titles, answers and findings come from files: nothing in them may act on the terminal.
        super().__init__(for_terminal(text), classes=f"bubble {kind}", markup=False)
        self.question_id = question_id


class Reply(Bubble):
    """One of the user's answers: focusable (Shift+Tab from the editor reaches the latest one,
    Up/Down move between them) and Enter or a click asks that question again."""

    can_focus = True
    BINDINGS = [
        Binding("enter", "change", "Change this answer"),
        Binding("up", "move(-1)", "Earlier reply", show=False),
        Binding("down", "move(1)", "Later reply", show=False),
    ]

    class Change(Message):
        """The user wants to change the answer to ``question_id`` (the screen asks it again)."""

        def __init__(self, question_id: str):
            super().__init__()
            self.question_id = question_id

    def __init__(self, text: str, *, question_id: str):
        super().__init__(text, kind="reply", question_id=question_id)

    def action_change(self) -> None:
        # Keys typed straight after Enter are for the question's box: held until it is open
        # (the screen opens it once this message reaches it, after those keys would have).
        holder = KeyHolder.of(self.app)
        if holder is not None:
            holder.hold()
        self.post_message(self.Change(self.question_id))

    def on_click(self) -> None:
        self.action_change()

    def action_move(self, step: int) -> None:
        replies = [reply for reply in self.parent.query_children(Reply) if reply.display] if self.parent else []  # not the cleared-away ones
        index = replies.index(self) + step if self in replies else -1
        if 0 <= index < len(replies):
            replies[index].focus()
