"""The wizard driven through its widgets with Textual's Pilot, checked against the saved file."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
import yaml

from idmf.store import edit_lock, load_assessment
from idmf.wizard.app import AssessmentScreen, ReviewScreen, StartScreen, WizardApp

from .conftest import EXAMPLES
from .wizard_driver import answer_current

SIZE = (110, 36)


def _example_answers(prefix: str) -> dict:
    data = yaml.safe_load(next(EXAMPLES.glob(f"{prefix}-*.yaml")).read_text(encoding="utf-8"))
    answers = {f"meta.{k}": v for k, v in data["metadata"].items() if v}
    answers.update(data["answers"])
    return answers


def _plain(value):
    """YAML dates to ISO strings, as answers are stored."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


async def _complete(folder: Path, answers: dict, questionnaire) -> tuple:
    app = WizardApp(folder, questionnaire=questionnaire)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await _start_new(app, pilot, answers.get("meta.title", "Wizard test"))
        screen = app.screen
        assert isinstance(screen, AssessmentScreen)
        asked = []
        while screen.question is not None and len(asked) < 200:
            question = screen.question
            asked.append(question.id)
            if question.id in answers:
                await answer_current(pilot, _plain(answers[question.id]))
            else:
                await pilot.press("ctrl+k")  # skip: this example leaves it blank
                await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        path = screen.session.path
        panel_rag = screen.findings.rag
        panel_ids = {f.rule_id for f in screen.findings.findings}
        await pilot.press("ctrl+r")  # check your answers, then try to submit
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.click("#submit")
        await pilot.pause()
        submit_message = str(app.screen.query_one("#review-message").render())
    return app, path, panel_rag, panel_ids, asked, submit_message


def _run(coro):
    return asyncio.run(coro)


async def _start_new(app, pilot, title: str) -> None:
    """Type a title on the start screen and press Enter, as a person would."""
    app.screen.query_one("#new-title").value = title
    await pilot.click("#new-title")
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.slow  # ~100 questions through the UI: 30-90 s on a busy 2-core box
def test_complete_a_whole_green_assessment_through_the_wizard(tmp_path, questionnaire, engine):
    answers = _example_answers("green")
    # The wizard dates the assessment today, so the decision and its review move into the future with it.
    answers["meta.decision_date"] = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    answers["review.review_date"] = (dt.date.today() + dt.timedelta(days=300)).isoformat()
    answers["evidence.health_equity_audit_date"] = (dt.date.today() - dt.timedelta(days=200)).isoformat()
    app, path, rag, ids, asked, submitted = _run(_complete(tmp_path, answers, questionnaire))
    saved = load_assessment(path, questionnaire).assessment
    assert submitted.startswith("Submitted for review") and saved.status == "submitted"
    for qid, value in answers.items():
        if qid.startswith("meta.") or qid in asked:
            stored = saved.get_answer(qid)
            expected = _plain(value)
            if isinstance(stored, dt.date):
                stored = stored.isoformat()
            if isinstance(expected, dict):
                stored = {k: v for k, v in stored.items() if v not in ("", None)}
            if isinstance(expected, list) and expected and isinstance(expected[0], str):
                stored, expected = sorted(stored), sorted(expected)  # ticked in list order, not typed order
            if isinstance(expected, list) and expected and isinstance(expected[0], dict):
                stored = [{k: v for k, v in row.items() if v not in ("", None)} for row in stored]
                expected = [{k: v for k, v in row.items() if v not in ("", None)} for row in expected]
            assert stored == expected, qid
    assert "stage2.protected_characteristics" not in asked, "stage 2 is not asked when screening finds nothing"
    assert rag == "green" and ids == set(), ids
    assert engine.check(saved).rag == "green"


@pytest.mark.slow  # ~100 questions through the UI: 30-90 s on a busy 2-core box
def test_complete_a_whole_red_assessment_through_the_wizard(tmp_path, questionnaire, engine):
    answers = _example_answers("red")
    app, path, rag, ids, asked, submitted = _run(_complete(tmp_path, answers, questionnaire))
    saved = load_assessment(path, questionnaire).assessment
    assert submitted.startswith("Not submitted") and saved.status == "draft"
    assert "stage2.protected_characteristics" in asked, "a negative screening answer brings in stage 2"
    assert saved.get_answer("ehiira.q20") == {"answer": "yes", "rationale": answers["ehiira.q20"]["rationale"]}
    assert rag == "red" and {"HR-003", "HI-002", "ACC-001"} <= ids
    assert {f.rule_id for f in engine.check(saved).findings} == ids


def test_editing_an_earlier_answer_changes_the_findings(tmp_path, questionnaire):
    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _start_new(app, pilot, "Edit test")
            screen = app.screen
            screen.ask("ehiira.q07")
            await pilot.pause()
            await answer_current(pilot, {"answer": "yes", "rationale": "Older people and the app"})
            await app.workers.wait_for_complete()
            await pilot.pause()
            before = {f.rule_id for f in screen.findings.findings}
            bubbles = [b for b in screen.query(".reply") if getattr(b, "question_id", None) == "ehiira.q07"]
            # Scrolled into view first, as a person would: new bubbles (the next question, a
            # finding's warning) can have pushed it above the top of the transcript.
            screen.query_one("#transcript").scroll_to_widget(bubbles[-1], animate=False)
            await pilot.pause()
            await pilot.click(bubbles[-1])  # select my earlier reply to change it
            await pilot.pause()
            assert screen.question.id == "ehiira.q07"
            await answer_current(pilot, {"answer": "no", "rationale": "Audit found no group worse off"})
            await app.workers.wait_for_complete()
            await pilot.pause()
            after = {f.rule_id for f in screen.findings.findings}
            transcript = " ".join(str(b.render()) for b in screen.query(".warning"))
            return before, after, transcript
    before, after, transcript = _run(scenario())
    assert {"CMP-003", "EQ-001"} <= before
    assert "CMP-003" not in after and "EQ-001" not in after
    assert "stage 2 assessment is needed" in transcript


