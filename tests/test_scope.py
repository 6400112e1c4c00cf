"""Scope (stage 1 screening or the full IDMF), the screening date and approvals made outside idmf."""

from __future__ import annotations

import datetime as dt

import pytest

from idmf.errors import InputError
from idmf.facts import build_facts, questions_in_scope, visible_questions
from idmf.model.assessment import Assessment
from idmf.scope import parse_scope, record_external_approval, set_scope
from idmf.store import load_assessment, save_assessment

from .conftest import EXAMPLES


def _screening_form_ids(questionnaire):
    return {q.id for q in questions_in_scope(questionnaire, "screening")}


def test_screening_asks_the_stage_1_form_with_its_header_and_sign_off(questionnaire):
    asked = _screening_form_ids(questionnaire)
    numbered = {q.id for q in questionnaire.questions() if q.number}
    assert numbered <= asked, "every numbered question of the 28-question form is in the screening"
    assert {"meta.title", "meta.person_responsible", "meta.service_area", "purpose.overview",
            "meta.screening_date", "signoff.drafted_by", "signoff.approval"} <= asked
    # nothing from stage 2 or the other steps
    assert not any(qid.startswith(("stage2.", "evidence.", "engagement.", "decide.", "review.")) for qid in asked)
    every = {q.id for q in questions_in_scope(questionnaire, "full")}
    assert every == {q.id for q in questionnaire.questions()}


def test_a_blank_screening_lists_only_screening_questions_as_unanswered(questionnaire):
    screening = Assessment(title="A screening", scope="screening")
    unanswered = build_facts(screening, questionnaire)["derived.unanswered_required"]
    asked = _screening_form_ids(questionnaire)
    assert set(unanswered) <= asked
    assert "ehiira.q07" in unanswered and "review.monitoring_plan" not in unanswered
    full = build_facts(Assessment(title="Full"), questionnaire)["derived.unanswered_required"]
    assert "review.monitoring_plan" in full and len(full) > len(unanswered)


def test_visible_questions_follow_the_scope(questionnaire):
    screening = Assessment(title="A screening", scope="screening")
    shown = {q.id for q in visible_questions(screening, questionnaire)}
    assert shown <= _screening_form_ids(questionnaire)
    assert "ehiira.q28" in shown and "access.delivery_channels" not in shown


def _green_as_screening(questionnaire):
    assessment = load_assessment(EXAMPLES / "green-pharmacy-extended-hours.yaml", questionnaire).assessment
    assessment.scope = "screening"
    return assessment


def test_a_clean_screening_has_no_full_assessment_findings(engine, questionnaire):
    findings = engine.check(_green_as_screening(questionnaire))
    assert findings.rag == "green", findings.ids()
    assert not {"MON-001", "MON-005", "HEA-001", "CMP-003", "SCR-001"} & set(findings.ids())


def test_a_screening_that_finds_a_negative_impact_says_the_full_assessment_is_needed(engine, oracle, questionnaire):
    assessment = _green_as_screening(questionnaire)
    assessment.set_answer("ehiira.q07", {"answer": "yes", "rationale": "Older people may not manage the app"})
    findings = engine.check(assessment)
    scr = next(f for f in findings if f.rule_id == "SCR-001")
    assert "full IDMF assessment" in scr.message and scr.blocking
    assert findings.readiness == "Stage 2 assessment required"
    assert "CMP-003" not in findings.ids()  # the full-assessment wording is for full assessments
    assert any(t.question_id == "ehiira.q07" for t in scr.triggered_by)
    assert {**oracle.check(assessment).to_dict(), "engine": ""} == {**findings.to_dict(), "engine": ""}
    set_scope(assessment, "full")
    widened = engine.check(assessment).ids()
    assert "SCR-001" not in widened and "CMP-003" in widened


def test_scope_is_saved_and_read_back_and_changes_are_in_the_history(tmp_path, questionnaire):
    assessment = Assessment(title="A screening", scope="screening")
    assert set_scope(assessment, "full", by="Priya") is True
    assert set_scope(assessment, "full") is False
    assert assessment.history[-1].event == "scope changed"
    set_scope(assessment, "screening")
    record_external_approval(assessment, name="Ade Okafor", role="E&I business partner",
                             date=dt.date(2024, 3, 1), comments="Approved at stage 1")
    assessment.metadata.screening_date = dt.date(2024, 2, 20)
    path = tmp_path / "a.yaml"
    save_assessment(assessment, path)
    back = load_assessment(path, questionnaire).assessment
    assert back.scope == "screening"
    assert back.external_approval.name == "Ade Okafor" and back.external_approval.date == dt.date(2024, 3, 1)
    assert back.approval is None  # an approval outside idmf is never an idmf approval
    assert back.metadata.screening_date == dt.date(2024, 2, 20)
    assert [e.event for e in back.history][-1] == "approved outside idmf"
    assert not back.broken_history()


def test_approved_file_hashes_do_not_change_when_the_new_fields_are_unset():
    # Files approved before these fields existed must not look edited.
    assessment = Assessment(title="Old")
    assert set(assessment.content()) == {"title", "metadata", "answers"}
    assert "screening_date" not in assessment.content()["metadata"]
    assessment.scope = "screening"
    assert assessment.content()["scope"] == "screening"


def test_changing_scope_after_approval_reopens_as_draft():
    assessment = Assessment(title="A screening", scope="screening", status="approved")
    set_scope(assessment, "full")
    assert assessment.status == "draft"
    assert [e.event for e in assessment.history] == ["reopened", "scope changed"]


@pytest.mark.parametrize("typed,scope", [("screening", "screening"), ("Stage 1", "screening"), ("FULL", "full"), ("idmf", "full")])
def test_scope_names_users_type(typed, scope):
    assert parse_scope(typed) == scope


def test_unknown_scope_is_a_clear_error():
    with pytest.raises(InputError) as err:
        parse_scope("partial")
    assert "screening" in err.value.hint and "full" in err.value.hint


def test_screening_date_not_creation_date_dates_the_regard(engine, questionnaire):
    # A 2024 form entered in 2026: judged on when it was screened, not when the file was made.
    assessment = Assessment(title="Imported", created=dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc))
    assessment.set_answer("meta.decision_date", dt.date(2024, 5, 1))
    assert "PSED-004" in engine.check(assessment).ids()
    assessment.set_answer("meta.screening_date", dt.date(2024, 3, 1))
    assert "PSED-004" not in engine.check(assessment).ids()
    assessment.set_answer("meta.screening_date", dt.date(2024, 6, 1))
    assert "PSED-004" in engine.check(assessment).ids()


def test_idmf_new_takes_the_scope(tmp_path, idmf):
    result = idmf("new", "--title", "Phlebotomy screening", "--scope", "screening", "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "scope: screening" in (tmp_path / result.stdout.strip().split("/")[-1]).read_text()
    bad = idmf("new", "--title", "X", "--scope", "partial", "--dir", str(tmp_path))
    assert bad.returncode == 2 and "screening" in bad.stderr and "Traceback" not in bad.stderr
