"""Choosing a question to go to, by keyboard: a step's questions, or "Go to question…" by number or words.

The screen only lists and returns: it dismisses with the chosen question's id (None on Esc),
and the assessment screen opens that question.
"""

from __future__ import annotations

from typing import Callable, Optional

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...model.questionnaire import Question
from ...textsafety import for_terminal
from ..session import Session
from ..widgets.editors import AnswerBox, TypeToFind, find_choice


def question_line(question: Question, session: Session) -> Text:
    """"Q7. Could it …" over "→ the current answer", as check-your-answers shows it."""
    number = f"Q{question.number}. " if question.number else ""
    answer = session.answer_shown(question)
    return Text(for_terminal(f"{number}{question.text}\n   → {answer}", limit=600))


class QuestionPicker(ModalScreen[Optional[str]]):
    """A list of questions with their answers; Enter opens one. With ``search`` a box above filters it."""

    BINDINGS = [Binding("escape", "cancel", "Back"), Binding("down", "into_list", "Into the list", show=False)]

    def __init__(self, title: str, session: Session, questions: list[Question],
                 search: Optional[Callable[[str], list[Question]]] = None, hint: str = ""):
        super().__init__()
        self.heading = title
        self.session = session
        self.questions = questions
        self.search = search
        self.hint = hint
        self._typed = TypeToFind()

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(for_terminal(self.heading, limit=300), classes="panel-title", markup=False)
            if self.search is not None:
                # Keeps what is typed as it takes the cursor (a plain Input selects it all: the next key replaced it).
                yield AnswerBox(placeholder="A number (7 or Q7) or some words", id="pick-search")
            yield Label(for_terminal(self.hint, limit=300), classes="hint", markup=False, id="pick-hint")
            yield OptionList(id="pick-list")

    def on_mount(self) -> None:
        self._fill(self.questions)
        if self.search is None:
            self.query_one("#pick-list", OptionList).focus()

    def _fill(self, questions: list[Question]) -> None:
        options = self.query_one("#pick-list", OptionList)
        options.clear_options()
        if questions:
            options.add_options([Option(question_line(q, self.session), id=q.id) for q in questions])
            options.highlighted = 0
        else:
            options.add_option(Option("No question matches.", disabled=True))

    @on(Input.Changed, "#pick-search")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(self.search(event.value))

    @on(Input.Submitted, "#pick-search")
    def _first(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#pick-list", OptionList)
        index = options.highlighted
        if index is not None and not options.get_option_at_index(index).disabled:
            self.dismiss(options.get_option_at_index(index).id)

    def on_key(self, event: events.Key) -> None:
        """A character typed on the list: into the search box (which takes the cursor) when there is
        one, else to the first question it begins; never dropped unseen."""
        if not (event.is_printable and event.character) or event.key in self.active_bindings:
            return
        event.stop()
        options = self.query_one("#pick-list", OptionList)
        if self.search is not None:
            box = self.query_one("#pick-search", Input)
            self.set_focus(box)
            box.insert_text_at_cursor(event.character)
            return
        typed = self._typed.add(event.character)
        index = find_choice(options, typed) if options.option_count else None
        if index is None:
            self.query_one("#pick-hint", Label).update(for_terminal(
                f"No question begins \u201c{typed}\u201d. {self.hint}", limit=300))
        else:
            options.highlighted = index
            self.query_one("#pick-hint", Label).update(for_terminal(self.hint, limit=300))

    def action_into_list(self) -> None:
        # Down in the search box goes into the list of matches (the list handles its own Down).
        self.query_one("#pick-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#pick-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
