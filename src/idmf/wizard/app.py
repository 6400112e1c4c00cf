"""The idmf wizard: a chat-style walk through the six IDMF steps and the EHIIRA.

The App holds the bindings every screen shares, the open session and the rules
it checks with (built while the start screen is up); each screen lives in
``screens/``, the widgets in ``widgets/``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from pathlib import Path
from typing import Iterable, Optional

from textual import events, work
from textual import screen as textual_screen
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.theme import Theme

from ..errors import EXIT_BUG, IdmfError
from .crash import crash_message, write_crash_log
from .keys import KeyHolder
from ..model.questionnaire import Questionnaire
from ..rules.engine import RulesEngine
from .screens import AssessmentScreen, ReviewScreen, StartScreen
from .session import Rules, Session
from .terminal_input import paste_safe_input

__all__ = ["AssessmentScreen", "HelpScreen", "ReviewScreen", "StartScreen", "WizardApp"]  # noqa: F822 - HelpScreen comes from __getattr__

def __getattr__(name: str):
    if name == "HelpScreen":  # see action_help: imported only when wanted
        from .screens.help import HelpScreen

        return HelpScreen
    raise AttributeError(name)


# Garbage collection while answering. Python's full collection walks every object (the
# modules, the rules engine, the screens) and paused the wizard for 50-120 ms every few answers.
# Everything built at start-up is frozen out of its sight, and the full collections are run
# when the person has not pressed a key for a moment instead of in the middle of an answer.
IDLE_SECONDS = 1.0
FULL_COLLECTION_DUE = 10  # young collections between two full ones: Python's own default
FULL_COLLECTION_OVERDUE = 200  # collected even while typing once this far behind


def settle_heap() -> None:
    """Move everything built so far out of the garbage collector's sight: it lives as long as
    the wizard (undone when the wizard closes, so nothing stays uncollectable)."""
    gc.freeze()


# How soon an answer is drawn. Textual draws at most TEXTUAL_FPS frames a second (60 unless set),
# and after drawing a frame its frame clock holds the next one for one to two frame periods: the
# frame showing an answer's findings, reply and next question often waited 17-33 ms after the work
# was done (p95 50-54 ms from key to frame; 42-44 ms at 120). Frames are drawn only when something
# changed, so the higher ceiling costs nothing while the screen is still.
FRAMES_PER_SECOND = 120


def draw_promptly() -> None:
    """Let the wizard draw up to FRAMES_PER_SECOND frames a second, unless TEXTUAL_FPS says otherwise.

    Textual reads TEXTUAL_FPS once, when it is first imported (often before the wizard is), into
    the period each screen's frame clock is given when the screen is first drawn; that period is
    set here, before any of the wizard's screens exists."""
    if "TEXTUAL_FPS" not in os.environ:
        textual_screen.UPDATE_PERIOD = 1 / FRAMES_PER_SECOND


HIGH_CONTRAST = Theme(
    name="idmf-high-contrast", primary="#ffff00", secondary="#00ffff", accent="#ffffff", foreground="#ffffff",
    background="#000000", surface="#000000", panel="#1a1a1a", success="#00ff00", warning="#ffff00", error="#ff5555", dark=True,
)


