"""Never ask the same thing twice: questions that ask what another question already asks.

A stage 1 screening question and a six-step question sometimes ask the same
thing (question 4 "could it reduce the availability of a service?" and step
1 "does the decision reduce a service?"). The questionnaire declares the
pair as data on the stage 1 question:

* ``same_as: <yes_no question>`` - the two are one question; an answer to
  either is taken for the other, both ways, rationale included;
* ``derived_from: {question: <multi_choice question>, no_if: [none]}`` - the
  yes/no question follows from the list: any choice outside ``no_if`` means
  Yes (its rationale names the choices), only ``no_if`` choices mean No.

A derived answer is used only where the user has given none, and only for a
question the assessment's scope asks (a screening is not given answers to
step questions it never asks). Where the user answered both and they differ,
a consistency rule says so. The wizard offers a derived answer to confirm;
the report shows it with where it came from. No UI here.

An answer confirmed unchanged is stored with ``taken_from: <twin>``
(``confirmed``). It is never left stale: while its twin still says something,
it follows the twin (``followed_answers``; ``follow_confirmed`` rewrites it in
the file when the twin is edited in the wizard). An answer the user changed
when confirming is their own: if it and its twin come to disagree, the pair's
consistency rule says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .model.questionnaire import DerivedFrom, Question, QuestionType, Questionnaire


@dataclass(frozen=True)
class Twin:
    """One direction of a declared pair: ``question`` may take its answer from ``source``."""

    question: Question
    source: Question
    rule: Optional[DerivedFrom] = None  # set when ``source`` is a multiple-choice question


@dataclass(frozen=True)
class DerivedAnswer:
    """An answer idmf took from the question's twin: the user has not given it here."""

    answer: dict  # as a yes/no answer is stored: {"answer": "yes"|"no", "rationale": ...}
    source: Question  # the question it was taken from


def twins(questionnaire: Questionnaire) -> list[Twin]:
    """Every declared pair, in each direction the derivation runs (questionnaire order)."""
    out: list[Twin] = []
    for question in questionnaire.questions():
        if question.same_as:
            other = questionnaire.question(question.same_as)
            if other is not None:
                out += [Twin(question, other), Twin(other, question)]
        elif question.derived_from:
            source = questionnaire.question(question.derived_from.question)
            if source is not None:  # a list cannot be derived from a Yes: one way only
                out.append(Twin(question, source, question.derived_from))
    return out


def twin_of(question: Question, questionnaire: Questionnaire) -> Optional[Question]:
    """The question that asks the same thing as ``question`` (either side of a pair), if any."""
    for twin in twins(questionnaire):
        if twin.question.id == question.id:
            return twin.source
        if twin.source.id == question.id:
            return twin.question
    return None


def derive(twin: Twin, facts: dict[str, Any], questionnaire: Questionnaire) -> Optional[dict]:
    """The answer ``twin.question`` takes from its source's facts, or None when they say nothing."""
    source = twin.source
    if twin.rule is None:
        answer = facts.get(source.id)
        if answer not in ("yes", "no"):
            return None
        return {"answer": answer, "rationale": facts.get(f"{source.id}.rationale", "")}
    chosen = facts.get(source.id)
    if not isinstance(chosen, list) or not chosen:
        return None
    substantive = [value for value in chosen if value not in twin.rule.no_if]
    if substantive and twin.rule.yes_if_any:
        return {"answer": "yes", "rationale": "; ".join(source.choice_label(v, questionnaire) for v in substantive)}
    if not substantive and twin.rule.no_if:
        return {"answer": "no", "rationale": ""}  # "None" is not a reason: the user gives one
    return None


def _started(question: Question, facts: dict[str, Any]) -> bool:
    """Has the user given any part of an answer here (a Yes/No, or only its rationale)?"""
    return question.id in facts or f"{question.id}.rationale" in facts


