"""What users see: SVG snapshots of the main wizard screens (pytest-textual-snapshot).

After a deliberate change to the screens, review the new pictures with
`pytest tests/test_wizard_snapshots.py --snapshot-update` and commit them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from idmf.rules.model import NOT_READY, Finding, Findings, Trigger
from idmf.wizard.app import WizardApp

from .conftest import EXAMPLES

# Fixed paths (the start screen shows its folder, so snapshots need a stable
# one), one per test so tests running in parallel never share a folder.
BASE = Path("/tmp/idmf-snapshots")
SIZE = (100, 34)


def _folder(request) -> Path:
    folder = BASE / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def empty_folder(request):
    return _folder(request)


@pytest.fixture
def green_file(request):
    path = _folder(request) / "green.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)
    return path


async def _steady(pilot) -> None:
    """Let work settle and stop the text cursor blinking, so a picture does not depend on timing."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


def test_start_screen(snap_compare, empty_folder, questionnaire):
    assert snap_compare(WizardApp(empty_folder, questionnaire=questionnaire), terminal_size=SIZE, run_before=_steady)


def _at(question_id: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        pilot.app.screen.ask(question_id)
        await pilot.pause()
        await _steady(pilot)
    return run_before


def test_yes_no_question_with_findings_panel(snap_compare, green_file, questionnaire):
    app = WizardApp(green_file.parent, green_file, questionnaire=questionnaire)
    assert snap_compare(app, terminal_size=SIZE, run_before=_at("ehiira.q07"))


def test_group_impacts_grid(snap_compare, green_file, questionnaire):
    app = WizardApp(green_file.parent, green_file, questionnaire=questionnaire)
    assert snap_compare(app, terminal_size=SIZE, run_before=_at("stage2.protected_characteristics"))


def test_check_your_answers(snap_compare, green_file, questionnaire):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await _steady(pilot)
    app = WizardApp(green_file.parent, green_file, questionnaire=questionnaire)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class _PinnedEngine:
    """Fixed findings, so this picture shows the panel's layout, not the rule files' current wording."""

    def check(self, assessment) -> Findings:
        def finding(rule_id, title, severity, category, blocking, qid):
            return Finding(rule_id, title, severity, category, blocking, f"{title}: why it matters.",
                           "What to do about it.", ["Equality Act 2010, s149"], [Trigger(qid, qid, "Yes")])

        found = [
            finding("HR-003", "Concern under Article 3", "critical", "human_rights", True, "ehiira.q20"),
            finding("HI-002", "Negative effect on health inequalities", "high", "health_inequalities", True, "ehiira.q10"),
            finding("ACC-001", "Digital-only delivery", "medium", "access", False, "ehiira.q03"),
        ]
        return Findings(found, "red", NOT_READY, {"critical": 1, "high": 1, "medium": 1}, {})

    def check_facts(self, facts) -> Findings:  # the wizard's session checks the facts it has worked out
        return self.check(None)


def test_findings_panel_for_the_red_example(snap_compare, questionnaire, request):
    folder = _folder(request)
    path = folder / "red.yaml"
    shutil.copy(next(EXAMPLES.glob("red-*.yaml")), path)
    app = WizardApp(folder, path, questionnaire=questionnaire, engine=_PinnedEngine())
    assert snap_compare(app, terminal_size=SIZE, run_before=_at("ehiira.q20"))
