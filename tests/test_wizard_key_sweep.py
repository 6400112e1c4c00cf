"""Every key the wizard binds, pressed at every screen and every kind of answer editor
(issue 11): the wizard keeps running, nothing is logged as a crash, and no answer in the
saved file changes that the key did not mean to change.

The keys are not listed by hand: they are read from the BINDINGS of the app, the screen
and every widget between the focused field and the screen (so a key Textual or idmf adds
later is swept too), plus the palette's commands as the app offers them on each screen.
Each key is pressed on a freshly opened editor (so it acts alone), in one app per editor
and field; a key that leaves the screen (F1, Ctrl+R, Ctrl+P) is followed back.
"""

from __future__ import annotations

import asyncio
import shutil

import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Select, TextArea

from idmf.store import load_assessment
from idmf.wizard.app import AssessmentScreen, HelpScreen, ReviewScreen, StartScreen, WizardApp
from idmf.wizard.widgets.editors import AnswerBox, Editor, GrowingBox, RationaleBox, TickList, ChoiceList

from .conftest import EXAMPLES

SIZE = (80, 24)  # the smallest screen the wizard is made for, and the quickest to draw

# One question of every type (tests/test_wizard_small_screens.py checks every type is here),
# and the kinds of field its editor has: the sweep presses every key with each kind focused.
# The run checks these are the editor's real fields, so the list cannot fall behind.
EDITORS = {
    "text": ("meta.person_responsible", [AnswerBox]),
    "long_text": ("purpose.aims", [TextArea]),
    "yes_no": ("ehiira.q07", [Button, RationaleBox]),
    "single_choice": ("meta.decision_type", [ChoiceList]),
    "multi_choice": ("purpose.affected_people", [TickList]),
    "date": ("review.review_date", [AnswerBox]),
    "group_impacts": ("stage2.protected_characteristics", [Select, GrowingBox, AnswerBox, Button]),
    "actions": ("decide.actions", [AnswerBox, Select, Button, VerticalScroll]),
    "person": ("signoff.approval", [AnswerBox]),
}

# Keys a person types that are not bindings: y and n choose Yes or No; the rest move around.
TYPED = ["y", "n", "space", "enter", "escape", "tab", "shift+tab", "a"]
QUIT = "ctrl+q"  # ends the app: pressed last, and must end it cleanly


def _binding_keys(*classes) -> list[str]:
    keys: list[str] = []
    for cls in classes:
        for klass in reversed(cls.__mro__):
            for binding in klass.__dict__.get("BINDINGS", []):
                key = binding.key if isinstance(binding, Binding) else binding[0]
                keys += [k.strip() for k in key.split(",")]
    return keys


def _keys(*classes) -> list[str]:
    found = _binding_keys(WizardApp, *classes) + [WizardApp.COMMAND_PALETTE_BINDING] + TYPED
    return [k for k in dict.fromkeys(found) if k != QUIT]


def _answers(path, questionnaire) -> dict:
    a = load_assessment(path, questionnaire).assessment
    return {"metadata": a.metadata.model_dump(mode="json"), "title": a.title, "answers": a.answers, "status": a.status}


def _green(tmp_path):
    path = tmp_path / "green.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)
    return path


async def _back_to(app, pilot, screen_type) -> None:
    """Close whatever a key opened (help, check your answers, the palette) to get back."""
    for _ in range(5):
        if isinstance(app.screen, screen_type):
            return
        app.pop_screen()
        await pilot.pause()


