"""Never ask the same thing twice: a stage 1 question and a step question declared to ask the
same thing (same_as / derived_from) share one answer, and disagreeing answers are a finding."""

from __future__ import annotations

import shutil

import pytest

from idmf.errors import ValidationProblems
from idmf.facts import build_facts, derived_answers, visible_questions
from idmf.model.assessment import Assessment
from idmf.questionnaire import load_questionnaire
from idmf.scope import set_scope
from idmf.twins import twin_of

from .conftest import ROOT


def _yes(rationale: str = "") -> dict:
    return {"answer": "yes", "rationale": rationale}


def _no(rationale: str = "") -> dict:
    return {"answer": "no", "rationale": rationale}


def test_an_answer_at_step_1_answers_question_4_with_its_reason(questionnaire):
    assessment = Assessment(title="Respite beds")
    assessment.set_answer("purpose.reduces_service", _yes("Respite beds cut from 12 to 8"))
    facts = build_facts(assessment, questionnaire)
    assert facts["ehiira.q04"] == "yes"
    assert facts["ehiira.q04.rationale"] == "Respite beds cut from 12 to 8"
    assert "ehiira.q04" not in facts.get("derived.unanswered_required", [])
    taken = derived_answers(assessment, questionnaire)["ehiira.q04"]
    assert taken.source.id == "purpose.reduces_service" and taken.answer["answer"] == "yes"
    assert assessment.get_answer("ehiira.q04") is None, "a derived answer is not written into the file"


def test_the_users_own_answer_is_never_overwritten_and_a_disagreement_is_a_finding(engine, questionnaire):
    assessment = Assessment(title="Respite beds")
    assessment.set_answer("purpose.reduces_service", _yes("Beds cut"))
    assessment.set_answer("ehiira.q04", _no("Nothing is reduced"))
    facts = build_facts(assessment, questionnaire)
    assert facts["ehiira.q04"] == "no" and facts["purpose.reduces_service"] == "yes"
    assert "ehiira.q04" not in derived_answers(assessment, questionnaire)
    assert "CON-005" in engine.check(assessment).ids()


def test_a_rationale_alone_is_the_users_start_on_an_answer_and_is_not_replaced(questionnaire):
    assessment = Assessment(title="Respite beds")
    assessment.set_answer("purpose.reduces_service", _yes("Beds cut"))
    assessment.set_answer("ehiira.q04", {"answer": None, "rationale": "Still deciding"})
    facts = build_facts(assessment, questionnaire)
    assert "ehiira.q04" not in facts and facts["ehiira.q04.rationale"] == "Still deciding"


def test_sources_listed_at_step_2_answer_question_11_yes_naming_them(questionnaire):
    assessment = Assessment(title="Diabetes")
    assessment.set_answer("evidence.sources", ["jsna", "service_use_data"])
    facts = build_facts(assessment, questionnaire)
    assert facts["ehiira.q11"] == "yes"
    assert facts["ehiira.q11.rationale"] == "Joint Strategic Needs Assessment; Service-use data"


def test_no_specialist_advice_at_step_3_answers_question_13_no_and_still_asks_why(questionnaire):
    assessment = Assessment(title="Diabetes")
    assessment.set_answer("engagement.specialist_advice", ["none"])
    facts = build_facts(assessment, questionnaire)
    assert facts["ehiira.q13"] == "no"
    assert "ehiira.q13" in facts["derived.missing_rationale"], "'None' is not a reason for a No to a duty question"
    assessment.set_answer("engagement.specialist_advice", ["public_health", "none"])
    assert build_facts(assessment, questionnaire)["ehiira.q13"] == "yes"


def test_question_12_answers_step_3_both_ways_and_opens_its_follow_up_questions(questionnaire):
    assessment = Assessment(title="Imported form")
    assessment.set_answer("ehiira.q12", _yes("Six weeks of engagement"))
    facts = build_facts(assessment, questionnaire)
    assert facts["engagement.held"] == "yes"
    shown = {q.id for q in visible_questions(assessment, questionnaire)}
    assert "engagement.with" in shown, "a Yes taken from question 12 asks who was engaged, as the user's own would"


def test_a_screening_is_not_given_answers_to_step_questions_it_never_asks(engine, questionnaire):
    assessment = Assessment(title="Screening", scope="screening")
    assessment.set_answer("ehiira.q18", _no("Commercially confidential"))
    facts = build_facts(assessment, questionnaire)
    assert "review.publish" not in facts
    assert not derived_answers(assessment, questionnaire)


