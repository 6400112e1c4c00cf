"""Dates in the wizard (issue 11, item 9): typed as people in the UK write them, shown back in
words as they are typed, refused in full plain English (even on an 80x24 screen).

Driven with the keys a person would press (Textual's Pilot), checked against the saved file.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input

from idmf.store import load_assessment
from idmf.wizard.app import WizardApp

from .wizard_driver import new_assessment

QUESTION = "review.review_date"


def _new(tmp_path, questionnaire, answers=None):
    return new_assessment(tmp_path, questionnaire, "Dates", answers)


def _type_date(tmp_path, path, questionnaire, keys, size=(100, 34), question=QUESTION):
    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.screen.ask(question)
            await pilot.pause()
            await pilot.pause()
            seen = {"box": app.screen.query_one("#text", Input).value,
                    "words": str(app.screen.query_one("#date-words").render())}
            await pilot.press(*keys)
            await pilot.pause()
            error = app.screen.query_one("#error")
            seen.update(
                typed_words=str(app.screen.query_one("#date-words").render()) if app.screen.query("#date-words") else "",
                error=str(error.render()) if error.display else "",
                error_region=error.region, screen_size=app.screen.size,
                question=app.screen.question.id if app.screen.question else None,
                replies=[str(b.render()) for b in app.screen.query(".reply")],
            )
            return seen

    return asyncio.run(scenario())


def _saved(path, questionnaire, question=QUESTION):
    return load_assessment(path, questionnaire).assessment.get_answer(question)


@pytest.mark.parametrize("typed", ["15/03/2027", "15/3/27", "15 March 2027", "15 Mar 27", "15-03-2027", "2027-03-15"])
def test_a_date_typed_day_first_is_saved_and_shown_back_in_words(tmp_path, questionnaire, typed):
    path = _new(tmp_path, questionnaire)
    seen = _type_date(tmp_path, path, questionnaire, [*typed, "enter"])
    assert _saved(path, questionnaire) == "2027-03-15"
    assert seen["question"] != QUESTION and not seen["error"]
    assert any(reply.startswith("15 March 2027") for reply in seen["replies"]), seen["replies"]


def test_the_date_is_read_back_in_words_while_it_is_typed(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    seen = _type_date(tmp_path, path, questionnaire, [*"1/2/27"])
    assert seen["typed_words"] == "That is Monday 1 February 2027."  # day first: never 2 January
    assert _saved(path, questionnaire) is None  # not saved until Enter


def test_a_saved_date_reopens_in_words(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire, {QUESTION: "2027-03-15"})
    seen = _type_date(tmp_path, path, questionnaire, ["enter"])
    assert seen["box"] == "15 March 2027" and seen["words"] == "That is Monday 15 March 2027."
    assert _saved(path, questionnaire) == "2027-03-15"  # Enter on it unchanged changes nothing


@pytest.mark.parametrize("size", [(80, 24), (100, 34)])
def test_an_impossible_date_is_refused_in_full_on_screen_and_nothing_is_saved(tmp_path, questionnaire, size):
    path = _new(tmp_path, questionnaire)
    before = path.read_bytes()
    seen = _type_date(tmp_path, path, questionnaire, [*"31/02/2027", "enter"], size=size)
    assert path.read_bytes() == before and seen["question"] == QUESTION
    assert seen["error"] == ("Not saved: \u201cWhen will the review take place?\u201d date: '31/02/2027' is not a real "
                             "date — type it like 15/03/2027 (day, month, year) or 15 March 2027")
    region, screen = seen["error_region"], seen["screen_size"]
    # All of it on screen: wrapped onto lines that fit, not cut off at the right-hand edge.
    assert region.right <= screen.width and region.bottom <= screen.height and region.height >= 2, region


def test_a_uk_date_in_the_action_plan_is_saved_as_the_day_typed(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=(100, 34)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.screen.ask("decide.actions")
            await pilot.pause()
            await pilot.pause()
            await pilot.press(*"Book interpreters", "tab", *"Clinic manager", "tab", *"1/2/27", "ctrl+s")
            await pilot.pause()

    asyncio.run(scenario())
    assert _saved(path, questionnaire, "decide.actions")[0]["due"] == "2027-02-01"