class Sweep:
    def __init__(self, app, pilot, path, questionnaire):
        self.app, self.pilot, self.path, self.questionnaire = app, pilot, path, questionnaire
        self.problems: list[str] = []
        self.pressed: list[str] = []
        self.known, self.known_answers = b"", None  # the file's bytes and answers, read once per change

    async def press(self, key: str, label: str) -> None:
        app = self.app
        before_bytes = self.path.read_bytes()
        before = None if self.known == before_bytes else _answers(self.path, self.questionnaire)
        if before is None:
            before = self.known_answers
        else:
            self.known, self.known_answers = before_bytes, before
        try:
            await self.pilot.press(key)
            await self.pilot.pause()
            await app.workers.wait_for_complete()
        except Exception as exc:  # noqa: BLE001 - any failure is a finding, with the key that caused it
            self.problems.append(f"{label} {key}: {type(exc).__name__}: {exc}")
            raise
        self.pressed.append(key)
        if app._exception is not None:
            self.problems.append(f"{label} {key}: crashed with {type(app._exception).__name__}: {app._exception}")
            raise app._exception
        if not app.is_running:
            self.problems.append(f"{label} {key}: the wizard stopped")
        if self.path.read_bytes() == before_bytes:
            return  # not even saved again
        after = _answers(self.path, self.questionnaire)
        if after != before:
            changed = [k for k in after["answers"].keys() | before["answers"].keys()
                       if after["answers"].get(k) != before["answers"].get(k)]
            header = [k for k in ("title", "status") if after[k] != before[k]] + [
                f"metadata.{k}" for k in after["metadata"] if after["metadata"][k] != before["metadata"].get(k)]
            self.problems.append(f"{label} {key}: changed the saved file ({', '.join(changed + header)})")


def _field(editor: Editor, kind):
    return next(w for w in editor.query(kind) if w.focusable and w in editor.screen.focus_chain)


# With the field a person lands in focused (where the bugs this sweep was written for were:
# Ctrl+A in the action plan, Ctrl+G on the stage 2 grid, Space in a multi-choice list); the
# other kinds of field are checked to be the expected ones, and are reached by Tab in
# tests/test_wizard_small_screens.py. Every kind with every key took 270 s of CPU.
EDITOR_CASES = [(name, kinds[0]) for name, (_, kinds) in EDITORS.items()]


def _quick_reports(monkeypatch) -> list:
    """Ctrl+O at every editor writes the same report: its writing (a few seconds for the PDF)
    is tested in test_wizard_safety.py and once in the palette sweep below; here the key's way
    through the screen and its worker is what is swept, so the writer only records the call."""
    import idmf.report

    calls = []

    def record(snapshot, questionnaire, findings, targets):
        calls.append(sorted(targets))
        return dict(targets)

    monkeypatch.setattr(idmf.report, "write_reports", record)
    return calls


@pytest.mark.parametrize("name,kind", EDITOR_CASES, ids=[n for n, _ in EDITOR_CASES])
def test_every_key_at_every_editor_field(tmp_path, questionnaire, monkeypatch, name, kind):
    question_id, kinds = EDITORS[name]
    reports = _quick_reports(monkeypatch)
    path = _green(tmp_path)
    keys = _keys(AssessmentScreen, kind)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            sweep = Sweep(app, pilot, path, questionnaire)

            async def open_editor():
                await _back_to(app, pilot, AssessmentScreen)
                # What the last key typed is given up (not kept as a draft and offered back),
                # so each key acts on the saved answer alone.
                await app.screen.query(Editor).remove()
                app.screen.session.drop_draft(question_id)
                app.screen.ask(question_id)
                await pilot.pause()
                editor = app.screen.query_one(Editor)
                field = _field(editor, kind)
                field.focus()
                return editor, field

            editor, field = await open_editor()
            real = {type(w) for w in editor.query("*") if w in app.screen.focus_chain}
            assert real == set(kinds), f"{name}: the editor's fields are now {real}; update EDITORS"
            label = f"{name} ({type(field).__name__} focused)"
            for key in keys:
                screen = app.screen
                # Open the question afresh whenever the last key changed anything (typed, left the
                # screen or the question, moved the focus); a key that did not is followed at once.
                if (not isinstance(screen, AssessmentScreen) or screen.question is None
                        or screen.question.id != question_id or not editor.is_attached
                        or app.focused is not field or editor.unsaved()[0]):
                    editor, field = await open_editor()
                await sweep.press(key, label)
            await open_editor()
            await pilot.press(QUIT)
            await pilot.pause()
            return sweep, app

    original = _answers(path, questionnaire)
    sweep, app = asyncio.run(scenario())
    assert not sweep.problems, "\n".join(sweep.problems)
    assert sweep.pressed == keys
    assert reports and len(reports) == keys.count("ctrl+o")  # Ctrl+O asked for the report, once
    assert app._exception is None and app.return_code in (0, None)  # Ctrl+Q ended it cleanly
    assert _answers(path, questionnaire) == original


