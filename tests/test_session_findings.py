"""The session is the one service for the open assessment (issue 11, structure): it owns the
rules and works out the findings once per answer. What the panel, check-your-answers and
submitting read is therefore always what a fresh check of the saved file finds."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from idmf.errors import IdmfError
from idmf.rules import default_engine
from idmf.store import load_assessment, save_assessment
from idmf.wizard.app import AssessmentScreen, WizardApp
from idmf.wizard.session import Rules, Session

from .wizard_driver import question_open

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SIZE = (100, 34)


def _example(prefix: str, folder: Path) -> Path:
    source = next(EXAMPLES.glob(f"{prefix}-*.yaml"))
    return Path(shutil.copy(source, folder / source.name))


def _rule_ids(findings) -> list[str]:
    return sorted(f.rule_id for f in findings.findings)


def test_findings_follow_every_answer_given_and_match_a_fresh_check_of_the_saved_file(tmp_path, questionnaire):
    """Turn the green example into the red one answer by answer: after each, the session's
    findings are those a fresh check of the file on disk gives (never a stale set)."""
    green = _example("green", tmp_path)
    red_dir = tmp_path / "red"
    red_dir.mkdir()
    red = load_assessment(_example("red", red_dir), questionnaire).assessment
    engine = default_engine(questionnaire)
    session = Session.open(green, questionnaire)
    try:
        seen = {tuple(_rule_ids(session.findings()))}
        changed = 0
        for question in questionnaire.questions():
            wanted = red.get_answer(question.id)
            if wanted is None or wanted == session.assessment.get_answer(question.id) or question.id.startswith("signoff."):
                continue
            session.give(question, wanted)
            assert session.flush(timeout=30) and session.failure is None
            on_disk = load_assessment(green, questionnaire).assessment
            assert _rule_ids(session.findings()) == _rule_ids(engine.check(on_disk)), question.id
            seen.add(tuple(_rule_ids(session.findings())))
            changed += 1
        assert changed >= 10 and len(seen) >= 3  # the answers did move the findings, and they followed
    finally:
        session.close()


class _CountingEngine:
    """The real engine, counting the checks it is asked for."""

    def __init__(self, engine):
        self.engine, self.checks = engine, 0

    def check(self, assessment):
        self.checks += 1
        return self.engine.check(assessment)

    def check_facts(self, facts):
        self.checks += 1
        return self.engine.check_facts(facts)


def test_one_answer_in_the_wizard_is_checked_once(tmp_path, questionnaire):
    """Panel, progress and the next question all read the session's findings: one check per answer."""
    counting = _CountingEngine(default_engine(questionnaire))
    session = Session.create(tmp_path, "Counting checks", questionnaire)
    path = session.path
    session.close()

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire, engine=counting)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            await app.workers.wait_for_complete()
            counts = []
            for text in ("Northfield ICB", "Priya Shah", "Head of Commissioning"):
                before = counting.checks
                await pilot.press(*text)
                await pilot.press("ctrl+s")
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                counts.append(counting.checks - before)
            return counts, isinstance(app.screen, AssessmentScreen), screen.findings is not None

    counts, still_open, shown = asyncio.run(scenario())
    assert still_open and shown
    assert counts == [1, 1, 1]


def test_submitting_is_refused_while_an_answer_could_not_be_saved(tmp_path, questionnaire):
    """A save refused (the file changed on disk meanwhile) must not be overtaken by a submission
    of answers that are not on disk: nothing is submitted, in the file or on screen."""
    path = _example("green", tmp_path)
    session = Session.open(path, questionnaire)
    try:
        outside = load_assessment(path, questionnaire).assessment
        outside.metadata.organisation = "Changed in a text editor"
        save_assessment(outside, path)
        session.give(questionnaire.question("purpose.aims"), "An aim typed in the wizard")
        assert session.flush(timeout=30) and session.failure is not None
        with pytest.raises(IdmfError) as refused:
            session.submit(by="Priya Shah")
        assert "changed" in str(refused.value).lower()
        assert session.assessment.status == "draft"
        assert load_assessment(path, questionnaire).assessment.status == "draft"
    finally:
        session.close()


def test_the_rules_are_built_once_off_the_screen_and_shared_by_every_session(tmp_path, questionnaire):
    rules = Rules(questionnaire)
    assert not rules.ready  # nothing built yet: the screen checks in a worker instead of waiting
    rules.build()
    assert rules.ready
    first = Session.create(tmp_path, "First", questionnaire, rules=rules)
    first.close()
    second = Session.create(tmp_path, "Second", questionnaire, rules=rules)
    try:
        assert first.rules is second.rules is rules
        assert second.findings() is second.findings()  # worked out once until the answers change
        second.give(questionnaire.question("purpose.aims"), "To keep the day centre open")
        assert second.flush(timeout=30)
        assert _rule_ids(second.findings()) == _rule_ids(default_engine(questionnaire).check(second.assessment))
    finally:
        second.close()