def test_widening_an_imported_screening_offers_its_answers_to_the_step_questions(questionnaire):
    assessment = Assessment(title="Imported screening", scope="screening")
    for qid, answer in {"ehiira.q04": _yes("Overnight hours end"), "ehiira.q12": _no("Not yet"),
                        "ehiira.q18": _yes("With the board papers")}.items():
        assessment.set_answer(qid, answer)
    assert set_scope(assessment, "full")
    taken = derived_answers(assessment, questionnaire)
    assert {qid: d.answer["answer"] for qid, d in taken.items()} == {
        "purpose.reduces_service": "yes", "engagement.held": "no", "review.publish": "yes"}
    assert taken["purpose.reduces_service"].answer["rationale"] == "Overnight hours end"
    assert all(d.source.number for d in taken.values())


def test_every_declared_pair_is_one_to_one_and_the_human_rights_articles_have_no_twin(questionnaire):
    pairs = {q.id: twin_of(q, questionnaire).id for q in questionnaire.questions() if twin_of(q, questionnaire)}
    assert pairs["ehiira.q04"] == "purpose.reduces_service" and pairs["review.publish"] == "ehiira.q18"
    assert pairs["ehiira.q13"] == "engagement.specialist_advice" and pairs["evidence.sources"] == "ehiira.q11"
    assert not any(pairs.get(f"ehiira.q{n}") for n in range(19, 28))
    assert "engagement.legal_advice_on_human_rights" not in pairs


def test_answers_that_agree_through_a_twin_raise_no_contradiction(engine, questionnaire):
    assessment = Assessment(title="Agreeing")
    assessment.set_answer("evidence.sources", ["jsna"])
    assessment.set_answer("engagement.specialist_advice", ["none"])
    assessment.set_answer("engagement.held", _no("Not yet"))
    ids = set(engine.check(assessment).ids())
    assert not {"CON-005", "CON-006", "CON-008", "CON-009", "CON-013", "CON-014", "CON-015", "CON-016"} & ids


def test_question_4_and_step_1_disagreeing_either_way_is_a_finding(engine, questionnaire):
    assessment = Assessment(title="Prescribing")
    assessment.set_answer("ehiira.q04", _yes("Prescriptions may be limited"))
    assessment.set_answer("purpose.reduces_service", _no("Nothing is withdrawn"))
    assert "CON-016" in engine.check(assessment).ids()
    assessment.set_answer("ehiira.q04", _no("Nothing is reduced"))
    assessment.set_answer("purpose.reduces_service", _yes("Beds cut"))
    ids = engine.check(assessment).ids()
    assert "CON-005" in ids and "CON-016" not in ids


# --- the declaration is validated ------------------------------------------------------------


@pytest.fixture
def questionnaire_copy(tmp_path):
    folder = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", folder)
    return folder


def _edit(folder, old: str, new: str) -> int:
    path = folder / "4-ehiira-stage1.yaml"
    text = path.read_text()
    assert old in text
    at = text.index(old)
    path.write_text(text.replace(old, new, 1))
    return text[:at].count("\n") + 1


@pytest.mark.parametrize("old, new, expected", [
    ("same_as: purpose.reduces_service", "same_as: purpose.reduced_service",
     "same_as names question 'purpose.reduced_service', which the questionnaire does not define"),
    ("same_as: engagement.held", "same_as: engagement.with",
     "same_as needs a yes_no question, but 'engagement.with' is multi_choice (for a list of choices use derived_from"),
    ("no_if: [none]}  # step 3", "no_if: [nothing]}  # step 3",
     "derived_from no_if has 'nothing', which 'engagement.specialist_advice' does not offer"),
    ("derived_from: {question: evidence.sources, yes_if_any: true}", "derived_from: {question: evidence.health_equity_audit_done}",
     "derived_from needs a multi_choice question, but 'evidence.health_equity_audit_done' is yes_no (use same_as)"),
    ("same_as: review.publish", "same_as: purpose.reduces_service",
     "'purpose.reduces_service' is already paired with 'ehiira.q04'"),
])
def test_a_wrong_twin_declaration_is_named_with_its_file_and_line(questionnaire_copy, old, new, expected):
    line = _edit(questionnaire_copy, old, new)
    with pytest.raises(ValidationProblems) as caught:
        load_questionnaire(questionnaire_copy)
    messages = [m for m in caught.value.problems if expected in m]
    assert messages, caught.value.problems
    assert messages[0].startswith(f"{questionnaire_copy / '4-ehiira-stage1.yaml'}:{line}: ")


