"""The findings panel after each answer: computed at once from the saved answers, and never
replaced by an older result (a slow background check finishing after a newer one)."""

from __future__ import annotations

import asyncio
import copy
import shutil

from textual.widgets import Label, OptionList

from idmf.rules import default_engine
from idmf.store import load_assessment
from idmf.wizard.app import AssessmentScreen, WizardApp

from .conftest import EXAMPLES
from .wizard_driver import question_open

SIZE = (110, 36)


def _panel(screen: AssessmentScreen) -> tuple[str, list[str]]:
    panel = screen.query_one("#findings", OptionList)
    # every finding, live or "to come" (the "To come" heading has no id)
    ids = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
    ids = [i for i in ids if i is not None]
    return str(screen.query_one("#findings-title", Label).render()), ids



def test_panel_after_an_answer_matches_a_fresh_check_of_the_saved_file(tmp_path, questionnaire):
    path = tmp_path / "red.yaml"
    shutil.copy(next(EXAMPLES.glob("red-*.yaml")), path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            # Change an answer that the rules look at: "no" to the first EHIIRA question.
            screen.ask("ehiira.q01")
            await pilot.pause()
            editor = screen.editor()
            editor.choose("no")
            await pilot.pause()
            editor.query_one("#rationale").value = "Changed by the test"
            screen.action_save_answer()
            await pilot.pause()
            title, ids = _panel(screen)
            return title, ids, screen.findings

    title, ids, shown = asyncio.run(scenario())
    saved = load_assessment(path, questionnaire).assessment
    fresh = default_engine(questionnaire).check(saved)
    assert saved.get_answer("ehiira.q01")["answer"] == "no"
    assert sorted(ids) == sorted(f.rule_id for f in fresh.findings)  # what the panel lists
    assert title.startswith("Findings: ") and "none yet" not in title  # an answer was given: the panel has a rating
    assert {f.rule_id for f in shown.findings} == {f.rule_id for f in fresh.findings}


def test_an_older_check_finishing_late_does_not_replace_newer_findings(tmp_path, questionnaire):
    path = tmp_path / "red.yaml"
    shutil.copy(next(EXAMPLES.glob("red-*.yaml")), path)
    green = load_assessment(next(EXAMPLES.glob("green-*.yaml")), questionnaire).assessment
    red = load_assessment(path, questionnaire).assessment
    engine = default_engine(questionnaire)
    old, new = engine.check(green), engine.check(red)
    assert {f.rule_id for f in old.findings} != {f.rule_id for f in new.findings}

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            screen.show_findings(new, 11)  # the check after the latest answer
            screen.show_findings(old, 10)  # an earlier check that was slower
            await pilot.pause()
            return _panel(screen)[1], screen.findings

    ids, kept = asyncio.run(scenario())
    assert sorted(ids) == sorted(f.rule_id for f in new.findings)
    assert kept is new


def test_a_finding_whose_words_change_is_redrawn_though_the_same_findings_fired(tmp_path, questionnaire):
    """A root cause that gains a consequence keeps its place in the panel, but its row must
    say "(+2 from the same gap)", not the "(+1 …)" drawn before."""
    path = tmp_path / "red.yaml"
    shutil.copy(next(EXAMPLES.glob("red-*.yaml")), path)
    before = default_engine(questionnaire).check(load_assessment(path, questionnaire).assessment)
    after = copy.deepcopy(before)
    root = after.findings[0]
    extra = copy.deepcopy(after.findings[-1])
    extra.rule_id = "TEST-CONSEQUENCE"
    root.consequences.append(extra)
    expected = f"(+{len(root.consequences)} from the same gap)"

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            screen.session.all_findings = True  # every finding live: the root is listed as it reads
            screen.show_findings(before, 20)
            await pilot.pause()
            screen.show_findings(after, 21)
            await pilot.pause()
            panel = screen.query_one("#findings", OptionList)
            return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)
                    if panel.get_option_at_index(i).id == root.rule_id]

    rows = asyncio.run(scenario())
    assert len(rows) == 1
    assert expected in rows[0]
