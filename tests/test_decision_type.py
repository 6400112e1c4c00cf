"""Decision type matters: a strategy is asked to commit the work it starts to equity audits."""

from __future__ import annotations

from idmf.store import load_assessment

from .conftest import EXAMPLES

STRATEGY = EXAMPLES / "cases" / "green-system-health-inequalities-strategy.yaml"


def test_a_strategy_is_asked_to_commit_not_told_it_lacks_its_own_audit(engine, questionnaire):
    assessment = load_assessment(STRATEGY, questionnaire).assessment
    assessment.scope = "full"  # HEA-001 applies to full assessments: prove it still stays quiet
    assessment.set_answer("purpose.strategy_commits_to_assessments", None)
    result = engine.check(assessment)
    assert "HEA-010" in result.ids() and "HEA-001" not in result.ids()
    finding = next(f for f in result if f.rule_id == "HEA-010")
    assert "commit" in finding.guidance and finding.severity == "medium"


def test_a_service_change_keeps_the_audit_expectation(engine, questionnaire):
    assessment = load_assessment(STRATEGY, questionnaire).assessment
    assessment.scope = "full"
    assessment.metadata.decision_type = "service_change"
    result = engine.check(assessment)
    assert "HEA-001" in result.ids() and "HEA-010" not in result.ids()