def test_questionnaire_validate_reports_a_wrong_twin_without_a_traceback(questionnaire_copy, idmf):
    _edit(questionnaire_copy, "same_as: engagement.held", "same_as: engagement.helds")
    result = idmf("questionnaire", "validate", str(questionnaire_copy))
    assert result.returncode == 1
    assert "engagement.helds" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# --- the report says where a taken answer came from ---------------------------------------------


def _form_row(context, number: str):
    return next(row for section in context.stage1 for row in section.rows if row.number == number)


def test_the_board_report_shows_a_taken_answer_with_where_it_came_from_never_blank(engine, questionnaire):
    from idmf.report.context import build_context

    assessment = Assessment(title="Respite beds")
    assessment.set_answer("purpose.reduces_service", _yes("Respite beds cut from 12 to 8"))
    assessment.set_answer("engagement.specialist_advice", ["none"])
    assessment.set_answer("ehiira.q12", _yes("Six weeks of engagement"))
    context = build_context(assessment, questionnaire, engine.check(assessment))
    q4, q13, q12 = _form_row(context, "4"), _form_row(context, "13"), _form_row(context, "12")
    assert q4.answer == "Yes" and q4.concern
    assert q4.rationale == ("Respite beds cut from 12 to 8 (from step 1: Does the decision reduce, restrict or "
                            "withdraw a service?)")
    assert q13.answer == "No" and q13.rationale.endswith("(from step 3: What specialist advice did you take on the impacts?)")
    assert q12.rationale == "Six weeks of engagement", "the user's own answer carries no note"
    step3 = next(step for step in context.steps if step.number == 3)
    held = next(a for s in step3.sections for a in s.questions if a.question.startswith("Have you engaged"))
    assert held.answer.startswith("Yes — Six weeks of engagement (from question 12:"), held


def test_a_confirmed_answer_is_the_users_own_and_loses_the_note(engine, questionnaire):
    from idmf.report.context import build_context

    assessment = Assessment(title="Respite beds")
    assessment.set_answer("purpose.reduces_service", _yes("Respite beds cut from 12 to 8"))
    assessment.set_answer("ehiira.q04", _yes("Respite beds cut from 12 to 8"))
    row = _form_row(build_context(assessment, questionnaire, engine.check(assessment)), "4")
    assert row.rationale == "Respite beds cut from 12 to 8"


# --- an imported paper form, widened to the full assessment --------------------------------------


def test_an_imported_paper_form_widened_to_full_offers_its_answers_at_the_steps(questionnaire, tmp_path):
    from idmf.importing import import_form
    from idmf.store import save_assessment
    from idmf.wizard.session import Session

    from .import_corpus import DIABETES, write_corpus

    corpus = write_corpus(tmp_path / "forms", formats=("docx",))
    form_path = next(path for path, form, _layout, _fmt in corpus if form is DIABETES)
    assessment = import_form(form_path, questionnaire).assessment
    for number in (4, 11, 12, 13, 18):
        given = DIABETES.answers[number]
        assert assessment.get_answer(f"ehiira.q{number:02d}") == {"answer": given.answer, "rationale": given.rationale}
    assert assessment.scope == "screening" and not derived_answers(assessment, questionnaire)
    assert set_scope(assessment, "full")
    path = tmp_path / "diabetes.yaml"
    save_assessment(assessment, path)
    session = Session.open(path, questionnaire)
    try:
        offered = {qid: session.derived_answer(questionnaire.question(qid))
                   for qid in ("purpose.reduces_service", "engagement.held", "review.publish",
                               "evidence.sources", "engagement.specialist_advice")}
        assert offered["purpose.reduces_service"].answer == {
            "answer": "no", "rationale": "The same number of appointments is offered."}
        assert offered["engagement.held"].answer["answer"] == "yes"
        assert offered["review.publish"].answer == {"answer": "yes", "rationale": "Papers go to the public board meeting."}
        # A list is not made up from a Yes: step 2's sources and step 3's advice are asked as usual.
        assert offered["evidence.sources"] is None and offered["engagement.specialist_advice"] is None
        assert session.answer_shown(questionnaire.question("purpose.reduces_service")) == (
            "No — The same number of appointments is offered. (from question 4; Enter to confirm)")
        assert session.assessment.get_answer("purpose.reduces_service") is None, "offered, not written"
    finally:
        session.close()


