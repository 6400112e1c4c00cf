"""What a newcomer met trying the wizard at 80x24 (issue 11): each test is a thing seen on screen."""

from __future__ import annotations

import asyncio

from textual.widgets import Label

from idmf.store import load_assessment
from idmf.wizard.app import StartScreen, WizardApp
from idmf.wizard.session import Session

from .wizard_driver import question_open

SMALL = (80, 24)


def test_enter_with_no_title_on_the_start_screen_says_to_give_one(tmp_path, questionnaire):
    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            await pilot.press("enter")
            await pilot.pause()
            label = app.screen.query_one("#start-message", Label)
            # Was: the words were set on a label that stayed hidden, so Enter seemed to do nothing.
            return label.display, str(label.render()), app.screen.get_widget_at(*label.region.offset)[0] is label

    shown, text, on_screen = asyncio.run(scenario())
    assert shown and on_screen
    assert "Give the decision a title first" in text


def test_idmf_wizard_given_a_folder_says_it_is_a_folder_and_how_to_use_one(tmp_path, idmf):
    result = idmf("wizard", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr + result.stdout
    said = " ".join((result.stderr + result.stdout).split())
    # Was: "file not found", of a folder that is there.
    assert "is a folder" in said and "--dir" in said and "not found" not in said


def test_the_findings_panel_uses_the_height_of_a_taller_terminal(tmp_path, questionnaire):
    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=(100, 34)) as pilot:
            app.screen.query_one("#new-title").value = "Tall"
            await pilot.click("#new-title")
            await pilot.press("enter")
            screen = await question_open(pilot)
            side, panel = screen.query_one("#side"), screen.query_one("#findings")
            return side.region.bottom, panel.region.bottom, panel.region.height

    side_bottom, panel_bottom, height = asyncio.run(scenario())
    # Was: at most 10 rows (every option list's cap), the rest of the column left empty.
    assert panel_bottom == side_bottom and height > 10


def test_go_to_question_lists_first_the_questions_whose_own_words_match(tmp_path, questionnaire):
    session = Session.create(tmp_path, "Finding a question", questionnaire)
    try:
        found = session.find_questions("decision affect")
    finally:
        session.close()
    # Was: "What are the aims and objectives of the decision?" first, matched by its section's title.
    assert found[0].id == "purpose.affected_people"
    assert "purpose.aims" in [q.id for q in found]  # still found, further down


def test_typing_into_a_reopened_answer_adds_to_it_instead_of_replacing_it(tmp_path, questionnaire):
    session = Session.create(tmp_path, "Reopening", questionnaire)
    session.give(questionnaire.question("ehiira.q10"), {"answer": "yes", "rationale": "Travel is harder"})
    session.flush()
    path = session.path
    session.close()

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q10")
            for _ in range(3):
                await pilot.pause()
            await pilot.press(*" for the most deprived")
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()

    asyncio.run(scenario())
    saved = load_assessment(path, questionnaire).assessment.get_answer("ehiira.q10")
    # Was: "for the most deprived" alone: the reason was selected when the box took the focus,
    # and the first key typed replaced it.
    assert saved == {"answer": "yes", "rationale": "Travel is harder for the most deprived"}
