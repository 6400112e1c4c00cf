"""Turn an assessment into facts: the flat data conditions and rules test.

One function builds facts for the questionnaire's ``show_if``, the rules
engine and its pure-Python oracle, so all three see the same world:

* a question's id maps to its answer; blank answers are simply absent;
* yes/no answers give "yes"/"no" and ``<id>.rationale``;
* sign-offs give ``<id>.name``, ``.role``, ``.date``, ``.comments``;
* dates are day numbers (``date.toordinal()``), so gaps are arithmetic;
* multi-choice answers and row answers are non-empty lists;
* answers to questions that ``show_if`` hides are dropped (they no longer apply);
* a question the user has not answered takes its twin's answer where the
  questionnaire declares that both ask the same thing (idmf.twins), so rules
  reading either side agree;
* ``derived.*`` facts summarise completeness, in the assessment's scope
  (``derived.scope``: "screening" asks only the stage 1 form; "full" asks
  everything).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import conditions as C
from .model.assessment import Assessment
from .model.questionnaire import Question, QuestionType, Questionnaire
from .question_types import behaviour
from .judgement.reasoning import KINDS_QUESTION, judge, profile_facts
from .rationale import has_rationale, rationale_of
from .twins import TAKEN_FROM, DerivedAnswer, confirmed, followed_answers, same_answer, twin_answers



def _ordinal(value: Any) -> int | None:
    if isinstance(value, dt.datetime):
        return value.date().toordinal()
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value).toordinal()
        except ValueError:
            return None
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, (list, dict)) and not value)


def yes_no_facts(question: Question, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if value.get("answer") in ("yes", "no"):
            out[question.id] = value["answer"]
        if has_rationale(value):  # the one rule for what counts as a rationale
            out[f"{question.id}.rationale"] = rationale_of(value)
    return out


def date_facts(question: Question, value: Any) -> dict[str, Any]:
    ordinal = _ordinal(value)
    return {question.id: ordinal} if ordinal is not None else {}


def multi_choice_facts(question: Question, value: Any) -> dict[str, Any]:
    items = [v for v in (value if isinstance(value, list) else [value]) if not _blank(v)]
    return {question.id: items} if items else {}


def _rows(question: Question, value: Any, *, keep: Any = None) -> dict[str, Any]:
    rows = []
    for row in value if isinstance(value, list) else []:
        if not isinstance(row, dict):
            continue
        clean = {}
        for column, cell in row.items():
            if column == "due":
                cell = _ordinal(cell)
            if not _blank(cell):
                clean[column] = cell.strip() if isinstance(cell, str) else cell
        if clean and (keep is None or keep(clean)):
            rows.append(clean)
    return {question.id: rows} if rows else {}


def group_impacts_facts(question: Question, value: Any) -> dict[str, Any]:
    # A group nobody has assessed yet is not an answer.
    return _rows(question, value, keep=lambda row: "impact" in row)


def actions_facts(question: Question, value: Any) -> dict[str, Any]:
    return _rows(question, value)


def person_facts(question: Question, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for part in ("name", "role", "comments"):
            if not _blank(value.get(part)):
                out[f"{question.id}.{part}"] = value[part].strip()
        ordinal = _ordinal(value.get("date"))
        if ordinal is not None:
            out[f"{question.id}.date"] = ordinal
    return out


def number_facts(question: Question, value: Any) -> dict[str, Any]:
    return {question.id: value} if isinstance(value, (int, float)) and not isinstance(value, bool) else {}


def plain_facts(question: Question, value: Any) -> dict[str, Any]:
    """Text and single choices: the answer itself, trimmed."""
    return {question.id: value.strip() if isinstance(value, str) else value}


def _answer_facts(question: Question, value: Any) -> dict[str, Any]:
    if _blank(value):
        return {}
    return behaviour(question.type).facts(question, value)


def is_answered(question: Question, facts: dict) -> bool:
    part = behaviour(question.type).answered_part
    return (f"{question.id}.{part}" if part else question.id) in facts


def hidden_question_ids(questionnaire: Questionnaire, facts: dict) -> set[str]:
    hidden: set[str] = set()
    for step in questionnaire.steps:
        for section in step.sections:
            section_hidden = section.show_if is not None and not C.evaluate(section.show_if, facts)
            for q in section.questions:
                if section_hidden or (q.show_if is not None and not C.evaluate(q.show_if, facts)):
                    hidden.add(q.id)
    return hidden


def _raw_facts(assessment: Assessment, questionnaire: Questionnaire) -> tuple[dict[str, Any], dict[str, str]]:
    """Facts from every answer, before show_if is applied, and which question each came from."""
    raw: dict[str, Any] = {}
    owners: dict[str, str] = {}
    for q in questionnaire.questions():
        for key, value in _answer_facts(q, assessment.get_answer(q.id)).items():
            raw[key] = value
            owners[key] = q.id
    return raw, owners


def _follow(assessment: Assessment, questionnaire: Questionnaire, raw: dict[str, Any], owners: dict[str, str],
            hidden: set[str]) -> dict[str, DerivedAnswer]:
    """Confirmed answers follow their twins: each one's facts are replaced (in ``raw``) by what
    the twin says now. Returns what was followed."""
    # Only answers that carry a confirmation can follow a twin: read those, not every question.
    ids = {qid: source for qid, value in assessment.answers.items()
           if isinstance(value, dict) and (source := confirmed(value)) and questionnaire.question(qid) is not None}
    if not ids:
        return {}
    without = {k: v for k, v in raw.items() if owners[k] not in hidden and owners[k] not in ids}
    followed = followed_answers(questionnaire, assessment.scope, without, hidden, ids)
    for qid, taken in followed.items():
        for key in [k for k, owner in owners.items() if owner == qid]:
            del raw[key], owners[key]
        for key, value in _answer_facts(questionnaire.question(qid), taken.answer).items():
            raw[key], owners[key] = value, qid
    return followed


def followed(assessment: Assessment, questionnaire: Questionnaire) -> dict[str, DerivedAnswer]:
    """Confirmed answers (question id -> what their twin says now), for the report and the wizard."""
    raw, owners = _raw_facts(assessment, questionnaire)
    _add_profile(raw, owners, questionnaire)
    return _follow(assessment, questionnaire, raw, owners, hidden_question_ids(questionnaire, raw))


def _facts_with_twins(assessment: Assessment, questionnaire: Questionnaire
                      ) -> tuple[dict[str, Any], dict[str, str], set[str], dict[str, DerivedAnswer]]:
    """Raw facts with the answers taken from twins added, which questions are hidden, and
    what was taken. Hidden questions are worked out again after, since a taken answer
    (engagement held: Yes) shows the questions that follow it, as the user's own would.
    A confirmed answer follows its twin first (never stale)."""
    raw, owners = _raw_facts(assessment, questionnaire)
    _add_profile(raw, owners, questionnaire)
    hidden = hidden_question_ids(questionnaire, raw)
    if _follow(assessment, questionnaire, raw, owners, hidden):
        hidden = hidden_question_ids(questionnaire, raw)
    own = {k: v for k, v in raw.items() if owners[k] not in hidden}
    derived = twin_answers(questionnaire, assessment.scope, own, hidden)
    if derived:
        for qid, taken in derived.items():
            question = questionnaire.question(qid)
            for key, value in _answer_facts(question, taken.answer).items():
                raw[key] = value
                owners[key] = qid
        _add_profile(raw, owners, questionnaire)
        hidden = hidden_question_ids(questionnaire, raw)
    return raw, owners, hidden, derived


def _add_profile(raw: dict[str, Any], owners: dict[str, str], questionnaire: Questionnaire) -> None:
    # Whom the change is known to fall on comes from step 1 alone and is worked out before show_if,
    # so stage 2 is asked whenever a kind of change ticked is known to fall on a group.
    raw.pop("judgement.groups_at_risk", None)
    for key, value in profile_facts(raw, questionnaire).items():
        raw[key] = value
        owners[key] = KINDS_QUESTION


def derived_answers(assessment: Assessment, questionnaire: Questionnaire) -> dict[str, DerivedAnswer]:
    """The answers idmf takes from twins (question id -> what and from where): not the user's own."""
    return _facts_with_twins(assessment, questionnaire)[3]


