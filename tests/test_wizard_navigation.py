"""Everything in the wizard reachable by keyboard alone: replies, steps, check-your-answers,
"Go to question…" and every finding, each leading to the question it is about."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from textual.widgets import ListView, OptionList

from idmf.facts import build_facts
from idmf.store import load_assessment
from idmf.wizard.app import ReviewScreen, WizardApp
from idmf.wizard.screens.pick import QuestionPicker
from idmf.wizard.widgets.chat import Reply

from .conftest import EXAMPLES
from .wizard_driver import answer_current

SIZE = (110, 36)


def _run(coro):
    return asyncio.run(coro)


async def _settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _start_new(app, pilot, title: str) -> None:
    app.screen.query_one("#new-title").value = title
    await pilot.click("#new-title")
    await pilot.press("enter")
    await _settle(app, pilot)


async def _type(pilot, text: str) -> None:
    await pilot.press(*text)


async def _clear_box(pilot) -> None:
    await pilot.press("end", *["backspace"] * 60)


async def _shift_tab_until(app, pilot, wanted, limit: int = 12) -> int:
    """Shift+Tab until ``wanted(focused)``; how many presses it took."""
    for presses in range(1, limit + 1):
        await pilot.press("shift+tab")
        await pilot.pause()
        if wanted(app.focused):
            return presses
    raise AssertionError(f"not reached with {limit} Shift+Tab presses; focus on {app.focused!r}")


def _copy_example(prefix: str, folder):
    source = next(EXAMPLES.glob(f"{prefix}-*.yaml"))
    shutil.copy(source, folder / source.name)
    return folder / source.name


def test_a_reply_is_reached_and_changed_with_the_keyboard_only(tmp_path, questionnaire):
    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _start_new(app, pilot, "Keyboard only")
            await _type(pilot, "Sam Jones")
            await pilot.press("enter")
            await _type(pilot, "NHS Somewhere ICB")
            await pilot.press("enter")
            await _settle(app, pilot)
            screen = app.screen
            assert screen.question.id == "meta.service_area"
            # Shift+Tab from the editor reaches the latest reply, Up the one before it.
            presses = await _shift_tab_until(app, pilot, lambda w: isinstance(w, Reply))
            latest = app.focused.question_id
            await pilot.press("up")
            earlier = app.focused.question_id
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            reopened = screen.question.id
            in_box = screen.editor().value()
            await _clear_box(pilot)
            await _type(pilot, "Alex Morgan")
            await pilot.press("enter")
            await _settle(app, pilot)
            return presses, latest, earlier, reopened, in_box, screen.session.path

    presses, latest, earlier, reopened, in_box, path = _run(scenario())
    assert presses == 1
    assert (latest, earlier, reopened) == ("meta.organisation", "meta.person_responsible", "meta.person_responsible")
    assert in_box == "Sam Jones"
    saved = load_assessment(path, questionnaire).assessment
    assert saved.metadata.person_responsible == "Alex Morgan"
    assert saved.metadata.organisation == "NHS Somewhere ICB"


def test_enter_on_a_step_lists_its_questions_and_enter_opens_one(tmp_path, questionnaire):
    path = _copy_example("red", tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            screen = app.screen
            await _shift_tab_until(app, pilot, lambda w: isinstance(w, ListView) and w.id == "steps", limit=30)
            steps = app.focused
            steps.index = 0
            for _ in range(3):  # step 4: impact analysis (EHIIRA stage 1, then stage 2)
                await pilot.press("down")
            step_id = steps.highlighted_child.step_id
            await pilot.press("enter")
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, QuestionPicker)
            listed = [picker.query_one("#pick-list", OptionList).get_option_at_index(i)
                      for i in range(picker.query_one("#pick-list", OptionList).option_count)]
            shown = [str(option.prompt) for option in listed]
            for _ in range(6):
                await pilot.press("down")
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            return step_id, [o.id for o in listed], shown, app.screen is screen, screen.question.id, \
                [q.id for q in screen.session.questions_in_step(step_id)]

    step_id, listed, shown, back, opened, expected = _run(scenario())
    assert step_id == "impact_analysis"
    assert listed == expected and len(listed) > 7
    assert shown[0].startswith("Q1. ") and "→ Yes" in shown[0]  # the question with its current answer
    assert back and opened == listed[6] == "ehiira.q07"


def test_check_your_answers_enter_changes_the_answer_under_the_cursor(tmp_path, questionnaire):
    path = _copy_example("red", tmp_path)
    before = load_assessment(path, questionnaire).assessment

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            screen = app.screen
            await pilot.press("ctrl+r")
            await pilot.pause()
            review = app.screen
            assert isinstance(review, ReviewScreen)
            answers = review.query_one("#review", ListView)
            assert app.focused is answers
            downs = 0
            while getattr(answers.highlighted_child, "question_id", None) != "meta.service_area" or downs < 5:
                await pilot.press("down")
                downs += 1
                assert downs < 200
                if getattr(answers.highlighted_child, "question_id", None) == "meta.service_area" and \
                        "→" in str(answers.highlighted_child.query_one("Label").render()):
                    break
            await pilot.press("end")
            at_end = answers.highlighted_child.question_id
            await pilot.press("home")
            at_home = answers.index
            for _ in range(downs):
                await pilot.press("down")
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            opened = screen.question.id if app.screen is screen else None
            await _clear_box(pilot)
            await _type(pilot, "Adult social care")
            await pilot.press("enter")
            await _settle(app, pilot)
            return at_end, at_home, opened

    at_end, at_home, opened = _run(scenario())
    assert opened == "meta.service_area"
    assert at_end == "signoff.approval" or at_end.startswith("signoff.")
    assert at_home is not None
    after = load_assessment(path, questionnaire).assessment
    assert after.metadata.service_area == "Adult social care"
    assert after.answers == before.answers  # nothing else changed


@pytest.mark.parametrize("typed, expected", [("7", "ehiira.q07"), ("Q7", "ehiira.q07"), ("q 12", "ehiira.q12"),
                                             ("health equity audit", "evidence.health_equity_audit_done")])
def test_go_to_question_by_number_or_words_from_the_palette(tmp_path, questionnaire, typed, expected):
    path = _copy_example("red", tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            screen = app.screen
            await pilot.press("ctrl+p")
            await pilot.pause()
            await _type(pilot, "Go to question")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, QuestionPicker), app.screen
            await _type(pilot, typed)
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            return app.screen is screen, screen.question.id

    back, opened = _run(scenario())
    assert back and opened == expected


def _cited(finding, assessment, questionnaire) -> set[str]:
    """The questions a finding's "Because" names, read from the finding itself."""
    facts = build_facts(assessment, questionnaire)
    cited = set()
    for trigger in finding.triggered_by:
        ref = trigger.question_id
        ids = facts.get(ref, []) if ref.startswith("derived.") else [ref, ref.rpartition(".")[0]]
        cited |= {qid for qid in ids if questionnaire.question(qid) is not None}
    return cited


