"""One assessment as a conversation: a question at a time, the steps and the live findings beside it."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Optional

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.css.query import NoMatches
from textual.widgets import Button, Header, Input, Label, ListView, OptionList, Select, SelectionList, TextArea

from ...answer_text import answer_text
from ...errors import AssessmentChangedOnDisk, IdmfError
from ...model.questionnaire import Question, Questionnaire
from ...questionnaire.answers import AnswerError
from ...rationale import has_rationale
from ...rules.model import Finding, Findings
from ...textsafety import for_terminal
from ...twins import DerivedAnswer, where_asked
from ..commands import QuestionCommands
from ..keys import KeyHolder
from ..session import Session
from ..widgets.footer import KeysFooter
from ..widgets.chat import Bubble, Reply
from ..widgets.editors import ActionsEditor, ChoiceList, Editor, GrowingBox, TypeToFind, editor_for
from ..widgets.findings import FindingsPanel, FindingsUpdated, News
from ..widgets.steps import StepItem, step_text
from .pick import QuestionPicker
from .review import ReviewScreen

TRANSCRIPT_LIMIT = 16
AUTOSAVE_SECONDS = 3
_NONE = object()


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
        Binding("ctrl+f", "all_findings", "All findings", show=False, priority=True),
        # Enter in the answer box or on a choice saves in turn with the keys typed before it
        # (see after_pending_input); anywhere else it does what it does there.
        Binding("enter", "enter_saves", "Save answer", show=False, priority=True),
        # Tab too, or what is typed straight after it lands in the box being left.
        Binding("tab", "focus_in_turn(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_in_turn(-1)", "Previous field", show=False, priority=True),
    ]

    COMMANDS = {QuestionCommands}  # Ctrl+P then a number or words opens that question

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        session.waits_for_screen = True  # an answer's save starts once it is drawn (see _save_answer)
        self.question: Optional[Question] = None
        self._error_text = ""
        self._draft_warned = False
        self._editor: Optional[Editor] = None  # the open question's, as mounted in the editor slot
        self._retired: list = []  # hidden, to be removed once the next question is open (see _retire)
        self._parts: dict = {}
        self._typed_nowhere = TypeToFind()
        self._error_about = _NONE  # see show_error
        self._said_all_asked = False  # "That's every question for now" was said (and nothing to ask since)
        # Each check is numbered, so a slow worker's result never replaces newer findings.
        self._check_seq = 0

    @property
    def held_keys(self) -> KeyHolder:
        """The app's holder of keys typed ahead (an assessment screen is only ever on the wizard's app)."""
        holder = KeyHolder.of(self.app)
        assert holder is not None, "the assessment screen runs in the wizard's app"
        return holder

    @property
    def questionnaire(self) -> Questionnaire:
        return self.session.questionnaire

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="body"):
            with Vertical(id="side"):
                yield Label("Steps (answered/required)", classes="panel-title")
                yield ListView(*[StepItem(p.step.id, step_text(p)) for p in self.session.progress()], id="steps")
                yield FindingsPanel(self.session)
            with Vertical(id="main"):
                yield VerticalScroll(id="transcript")
                # Not a stop of its own for Tab: Shift+Tab from the answer goes straight to the replies.
                with VerticalScroll(id="answer-area", can_focus=False):
                    yield Label("", id="prompt", markup=False)
                    yield Vertical(id="editor-slot")
                    yield Label("", id="error", classes="error", markup=False)
                    with Horizontal(id="answer-buttons"):
                        yield Button("Save answer", id="save", variant="primary")
                        yield Button("Skip for now", id="skip")
                        yield Button("Why we ask", id="why")
        yield KeysFooter()

    def on_mount(self) -> None:
        a = self.session.assessment
        self.title = f"idmf · {for_terminal(a.title, limit=200)}"
        self._saved_state()
        self.say(f"Hello. This is the assessment for \u201c{a.title}\u201d. I'll ask one question at a time; every "
                 "answer is saved as soon as you give it, so you can stop and come back whenever you like.", kind="bot")
        if self.session.reopened:
            self.say(f"This assessment is a draft again: its {self.session.reopened}. "
                     "It needs submitting and approving again before it goes to the board.", kind="warning")
        self.run_check()
        # What is typed but not saved is kept as a draft every few seconds, so even a
        # kill -9 or a power cut loses at most the last moments of typing.
        self.set_interval(AUTOSAVE_SECONDS, self._autosave)
        drafts = [q.id for q in self.session.visible() if q.id in self.session.drafts]
        if drafts:
            count = len(drafts)
            self.say(f"You have {count} unsaved {'reply' if count == 1 else 'replies'} from last time, kept as a draft. "
                     "It is back in the box below: Ctrl+S saves it.", kind="warning")
            self.ask(drafts[0])
        else:
            self.ask_next()

    def _part(self, widget_id: str):
        """A fixed part of this screen (composed once, never replaced), looked up once: searching
        the screen for it again after every answer was a few milliseconds each time."""
        part = self._parts.get(widget_id)
        if part is None:
            part = self._parts[widget_id] = self.get_widget_by_id(widget_id)
        return part

    # --- drafts: typed but not saved -------------------------------------------

    def keep_draft(self) -> Optional[Question]:
        """Keep what is in the open editor as a draft when it differs from the saved answer.

        Returns the question it belongs to (None when there is nothing unsaved).
        Raises OSError when the draft cannot be written.
        """
        editor, question = self.editor(), self.question
        if editor is None or question is None or editor.question is not question:
            return None
        changed, value = editor.unsaved()
        if not changed:
            return None
        if self.session.drafts.get(question.id, _NONE) != value:
            self.session.keep_draft(question.id, value)
        return question

    def _autosave(self) -> None:
        try:
            self.keep_draft()
        except OSError as exc:
            if not self._draft_warned:  # once: the box still holds the text
                self._draft_warned = True
                self.say(f"Your unsaved reply could not be kept as a draft ({exc.strerror or exc}); "
                         "save it with Ctrl+S.", kind="warning")

    # --- conversation ---------------------------------------------------

    def say(self, text: str, *, kind: str, question_id: Optional[str] = None) -> None:
        transcript = self._part("transcript")
        bubble = Reply(text, question_id=question_id) if question_id else Bubble(text, kind=kind)
        # Keep the conversation to its recent part: every answer is in the file
        # and on the check-your-answers screen, and a short transcript stays fast.
        # (The bubbles are the transcript's own children: no search of the screen for them.)
        bubbles = [child for child in transcript.children if isinstance(child, Bubble) and child.display]
        extra = len(bubbles) + 1 - TRANSCRIPT_LIMIT
        if extra > 0:
            self._retire(bubbles[:extra])
        transcript.mount(bubble)
        transcript.scroll_end(animate=False)
        self.call_after_refresh(self._follow_conversation)

    def _follow_conversation(self, tries: int = 3) -> None:
        """Keep the conversation scrolled to its very end once it is longer than its room.

        Scrolling to the end as a message is added uses the height before that message is laid
        out, so its last lines were left out of sight. Anchored, it stays at the end as messages
        are laid out (moving up to an earlier reply lets go; the next message scrolls back).
        Not before it overflows: anchored, a short conversation sits at the bottom of its room."""
        transcript = self._part("transcript")
        if transcript.is_anchored:
            return
        if transcript.max_scroll_y > 0:
            transcript.anchor()
        elif tries > 1:  # the message just added may not be laid out yet
            self.call_after_refresh(self._follow_conversation, tries - 1)

    def _retire(self, widgets) -> None:
        """Take widgets (an answered question's editor, the oldest bubbles) off the screen at once,
        and out of it once the next question is open (``_clear_retired``).

        Removing a widget holds up the app's queue of events until the widget and everything in
        it have closed, some tens of milliseconds for an editor: done as each answer was given,
        the cursor reached the next question's box that much later. Hidden, they take no room
        and no keys, and are not in the way of Tab or the mouse."""
        for widget in list(widgets):
            if widget.display:
                widget.display = False
                self._retired.append(widget)

    def _clear_retired(self) -> None:
        retired, self._retired = self._retired, []
        by_parent: dict = {}
        for widget in retired:
            if widget.parent is not None:
                by_parent.setdefault(widget.parent, []).append(widget)
        for parent, widgets in by_parent.items():
            parent.remove_children(widgets)

    @on(Editor.Opened)
    def _editor_opened(self, event: Editor.Opened) -> None:
        event.stop()
        # After the frame that shows the new question: the user sees it, then this is cleared.
        self.call_after_refresh(self._clear_retired)
        # A tall editor (stage 2's groups) takes room from the conversation once laid out: keep
        # its newest message (the question just asked) in sight, not the start of the transcript.
        self.call_after_refresh(self._follow_conversation)

    def _saved_state(self) -> None:
        # "saved" only once the answer is on disk; until then (a few milliseconds) "saving…".
        saved = self.session.saved_at
        state = "saving…" if self.session.saving else f"saved {saved:%H:%M:%S}" if saved else "all answers saved"
        self.sub_title = f"{self.session.assessment.status} · {state}"

    def ask_next(self, question: Optional[Question] = _NONE) -> None:
        """Ask the next question needing an answer (``question`` when the caller has found it already)."""
        if question is _NONE:
            question = self.session.next_question(after=self.question.id if self.question else None)
        if question is None:
            self.question = None
            self._part("prompt").update("Every question has an answer or was skipped.")
            self.show_error("")  # about the box just saved and taken away
            self._retire(self._part("editor-slot").children)
            self.call_after_refresh(self._clear_retired)  # no editor is opening to say when
            self._editor = None
            if not self._said_all_asked:  # once: after a later change it is not news
                self._said_all_asked = True
                self.say("That's every question for now. Press Ctrl+R to check your answers and submit, "
                         "or pick a step on the left to go back.", kind="bot")
            return
        self._said_all_asked = False  # a question to ask again: the end, when reached, is news again
        self.ask(question.id)

    def ask(self, question_id: str) -> None:
        located = self.questionnaire.locate(question_id)
        if located is None:
            self.held_keys.release()  # no box is opening to take keys held for it
            return
        with contextlib.suppress(OSError):  # going elsewhere keeps what was typed here as a draft
            self.keep_draft()
        step, section, question = located
        self.question = question
        if self.session.visit(question.id):
            self._tell(self._panel().again())  # a finding about a question now passed is no longer to come
        number = f"Q{question.number}. " if question.number else ""
        optional = "" if question.required else " (optional)"
        self.say(f"Step {step.number}, {section.title}\n{number}{question.text}{optional}", kind="bot", question_id=None)
        self._part("prompt").update(for_terminal(f"{number}{question.text}{optional}", limit=2000))
        self.show_error("")
        slot = self._part("editor-slot")
        # Keys typed while the box opens are for it (released to it once it has the cursor),
        # not for the hidden box it replaces, which may still hold the focus until then.
        self.held_keys.hold()
        self._retire(slot.children)
        self._editor = None
        draft = self.session.drafts.get(question.id, _NONE)
        current = self.session.assessment.get_answer(question.id) if draft is _NONE else draft
        taken = self.session.derived_answer(question) if draft is _NONE and current is None else None
        if taken is not None:
            # Never ask the same thing twice: the answer given to the question's twin, in the box
            # to keep with Enter (which saves it as this question's own answer) or to change.
            current = taken.answer
            self.say(self._taken_line(taken), kind="bot")
        elif draft is _NONE and current is None and (hint := self.session.list_hint(question)):
            self.say(hint, kind="bot")  # what was said at the twin question, to tick from
        editor = editor_for(question, self.questionnaire, current, from_draft=draft is not _NONE)
        slot.mount(editor)  # the editor focuses its first field once mounted
        self._editor = editor
        if draft is not _NONE:
            self.show_error("Unsaved reply from before, kept as a draft: Ctrl+S saves it.")

    def _taken_line(self, taken: DerivedAnswer) -> str:
        """"You said Yes at step 1 (Does the decision reduce ...?). Press Enter to keep it, or change it." """
        source, answer = taken.source, taken.answer.get("answer")
        where = where_asked(source, self.questionnaire)
        said = "Yes" if answer == "yes" else "No"
        if source.type.value == "multi_choice":
            chosen = self.session.assessment.get_answer(source.id) or []
            listed = "; ".join(source.choice_label(v, self.questionnaire) for v in chosen)
            line = f"You chose {listed} at {where} ({source.text}), so this is {said}."
        else:
            line = f"You said {said} at {where} ({source.text})."
        if answer == "no" and not has_rationale(taken.answer):
            return f"{line} Give the reason, then press Enter to keep it, or change it."
        return f"{line} Press Enter to keep it, or change it."

    def editor(self) -> Optional[Editor]:
        return self._editor

    def after_pending_input(self, callback) -> None:
        """Run ``callback`` once every key and paste sent before now has had its effect.

        Textual runs a priority key (Ctrl+S, Enter) as soon as it arrives, while the keys
        sent before it are still on their way: a typed character waits in the focused
        field's queue, and an arrow, Space or Backspace is then passed up through each
        container to the app, which runs its binding. A save run at once would miss them
        (a fast typist, a paste, a slow machine). So the callback takes the same path,
        queued behind those keys at every step, and runs once the last of them is done;
        keys sent after the priority key come behind it and are not in the answer saved.
        """
        path = (self.app.focused or self).ancestors_with_self  # the field, its containers, the screen, the app

        def hop(step: int) -> None:
            while step < len(path):
                if path[step].call_later(hop, step + 1):
                    return
                step += 1  # that part is closed (being removed): nothing waits in it
            callback()

        hop(0)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    @on(Select.Changed)
    @on(OptionList.OptionHighlighted)
    def _answer_edited(self, event) -> None:
        """The box changed: words under it about what it held before are no longer true."""
        editor = self._editor
        if self._error_about is _NONE or editor is None or editor.retired:
            return
        with contextlib.suppress(NoMatches):
            if editor.value() != self._error_about:
                self.show_error("")

    def on_key(self, event: events.Key) -> None:
        """A character that no field took (the cursor on a reply, a step, a finding, a button, a
        list of choices) is never dropped: the open question's editor puts it where it shows (its
        text box, which takes the cursor; on a list, the choice it begins), or it is said that
        there is nowhere to type it. A key bound where the cursor is does what it is bound to."""
        if not (event.is_printable and event.character) or event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        editor = self.editor()
        if editor is not None and not editor.retired and editor.take_typed(event.character):
            self.show_error("")
            return
        typed = self._typed_nowhere.add(event.character)
        self.show_error(f"\u201c{typed}\u201d was not typed anywhere: every question has an answer or was "
                        "skipped. Pick a step on the left, or press Ctrl+R to check your answers.")

    def action_focus_in_turn(self, direction: int) -> None:
        """Tab or Shift+Tab once the keys before it are done; keys after it go to the field reached.

        (Textual moves the focus when Tab has passed up to the app, by which time characters
        typed after it are already in the box being left.)"""
        self.held_keys.hold()

        def move() -> None:
            self.focus_next() if direction > 0 else self.focus_previous()
            self.held_keys.release()

        self.after_pending_input(move)

    def action_enter_saves(self) -> None:
        editor, focused = self.editor(), self.app.focused
        if isinstance(focused, Reply):
            # Here, in turn with the keys around it (a key the reply handled itself would be
            # taken only once the keys typed after it had already gone to the reply).
            focused.action_change()
            return
        if editor is None or not isinstance(focused, (Input, ChoiceList, GrowingBox)) or editor not in focused.ancestors:
            raise SkipAction()  # a button, a reply, a step, a finding, a tick list: Enter as usual there
        self.action_save_answer()  # a list with nothing chosen saves nothing and says what to do

    def action_save_answer(self) -> None:
        editor, question = self.editor(), self.question
        if editor is None or question is None:
            return
        self.held_keys.hold()  # keys sent from now are for the next question (released once it is open)
        self.after_pending_input(lambda: self._save_then_release(editor, question))

    def _save_then_release(self, editor: Editor, question: Question) -> None:
        self._save_answer(editor, question)
        if self.question is question or self.question is None:
            self.held_keys.release()  # still here (nothing chosen, refused) or the end: no box opening to release them

    def _save_answer(self, editor: Editor, question: Question) -> None:
        if question is not self.question or not editor.is_attached:
            return  # a second Ctrl+S for a question already saved and moved on from
        hint = editor.not_ready()
        if hint:  # e.g. a single choice with nothing picked: saving would record an answer nobody gave
            self.show_error(hint, about=editor.value())
            return
        try:
            # Written to disk on the session's writer thread: the screen moves on at once and
            # says "saving…" until the save is confirmed (see _watch_saves).
            value = self.session.give(question, editor.value())
        except AnswerError as exc:
            self.show_error(f"Not saved: {exc.message}" + (f". {exc.hint}" if exc.hint else ""), about=editor.value())
            return
        except IdmfError as exc:
            self.show_error(f"Not saved: {exc}", about=editor.value())
            return
        editor.mark_saved()
        # The question asked next is visited first, so the findings are worked out and drawn
        # once for this answer (not again when it is asked) and show what is to come from there.
        upcoming = self.session.next_question(after=question.id)
        if upcoming is not None:
            self.session.visit(upcoming.id)
        # The findings for this answer, here and now, before the reply bubble and the
        # next question are mounted: checking takes a few milliseconds once the engine
        # is built, whereas a worker's result waited behind all of that redrawing
        # (p95 over half a second under load).
        self.check_now()
        reply = answer_text(question, value, self.questionnaire)
        self.say(f"{reply}   (to change: select it, or Shift+Tab then Enter)", kind="reply", question_id=question.id)
        if question.type.value == "yes_no" and isinstance(value, dict) and not has_rationale(value) and question.rationale_required:
            self.say("Noted. A Yes or No needs a short reason too; you can add it now or later.", kind="bot")
        self._saved_state()
        self.refresh_steps()
        self.ask_next(upcoming)
        self.call_after_refresh(self.session.drawn)  # the save starts once this answer is on the screen
        self._watch_saves()

    @work(exclusive=True, group="saves")
    async def _watch_saves(self) -> None:
        """Say "saved" once every answer given is on disk, or deal with a save that failed.

        A worker in the event loop (not a thread): it only waits, a few milliseconds at a
        time, while the session's writer thread saves."""
        while self.session.saving:
            await asyncio.sleep(0.01)
        if self.session.failure is not None:
            self._save_failed()
        else:
            self._saved_state()

    def show_error(self, text: str, *, about: object = _NONE) -> None:
        """The line under the box. ``about``: the editor's value the words are about ("Not saved:
        not a real date"); they are taken away as soon as the box holds anything else, so they
        are never left under a corrected answer."""
        self._error_about = about
        label = self._part("error")
        text = for_terminal(text, limit=500)
        if text != self._error_text:  # an unchanged label costs no relayout
            self._error_text = text
            label.update(text)
        label.display = bool(text)  # no empty red bar taking a line of a small screen

    def _save_failed(self) -> None:
        """A save failed. If someone changed the file (by hand, another program) since it was read,
        their change is not overwritten: read it again and say what changed. Either way the reply
        (and any given after it) is kept as a draft, back in the box."""
        failure = self.session.failure
        unsaved = self.session.take_unsaved()
        if failure is None or not unsaved:
            return  # already dealt with (a second failure reported before the first was handled)
        question = self.questionnaire.question(unsaved[0])
        others = f" (and your {len(unsaved) - 1} later {'reply' if len(unsaved) == 2 else 'replies'})" if len(unsaved) > 1 else ""
        name = self.session.path.name
        outside = isinstance(failure, AssessmentChangedOnDisk)
        try:
            changed = self.session.reload()
        except IdmfError as exc:
            why = f"was changed outside the wizard and cannot be read now ({exc.message})" if outside \
                else f"could not be saved ({failure}) and cannot be read now ({exc.message})"
            self.say(f"Not saved: {name} {why}. Your reply{others} is kept as a draft; fix the file, then save again.",
                     kind="warning")
            self.ask(question.id)
            self.show_error(f"Not saved: {name} {why}. Your reply is kept as a draft; fix the file, then save again.")
            return
        if not outside:
            reason = getattr(failure, "strerror", None) or getattr(failure, "message", None) or str(failure)
            self.say(f"Your reply{others} could not be saved to {name} ({reason}). It is kept as a draft and is "
                     "back in the box: Ctrl+S saves it again.", kind="warning")
            self.refresh_steps()
            self.run_check()
            self.ask(question.id)
            return
        if changed:
            listed = "; ".join(f"{'Q' + str(q.number) + ' ' if q.number else ''}{q.text}" for q in changed[:5])
            more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
            what = f"answers changed there: {listed}{more}"
        else:
            what = "no answer differs from what you had"
        self.say(f"{name} was changed outside the wizard since it was opened, so your reply{others} was not saved over "
                 f"that change. It has been read again ({what}). Your reply is kept as a draft and is back in the box: "
                 "Ctrl+S saves it.", kind="warning")
        self.title = f"idmf · {for_terminal(self.session.assessment.title, limit=200)}"
        self.refresh_steps()
        self.run_check()
        self.ask(question.id)

    def action_skip(self) -> None:
        if self.question is not None:
            self.session.skip(self.question)
            if self.question.required:
                self.say("Skipped for now; it stays on the list of things to answer (Ctrl+R lists them).", kind="reply")
            else:
                self.say("Skipped. It is optional, so it is not asked again; pick it from its step to answer it.",
                         kind="reply")
            self.ask_next()

    def action_why(self) -> None:
        if self.question is not None:
            self.say(f"Why we ask: {self.question.why or 'No guidance written for this question.'}", kind="why")

    async def action_add_row(self) -> None:
        editor = self.editor()
        if isinstance(editor, ActionsEditor):
            await editor.add_row()

    def action_all_findings(self) -> None:
        """Every finding counted and listed now, including those about questions not reached yet."""
        self.session.all_findings = not self.session.all_findings
        self._tell(self._panel().again())
        self.say("Showing every finding, including those about questions still to come (Ctrl+F again: only those "
                 "about questions reached)." if self.session.all_findings else
                 "Showing findings about the questions reached so far; the rest are listed as to come.", kind="bot")

    def action_review(self) -> None:
        self.session.all_findings = True  # at check-your-answers every finding is the user's to act on
        findings = self.session.findings()
        self.show_findings(findings)
        self.app.push_screen(ReviewScreen(self.session, findings), self.go_to)

    def go_to(self, question_id: Optional[str]) -> None:
        """Open a question chosen on another screen (check-your-answers, a step's list, Go to question)."""
        if question_id:
            self.ask(question_id)

    def action_go_to_question(self) -> None:
        self.app.push_screen(QuestionPicker(
            "Go to question", self.session, self.session.visible(), search=self.session.find_questions,
            hint="Type a number (7 or Q7) or some words; Down or Enter to choose, Esc to go back."), self.go_to)

    def action_report(self) -> None:
        # Fresh findings from the answers as saved (not the panel's, which may lag an answer),
        # written off the UI thread: a PDF takes a few seconds and the screen must stay live.
        self.say("Writing the report (HTML, Markdown, Word and PDF)…", kind="bot")
        self.report_worker(self.session.assessment.model_copy(deep=True), self.session.path)

    @work(thread=True, exclusive=True, group="report")
    def report_worker(self, snapshot, source) -> None:
        from ...output_guard import check_report_target
        from ...report import report_paths, write_reports

        try:
            targets = report_paths(source, "all", None)
            for fmt, target in targets.items():
                check_report_target(target, source, fmt)
            written = write_reports(snapshot, self.questionnaire, self.session.check(snapshot), targets)
        except IdmfError as exc:
            self.app.call_from_thread(self.say, f"The report was not written: {exc}", kind="warning")
            return
        except OSError as exc:  # a full disk or a read-only folder must not end the session
            self.app.call_from_thread(self.say, f"The report could not be written: {exc.strerror or exc} "
                                      f"({exc.filename or source.parent})", kind="warning")
            return
        listing = "\n".join(f"  {fmt}: {path}" for fmt, path in written.items())
        self.app.call_from_thread(self.say, f"Report written:\n{listing}", kind="bot")

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

    @on(Reply.Change)
    def _change_reply(self, event: Reply.Change) -> None:
        event.stop()
        self.ask(event.question_id)

    @on(ListView.Selected, "#steps")
    def _step_selected(self, event: ListView.Selected) -> None:
        step = self.questionnaire.step(event.item.step_id)
        questions = self.session.questions_in_step(event.item.step_id)
        if step is None or not questions:
            return
        self.app.push_screen(QuestionPicker(
            f"Step {step.number}: {step.title}", self.session, questions,
            hint="Up/Down to a question, Enter to open it, Esc to go back."), self.go_to)

    @on(FindingsPanel.Chosen)
    def _finding_selected(self, event: FindingsPanel.Chosen) -> None:
        finding = event.finding
        self.say(f"{finding.rule_id}: {finding.message}\nWhat to do: {finding.guidance}{self._listed(finding)}"
                 + (f"\n{finding.consequence_text}" if finding.consequences else ""), kind="warning")
        question = self.session.question_for(finding)
        if question is not None:
            self.ask(question.id)

    def _listed(self, finding: Finding) -> str:
        """The questions a finding about a list of questions lists ("Add a sentence to each listed
        answer"): said with it, as the wizard has no other list of them in sight."""
        if not self.session.lists_questions(finding):
            return ""
        listed = self.session.cited_questions(finding)
        if not listed:
            return ""
        names = [f"Q{q.number}" if q.number else q.text for q in listed[:6]]
        more = f" and {len(listed) - 6} more" if len(listed) > 6 else ""
        return f"\nListed: {'; '.join(names)}{more}."

    def refresh_steps(self) -> None:
        for item, progress in zip(self._part("steps").children, self.session.progress()):
            item.set_text(step_text(progress))  # unchanged text costs no redraw

    # --- live findings (the session works them out; shown here) ----------------------------

    def run_check(self) -> None:
        """Check in a worker thread: used on opening, when the engine may still need building."""
        self._check_seq += 1
        self.check_worker(self.session.assessment.model_copy(deep=True), self._check_seq)

    def check_now(self) -> None:
        """Check the answers as they are now and show the findings at once (after each answer)."""
        if not self.session.rules.ready:  # still being built in the background: the worker shows them when it is
            self.run_check()
            return
        self._check_seq += 1
        self.show_findings(self.session.findings(), self._check_seq)

    @work(thread=True, exclusive=True, group="check")
    def check_worker(self, snapshot, seq: int) -> None:
        findings = self.session.check(snapshot)
        self.app.call_from_thread(self.show_findings, findings, seq)

    @property
    def findings(self) -> Optional[Findings]:
        """Every finding last shown (check-your-answers and the report use them all)."""
        return self._panel().findings

    def _panel(self) -> FindingsPanel:
        return self._part("findings-panel")

    def show_findings(self, findings: Findings, seq: Optional[int] = None) -> None:
        first = self.findings is None
        self._tell(self._panel().show(findings, seq))
        if first and self.findings is not None:  # the first findings: the engine is built and the screen drawn
            from ..app import settle_heap

            settle_heap()
        self.app.post_message(FindingsUpdated(findings))

    def _tell(self, news: list[News]) -> None:
        for item in news:
            f = item.finding
            if f.readiness == "stage2_required" and item.to_come:
                self.say(f"That answer means a full stage 2 assessment is needed, because: {f.message} "
                         "Its questions come after the screening; it is listed as to come until then.", kind="warning")
            elif f.readiness == "stage2_required":
                self.say(f"A full stage 2 assessment is needed, because: {f.message}", kind="warning")
            else:
                self.say(f"New finding ({f.severity}{', blocking' if f.blocking else ''}): {f.title}. {f.guidance}"
                         f"{self._listed(f)}", kind="warning")