class WizardApp(App):
    CSS_PATH = "wizard.tcss"
    TITLE = "idmf"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "contrast", "High contrast", show=False),
    ]

    def __init__(self, folder: Path, path: Optional[Path] = None, questionnaire: Optional[Questionnaire] = None,
                 engine: Optional[RulesEngine] = None):
        draw_promptly()
        super().__init__()
        from ..questionnaire import load_questionnaire

        self.folder = folder
        self.initial_path = path
        self.questionnaire = questionnaire or load_questionnaire()
        self.rules = Rules(self.questionnaire, engine)  # tests pass an engine with fixed findings
        self.session: Optional[Session] = None
        self._quit_anyway = False
        # Said in the terminal once the wizard has closed (plain text, so the terminal wraps
        # a long path instead of a console cutting it): a kept draft, or where a crash log is.
        self.farewell = ""
        self.last_input = time.monotonic()
        self.key_holder = KeyHolder(self, self._deliver_held)  # keys typed ahead, for the next question's box
        self._gc_threshold: Optional[tuple[int, int, int]] = None
        self.register_theme(HIGH_CONTRAST)

    def run(self, *args, **kwargs):
        # In a real terminal, a paste holding an ESC (text copied from a terminal or a log)
        # arrives as one paste, in order, instead of partly as key presses: see terminal_input.
        with paste_safe_input():
            return super().run(*args, **kwargs)

    def on_mount(self) -> None:
        self.push_screen(StartScreen(self.folder))
        self._build_engine()
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(self._gc_threshold[0], self._gc_threshold[1], 1_000_000)  # full ones: see below
        self.set_interval(IDLE_SECONDS / 2, self._collect_when_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste, events.MouseDown)):
            self.last_input = time.monotonic()
        if self.key_holder.take(event):  # typed after Enter or Ctrl+S: meant for the next question
            return
        await super().on_event(event)

    async def _deliver_held(self, event: events.Event) -> None:
        await super().on_event(event)

    def _collect_when_idle(self) -> None:
        """The full garbage collection Python would have run by now, run while nobody is typing."""
        due = gc.get_count()[2]
        idle = time.monotonic() - self.last_input >= IDLE_SECONDS
        if due >= FULL_COLLECTION_OVERDUE or (due >= FULL_COLLECTION_DUE and idle):
            gc.collect()

    @work(thread=True, group="engine", exit_on_error=False)
    def _build_engine(self) -> None:
        # Reading and compiling the rules takes a moment: do it while the start screen is
        # up, so the first findings (and every one after) need not wait for it.
        self.rules.build()
        settle_heap()


    def open_initial(self) -> None:
        """Called by the start screen once it is drawn, so errors have somewhere to show."""
        path, self.initial_path = self.initial_path, None
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        try:
            session = Session.open(path, self.questionnaire, rules=self.rules)
        except IdmfError as exc:
            message = str(exc)
            if isinstance(self.screen, StartScreen):
                self.screen.show_error(message)
            self.notify(message, severity="error", timeout=10)
            return
        self.start_session(session)

    def start_session(self, session: Session) -> None:
        if self.session is not None:
            self.session.close()
        self.session = session
        self.push_screen(AssessmentScreen(session))

    def format_title(self, title: str, sub_title: str) -> Content:
        """The status ("draft · saved 10:42:07") first, so a long assessment title is what gets
        cut short on a narrow terminal, never the word that says the answers are saved."""
        if not sub_title:
            return Content(title)
        return Content.assemble(Content(sub_title), (" — ", "dim"), Content(title))

    def action_help(self) -> None:
        # "?" reaches here only when not typing (inputs keep it as text); F1 always does.
        from .screens.help import HelpScreen  # imported on first use (Markdown is slow to import)

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_contrast(self) -> None:
        self.theme = "textual-dark" if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: keys", "List every key", self.action_help)
        yield SystemCommand("High-contrast theme", "Toggle a high-contrast theme", self.action_contrast)
        if isinstance(screen, AssessmentScreen):
            yield SystemCommand("Go to question…", "Open any question by its number (7, Q7) or words", screen.action_go_to_question)
            yield SystemCommand("Check your answers", "Review every answer, then submit", screen.action_review)
            yield SystemCommand("Write the report", "HTML, Markdown, Word and PDF next to the assessment", screen.action_report)
            yield SystemCommand("Why we ask", "Guidance for the current question", screen.action_why)
            yield SystemCommand("Skip this question", "Come back to it later", screen.action_skip)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
        gc.unfreeze()

    # --- leaving: nothing typed is lost ------------------------------------------

    def _assessment_screen(self) -> Optional[AssessmentScreen]:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, AssessmentScreen):
                return screen
        return None

    async def action_quit(self) -> None:
        screen = self._assessment_screen()
        if screen is None:
            self.exit()
            return
        # Keys typed or pasted just before Ctrl+Q are in the box before it is kept.
        screen.after_pending_input(lambda: self._quit_keeping_draft(screen))

    def _quit_keeping_draft(self, screen: AssessmentScreen) -> None:
        try:
            kept = screen.keep_draft()
        except OSError as exc:
            if not self._quit_anyway:
                # Quitting now would lose the text: say so, and let a second Ctrl+Q mean it.
                self._quit_anyway = True
                screen.say(f"Your unsaved reply could not be kept as a draft ({exc.strerror or exc}). Save it with "
                           "Ctrl+S (or copy it) first; Ctrl+Q again quits without it.", kind="warning")
                return
            kept = None
        session = screen.session
        # Answers given are still being written (a few milliseconds): they reach the disk before
        # the wizard ends, and one that could not be saved is said so, kept as a draft.
        session.flush()
        unsaved = session.take_unsaved() if session.failure is not None else []
        notes = []
        if kept is not None:
            number = f"Q{kept.number} " if kept.number else ""
            notes.append(f"Your unsaved reply to {number}\u201c{kept.text}\u201d is kept as a draft "
                         f"({session.draft_path.name}); it is offered back when you open {session.path.name} again.")
        if unsaved:
            failure = session.failure
            reason = getattr(failure, "message", None) or getattr(failure, "strerror", None) or str(failure)
            notes.append(f"{len(unsaved)} of your last answers could not be saved to {session.path.name} ({reason}); "
                         f"they are kept as a draft ({session.draft_path.name}) and offered back when you open it again.")
        self.farewell = " ".join(notes)
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        """A bug: keep what was typed, write a crash log, say one line, exit 70 (no traceback on screen)."""
        if self._exception is None:  # Pilot re-raises it for the tests
            self._exception = error
            self._exception_event.set()
        self._return_code = EXIT_BUG
        session, draft = self.session, None
        with contextlib.suppress(Exception):  # the handler itself must never fail
            screen = self._assessment_screen()
            if screen is not None and screen.keep_draft() is not None:
                draft = screen.session.draft_path
        with contextlib.suppress(Exception):  # answers given are written before the wizard ends
            if session is not None:
                session.flush(timeout=10)
                if session.failure is not None and session.take_unsaved():
                    draft = session.draft_path  # the refused answers are kept there
        context = []
        if session is not None:
            question = getattr(self._assessment_screen(), "question", None)
            context = [f"Assessment: {session.path}", f"Question: {question.id if question else '-'}"]
        log = write_crash_log(error, session.path.parent if session else self.folder, context)
        self.farewell = crash_message(log, session.path if session else None, draft)
        self._close_messages_no_wait()