@pytest.mark.parametrize("prefix", ["red", "amber"])  # the green example has no findings
def test_every_finding_of_a_worked_example_opens_the_question_it_cites(tmp_path, questionnaire, prefix):
    path = _copy_example(prefix, tmp_path)
    assessment = load_assessment(path, questionnaire).assessment

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            screen = app.screen
            panel = screen.query_one("#findings", OptionList)
            opened = {}
            ids = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
            for rule_id in [i for i in ids if i is not None]:
                # Going to a question can move a finding from "to come" to the findings now: look it up again.
                index = [panel.get_option_at_index(i).id for i in range(panel.option_count)].index(rule_id)
                option = panel.get_option_at_index(index)
                panel.focus()
                panel.highlighted = index
                await pilot.press("enter")
                await pilot.pause()
                opened[option.id] = screen.question.id if screen.question else None
            return opened, {f.rule_id: f for f in screen.findings.findings}

    opened, findings = _run(scenario())
    assert findings and set(opened) == set(findings)
    for rule_id, finding in findings.items():
        assert opened[rule_id] is not None, f"{rule_id} opened no question"
        assert opened[rule_id] in _cited(finding, assessment, questionnaire), (rule_id, opened[rule_id])


def _panel(screen) -> tuple[str, list[str]]:
    panel = screen.query_one("#findings", OptionList)
    title = str(screen.query_one("#findings-title").render())
    return title, [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]


