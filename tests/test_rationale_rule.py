"""One rule for what counts as a rationale (idmf.rationale), used by `idmf check`'s facts, the report
and the wizard alike: a one-word "No." is a rationale everywhere (the report printed it as "No
rationale given" while check accepted it); nothing but white space is none anywhere."""

from __future__ import annotations

import asyncio

import pytest

from idmf.facts import build_facts
from idmf.model.assessment import Assessment
from idmf.rationale import has_rationale
from idmf.report import build_context, render
from idmf.report.context import NO_RATIONALE
from idmf.wizard.app import WizardApp

from .wizard_driver import answer_current, question_open

CASES = [("No.", True), ("Y", True), ("Yes, on reflection.", True), ("", False), ("   ", False)]


@pytest.mark.parametrize("rationale, counts", CASES)
def test_check_and_the_report_agree_on_what_counts_as_a_rationale(questionnaire, engine, rationale, counts):
    a = Assessment(title="One rule")
    a.set_answer("ehiira.q05", {"answer": "no", "rationale": rationale})
    assert has_rationale(a.get_answer("ehiira.q05")) is counts
    facts = build_facts(a, questionnaire)
    assert ("ehiira.q05" not in facts.get("derived.missing_rationale", [])) is counts, "idmf check's facts"
    c = build_context(a, questionnaire, engine.check(a))
    row = next(r for s in c.stage1 for r in s.rows if r.number == "5")
    assert row.rationale == (rationale.strip() if counts else NO_RATIONALE), "the report"
    if counts:
        assert f"| No | {rationale.strip()} |" in render(c, "md").decode()


@pytest.mark.parametrize("rationale, counts", [("No.", True), ("", False)])
def test_the_wizard_asks_for_a_reason_exactly_when_check_would(tmp_path, questionnaire, rationale, counts):
    from .wizard_driver import new_assessment

    path = new_assessment(tmp_path, questionnaire, "One rule")

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=(110, 36)) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q05")
            await pilot.pause()
            await answer_current(pilot, {"answer": "no", "rationale": rationale})
            await pilot.pause()
            return [str(b.render()) for b in screen.query(".bubble")]

    said = " ".join(asyncio.run(scenario()))
    assert ("needs a short reason" not in said) is counts, said