def test_a_finding_citing_an_answer_taken_from_its_twin_says_where_it_was_asked(engine, questionnaire):
    assessment = Assessment(title="Respite beds")
    assessment.set_answer("purpose.reduces_service", _yes("Beds cut"))
    stage2 = next(f for f in engine.check(assessment) if f.rule_id == "CMP-003")
    cited = next(t for t in stage2.triggered_by if t.question_id == "ehiira.q04")
    assert cited.answer == "Yes — Beds cut (from step 1)"
    assessment.set_answer("ehiira.q04", _yes("Beds cut"))  # confirmed: the user's own now
    stage2 = next(f for f in engine.check(assessment) if f.rule_id == "CMP-003")
    assert next(t for t in stage2.triggered_by if t.question_id == "ehiira.q04").answer == "Yes — Beds cut"


# --- never silently stale: a confirmed answer follows its twin ---------------------------------

def _session_with(tmp_path, questionnaire, answers):
    from idmf.wizard.session import Session

    session = Session.create(tmp_path, "Respite beds", questionnaire)
    for question_id, value in answers.items():
        session.give(questionnaire.question(question_id), value)
    return session


def test_an_answer_confirmed_unchanged_follows_its_twin_when_the_twin_is_edited(tmp_path, questionnaire, engine):
    """Confirmed at question 4 from step 1, then step 1 is edited: question 4 says what step 1 says now,
    in the file, in `idmf check`'s facts and in the report; it kept the old words before."""
    from idmf.report import build_context, render
    from idmf.store import load_assessment

    session = _session_with(tmp_path, questionnaire, {
        "purpose.reduces_service": {"answer": "yes", "rationale": "Respite beds cut from 12 to 8"}})
    q4 = questionnaire.question("ehiira.q04")
    offered = session.derived_answer(q4)
    session.give(q4, dict(offered.answer))  # Enter: the offered answer, unchanged
    assert session.assessment.get_answer("ehiira.q04")["taken_from"] == "purpose.reduces_service"
    session.give(questionnaire.question("purpose.reduces_service"),
                   {"answer": "yes", "rationale": "Respite beds cut from 12 to 6"})
    path = session.path
    session.close()
    a = load_assessment(path, questionnaire).assessment
    assert a.get_answer("ehiira.q04")["rationale"] == "Respite beds cut from 12 to 6", "the file follows"
    # Edited by hand, outside the wizard: the facts and the report follow all the same.
    a.set_answer("purpose.reduces_service", {"answer": "yes", "rationale": "Respite beds cut from 12 to 4"})
    facts = build_facts(a, questionnaire)
    assert facts["ehiira.q04.rationale"] == "Respite beds cut from 12 to 4"
    c = build_context(a, questionnaire, engine.check(a))
    row = next(r for s in c.stage1 for r in s.rows if r.number == "4")
    assert row.rationale.startswith("Respite beds cut from 12 to 4") and "12 to 8" not in render(c, "md").decode()


def test_an_answer_changed_when_confirmed_is_the_users_own_and_a_disagreement_is_a_finding(tmp_path, questionnaire,
                                                                                          engine):
    session = _session_with(tmp_path, questionnaire, {
        "purpose.reduces_service": {"answer": "yes", "rationale": "Respite beds cut from 12 to 8"}})
    q4 = questionnaire.question("ehiira.q04")
    session.give(q4, {"answer": "yes", "rationale": "Fewer respite beds, and the day unit closes"})
    assert "taken_from" not in session.assessment.get_answer("ehiira.q04"), "changed: the user's own"
    session.give(questionnaire.question("purpose.reduces_service"), {"answer": "no", "rationale": "Reversed"})
    a = session.assessment
    assert a.get_answer("ehiira.q04")["rationale"] == "Fewer respite beds, and the day unit closes"
    titles = [f.title for f in engine.check(a).findings]
    assert any("step 1 says no service is reduced" in t for t in titles), titles
    session.close()