def _red(tmp_path):
    path = tmp_path / "red.yaml"
    shutil.copy(next(EXAMPLES.glob("red-*.yaml")), path)
    return path


async def _sweep_screen(app, pilot, sweep, open_screen, screen_type, label_prefix):
    """Every key bound on ``screen_type`` and the widget focused when it opens; the screen is
    opened again whenever a key left it or moved the focus."""
    await open_screen()
    first = app.focused
    assert first is not None, f"{screen_type.__name__} has nothing focused"
    kind = type(first)
    for key in _keys(screen_type, kind):
        if not isinstance(app.screen, screen_type) or type(app.focused) is not kind:
            await open_screen()
        await sweep.press(key, f"{label_prefix} ({kind.__name__} focused)")
    return kind


def test_every_key_on_the_start_screen(tmp_path, questionnaire):
    path = _green(tmp_path)
    files_before = sorted(p.name for p in tmp_path.iterdir())

    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            sweep = Sweep(app, pilot, path, questionnaire)

            async def open_screen():
                await _back_to(app, pilot, StartScreen)
                title = app.screen.query_one("#new-title", Input)
                title.value = ""
                title.focus()
                await pilot.pause()

            await _sweep_screen(app, pilot, sweep, open_screen, StartScreen, "start screen")
            return sweep

    sweep = asyncio.run(scenario())
    assert not sweep.problems, "\n".join(sweep.problems)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == \
        [n for n in files_before if not n.startswith(".")]  # no assessment made by a key alone


def test_every_key_on_check_your_answers_and_help(tmp_path, questionnaire):
    path = _red(tmp_path)  # blocking findings: Ctrl+U (submit) is refused, so nothing may change

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            sweep = Sweep(app, pilot, path, questionnaire)

            async def open_review():
                await _back_to(app, pilot, AssessmentScreen)
                await pilot.press("ctrl+r")
                await pilot.pause()

            async def open_help():
                await _back_to(app, pilot, AssessmentScreen)
                await pilot.press("f1")
                await pilot.pause()

            await _sweep_screen(app, pilot, sweep, open_review, ReviewScreen, "check your answers")
            await _sweep_screen(app, pilot, sweep, open_help, HelpScreen, "help")
            return sweep

    original = _answers(path, questionnaire)
    sweep = asyncio.run(scenario())
    assert not sweep.problems, "\n".join(sweep.problems)
    assert _answers(path, questionnaire) == original


def _commands(app) -> list[str]:
    return [c.title for c in app.get_system_commands(app.screen) if c.title != "Quit"]


async def _run_command(app, pilot, sweep, title: str, label: str) -> None:
    await pilot.press(WizardApp.COMMAND_PALETTE_BINDING)
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*title)
    await pilot.pause(0.3)  # the palette searches in the background
    await sweep.press("enter", f"{label}: palette \u201c{title}\u201d then")


@pytest.mark.parametrize("where", ["start screen", "a question", "check your answers"])
def test_every_palette_command_on_every_screen(tmp_path, questionnaire, monkeypatch, where):
    monkeypatch.setenv("HOME", str(tmp_path))  # "Screenshot" saves into ~/Downloads
    path = _red(tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, None if where == "start screen" else path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            sweep = Sweep(app, pilot, path, questionnaire)
            home = StartScreen if where == "start screen" else AssessmentScreen

            async def open_screen():
                await _back_to(app, pilot, home)
                if where == "check your answers":
                    await pilot.press("ctrl+r")
                    await pilot.pause()
                elif where == "a question":
                    app.screen.ask("ehiira.q07")
                    await pilot.pause()

            await open_screen()
            titles = _commands(app)
            for title in titles:
                await open_screen()
                await _run_command(app, pilot, sweep, title, where)
            return sweep, titles

    original = _answers(path, questionnaire)
    sweep, titles = asyncio.run(scenario())
    assert not sweep.problems, "\n".join(sweep.problems)
    assert "Theme" in titles and "Help: keys" in titles
    if where == "a question":
        assert {"Write the report", "Check your answers", "Skip this question"} <= set(titles)
    assert _answers(path, questionnaire) == original
