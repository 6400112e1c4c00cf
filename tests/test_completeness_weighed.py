"""Completeness weighed, not flat, and the timing of due regard."""

from __future__ import annotations

import datetime as dt

from idmf.model.assessment import Assessment
from idmf.store import load_assessment

from .conftest import EXAMPLES, run_idmf

GREEN = EXAMPLES / "green-pharmacy-extended-hours.yaml"


def _blank(**answers) -> Assessment:
    assessment = Assessment(title="Community transport review")
    for qid, value in answers.items():
        assessment.set_answer(qid, value)
    return assessment


def test_a_screening_not_started_is_one_critical_finding_with_the_gaps_inside(engine):
    result = engine.check(_blank())
    top = result.findings[0]
    assert top.rule_id == "CMP-020" and top.severity == "critical" and top.blocking
    assert "has not started" in top.title
    assert {"CMP-001", "CMP-021"} <= {c.rule_id for c in top.consequences}
    assert "CMP-001" not in result.top_ids()


def test_three_questions_left_reads_as_gaps_by_section_not_as_not_started(engine, questionnaire):
    assessment = load_assessment(GREEN, questionnaire).assessment
    # Question 14 rather than 12: step 3 answers question 12 (same_as), so it is never a gap there.
    for qid in ("ehiira.q05", "ehiira.q14", "review.review_date"):
        assessment.set_answer(qid, None)
    result = engine.check(assessment)
    assert "CMP-020" not in result.ids() and "PSED-010" not in result.ids()
    gaps = next(f for f in result if f.rule_id == "CMP-001")
    sections = [t.question for t in gaps.triggered_by]
    assert any("Section one" in s for s in sections) and any("Section two" in s for s in sections)
    assert len(sections) == 3  # one line per section, each naming its questions
    assert any("Q5 " in t.answer for t in gaps.triggered_by)


def test_an_unanswered_absolute_right_is_named_on_its_own_at_the_top(engine, questionnaire):
    assessment = load_assessment(GREEN, questionnaire).assessment
    assessment.set_answer("ehiira.q20", None)
    result = engine.check(assessment)
    assert result.findings[0].rule_id == "CMP-021" and result.findings[0].severity == "critical"
    assert "CMP-001" in result.top_ids()  # the list of gaps is still there, below it
    because = " ".join(f"{t.name} {t.answer}" for t in result.findings[0].triggered_by)
    assert "Q20" in because and "Not answered" in because


def test_a_decision_date_with_a_blank_screening_is_its_own_critical_finding(engine):
    result = engine.check(_blank(**{"meta.decision_date": dt.date(2026, 9, 1)}))
    top = result.findings[0]
    assert top.rule_id == "PSED-010" and top.severity == "critical" and result.rag == "red"
    assert "CMP-020" not in result.ids() and "CMP-001" in [c.rule_id for c in top.consequences]


def test_a_later_phase_is_an_answer_and_blocks_only_when_the_decision_comes_first(engine):
    later = {"meta.decision_date": dt.date(2026, 9, 1), "purpose.screening_status": "later_phase"}
    too_late = engine.check(_blank(**later, **{"purpose.screening_due": dt.date(2026, 12, 1)}))
    assert "PSED-011" in too_late.top_ids() and next(f for f in too_late if f.rule_id == "PSED-011").blocking
    assert not {"PSED-010", "CMP-020", "CMP-021"} & set(too_late.ids())
    in_time = engine.check(_blank(**later, **{"purpose.screening_due": dt.date(2026, 6, 1)}))
    assert not {"PSED-010", "PSED-011", "CMP-020", "CMP-021"} & set(in_time.ids())
    assert in_time.rag == "red"  # still not ready: the screening's questions are still to answer (CMP-001)


def test_the_report_never_says_the_screening_did_not_call_for_stage_2_when_it_was_not_done(tmp_path):
    from idmf.store import save_assessment

    for extra, expected in [({}, "is not complete"),
                            ({"purpose.screening_status": "later_phase",
                              "purpose.screening_due": dt.date(2026, 6, 1)}, "will be done in a later phase (by 1 June 2026)")]:
        assessment = _blank(**extra)
        assessment.set_answer("stage2.protected_characteristics",
                              [{"group": "age", "impact": "neutral", "evidence": "Usage data"}])
        path = tmp_path / f"a{len(extra)}.yaml"
        save_assessment(assessment, path)
        out = tmp_path / f"a{len(extra)}.md"
        result = run_idmf("report", str(path), "--format", "md", "-o", str(out))
        assert result.returncode == 0, result.stderr
        text = out.read_text(encoding="utf-8")
        assert "did not call for" not in text and "do not call for" not in text
        assert expected in text
