"""The judgement model: every kind of change, both ways, on both engines; disproportion; signals.

Built from the data files themselves (questionnaires/changes.yaml and signals.yaml), so a kind of
change or a signal an equality team adds is tested the moment it is added.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import importlib.util

from idmf.judgement.reasoning import DISPROPORTION_POINTS, DISPROPORTION_RATIO, groups_at_risk, judge
from idmf.judgement.examples import kind_answers as _kind_answers
from idmf.model.assessment import Assessment
from idmf.questionnaire import load_questionnaire
from idmf.rules import load_rules
from idmf.rules.engine import OracleEngine, RulesEngine
from idmf.rules.testing import assessment_from_answers

from .conftest import ROOT

QUESTIONNAIRE = load_questionnaire(ROOT / "questionnaires")
KINDS = [k.id for k in QUESTIONNAIRE.changes]
ENGINES = ["idmf evaluator"] + (["durable-rules"] if importlib.util.find_spec("durable_rules_engine") else [])


@pytest.fixture(scope="module", params=ENGINES)
def any_engine(request):
    ruleset = load_rules(ROOT / "rules", QUESTIONNAIRE)
    return (OracleEngine if request.param == "idmf evaluator" else RulesEngine)(ruleset, QUESTIONNAIRE)


def assessment(answers: dict, scope: str = "full") -> Assessment:
    return assessment_from_answers(answers, QUESTIONNAIRE, scope)


def kind_answers(kind_id: str, handled: bool = False) -> dict:
    return _kind_answers(QUESTIONNAIRE.change_kind(kind_id), QUESTIONNAIRE, handled=handled)


def test_every_kind_of_change_is_researched():
    assert len(KINDS) >= 15
    for kind in QUESTIONNAIRE.changes:
        assert kind.sources and kind.evidence and kind.mitigations and kind.engage, kind.id
        assert kind.groups or kind.targets_question, f"{kind.id} names no group at known risk"


@pytest.mark.parametrize("kind_id", KINDS)
def test_a_kind_of_change_with_nothing_in_stage_2_needs_stage_2_for_each_group_at_risk(kind_id, any_engine):
    answers = kind_answers(kind_id)
    result = any_engine.check(assessment(answers))
    expected = groups_at_risk(answers, QUESTIONNAIRE)
    finding = next((f for f in result if f.rule_id == "JDG-001"), None)
    assert finding is not None, f"{kind_id}: {[f.rule_id for f in result]}"
    assert finding.blocking and result.readiness in ("Not ready: blocking findings", "Stage 2 assessment required")
    named = " ".join(t.question for t in finding.triggered_by)
    for group_id in expected:
        assert QUESTIONNAIRE.group(group_id).label in named, f"{kind_id}: {group_id} not named: {named}"
    because = " ".join(t.answer for t in finding.triggered_by)
    assert "To settle it" in because


@pytest.mark.parametrize("kind_id", KINDS)
def test_a_kind_of_change_handled_group_by_group_raises_no_group_finding(kind_id, any_engine):
    answers = kind_answers(kind_id, handled=True)
    fired = set(any_engine.check(assessment(answers)).ids())
    assert not fired & {"JDG-001", "JDG-002", "JDG-004", "JDG-005", "JDG-006"}, f"{kind_id}: {sorted(fired)}"


@pytest.mark.parametrize("kind_id", KINDS)
def test_a_group_at_risk_rated_without_evidence_or_engagement_is_named(kind_id, any_engine):
    answers = kind_answers(kind_id, handled=True)
    for question in ("stage2.protected_characteristics", "stage2.inclusion_groups"):
        answers[question] = [{"group": row["group"], "impact": "neutral"} for row in answers.get(question, [])]
    result = any_engine.check(assessment(answers))
    fired = set(result.ids())
    assert {"JDG-002", "JDG-005"} <= fired, f"{kind_id}: {sorted(fired)}"


@pytest.mark.parametrize("kind_id", [k.id for k in QUESTIONNAIRE.changes if k.rights])
def test_a_bare_no_to_a_right_the_kind_engages_is_questioned(kind_id, any_engine):
    kind = QUESTIONNAIRE.change_kind(kind_id)
    answers = kind_answers(kind_id)
    for right in kind.rights:
        answers[right.question] = {"answer": "no", "rationale": "No concern."}
    result = any_engine.check(assessment(answers))
    finding = next(f for f in result if f.rule_id == "JDG-007")
    assert all(f"Q{QUESTIONNAIRE.question(r.question).number}" in [t.question for t in finding.triggered_by]
               for r in kind.rights)
    for right in kind.rights:
        answers[right.question] = {"answer": "no", "rationale": "Nothing in this decision touches it: we checked the DPIA and the rota."}
    assert "JDG-007" not in any_engine.check(assessment(answers)).ids()


def test_the_old_channel_kept_removes_the_known_risk(any_engine):
    kept = {"purpose.change_kinds": ["channel_change"],
            "change.old_channel_kept": {"answer": "yes", "rationale": "Reception still books in person"}}
    assert "JDG-001" not in any_engine.check(assessment(kept)).ids()


@settings(max_examples=300, deadline=None)
@given(affected=st.floats(0, 100, allow_nan=False), population=st.floats(0, 100, allow_nan=False),
       impact=st.sampled_from(["neutral", "positive", "negative", "unknown"]), kind=st.sampled_from(KINDS))
def test_disproportion_is_flagged_exactly_when_the_authors_own_figures_show_it(affected, population, impact, kind):
    affected, population = round(affected, 1), round(population, 1)
    facts = {"stage2.protected_characteristics": [
        {"group": "age", "impact": impact, "share_affected": affected, "share_population": population}],
        "derived.scope": "full", "purpose.change_kinds": [kind]}
    flagged = "age" in judge(facts, QUESTIONNAIRE).get("judgement.disproportionate", [])
    marked = affected >= population * DISPROPORTION_RATIO and affected - population >= DISPROPORTION_POINTS
    # A positive rating is questioned only where being affected is a burden (selection, charging, withdrawal).
    questioned = impact == "neutral" or (impact == "positive" and QUESTIONNAIRE.change_kind(kind).burdens_those_affected)
    assert flagged == (marked and questioned)


def test_a_disproportion_finding_quotes_both_numbers(any_engine):
    answers = {"ehiira.q07": {"answer": "yes", "rationale": "Checks"},
               "stage2.protected_characteristics": [{"group": "race", "impact": "neutral", "evidence": "Our audit",
                                                     "engaged": "held", "share_affected": 31, "share_population": 12}]}
    finding = next(f for f in any_engine.check(assessment(answers)) if f.rule_id == "JDG-006")
    because = " ".join(t.answer for t in finding.triggered_by)
    assert "31%" in because and "12%" in because


@pytest.mark.parametrize("signal", QUESTIONNAIRE.signals, ids=lambda s: s.id)
def test_each_signal_holds_to_its_own_examples(signal):
    from idmf.judgement.reading import signal_in

    for text in signal.examples.matches:
        assert signal_in(signal, text), f"{signal.id} should match {text!r}"
    for text in signal.examples.does_not_match:
        assert not signal_in(signal, text), f"{signal.id} should not match {text!r}"


def test_a_signal_alone_only_asks_and_with_a_kind_of_change_it_weighs(any_engine):
    alone = {"ehiira.q07": {"answer": "no", "rationale": "The same rules apply to everyone."}}
    result = any_engine.check(assessment(alone))
    signal = next(f for f in result if f.rule_id == "SIG-001")
    assert signal.severity == "low" and not signal.blocking
    assert "“The same rules apply to everyone.”" in signal.triggered_by[0].answer
    with_kind = {**alone, "purpose.change_kinds": ["workforce_change"]}
    result = any_engine.check(assessment(with_kind))
    assert "SIG-001" not in result.ids()
    combined = next(f for f in result if f.rule_id == "JDG-008")
    assert combined.severity == "high"


def test_a_signal_in_a_bad_pattern_file_is_refused(tmp_path):
    import shutil

    from idmf.errors import ValidationProblems

    folder = tmp_path / "q"
    shutil.copytree(ROOT / "questionnaires", folder)
    text = (folder / "signals.yaml").read_text(encoding="utf-8")
    (folder / "signals.yaml").write_text(text.replace("- \"No concern.\"", "- \"Nothing to see.\""), encoding="utf-8")
    with pytest.raises(ValidationProblems) as problems:
        load_questionnaire(folder)
    assert re.search(r"signals\.yaml:\d+: signal 'bare_denial' should match 'Nothing to see\.'", str(problems.value))