def build_facts(assessment: Assessment, questionnaire: Questionnaire) -> dict[str, Any]:
    raw, owners, hidden, derived = _facts_with_twins(assessment, questionnaire)
    facts = {k: v for k, v in raw.items() if owners[k] not in hidden}
    taken = [qid for qid in derived if qid not in hidden]
    if taken:  # so a finding's "Because" can say an answer came from its twin, not from the user here
        facts["derived.answers_taken"] = taken
    unanswered, missing_rationale, bare = [], [], []
    form_answered = 0  # questions of the numbered EHIIRA form (Q1-28) with an answer
    scope = assessment.scope
    for q in questionnaire.questions():
        if q.id in hidden or not q.in_scope(scope):
            continue
        if q.required and not is_answered(q, facts):
            unanswered.append(q.id)
        elif q.number is not None and is_answered(q, facts):
            form_answered += 1
        if q.type == QuestionType.yes_no and q.rationale_required and q.id in facts and f"{q.id}.rationale" not in facts:
            (bare if facts[q.id] == q.bare_answer_accepted else missing_rationale).append(q.id)
    if unanswered:
        facts["derived.unanswered_required"] = unanswered
    if missing_rationale:
        facts["derived.missing_rationale"] = missing_rationale
    if bare:
        facts["derived.bare_answers"] = bare
    facts["derived.scope"] = scope
    # "Screening not started" and "three questions left" are different findings (CMP-020, CMP-001).
    facts["derived.form_answered"] = form_answered
    # Regard is dated by the screening when its date is recorded, else by the
    # day the file was created: an imported or back-filled form is not late.
    screening = facts.get("meta.screening_date")
    facts["derived.assessment_started"] = screening if isinstance(screening, int) else assessment.created.date().toordinal()
    # What a reviewer reads off the answers: stage 2 and the author's words against the kinds of change.
    facts.update(judge(facts, questionnaire))
    return facts


def visible_questions(assessment: Assessment, questionnaire: Questionnaire) -> list[Question]:
    """The questions to ask: in the assessment's scope, with show_if holding for the current answers, in order."""
    hidden = _facts_with_twins(assessment, questionnaire)[2]
    scope = assessment.scope
    return [q for q in questionnaire.questions() if q.id not in hidden and q.in_scope(scope)]


def questions_in_scope(questionnaire: Questionnaire, scope: str) -> list[Question]:
    """Every question a scope asks (before show_if), in order."""
    return [q for q in questionnaire.questions() if q.in_scope(scope)]


def describe(value: Any) -> str:
    """A short, plain rendering of a fact for 'triggered by' lists."""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return f"{len(value)} row(s)"
        return ", ".join(map(str, value))
    return str(value)


def follow_confirmed(assessment: Assessment, questionnaire: Questionnaire) -> list[str]:
    """Rewrite each confirmed answer whose twin now says something else to what the twin says
    (still marked as confirmed from it); returns the ids rewritten. Called after an answer is saved."""
    changed = []
    for qid, taken in followed(assessment, questionnaire).items():
        stored = assessment.get_answer(qid)
        if not same_answer(stored, taken.answer):
            assessment.set_answer(qid, {**taken.answer, TAKEN_FROM: taken.source.id})
            changed.append(qid)
    return changed