def test_findings_about_questions_not_reached_are_to_come_and_not_counted(tmp_path, questionnaire):
    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _start_new(app, pilot, "Flow test")
            screen = app.screen
            at_start = _panel(screen)
            # An audit was done: what it covered is the next question, not yet asked.
            screen.ask("evidence.health_equity_audit_done")
            await pilot.pause()
            await answer_current(pilot, {"answer": "yes", "rationale": "Public health audit, 2026"})
            await _settle(app, pilot)
            after_yes = _panel(screen)
            live, later = screen.session.live_findings(screen.findings)
            await pilot.press("ctrl+f")  # show all findings
            await pilot.pause()
            all_shown = _panel(screen)
            return at_start, after_yes, {f.rule_id for f in live.findings}, {f.rule_id for f in later}, all_shown

    at_start, after_yes, live, later, all_shown = _run(scenario())
    title, rows = at_start
    assert "RED" not in title and "blocking" not in title and "to come" in title
    assert not any("BLOCKING" in row for row in rows) and any(row.startswith("(to come)") for row in rows)
    assert "HEA-003" in later and "HEA-003" not in live
    title, rows = after_yes
    assert any(row.startswith("(to come) HEA-003") for row in rows)
    title, rows = all_shown
    assert any("HEA-003" in row and row.startswith("[MEDIUM") for row in rows) and "to come" not in title


def test_going_ahead_moves_findings_out_of_to_come_and_going_back_leaves_the_panel_as_it_was(tmp_path, questionnaire):
    """Going to a later question passes over the ones before it: findings about them count now,
    at once. Going back to an earlier question changes nothing the panel shows."""
    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _start_new(app, pilot, "Going ahead")
            screen = app.screen
            at_start = _panel(screen)
            shown = screen.session.visible()
            screen.ask(shown[-1].id)  # the last question, as "Go to question…" would open it
            await pilot.pause()
            ahead = _panel(screen)
            live, later = screen.session.live_findings(screen.findings)
            screen.ask(shown[0].id)
            await pilot.pause()
            return at_start, ahead, _panel(screen), {f.rule_id for f in live.findings}, {f.rule_id for f in later}

    at_start, ahead, back, live, later = _run(scenario())
    to_come_at_start = {row.split()[2] for row in at_start[1] if row.startswith("(to come)")}
    to_come_ahead = {row.split()[2] for row in ahead[1] if row.startswith("(to come)")}
    assert to_come_at_start - to_come_ahead, (at_start, ahead)  # some count now, shown with their severity
    assert (to_come_at_start - to_come_ahead) <= live
    assert to_come_ahead == later
    assert back == ahead


def test_choosing_to_continue_with_justification_is_not_told_to_choose_it(tmp_path, questionnaire):
    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _start_new(app, pilot, "Outcome test")
            screen = app.screen
            screen.ask("decide.outcome")
            await pilot.pause()
            await answer_current(pilot, "continue_with_justification")
            await _settle(app, pilot)
            asked_next = screen.question.id
            return asked_next, [f for f in screen.findings.findings if f.rule_id in ("EQ-004", "EQ-006")]

    asked_next, findings = _run(scenario())
    assert asked_next == "decide.justification"
    assert [f.rule_id for f in findings] == ["EQ-006"]
    assert "Choose \"continue" not in findings[0].guidance and "Write the justification" in findings[0].guidance
