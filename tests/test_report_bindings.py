"""The report's bindings are data: every question or section the report names is checked
by `idmf questionnaire validate`, so a renamed question fails with file:line instead of
silently emptying part of the board report."""

from __future__ import annotations

import re
import shutil

import pytest

from idmf.errors import ValidationProblems
from idmf.questionnaire import load_questionnaire

from .conftest import ROOT, run_idmf

MANIFEST = ROOT / "questionnaires" / "questionnaire.yaml"


def _bindings():
    """(line, id) for every question or section id named in the manifest's report: block."""
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    start = lines.index("report:")
    found = []
    for number, text in enumerate(lines[start:], start=start + 1):
        code = text.split("#", 1)[0]
        for ref in re.findall(r"\b((?:meta|purpose|ehiira|stage2|decide|review|signoff|engagement)\.[a-z0-9_]+)\b", code):
            found.append((number, ref))
    return found


BINDINGS = _bindings()


def test_every_binding_is_found():
    bound = load_questionnaire(ROOT / "questionnaires").report
    named = {b.question for b in bound.header + bound.monitoring + bound.story} | {r.concern for r in bound.human_rights} | {
        r.analysis for r in bound.human_rights} | set(bound.stage1 + bound.stage2 + bound.impacts) | {
        bound.overview, bound.outcome, bound.justification, bound.actions, bound.review_date,
        bound.late_review_reason, bound.drafted_by, bound.approval}
    assert {ref for _, ref in BINDINGS} == named, "the scan below covers every binding"


@pytest.mark.parametrize("line, ref", BINDINGS, ids=[f"{line}:{ref}" for line, ref in BINDINGS])
def test_a_binding_to_a_missing_question_fails_with_file_and_line(tmp_path, line, ref):
    copy = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", copy)
    lines = (copy / "questionnaire.yaml").read_text(encoding="utf-8").splitlines()
    lines[line - 1] = re.sub(rf"\b{re.escape(ref)}\b", ref + "_renamed", lines[line - 1], count=1)
    (copy / "questionnaire.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationProblems) as raised:
        load_questionnaire(copy)
    messages = [m for m in raised.value.problems if f"questionnaire.yaml:{line}: report" in m]
    assert messages and ref + "_renamed" in messages[0], raised.value.problems


def test_renaming_a_question_in_its_step_file_fails_validation_naming_the_binding(tmp_path):
    copy = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", copy)
    step = copy / "1-purpose.yaml"
    step.write_text(step.read_text(encoding="utf-8").replace("id: purpose.overview", "id: purpose.summary"),
                    encoding="utf-8")
    result = run_idmf("questionnaire", "validate", str(copy))
    assert result.returncode == 1
    line = next(n for n, ref in BINDINGS if ref == "purpose.overview")
    assert f"questionnaire.yaml:{line}: report overview names question 'purpose.overview'" in result.stderr + result.stdout


def test_a_binding_to_the_wrong_kind_of_question_is_refused(tmp_path):
    copy = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", copy)
    manifest = copy / "questionnaire.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("actions: decide.actions", "actions: decide.outcome"),
                        encoding="utf-8")
    with pytest.raises(ValidationProblems) as raised:
        load_questionnaire(copy)
    assert any("report actions needs a actions question, but 'decide.outcome' is single_choice" in m
               for m in raised.value.problems), raised.value.problems


def test_old_concern_answer_field_is_named_with_its_new_name(tmp_path):
    copy = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", copy)
    step = copy / "4-ehiira-stage1.yaml"
    step.write_text(step.read_text(encoding="utf-8").replace("concern_if:", "concern_answer:", 1), encoding="utf-8")
    with pytest.raises(ValidationProblems) as raised:
        load_questionnaire(copy)
    assert any("'concern_answer' is now called 'concern_if'" in m for m in raised.value.problems)


def test_a_manifest_without_report_bindings_is_refused(tmp_path):
    copy = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", copy)
    manifest = copy / "questionnaire.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[:text.index("report:")], encoding="utf-8")
    with pytest.raises(ValidationProblems) as raised:
        load_questionnaire(copy)
    assert any("missing 'report'" in m for m in raised.value.problems)


def test_approval_reads_the_review_date_from_the_bound_question(tmp_path):
    import datetime as dt

    from idmf import lifecycle
    from idmf.model.assessment import Assessment

    copy = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", copy)
    for path in copy.glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("review.review_date", "review.review_on"),
                        encoding="utf-8")
    renamed = load_questionnaire(copy)
    a = Assessment(title="Renamed review date")
    a.set_answer("review.review_on", "2027-01-15")
    a.status = "submitted"
    approval = lifecycle.approve(a, reviewer="Asha Patel", role="E&I business partner",
                                 today=dt.date(2026, 7, 1), questionnaire=renamed)
    assert approval.review_date == dt.date(2027, 1, 15)