def twin_answers(questionnaire: Questionnaire, scope: str, facts: dict[str, Any],
                 hidden: set[str]) -> dict[str, DerivedAnswer]:
    """Answers to take from twins: for each question the scope asks, shown, and not answered,
    whose twin is shown and answered. ``facts`` are the user's own (hidden answers dropped)."""
    out: dict[str, DerivedAnswer] = {}
    for twin in twins(questionnaire):
        target = twin.question
        if (target.id in out or target.type != QuestionType.yes_no or _started(target, facts)
                or target.id in hidden or twin.source.id in hidden or not target.in_scope(scope)):
            continue
        answer = derive(twin, facts, questionnaire)
        if answer is not None:
            out[target.id] = DerivedAnswer(answer, twin.source)
    return out


def list_hint(question: Question, answers: dict[str, Any], questionnaire: Questionnaire) -> Optional[str]:
    """For a list (step 2's sources, step 3's advice) whose yes/no twin the user already answered:
    what they said there, to tick from. A list is never made up from a Yes, so this is a hint only.
    ``answers`` maps question ids to the user's own stored answers."""
    if question.type != QuestionType.multi_choice or answers.get(question.id):
        return None
    for twin in twins(questionnaire):
        if twin.rule is None or twin.source.id != question.id:
            continue
        given = answers.get(twin.question.id)
        if not isinstance(given, dict) or given.get("answer") not in ("yes", "no"):
            return None
        said = "Yes" if given["answer"] == "yes" else "No"
        reason = (given.get("rationale") or "").strip()
        where = where_asked(twin.question, questionnaire)
        line = f"At {where} ({twin.question.text}) you said {said}" + (f": \u201c{reason}\u201d" if reason else ".")
        if given["answer"] == "no" and twin.rule.no_if:
            labels = " or ".join(question.choice_label(v, questionnaire) for v in twin.rule.no_if)
            return f"{line} Tick {labels} here if that still holds, or what there was."
        return f"{line} Tick what that covers here."
    return None


def where_asked(question: Question, questionnaire: Questionnaire) -> str:
    """Where a user met a question, as they would say it: "question 4" or "step 1"."""
    if question.number:
        return f"question {question.number}"
    located = questionnaire.locate(question.id)
    return f"step {located[0].number}" if located else question.id


def source_note(derived: DerivedAnswer, questionnaire: Questionnaire) -> str:
    """"from step 1: Does the decision reduce, restrict or withdraw a service?" """
    return f"from {where_asked(derived.source, questionnaire)}: {derived.source.text}"


TAKEN_FROM = "taken_from"


def confirmed(value: Any) -> Optional[str]:
    """The twin a stored yes/no answer was confirmed from, unchanged (None for the user's own)."""
    source = value.get(TAKEN_FROM) if isinstance(value, dict) else None
    return source if isinstance(source, str) and source else None


def same_answer(a: Any, b: Any) -> bool:
    from .rationale import rationale_of

    return (isinstance(a, dict) and isinstance(b, dict) and a.get("answer") == b.get("answer")
            and rationale_of(a) == rationale_of(b))


def mark_if_confirmed(value: Any, offered: Optional[DerivedAnswer]) -> Any:
    """The answer to store when the user saves ``value`` where ``offered`` was put to them:
    marked as confirmed from the twin when it is exactly what was offered, else as given."""
    if offered is None or not same_answer(value, offered.answer):
        return value
    return {**value, TAKEN_FROM: offered.source.id}


def followed_answers(questionnaire: Questionnaire, scope: str, facts_without: dict[str, Any],
                     hidden: set[str], confirmed_ids: dict[str, str]) -> dict[str, DerivedAnswer]:
    """For each confirmed answer (question id -> twin id), what its twin says now, taken afresh from
    ``facts_without`` (the facts with the confirmed answers left out). A twin that now says nothing
    leaves the confirmed answer as it is (not in the result)."""
    fresh = twin_answers(questionnaire, scope, facts_without, hidden)
    return {qid: fresh[qid] for qid, source in confirmed_ids.items()
            if qid in fresh and fresh[qid].source.id == source}