def test_reopening_resumes_at_the_first_unanswered_question(tmp_path, questionnaire):
    async def first_session():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _start_new(app, pilot, "Resume test")
            await answer_current(pilot, "Priya Shah")
            await answer_current(pilot, "Northfield ICB")
            path = app.screen.session.path
            await pilot.press("ctrl+q")
        return path

    async def second_session(path):
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return app.screen.question.id

    path = _run(first_session())
    assert load_assessment(path, questionnaire).assessment.metadata.organisation == "Northfield ICB"
    assert _run(second_session(path)) == "meta.service_area"


def _copy_example(prefix: str, folder: Path) -> Path:
    source = next(EXAMPLES.glob(f"{prefix}-*.yaml"))
    path = folder / source.name
    path.write_bytes(source.read_bytes())
    return path


def test_second_wizard_on_the_same_file_is_told_it_is_open_elsewhere(tmp_path, questionnaire):
    path = _copy_example("green", tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return type(app.screen).__name__, str(app.screen.query_one("#start-message").render())

    with edit_lock(path):
        screen, message = _run(scenario())
    assert screen == "StartScreen" and "open in another idmf session" in message


def test_submission_is_refused_while_blocking_findings_remain(tmp_path, questionnaire):
    path = _copy_example("red", tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            text = " ".join(str(label.render()) for label in app.screen.query("Label"))
            await pilot.click("#submit")
            await pilot.pause()
            return text, str(app.screen.query_one("#review-message").render())

    text, message = _run(scenario())
    assert "blocking finding(s) must be resolved" in text and "HR-003" in text
    assert "Not submitted" in message and "blocking" in message
    assert load_assessment(path, questionnaire).assessment.status == "draft"


def test_help_screen_lists_the_keys(tmp_path, questionnaire):
    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f1")
            await pilot.pause()
            return type(app.screen).__name__
    assert _run(scenario()) == "HelpScreen"


def test_start_screen_shows_status_and_rating_of_each_assessment_in_80_columns(tmp_path, questionnaire):
    import shutil

    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, tmp_path / example.name)
    (tmp_path / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")

    async def run():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()  # the files are checked off the UI thread
            await pilot.pause()
            table = app.screen.query_one("#recent")
            rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
            # The columns a person needs to choose fit on screen before the (long) title.
            visible = sum(column.get_render_width(table) for column in list(table.columns.values())[:3])
            return rows, visible

    rows, visible = _run(run())
    by_title = {row[3]: row[:3] for row in rows}
    assert by_title["Consolidating adult mental health day services onto one site with app-based support"][:2] == ["draft", "RED"]
    assert any(row[0] == "unreadable" and row[3].startswith("broken.yaml:2: not valid YAML") for row in rows)
    assert visible < 80


def test_opening_an_approved_assessment_edited_by_hand_says_it_is_a_draft_again(tmp_path, questionnaire):
    import shutil

    from idmf import lifecycle
    from idmf.rules import summarise
    from idmf.store import save_assessment

    path = tmp_path / "green.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)
    a = load_assessment(path, questionnaire).assessment
    lifecycle.submit(a, by="Priya Shah", findings=summarise([]))
    lifecycle.approve(a, reviewer="Alex Morgan", role="E&I Business Partner")
    save_assessment(a, path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("purpose.aims: ", "purpose.aims: Quietly changed. ", 1), encoding="utf-8")

    async def run():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AssessmentScreen)
            return [str(b.render()) for b in screen.query("Bubble")], screen.sub_title

    bubbles, sub_title = _run(run())
    assert any("This assessment is a draft again" in b and "after approval on" in b and "Alex Morgan" in b
               for b in bubbles)
    assert sub_title.startswith("draft")
    saved = load_assessment(path, questionnaire).assessment
    assert saved.status == "draft" and saved.history[-1].event == "reopened" and not saved.broken_history()


def test_a_review_date_over_12_months_away_asks_why_next(tmp_path, questionnaire):
    from idmf.wizard.session import Session

    session = Session.create(tmp_path, "Day centre review", questionnaire)
    try:
        q = questionnaire.question
        session.give(q("meta.decision_date"), "2026-06-30")
        session.flush()
        session.give(q("review.review_date"), "2027-03-31")  # nine months: no question
        session.flush()
        assert session.next_question(after="review.review_date").id != "review.late_review_reason"
        session.give(q("review.review_date"), "2028-01-31")  # nineteen months
        session.flush()
        assert session.next_question(after="review.review_date").id == "review.late_review_reason"
    finally:
        session.close()


def test_submission_is_checked_against_fresh_findings_not_the_panels(tmp_path, questionnaire):
    """The panel's findings can be from before the last answer: submitting checks the answers as saved."""

    path = _copy_example("red", tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            from idmf.rules.engine import summarise
            stale = summarise([], "stale", "stale")  # as if nothing were wrong
            app.push_screen(ReviewScreen(app.screen.session, stale))
            await pilot.pause()
            await pilot.click("#submit")
            await pilot.pause()
            return str(app.screen.query_one("#review-message").render())

    message = _run(scenario())
    assert "Not submitted" in message and "blocking" in message and "HR-003" in message
    assert load_assessment(path, questionnaire).assessment.status == "draft"
