"""Never ask the same thing twice, in the wizard: a question whose twin is already answered is
offered with that answer in the box and a line saying where it came from; Enter keeps it (saved
as this question's own answer), or the user changes it."""

from __future__ import annotations

import asyncio


from idmf.store import load_assessment
from idmf.wizard.app import WizardApp
from idmf.wizard.session import Session
from idmf.wizard.widgets.editors import YesNoEditor

from .wizard_driver import answer_current, question_open

SIZE = (110, 36)


def _new(tmp_path, questionnaire, answers: dict, scope: str = "full"):
    session = Session.create(tmp_path, "Respite beds", questionnaire)
    session.assessment.scope = scope
    for question_id, value in answers.items():
        session.give(questionnaire.question(question_id), value)
        session.flush()
    path = session.path
    session.close()
    return path


def _bubbles(screen) -> list[str]:
    return [str(b.render()) for b in screen.query(".bubble")]


def test_the_answer_given_at_step_1_is_offered_at_question_4_and_enter_keeps_it(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire, {
        "purpose.reduces_service": {"answer": "yes", "rationale": "Respite beds cut from 12 to 8"}})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q03")
            await pilot.pause()
            await answer_current(pilot, {"answer": "yes", "rationale": "Beds move to one site"})
            await pilot.pause()
            seen = {"question": screen.question.id}
            editor = screen.editor()
            seen["editor"] = isinstance(editor, YesNoEditor) and editor.choice
            seen["box"] = editor.query_one("#rationale").value
            seen["focused"] = app.focused is editor.query_one("#rationale")
            seen["said"] = _bubbles(screen)
            seen["saved before"] = load_assessment(path, questionnaire).assessment.get_answer("ehiira.q04")
            await pilot.press("enter")  # keep it
            await pilot.pause()
            seen["next"] = screen.question.id
            return seen

    seen = asyncio.run(scenario())
    assert seen["question"] == "ehiira.q04", "the wizard stops at question 4 to confirm, not past it"
    assert seen["editor"] == "yes" and seen["box"] == "Respite beds cut from 12 to 8" and seen["focused"]
    assert any("You said Yes at step 1 (Does the decision reduce, restrict or withdraw a service?). "
               "Press Enter to keep it, or change it." in text for text in seen["said"]), seen["said"]
    assert seen["saved before"] is None, "offered, not yet the user's answer"
    saved = load_assessment(path, questionnaire).assessment
    # Kept as confirmed from step 1, so it follows step 1 if that is edited later (idmf.twins).
    assert saved.get_answer("ehiira.q04") == {"answer": "yes", "rationale": "Respite beds cut from 12 to 8",
                                              "taken_from": "purpose.reduces_service"}
    assert seen["next"] == "ehiira.q05"


def test_changing_the_offered_answer_saves_the_change_and_the_disagreement_is_a_finding(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire, {
        "engagement.held": {"answer": "yes", "rationale": "Six weeks of engagement"}})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q12")
            await pilot.pause()
            said = _bubbles(screen)
            await answer_current(pilot, {"answer": "no", "rationale": "Only staff were asked"})
            await app.workers.wait_for_complete()
            await pilot.pause()
            return said, {f.rule_id for f in screen.findings.findings}

    said, findings = asyncio.run(scenario())
    assert any("You said Yes at step 3 (Have you engaged or consulted the people this decision affects?)" in t
               for t in said), said
    saved = load_assessment(path, questionnaire).assessment
    assert saved.get_answer("ehiira.q12") == {"answer": "no", "rationale": "Only staff were asked"}
    assert saved.get_answer("engagement.held") == {"answer": "yes", "rationale": "Six weeks of engagement"}
    assert "CON-009" in findings


def test_a_list_at_step_3_is_offered_as_question_13s_answer_naming_what_was_chosen(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire, {"engagement.specialist_advice": ["equality", "public_health"]})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q13")
            await pilot.pause()
            await pilot.pause()
            editor = screen.editor()
            return _bubbles(screen), editor.choice, editor.query_one("#rationale").value

    said, choice, box = asyncio.run(scenario())
    assert choice == "yes" and box == "Equality and inclusion; Public health"
    assert any("You chose Equality and inclusion; Public health at step 3 (What specialist advice did you take "
               "on the impacts?), so this is Yes." in t for t in said), said


def test_the_session_asks_an_answer_taken_from_a_twin_to_confirm_but_a_screening_never_asks_step_questions(
        tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire, {"ehiira.q18": {"answer": "yes", "rationale": "With the board papers"}})
    session = Session.open(path, questionnaire)
    try:
        assert session.derived_answer(questionnaire.question("review.publish")).answer["answer"] == "yes"
        assert session.next_question(after="review.reviewer").id == "review.review_date"
        assert session.next_question(after="review.review_date").id == "review.publish", "offered to confirm"
        session.assessment.scope = "screening"
        session.changed()
        asked = {q.id for q in session.visible()}
        assert "review.publish" not in asked
        assert session.derived_answer(questionnaire.question("review.publish")) is None
    finally:
        session.close()


def test_a_list_whose_twin_was_answered_on_the_form_shows_what_was_said_there_to_tick_from(tmp_path, questionnaire):
    path = _new(tmp_path, questionnaire, {
        "ehiira.q11": {"answer": "yes", "rationale": "JSNA, clinic attendance by ward and the 2023 equity audit."},
        "ehiira.q13": {"answer": "no", "rationale": "Not yet"}})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            said = {}
            for qid in ("evidence.sources", "engagement.specialist_advice"):
                screen.ask(qid)
                await pilot.pause()
                said[qid] = _bubbles(screen)[-1]
            return said, screen.editor().value()

    said, ticked = asyncio.run(scenario())
    assert said["evidence.sources"] == (
        "At question 11 (Have you considered information and supporting documents (evidence) in reaching the "
        "decision?) you said Yes: \u201cJSNA, clinic attendance by ward and the 2023 equity audit.\u201d "
        "Tick what that covers here.")
    assert said["engagement.specialist_advice"].endswith("you said No: \u201cNot yet\u201d Tick None here if that "
                                                         "still holds, or what there was.")
    assert ticked == [], "a list is never ticked for the user from a Yes or No"
