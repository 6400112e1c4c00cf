"""Single-choice questions in the wizard (issue 11, item 6): nothing is chosen until the person
chooses it, the cursor stops at the ends, and Enter with nothing chosen saves nothing.

Driven with the keys a person would press (Textual's Pilot), checked against the saved file.
"""

from __future__ import annotations

import asyncio

from textual.widgets import OptionList

from idmf.store import load_assessment
from idmf.wizard.app import WizardApp

from .wizard_driver import new_assessment

SIZE = (100, 34)
QUESTION = "meta.decision_type"  # Policy ... Something else (nine choices)


def _new(tmp_path, questionnaire, answers=None):
    return new_assessment(tmp_path, questionnaire, "Choosing", answers)


def _saved(path, questionnaire):
    return load_assessment(path, questionnaire).assessment.get_answer(QUESTION)


def _play(tmp_path, path, questionnaire, keys):
    """Open the wizard at the single-choice question, press ``keys``; what a person would then see."""

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.screen.ask(QUESTION)
            await pilot.pause()
            await pilot.pause()
            options = app.screen.query_one("#choices", OptionList)
            opened_with = options.highlighted
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            return {
                "opened_with": opened_with,
                "focused": app.focused is options,
                "question": screen.question.id if screen.question else None,
                "error": str(screen.query_one("#error").render()),
                "hint": str(screen.query_one("#choice-hint").render()) if screen.query("#choice-hint") else "",
            }

    return asyncio.run(scenario())


def test_nothing_is_chosen_when_the_question_opens_and_enter_saves_nothing(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    before = path.read_bytes()
    seen = _play(tmp_path, path, questionnaire, ["enter"])
    assert seen["opened_with"] is None and seen["focused"]
    assert seen["question"] == QUESTION  # still asking: nothing was saved and it did not move on
    assert "Nothing chosen yet" in seen["hint"] + seen["error"]
    assert path.read_bytes() == before and _saved(path, questionnaire) is None


def test_ctrl_s_and_the_save_button_with_nothing_chosen_save_nothing_and_say_why(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    before = path.read_bytes()
    seen = _play(tmp_path, path, questionnaire, ["ctrl+s"])
    assert seen["question"] == QUESTION and "Nothing chosen yet" in seen["error"]
    assert path.read_bytes() == before


def test_the_first_arrow_picks_the_first_choice(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    _play(tmp_path, path, questionnaire, ["down", "enter"])
    assert _saved(path, questionnaire) == "policy"


def test_up_at_the_top_stays_at_the_top(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    # Down picks Policy; the Ups would have wrapped round to "Something else".
    _play(tmp_path, path, questionnaire, ["down", "up", "up", "up", "enter"])
    assert _saved(path, questionnaire) == "policy"


def test_down_at_the_bottom_stays_at_the_bottom(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    count = len(questionnaire.question(QUESTION).choice_values(questionnaire))
    # Three Downs too many would have wrapped round to Policy, then Strategy.
    _play(tmp_path, path, questionnaire, ["down"] * (count + 3) + ["enter"])
    assert _saved(path, questionnaire) == "other"


def test_a_saved_answer_is_the_one_highlighted_and_enter_keeps_it(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire, {QUESTION: "procurement"})
    values = questionnaire.question(QUESTION).choice_values(questionnaire)
    seen = _play(tmp_path, path, questionnaire, ["enter"])
    assert seen["opened_with"] == values.index("procurement")
    assert seen["question"] != QUESTION  # saved (unchanged) and moved on
    assert _saved(path, questionnaire) == "procurement"


def test_changing_a_saved_answer_moves_from_it(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire, {QUESTION: "procurement"})
    _play(tmp_path, path, questionnaire, ["up", "enter"])
    assert _saved(path, questionnaire) == "decommissioning"  # the one above Procurement
