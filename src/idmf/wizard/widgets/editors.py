"""Answer editors: one input widget per question type.

Each editor shows the current answer (when reopening a question) and returns
the raw answer from ``value()``; the session validates it with the same
parser as every other way in, so the wizard has no rules of its own.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any, Optional

from textual import events

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.css.query import NoMatches
from textual.containers import Horizontal, Vertical, VerticalScroll
from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, TextArea
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...answer_text import IMPACT_LABELS, MITIGATION_LABELS, STATUS_LABELS
from ...model.questionnaire import Question, QuestionType, Questionnaire
from ...questionnaire.dates import DateError, date_in_words, parse_uk_date
from ...textsafety import normalise_answer
from ..keys import KeyHolder

IMPACTS = [(label, value) for value, label in IMPACT_LABELS.items()]
ENGAGED = [("Engaged", "held"), ("Engagement planned, not held", "planned"), ("Not engaged", "not_engaged")]


def _share(value: Any) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _number_or_text(text: str) -> Any:
    # A share is a percentage; anything else goes to the parser as typed, which says what is wrong.
    try:
        return float(text.rstrip("%").strip())
    except ValueError:
        return text
MITIGATIONS = [(label, value) for value, label in MITIGATION_LABELS.items()]
STATUSES = [(label, value) for value, label in STATUS_LABELS.items()]


class AnswerBox(Input):
    """A one-line box that keeps what is in it when it takes the focus: what is typed goes at the
    end. (Textual selects the whole text on focus, so the first key typed into a reopened
    answer, meant to add to its reason, replaced the reason.)"""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)


def _blank(value: Any) -> Any:
    return None if value in ("", Select.NULL, None) else value


_NOT_READY = object()  # the editor is not drawn yet, so nothing can have been typed in it
_FROM_DRAFT = object()  # opened with an unsaved reply kept from before: unsaved until saved


class Editor(Vertical):
    """Base: subclasses compose their widgets and implement value()."""

    DEFAULT_CSS = "Editor { height: auto; max-height: 18; }"

    def __init__(self, question: Question, questionnaire: Questionnaire, current: Any, *, from_draft: bool = False):
        super().__init__(classes="editor")
        self.question = question
        self.questionnaire = questionnaire
        self.current = current
        self.from_draft = from_draft
        # What value() gave when the editor opened (or was last saved): anything else is unsaved typing.
        self.baseline: Any = _NOT_READY

    def value(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    class Opened(Message):
        """The editor has its fields and the cursor is in it: what it replaced can be cleared away."""

    def on_mount(self) -> None:
        # Its fields are mounted by now (Textual mounts what compose yields before Mount). Taking
        # the cursor at once, rather than after the next frame, lets the frame that shows the
        # question show the cursor in it too: one frame less before the user can type.
        self.call_later(self._ready)

    @property
    def retired(self) -> bool:
        """Replaced by another question: hidden, and on its way out of the screen."""
        return not self.is_attached or not self.display

    def _ready(self) -> None:
        if self.retired:  # replaced by the next question before it was ready
            return
        try:
            self.baseline = _FROM_DRAFT if self.from_draft else self.value()
        except NoMatches:  # replaced by another question as it was drawn: its fields are already gone
            return
        self.focus_first()
        holder = KeyHolder.of(self.app)
        if holder is not None:
            holder.release()  # keys typed ahead after the last answer's Enter come here
        self.post_message(self.Opened())

    def unsaved(self) -> tuple[bool, Any]:
        """(True, what is in the editor) when that is not what was saved; else (False, None)."""
        if self.baseline is _NOT_READY or self.retired:
            return False, None
        try:
            value = self.value()
        except NoMatches:  # being taken down (asked for another question twice in quick succession): nothing to keep
            return False, None
        return value != self.baseline, value

    def not_ready(self) -> Optional[str]:
        """What to do first when saving now would save something nobody chose (else None)."""
        return None

    def mark_saved(self) -> None:
        self.from_draft = False
        self.baseline = self.value()

    def focus_first(self) -> None:
        if self.retired:  # replaced by the next question before it was ready
            return
        for widget in self.query("Input, TextArea, OptionList, SelectionList, Select, Button"):
            if widget.focusable:
                widget.focus()
                return

    def take_typed(self, character: str) -> bool:
        """A character typed where nothing takes typing (a reply, a step, a button, a list): put it
        where it can be seen. Here: the text box after the cursor's place in this editor (the
        first one when the cursor is outside it), which takes the cursor. False if there is none."""
        boxes = [box for box in self.query("Input, TextArea") if box.focusable]
        if not boxes:
            return False
        focused = self.app.focused
        chain = self.screen.focus_chain
        if focused in boxes:
            # Already moved there by the letter before (keys typed all at once were all on their
            # way to where the cursor was): the rest of the word goes on in the same box.
            box = focused
        else:
            if focused in chain and self in focused.ancestors:
                after = [box for box in boxes if box in chain and chain.index(box) > chain.index(focused)]
                boxes = after or boxes
            box = boxes[0]
        self.screen.set_focus(box)  # at once: the next key typed must find the cursor there
        if isinstance(box, TextArea):
            box.insert(character)
        else:
            box.insert_text_at_cursor(character)
        return True


class GrowingBox(TextArea):
    """A box for a sentence or a few: it wraps, and grows with the text up to a few lines (then
    scrolls), so a several-sentence reason stays in sight instead of scrolling sideways out of it.
    Enter saves, as in a one-line box (the screen's Enter binding); ``value`` reads and sets its text."""

    DEFAULT_CSS = """
    GrowingBox { height: auto; min-height: 3; max-height: 7; }
    """

    def __init__(self, value: str = "", *, placeholder: str = "", id: Optional[str] = None):
        super().__init__(value, soft_wrap=True, show_line_numbers=False, placeholder=placeholder, id=id,
                         compact=False, tab_behavior="focus")

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.text = text
        self.move_cursor(self.document.end)

    def insert_text_at_cursor(self, text: str) -> None:
        self.insert(text)

    def on_mount(self) -> None:
        self.move_cursor(self.document.end)  # what is typed goes after the reason already given


class RationaleBox(GrowingBox):
    """A Yes/No question's reason. Until typing in it starts, y and n typed here choose Yes or No
    (a reopened question has the cursor here, and "n" meant No, not a letter added to the reason);
    once the reason is being typed, or straight after y or n chose, they are letters like any other."""

    async def _on_key(self, event: events.Key) -> None:
        editor = self.parent
        if isinstance(editor, YesNoEditor) and event.is_printable:
            if editor.letters_choose and event.character in ("y", "n"):
                event.stop()
                event.prevent_default()
                editor.choose("yes" if event.character == "y" else "no")
                return
            editor.typing_started()
        await super()._on_key(event)

    async def _on_paste(self, event: events.Paste) -> None:
        editor = self.parent
        if isinstance(editor, YesNoEditor):
            editor.typing_started()
        await super()._on_paste(event)


class YesNoEditor(Editor):
    # y or n in the reason box choose (see RationaleBox) while this is True: on opening a question
    # already answered, until the reason is typed in or a choice was made with y or n.
    letters_choose = False

    def compose(self) -> ComposeResult:
        current = self.current if isinstance(self.current, dict) else {}
        self.choice = current.get("answer")
        self.letters_choose = self.choice is not None
        with Horizontal(classes="yesno"):
            yield Button("Yes (y)", id="yes", variant="primary" if self.choice == "yes" else "default")
            yield Button("No (n)", id="no", variant="primary" if self.choice == "no" else "default")
            yield Label(self._chosen_text(), id="chosen")
        yield RationaleBox(value=current.get("rationale", ""), placeholder="Why? A sentence or two (Enter to save)", id="rationale")
        yield Label(self._keys_text(), id="yesno-hint", classes="hint", markup=False)

    def _chosen_text(self) -> str:
        return {"yes": "Answer: Yes", "no": "Answer: No"}.get(self.choice or "", "Answer: not chosen yet")

    def _keys_text(self) -> str:
        """What y and n do at this moment (it changes once the reason is being typed)."""
        if not self.choice:
            return "y or n chooses; then say why."
        if self.letters_choose:
            return "y or n changes the answer until you type here."
        return "To change the answer: Shift+Tab, then y or n."

    def _show_chosen(self) -> None:
        with contextlib.suppress(NoMatches):
            self.query_one("#chosen", Label).update(self._chosen_text())
            self.query_one("#yesno-hint", Label).update(self._keys_text())

    def typing_started(self) -> None:
        if self.letters_choose:
            self.letters_choose = False
            self._show_chosen()

    def choose(self, choice: str) -> None:
        self.choice = choice
        self.letters_choose = False  # the next key is the reason's first letter ("Young carers…")
        self.query_one("#yes", Button).variant = "primary" if choice == "yes" else "default"
        self.query_one("#no", Button).variant = "primary" if choice == "no" else "default"
        self._show_chosen()
        self.query_one("#rationale", RationaleBox).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("yes", "no"):
            event.stop()
            self.choose(event.button.id)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Deleting or editing the reason is typing in it too (the value it opened with aside).
        if event.text_area.id == "rationale" and self.baseline is not _NOT_READY and isinstance(self.baseline, dict) \
                and event.text_area.text != self.baseline.get("rationale"):
            self.typing_started()

    def on_key(self, event) -> None:
        rationale = self.query_one("#rationale", RationaleBox)
        if self.app.focused is rationale:
            # The box takes every character typed in it, so one arriving here was typed straight after
            # y or n, before the cursor moved into the box: it belongs in the box, not lost.
            if event.is_printable and event.character:
                event.stop()
                event.prevent_default()
                self.typing_started()
                rationale.insert_text_at_cursor(event.character)
            return
        if event.key in ("y", "n"):
            event.stop()
            self.choose("yes" if event.key == "y" else "no")

    def take_typed(self, character: str) -> bool:
        if character in ("y", "n") and (self.letters_choose or not self.choice):
            self.choose("yes" if character == "y" else "no")
            return True
        return super().take_typed(character)

    def value(self) -> Any:
        return {"answer": self.choice, "rationale": self.query_one("#rationale", RationaleBox).value}

    def focus_first(self) -> None:
        if self.retired:
            return
        if self.choice:
            self.query_one("#rationale", RationaleBox).focus()
        else:
            self.query_one("#yes", Button).focus()


class TextEditor(Editor):
    def compose(self) -> ComposeResult:
        placeholder = self.question.placeholder or "Type your answer (Enter to save)"
        current = "" if self.current is None else str(self.current)
        yield AnswerBox(value=current, placeholder=placeholder, id="text")

    def value(self) -> Any:
        text = self.query_one("#text", Input).value
        if self.question.type == QuestionType.number and text.strip():
            try:
                return float(text) if "." in text else int(text)
            except ValueError:
                return text  # the parser says what is wrong
        return text


class DateEditor(Editor):
    """A date typed as people in the UK write it, shown back in words as it is typed,
    so "1/2/27" is seen to be 1 February 2027 before it is saved."""

    def compose(self) -> ComposeResult:
        yield AnswerBox(value=date_in_words(self.current) if self.current else "", id="text",
                    placeholder=self.question.placeholder or "e.g. 15/03/2027 (Enter to save)")  # the other ways are in the hint below
        yield Label(self._reading(self.current), id="date-words", classes="hint", markup=False)

    @staticmethod
    def _reading(text: Any) -> str:
        try:
            date = parse_uk_date(text)
        except DateError:
            return "Not a date yet: day, month, year, e.g. 15/03/2027 or 15 March 2027."
        return f"That is {date:%A} {date_in_words(date)}." if date else "Day, month, year: e.g. 15/03/2027 or 15 March 2027."

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#date-words", Label).update(self._reading(event.value))

    def value(self) -> Any:
        return self.query_one("#text", Input).value


class LongTextEditor(Editor):
    def compose(self) -> ComposeResult:
        yield TextArea(text="" if self.current is None else str(self.current), id="long", soft_wrap=True)
        yield Label("Ctrl+S saves this answer.", classes="hint")

    def value(self) -> Any:
        return self.query_one("#long", TextArea).text

    def focus_first(self) -> None:
        if self.retired:
            return
        area = self.query_one("#long", TextArea)
        area.focus()
        area.move_cursor(area.document.end)  # carry on typing where the saved or kept text ends
        area.call_after_refresh(area.scroll_cursor_visible)  # once it has a size: a long answer shows its end


class ChoiceList(OptionList):
    """A single-choice list where nothing is chosen until the person chooses it.

    Textual's OptionList highlights its first option and wraps round at either end, so one
    Enter (or one Up too many) saved an answer nobody picked. Here nothing is highlighted
    until an arrow key (or a click) picks one, the cursor stops at the first and last
    options, and Enter with nothing highlighted saves nothing and says what to do.
    """

    class NothingChosen(Message):
        """Enter was pressed with no option highlighted."""

    def __init__(self, *options: Option, chosen: Optional[int] = None, id: Optional[str] = None):
        super().__init__(*options, id=id)
        self.highlighted = chosen  # None unless the question already has an answer

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def _step(self, direction: int) -> None:
        if self.highlighted is None:
            self.action_first()  # either arrow starts at the top, which is where the eye starts too
        else:  # the choices are never disabled, so a step is a step; it stops at either end
            self.highlighted = max(0, min(self.option_count - 1, self.highlighted + direction))

    def action_select(self) -> None:
        if self.highlighted is None:
            self.post_message(self.NothingChosen())
            return
        super().action_select()


class TypeToFind:
    """Letters typed on a list of choices move to the first choice they begin (as typed within a
    second of each other, so "wh" finds "White"); the editor says when none does."""

    AGAIN_AFTER = 1.0  # seconds: a pause starts a new search

    def __init__(self) -> None:
        self.text, self.at = "", 0.0

    def add(self, character: str) -> str:
        now = time.monotonic()
        self.text = (self.text if now - self.at < self.AGAIN_AFTER else "") + character
        self.at = now
        return self.text


def find_choice(options: OptionList, text: str) -> Optional[int]:
    """The first option whose words begin with ``text`` (the option's start first)."""
    text = text.lower()
    prompts = [str(options.get_option_at_index(i).prompt).lower() for i in range(options.option_count)]
    for test in (lambda p: p.startswith(text), lambda p: any(w.startswith(text) for w in p.split())):
        for index, prompt in enumerate(prompts):
            if test(prompt):
                return index
    return None


NOTHING_CHOSEN = "Nothing chosen yet: press \u2193 or \u2191 to pick an answer, then Enter (Ctrl+K skips it for now)."


class ChoiceEditor(Editor):
    def compose(self) -> ComposeResult:
        values = self.question.choice_values(self.questionnaire)
        chosen = values.index(self.current) if self.current in values else None
        yield ChoiceList(*[Option(self.question.choice_label(v, self.questionnaire), id=v) for v in values],
                         chosen=chosen, id="choices")
        yield Label("\u2191/\u2193 picks an answer; Enter saves it.", classes="hint", id="choice-hint")

    def value(self) -> Any:
        options = self.query_one("#choices", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def not_ready(self) -> Optional[str]:
        return NOTHING_CHOSEN if self.query_one("#choices", OptionList).highlighted is None else None

    def on_choice_list_nothing_chosen(self, event: ChoiceList.NothingChosen) -> None:
        event.stop()
        self.query_one("#choice-hint", Label).update(NOTHING_CHOSEN)

    def take_typed(self, character: str) -> bool:
        return _type_to_find(self, character, self.query_one("#choices", OptionList), self.query_one("#choice-hint", Label),
                             "No answer begins \u201c{}\u201d: \u2191/\u2193 picks one; Enter saves it.",
                             "\u2191/\u2193 picks an answer; Enter saves it.")


def _type_to_find(editor: Any, character: str, options: OptionList, hint: Label, missing: str, found: str) -> bool:
    """Letters typed on a list of choices move to the choice they begin (single and multiple choice alike)."""
    if not hasattr(editor, "_finding"):
        editor._finding = TypeToFind()
    text = editor._finding.add(character)
    index = find_choice(options, text)
    editor.screen.set_focus(options)
    if index is None:
        hint.update(missing.format(text))
    else:
        options.highlighted = index
        hint.update(found)
    return True


class TickList(SelectionList):
    """A SelectionList whose boxes read [x] when ticked and [ ] when not.

    Textual draws the same "X" in both, told apart by colour alone, so under NO_COLOR
    (or to anyone who cannot tell the colours apart) every box looked ticked.
    """

    def action_select(self) -> None:
        # Toggled here, as Space is pressed. Textual toggles when its own "selected" message
        # comes back round the queue, by which time an arrow pressed straight after Space
        # has moved the highlight: Space then Down ticked the next choice, not this one.
        if self.highlighted is not None:
            self.toggle(self.get_option_at_index(self.highlighted))

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip  # a line with no box (a long choice wrapped onto a second line)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        box = "[x]" if selection.value in self.selected else "[ ]"
        return Strip([Segment(box, segments[1].style), *segments[3:]])


class MultiChoiceEditor(Editor):
    def compose(self) -> ComposeResult:
        chosen = set(self.current or [])
        values = self.question.choice_values(self.questionnaire)
        yield TickList(*[(self.question.choice_label(v, self.questionnaire), v, v in chosen) for v in values], id="multi")
        yield Label("Space ticks a choice; Ctrl+S saves.", classes="hint", id="multi-hint")

    def take_typed(self, character: str) -> bool:
        return _type_to_find(self, character, self.query_one("#multi", SelectionList), self.query_one("#multi-hint", Label),
                             "No choice begins \u201c{}\u201d: \u2191/\u2193 moves; Space ticks; Ctrl+S saves.",
                             "Space ticks a choice; Ctrl+S saves.")

    def value(self) -> Any:
        return list(self.query_one("#multi", SelectionList).selected)


class GroupImpactsEditor(Editor):
    """Stage 2, one group at a time: the group's impact and kind of mitigation side by side, then its
    evidence and its mitigation in boxes the width of the answer area that grow with the text.
    (A grid of every group left evidence and mitigation cells of 18-28 characters, and could open
    part-scrolled.) Every group's row is built at once and only the current one is shown, so
    saving takes every group typed; "Next group" (or Ctrl+N, Ctrl+B back) moves between them."""

    DEFAULT_CSS = """
    GroupImpactsEditor { max-height: 24; }
    GroupImpactsEditor .group-row { height: auto; }
    GroupImpactsEditor .row { height: auto; }
    GroupImpactsEditor .group { width: 100%; padding: 0 1; text-style: bold; }
    /* The impact's words are short; the kind of mitigation takes the rest, so "Change to the
       proposal" is read whole at 80 columns (two equal halves cut it). */
    GroupImpactsEditor .impact { width: 16; }
    GroupImpactsEditor .kind { width: 1fr; }
    GroupImpactsEditor .group-nav { height: auto; }
    GroupImpactsEditor .group-nav Button { margin-right: 1; }
    /* The shares beside what they are, and the save key beside the group buttons: two lines fewer,
       so at 100x34 the editor and the Save answer buttons below it are in sight together. */
    GroupImpactsEditor .share-what { width: auto; height: 3; content-align: left middle; padding-right: 1; }
    GroupImpactsEditor .nav-hint { color: $text-muted; width: 1fr; height: auto; padding-top: 1; }
    """

    BINDINGS = [Binding("ctrl+n", "group(1)", "Next group", show=False, priority=True),
                Binding("ctrl+b", "group(-1)", "Previous group", show=False, priority=True)]

    def compose(self) -> ComposeResult:
        current = {row.get("group"): row for row in (self.current or []) if isinstance(row, dict)}
        self.groups = self.questionnaire.groups_in(self.question.groups or "all")
        self.shown = 0
        yield Label(self._where(), id="group-where", classes="hint", markup=False)
        for index, group in enumerate(self.groups):
            row = current.get(group.id, {})
            with Vertical(classes="group-row", id=f"row-{group.id}") as box:
                box.display = index == 0
                yield Label(group.label, classes="group")
                with Horizontal(classes="row"):
                    yield Select(IMPACTS, prompt="Impact?", value=row.get("impact") or Select.NULL, id=f"impact-{group.id}",
                                 classes="impact")
                    yield Select(MITIGATIONS, prompt="Mitigation kind?", value=row.get("mitigation_type") or Select.NULL,
                                 id=f"kind-{group.id}", classes="kind")
                yield GrowingBox(row.get("evidence", ""), placeholder="Evidence for this group", id=f"evidence-{group.id}")
                yield GrowingBox(row.get("mitigation", ""), placeholder="Mitigation for this group", id=f"mitigation-{group.id}")
                # Whether the group was heard, and the author's own figures (idmf.judgement reads them).
                yield Select(ENGAGED, prompt="Were people from this group engaged?", value=row.get("engaged") or Select.NULL,
                             id=f"engaged-{group.id}")
                with Horizontal(classes="row"):
                    yield Label("Share (%):", classes="share-what")
                    yield AnswerBox(value=_share(row.get("share_affected")), placeholder="% affected",
                                    id=f"affected-{group.id}", classes="kind")
                    yield AnswerBox(value=_share(row.get("share_population")), placeholder="% population",
                                    id=f"population-{group.id}", classes="kind")
        with Horizontal(classes="group-nav"):
            yield Button("Previous group", id="group-back")  # the keys are said on the line above the group
            yield Button("Next group", id="group-next")
            yield Label("Ctrl+S saves every group.", classes="nav-hint")

    def _where(self) -> str:
        done = sum(1 for g in self.groups if self._has(g.id)) if self.is_mounted else 0
        return f"Group {self.shown + 1} of {len(self.groups)} ({done} with an answer); Ctrl+N next, Ctrl+B back."

    def _has(self, group_id: str) -> bool:
        with contextlib.suppress(NoMatches):
            return _blank(self.query_one(f"#impact-{group_id}", Select).value) is not None or bool(
                self.query_one(f"#evidence-{group_id}", GrowingBox).value.strip())
        return False

    def action_group(self, step: int) -> None:
        target = max(0, min(len(self.groups) - 1, self.shown + step))
        if target == self.shown:
            return
        self.query_one(f"#row-{self.groups[self.shown].id}").display = False
        self.shown = target
        self.query_one(f"#row-{self.groups[target].id}").display = True
        self.query_one("#group-where", Label).update(self._where())
        self.screen.set_focus(self.query_one(f"#impact-{self.groups[target].id}", Select))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#group-where", Label).update(self._where())  # the groups answered before counted

    def on_select_changed(self, event: Select.Changed) -> None:
        self.query_one("#group-where", Label).update(self._where())  # "(n with an answer)" stays true

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#group-where", Label).update(self._where())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("group-next", "group-back"):
            event.stop()
            self.action_group(1 if event.button.id == "group-next" else -1)

    def value(self) -> Any:
        rows = []
        for group in self.groups:
            impact = _blank(self.query_one(f"#impact-{group.id}", Select).value)
            evidence = self.query_one(f"#evidence-{group.id}", GrowingBox).value
            mitigation = self.query_one(f"#mitigation-{group.id}", GrowingBox).value
            kind = _blank(self.query_one(f"#kind-{group.id}", Select).value)
            engaged = _blank(self.query_one(f"#engaged-{group.id}", Select).value)
            affected = self.query_one(f"#affected-{group.id}", Input).value.strip()
            population = self.query_one(f"#population-{group.id}", Input).value.strip()
            if impact or evidence.strip() or mitigation.strip() or kind or engaged or affected or population:
                row = {"group": group.id, "impact": impact, "evidence": evidence, "mitigation": mitigation,
                       "mitigation_type": kind}
                # Optional columns only when given, as the parser writes them (an unchanged row stays unchanged).
                for column, text in (("engaged", engaged), ("share_affected", affected), ("share_population", population)):
                    if text:
                        row[column] = _number_or_text(text)
                rows.append(row)
        return rows


def due_reading(text: Any) -> str:
    """A due date in words ("Due: Friday 31 January 2027"), or what to type."""
    if not text:
        return "Due date: day, month, year (15/03/2027), or leave it blank."
    try:
        date = parse_uk_date(text)
    except DateError:
        return "Due date: not a date yet; day, month, year, e.g. 15/03/2027."
    return f"Due: {date:%A} {date_in_words(date)}." if date else "Due date: day, month, year (15/03/2027)."


class ActionsEditor(Editor):
    # Each action on two lines (what and who, then when and how far along), so every field is
    # wide enough to read at 80 columns; the rows scroll, and a focused field is scrolled to.
    DEFAULT_CSS = """
    ActionsEditor #rows { height: auto; max-height: 13; }
    ActionsEditor .action-row { height: auto; border-bottom: solid $panel; }
    ActionsEditor .row { height: auto; }
    ActionsEditor .action { width: 2fr; } ActionsEditor .owner { width: 1fr; } ActionsEditor .due { width: 1fr; }
    ActionsEditor Select { width: 1fr; }
    ActionsEditor .buttons { height: auto; }
    """

    def compose(self) -> ComposeResult:
        self.count = 0
        with VerticalScroll(id="rows"):
            for row in self.current or []:
                yield self._row(row)
            if not self.current:
                yield self._row({})
        with Horizontal(classes="buttons"):
            yield Button("Add action (ctrl+a)", id="add-row")
        yield Label("Leave an action blank to remove it; Ctrl+S saves.", classes="hint")

    def _row(self, row: dict) -> Vertical:
        self.count += 1
        n = self.count
        # Tab goes action, owner, due date, status: the order they are typed in.
        return Vertical(
            Horizontal(
                AnswerBox(value=row.get("action", ""), placeholder=f"Action {n}", classes="action", id=f"action-{n}"),
                AnswerBox(value=row.get("owner", ""), placeholder="Owner", classes="owner", id=f"owner-{n}"),
                classes="row",
            ),
            Horizontal(
                AnswerBox(value=date_in_words(row.get("due")), placeholder="Due 15/03/27", classes="due", id=f"due-{n}"),
                Select(STATUSES, value=row.get("status") or "not_started", allow_blank=False, id=f"status-{n}"),
                classes="row",
            ),
            # The due date read back in words as it is typed, as every other date box does.
            Label(due_reading(row.get("due")), id=f"due-words-{n}", classes="hint", markup=False),
            classes="action-row",
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        box = event.input
        if box.id and box.id.startswith("due-"):
            with contextlib.suppress(NoMatches):
                self.query_one(f"#due-words-{box.id[4:]}", Label).update(due_reading(box.value))

    async def add_row(self) -> None:
        """A blank action at the end, with the cursor in it; rows already typed are kept as they are."""
        row = self._row({})
        await self.query_one("#rows", VerticalScroll).mount(row)
        first = row.query_one(Input)  # only findable once mounted
        # At once, not with focus() (which waits its turn behind keys already sent): what is
        # typed straight after Ctrl+A belongs in the new action, not the field being left.
        self.screen.set_focus(first)
        first.scroll_visible(animate=False)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add-row":
            event.stop()
            await self.add_row()

    def value(self) -> Any:
        rows = []
        for n in range(1, self.count + 1):
            action = self.query_one(f"#action-{n}", Input).value
            if not action.strip():
                continue
            rows.append({"action": action, "owner": self.query_one(f"#owner-{n}", Input).value,
                         "due": self.query_one(f"#due-{n}", Input).value.strip() or None,
                         "status": self.query_one(f"#status-{n}", Select).value})
        return rows


class PersonEditor(Editor):
    # Two fields a line, each wide enough to see what is typed in it at 80 columns.
    DEFAULT_CSS = """
    PersonEditor .row { height: auto; }
    PersonEditor Input { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        current = self.current if isinstance(self.current, dict) else {}
        with Horizontal(classes="row"):
            yield AnswerBox(value=current.get("name", ""), placeholder="Name", id="name")
            yield AnswerBox(value=current.get("role", ""), placeholder="Role", id="role")
        with Horizontal(classes="row"):
            yield AnswerBox(value=date_in_words(current.get("date")), placeholder="Date 15/03/2027", id="date")
            # Kept and shown, so saving the name again never drops comments already given.
            yield AnswerBox(value=current.get("comments", ""), placeholder="Comments", id="comments")
        yield Label(self._date_reading(current.get("date")), id="date-words", classes="hint", markup=False)
        yield Label("Tab moves between the boxes; Ctrl+S saves.", classes="hint")

    @staticmethod
    def _date_reading(text: Any) -> str:
        return due_reading(text).replace("Due date", "Date").replace("Due:", "Date:").replace(", or leave it blank", "")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "date":  # read back in words as it is typed, as every date box does
            with contextlib.suppress(NoMatches):
                self.query_one("#date-words", Label).update(self._date_reading(event.value))

    def value(self) -> Any:
        return {"name": self.query_one("#name", Input).value, "role": self.query_one("#role", Input).value,
                "date": self.query_one("#date", Input).value.strip() or None,
                "comments": self.query_one("#comments", Input).value}


EDITORS = {
    QuestionType.yes_no: YesNoEditor,
    QuestionType.text: TextEditor,
    QuestionType.date: DateEditor,
    QuestionType.number: TextEditor,
    QuestionType.long_text: LongTextEditor,
    QuestionType.single_choice: ChoiceEditor,
    QuestionType.multi_choice: MultiChoiceEditor,
    QuestionType.group_impacts: GroupImpactsEditor,
    QuestionType.actions: ActionsEditor,
    QuestionType.person: PersonEditor,
}


def editor_for(question: Question, questionnaire: Questionnaire, current: Any, *, from_draft: bool = False) -> Editor:
    return EDITORS[question.type](question, questionnaire, _inert(current), from_draft=from_draft)


def _inert(value: Any) -> Any:
    """An answer from the file as an editor may show it: no escape or control sequence (newline and
    tab kept), as every answer is stored once given (so saving it unchanged changes nothing)."""
    if isinstance(value, str):
        return normalise_answer(value)
    if isinstance(value, dict):
        return {key: _inert(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_inert(item) for item in value]
    return value
