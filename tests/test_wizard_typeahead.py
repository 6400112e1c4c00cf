"""Keys sent faster than the wizard handles them (a fast typist, a slow machine, a burst from a
terminal) do exactly what they would one at a time: Enter and Ctrl+S save what was in the box
when they were pressed, never keys typed after them; Space ticks the choice it was pressed on.

Each burst goes in as a terminal sends it: the bytes through Textual's own terminal parser,
every key posted to the app at once, before it has handled the first (Pilot's ``press``
waits for each key, so it cannot show this).
"""

from __future__ import annotations

import asyncio

from textual._xterm_parser import XTermParser

from idmf.store import load_assessment
from idmf.wizard.app import WizardApp
from idmf.wizard.widgets.chat import Reply

from .wizard_driver import new_assessment, question_open

SIZE = (100, 34)
DOWN, ENTER, SPACE, CTRL_S = "\x1b[B", "\r", " ", "\x13"


def _new(tmp_path, questionnaire, answers=None):
    return new_assessment(tmp_path, questionnaire, "Typing ahead", answers)


def _burst(tmp_path, path, questionnaire, question_id, sent: str):
    """Open ``question_id``, send ``sent`` as one burst; the question then asked and the saved file."""

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            screen.ask(question_id)
            await pilot.pause()
            await pilot.pause()
            for key in XTermParser().feed(sent):
                app.post_message(key)
            for _ in range(20):
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            asked = screen.question.id if screen.question else None
            ticked = None
            if screen.query("#multi"):
                ticked = list(screen.query_one("#multi").selected)
        return asked, ticked, load_assessment(path, questionnaire).assessment

    return asyncio.run(scenario())


def test_enter_saves_what_was_typed_before_it_not_the_next_answer_typed_straight_after(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    # Was: "Priya ShahNHS Example ICB" saved as the person responsible, and the organisation blank.
    _, _, saved = _burst(tmp_path, path, questionnaire, "meta.person_responsible",
                         "Priya Shah" + ENTER + "NHS Example ICB" + ENTER)
    assert saved.get_answer("meta.person_responsible") == "Priya Shah"
    assert saved.get_answer("meta.organisation") == "NHS Example ICB"  # typed ahead: kept for the next question


def test_enter_on_a_choice_saves_that_choice_not_the_one_an_arrow_after_it_reaches(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    # Down picks "Whole system", Enter saves it; Down Space then tick the first box of the next
    # question. Was: "Place" saved, and the next question untouched.
    asked, ticked, saved = _burst(tmp_path, path, questionnaire, "purpose.geographic_level", DOWN + ENTER + DOWN + SPACE)
    assert saved.get_answer("purpose.geographic_level") == "system"
    assert asked == "purpose.affected_people" and ticked == ["public"]


def test_space_ticks_the_choice_it_was_pressed_on(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    # Space on Patients, down two, Space on Carers. Was: nothing ticked (the second choice...
    # ticked and unticked), or The public and Carers.
    asked, ticked, _ = _burst(tmp_path, path, questionnaire, "purpose.affected_people", SPACE + DOWN + DOWN + SPACE)
    assert asked == "purpose.affected_people"
    assert ticked == ["patients", "carers"]


def test_ctrl_s_straight_after_space_saves_the_tick(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    # Was: saved with nothing ticked (the Space was still on its way to the list).
    _burst(tmp_path, path, questionnaire, "purpose.affected_people", DOWN + SPACE + CTRL_S)
    saved = load_assessment(path, questionnaire).assessment
    assert saved.get_answer("purpose.affected_people") == ["public"]


def test_ctrl_s_straight_after_a_backspace_saves_the_corrected_text(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    _burst(tmp_path, path, questionnaire, "meta.organisation", "NHS Example ICBX\x7f" + CTRL_S)
    saved = load_assessment(path, questionnaire).assessment
    assert saved.get_answer("meta.organisation") == "NHS Example ICB"


def test_tab_straight_after_typing_moves_on_before_the_next_field_is_typed(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    # An action, its owner and due date typed with Tab between them and saved, all at once.
    # Was: "Run a bus surveyPriya Shah30/04/2027" in the action box and the others blank.
    _burst(tmp_path, path, questionnaire, "decide.actions", "Run a bus surveyX\x7f\tPriya Shah\t30/04/2027" + CTRL_S)
    saved = load_assessment(path, questionnaire).assessment
    assert saved.get_answer("decide.actions") == [
        {"action": "Run a bus survey", "owner": "Priya Shah", "due": "2027-04-30", "status": "not_started"}]


def test_ctrl_a_straight_after_typing_starts_the_next_action_with_what_is_typed_next(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire)
    # Was: "Hub signage" typed into the first action's due date, the new row left blank.
    _burst(tmp_path, path, questionnaire, "decide.actions",
           "Run a bus survey\tPriya Shah\t30/04/2027\x01Hub signage\tComms team\t15 Jun 27" + CTRL_S)
    saved = load_assessment(path, questionnaire).assessment
    assert saved.get_answer("decide.actions") == [
        {"action": "Run a bus survey", "owner": "Priya Shah", "due": "2027-04-30", "status": "not_started"},
        {"action": "Hub signage", "owner": "Comms team", "due": "2027-06-15", "status": "not_started"}]


def test_keys_typed_straight_after_reopening_a_reply_go_into_its_box(tmp_path, questionnaire):
    """Enter on a reply in the conversation reopens that question; what is typed straight after
    goes into its box (was: lost on the way, while the box opened, and the old answer saved)."""
    path = _new(tmp_path, questionnaire)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            screen.ask("meta.person_responsible")
            await pilot.pause()
            await pilot.pause()
            for key in XTermParser().feed("Sam Jones" + ENTER + "NHS Somewhere ICB" + ENTER):
                app.post_message(key)
            for _ in range(10):
                await pilot.pause(0.05)
            reply = next(r for r in screen.query(Reply) if r.question_id == "meta.person_responsible")
            reply.focus()
            await pilot.pause()
            for key in XTermParser().feed(ENTER + " Jr" + CTRL_S):
                app.post_message(key)
            for _ in range(10):
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()
        return load_assessment(path, questionnaire).assessment

    saved = asyncio.run(scenario())
    assert saved.get_answer("meta.person_responsible") == "Sam Jones Jr"
    assert saved.get_answer("meta.organisation") == "NHS Somewhere ICB"
