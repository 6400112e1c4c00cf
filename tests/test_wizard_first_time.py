"""The wizard for a first-time user (issue 26): nothing typed goes nowhere, and every message on
the screen is true now. Each test is something a newcomer met, driven with the keys they pressed
(Textual's Pilot) and checked against what is drawn and what is saved."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, Label, OptionList

from idmf.store import load_assessment
from idmf.wizard.app import AssessmentScreen, StartScreen, WizardApp

from .test_wizard_small_screens import screen_lines
from .wizard_driver import new_assessment, question_open

SMALL, USUAL = (80, 24), (100, 34)


async def _settle(app, pilot, rounds: int = 3) -> None:
    await app.workers.wait_for_complete()
    for _ in range(rounds):
        await pilot.pause()


async def _start_with_one_listed(app, pilot):
    """The start screen once the assessment already in the folder is listed (and has the focus)."""
    while not isinstance(app.screen, StartScreen):
        await pilot.pause()
    table = app.screen.query_one("#recent")
    while table.row_count == 0:
        await pilot.pause()
    await _settle(app, pilot)
    return app.screen


# --- (1) nothing typed is dropped -------------------------------------------------------------

@pytest.mark.parametrize("size", [SMALL, USUAL])
def test_a_title_typed_on_the_start_screen_goes_into_the_title_box(tmp_path, questionnaire, size):
    old = new_assessment(tmp_path, questionnaire, "Old assessment")

    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            screen = await _start_with_one_listed(app, pilot)
            await pilot.press(*"Bus pass review")
            shown = "Bus pass review" in "\n".join(screen_lines(app))
            box = screen.query_one("#new-title", Input).value
            await pilot.press("enter")
            opened = await question_open(pilot)
            return shown, box, opened.session.assessment.title, opened.session.path

    shown, box, title, path = asyncio.run(scenario())
    # Was: the list had the focus, the letters went nowhere and Enter opened the old assessment.
    assert box == "Bus pass review" and shown
    assert title == "Bus pass review" and path != old


def _answered(tmp_path, questionnaire, answers):
    return new_assessment(tmp_path, questionnaire, "Reopened", answers)


def test_y_or_n_on_a_reopened_yes_no_question_changes_the_answer(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {"ehiira.q10": {"answer": "yes", "rationale": "Travel is harder"}})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q10")
            await _settle(app, pilot)
            hint = "\n".join(screen_lines(app))
            await pilot.press("n")
            await pilot.pause()
            chosen = screen.editor().choice
            # Typing the reason has started: y and n are letters in it from now on.
            await pilot.press(*" for many, not only y")
            await pilot.press("enter")
            await _settle(app, pilot)
            screen.session.flush()
            return hint, chosen

    hint, chosen = asyncio.run(scenario())
    # Was: "n" was added to the reason, and the answer stayed Yes.
    assert chosen == "no"
    assert "y or n" in hint.lower()
    saved = load_assessment(path, questionnaire).assessment.get_answer("ehiira.q10")
    assert saved == {"answer": "no", "rationale": "Travel is harder for many, not only y"}


def test_a_reason_beginning_with_y_after_choosing_yes_keeps_its_first_letter(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q07")
            await _settle(app, pilot)
            await pilot.press("y", *"Young carers lose the evening slot")
            await pilot.press("enter")
            await _settle(app, pilot)
            screen.session.flush()

    asyncio.run(scenario())
    saved = load_assessment(path, questionnaire).assessment.get_answer("ehiira.q07")
    assert saved == {"answer": "yes", "rationale": "Young carers lose the evening slot"}


@pytest.mark.parametrize("typed, expected", [("14", "ehiira.q14"), ("Q23", "ehiira.q23"),
                                              ("review date", "review.review_date")])
def test_the_command_palette_goes_to_a_question_by_a_bare_number_or_words(tmp_path, questionnaire, typed, expected):
    path = _answered(tmp_path, questionnaire, {})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            await pilot.press("ctrl+p")
            await _settle(app, pilot)
            await pilot.press(*typed)
            for _ in range(20):  # the palette searches in the background
                await pilot.pause(0.05)
            await pilot.press("enter")
            await _settle(app, pilot)
            return app.screen is screen, screen.question.id

    back, question = asyncio.run(scenario())
    # Was: "No matches": "Go to question…" had to be chosen first.
    assert back and question == expected
