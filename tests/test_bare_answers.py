"""A bare "No" on the form: accepted (a low note) for the human-rights questions when nothing
points to a concern; blocking where the answer needs its reason."""

from __future__ import annotations

import pytest

from idmf.errors import ValidationProblems
from idmf.store import load_assessment

from .conftest import EXAMPLES, ROOT

GREEN = EXAMPLES / "green-pharmacy-extended-hours.yaml"


def _green(questionnaire, **answers):
    assessment = load_assessment(GREEN, questionnaire).assessment
    for qid, value in answers.items():
        assessment.set_answer(qid.replace("__", "."), value)
    return assessment


def test_a_bare_no_to_a_human_rights_question_is_a_low_note_and_stays_green(engine, questionnaire):
    result = engine.check(_green(questionnaire, ehiira__q23={"answer": "no"}, ehiira__q21={"answer": "no"}))
    assert result.top_ids() == ["CMP-010"] and result.rag == "green"
    note = result.findings[0]
    assert note.severity == "low" and not note.blocking
    because = " ".join(f"{t.name} {t.answer}" for t in note.triggered_by)
    assert "Q21" in because and "Q23" in because and "Article 8" in because  # named by number and words


def test_a_bare_no_is_blocking_when_another_answer_points_to_a_concern(engine, questionnaire):
    assessment = _green(questionnaire, ehiira__q19={"answer": "no"},
                        ehiira__q04={"answer": "yes", "rationale": "Overnight hours end"})
    result = engine.check(assessment)
    root = next(f for f in result if f.rule_id == "CMP-011")
    assert root.blocking and result.rag == "red"
    assert [c.rule_id for c in root.consequences] == ["CMP-010"]  # raised once, as blocking
    assert "CMP-010" not in result.top_ids()


def test_a_bare_no_to_a_duty_question_or_a_bare_yes_to_a_concern_still_blocks(engine, questionnaire):
    duty = engine.check(_green(questionnaire, ehiira__q14={"answer": "no"}))
    assert "CMP-002" in duty.top_ids() and duty.rag == "red"
    assert not {"CMP-010", "CMP-011"} & set(duty.ids())
    concern = engine.check(_green(questionnaire, ehiira__q23={"answer": "yes"}))
    assert "CMP-002" in concern.top_ids() and "CMP-010" not in concern.ids()


def _questionnaire_with(tmp_path, line: str):
    import shutil

    folder = tmp_path / "q"
    shutil.copytree(ROOT / "questionnaires", folder)
    path = folder / "4-ehiira-stage1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('        bare_answer_accepted: "no"  # a bare No', line + "  # a bare No", 1),
                    encoding="utf-8")
    return folder


def test_the_questionnaire_refuses_a_bare_answer_that_is_the_concern(tmp_path):
    from idmf.questionnaire import load_questionnaire

    with pytest.raises(ValidationProblems) as caught:
        load_questionnaire(_questionnaire_with(tmp_path, '        bare_answer_accepted: "yes"'))
    text = "\n".join(caught.value.problems)
    assert "4-ehiira-stage1.yaml:" in text and "a concern always needs its reason" in text
