"""How soon the wizard draws an answer (issue 11, speed).

Textual draws a screen at most TEXTUAL_FPS times a second (60 unless set) and, after a frame,
holds the next one for one to two frame periods: the frame showing an answer's findings, reply
and next question waited up to 33 ms after the work was done. The wizard's screens draw up to
120 frames a second instead (the figures are in benchmarks/bench_wizard.py, not asserted here);
someone who sets TEXTUAL_FPS keeps their own setting.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
import textual.screen

from idmf.wizard.app import FRAMES_PER_SECOND, AssessmentScreen, WizardApp

from .wizard_driver import question_open

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _frame_periods(folder: Path, questionnaire) -> dict[str, float]:
    """The frame period of each screen the wizard shows on its way to the first question."""
    path = Path(shutil.copy(next(EXAMPLES.glob("red-*.yaml")), folder / "red.yaml"))

    async def run() -> dict[str, float]:
        app = WizardApp(folder, path, questionnaire=questionnaire)
        periods: dict[str, float] = {}
        async with app.run_test(size=(100, 34)) as pilot:
            screen = await question_open(pilot)
            assert isinstance(screen, AssessmentScreen)
            for shown in app.screen_stack:
                periods[type(shown).__name__] = shown._update_timer._interval
        return periods

    return asyncio.run(run())


@pytest.fixture
def textual_default(monkeypatch):
    """Textual's own period as it would be in a fresh process, restored after the test."""
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 1 / 60)


def test_the_wizard_screens_draw_up_to_120_frames_a_second(tmp_path, questionnaire, monkeypatch, textual_default):
    monkeypatch.delenv("TEXTUAL_FPS", raising=False)
    periods = _frame_periods(tmp_path, questionnaire)
    assert periods and set(periods.values()) == {1 / FRAMES_PER_SECOND} and FRAMES_PER_SECOND == 120, periods


def test_a_frame_rate_set_in_TEXTUAL_FPS_is_kept(tmp_path, questionnaire, monkeypatch, textual_default):
    monkeypatch.setenv("TEXTUAL_FPS", "30")  # read by Textual at import; here its period is 1/60 as set above
    periods = _frame_periods(tmp_path, questionnaire)
    assert periods and set(periods.values()) == {1 / 60}, periods


def test_the_frame_that_first_shows_the_next_question_has_the_cursor_in_its_box(tmp_path, questionnaire):
    """After an answer, the next question's box appears with the cursor already in it: no frame
    shows the box while the cursor is elsewhere (was: one frame with the box and the cursor on a
    reply, then another about 25 ms later), so the user can type as soon as they see it."""
    from textual.errors import NoWidget

    from idmf.wizard.widgets.editors import Editor

    path = Path(shutil.copy(next(EXAMPLES.glob("red-*.yaml")), tmp_path / "red.yaml"))

    async def run() -> list[list[tuple[bool, bool]]]:
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        seen: list[list[tuple[bool, bool]]] = []
        async with app.run_test(size=(100, 34)) as pilot:
            screen = await question_open(pilot)
            original = app._display
            state: dict = {}

            def on_screen(widget) -> bool:
                try:
                    screen.find_widget(widget)
                except NoWidget:
                    return False
                return True

            def display(shown_screen, renderable):
                original(shown_screen, renderable)
                editor = screen.editor()
                if not seen or renderable is None or editor is None or editor is state.get("answered"):
                    return  # before the first answer, or not the next question's box
                fields = [w for w in editor.query("Input, TextArea, OptionList, SelectionList, Select, Button")
                          if w.focusable]
                focused = app.focused
                seen[-1].append((any(on_screen(f) for f in fields),
                                 focused is not None and editor in focused.ancestors_with_self))

            app._display = display
            for number in range(1, 6):
                screen.ask(f"ehiira.q{number:02d}")
                await pilot.pause()
                editor = screen.editor()
                editor.choose("no" if number % 2 else "yes")
                await pilot.pause()
                editor.query_one("#rationale").value = f"Reason {number}"
                await pilot.pause(0.1)
                state["answered"] = editor
                seen.append([])
                await pilot.press("ctrl+s")
                for _ in range(6):
                    await pilot.pause(0.05)
            app._display = original
            assert all(not isinstance(w, Editor) or w is screen.editor() for w in screen.query("#editor-slot > *"))
        return seen

    for frames in asyncio.run(run()):
        showing = [has_cursor for box_on_screen, has_cursor in frames if box_on_screen]
        assert showing, frames  # the next question's box was drawn
        assert showing[0], frames  # with the cursor in it the first time it was drawn
