"""What a condition's references mean, and whether a condition makes sense.

Shared by questionnaire ``show_if`` validation and rule-file validation, so
"every question id referenced exists and every compared value is one the
question can take" is checked the same way in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .. import conditions as C
from ..question_types import behaviour
from ..judgement.reasoning import JUDGEMENT_FACTS
from ..model.questionnaire import ANSWER_PARTS, ROW_COLUMNS, Question, QuestionType, Questionnaire

# Facts idmf computes from an assessment (see idmf.facts), usable in conditions.
DERIVED = {
    "derived.unanswered_required": "list",  # ids of required, shown questions with no answer
    "derived.missing_rationale": "list",  # ids of yes/no answers given without the rationale they need
    "derived.bare_answers": "list",  # ids of yes/no answers given bare where the form accepts that (bare_answer_accepted)
    "derived.form_answered": "number",  # how many questions of the numbered stage 1 form (Q1-28) are answered
    "derived.assessment_started": "date",  # the screening date if recorded, else the day the file was created
    "derived.answers_taken": "list",  # ids of questions answered from their twin (same_as / derived_from), not by the user
    "derived.scope": "choice",  # "screening" (stage 1 form only) or "full" (the six-step IDMF)
}
_DERIVED_VALUES = {"derived.scope": ("screening", "full")}


@dataclass(frozen=True)
class RefKind:
    kind: str  # yes_no, text, choice, multi, date, number, rows, person, list
    values: Optional[tuple] = None  # the values it can take, when it is a closed set
    question: Optional[Question] = None




def resolve(ref: str, questionnaire: Questionnaire) -> Optional[RefKind]:
    if ref in DERIVED:
        return RefKind(DERIVED[ref], _DERIVED_VALUES.get(ref))
    if ref in JUDGEMENT_FACTS:
        # Lists of group ids or question ids: rules test them with 'answered'.
        return RefKind("judgement")
    if ref.startswith("signal.") and any(s.id == ref.removeprefix("signal.") for s in questionnaire.signals):
        return RefKind("list")  # the questions whose words carry the signal
    question = questionnaire.question(ref)
    if question is not None:
        kind = behaviour(question.type).ref_kind
        values = None
        if kind == "yes_no":
            values = ("yes", "no")
        elif kind in ("choice", "multi"):
            values = tuple(question.choice_values(questionnaire))
        return RefKind(kind, values, question)
    base, _, part = ref.rpartition(".")
    question = questionnaire.question(base)
    if question is not None and part in ANSWER_PARTS.get(question.type, ()):
        return RefKind("date" if part == "date" else "text", None, question)
    return None


def row_columns(question: Question, questionnaire: Questionnaire) -> dict[str, Optional[tuple]]:
    columns = dict(ROW_COLUMNS[question.type])
    if question.type == QuestionType.group_impacts:
        columns["group"] = tuple(g.id for g in questionnaire.groups_in(question.groups or "all"))
    return columns


def check_condition(cond: C.Condition, questionnaire: Questionnaire, source: str) -> list[str]:
    """Problems with a parsed condition, each as 'source:line: message'."""
    problems: list[str] = []

    def say(node, message: str) -> None:
        problems.append(f"{source}:{node.line}: {message}" if node.line else f"{source}: {message}")

    def known(node, ref: str) -> Optional[RefKind]:
        kind = resolve(ref, questionnaire)
        if kind is None:
            hint = _closest(ref, questionnaire)
            say(node, f"unknown question id {ref!r}" + (f" (did you mean {hint!r}?)" if hint else ""))
        return kind

    def check_value(node, ref: str, kind: RefKind, value) -> None:
        if kind.values is not None and value not in kind.values:
            say(node, f"{ref!r} can never be {value!r}; it can be: {', '.join(map(str, kind.values))}")

    for node in C.walk(cond):
        if isinstance(node, (C.Answered, C.Unanswered)):
            known(node, node.ref)
        elif isinstance(node, (C.Equals, C.In)):
            kind = known(node, node.ref)
            if kind is None:
                continue
            if kind.kind in ("multi", "rows", "list", "person", "judgement"):
                say(node, f"{node.ref!r} holds several values; use 'contains' or 'any_row' instead of '{'equals' if isinstance(node, C.Equals) else 'in'}'")
                continue
            for value in ([node.value] if isinstance(node, C.Equals) else node.values):
                check_value(node, node.ref, kind, value)
        elif isinstance(node, C.Contains):
            kind = known(node, node.ref)
            if kind is None:
                continue
            if kind.kind == "judgement":
                if questionnaire.question(str(node.value)) is None and questionnaire.group(str(node.value)) is None:
                    say(node, f"{node.value!r} is neither a question id nor a group id")
            elif kind.kind == "list":
                if questionnaire.question(str(node.value)) is None:
                    say(node, f"{node.value!r} is not a question id")
            elif kind.kind != "multi":
                say(node, f"'contains' needs a multi-choice question, but {node.ref!r} is {kind.kind}")
            else:
                check_value(node, node.ref, kind, node.value)
        elif isinstance(node, C.Compare):
            kind = known(node, node.ref)
            if kind is not None and kind.kind != "number":
                say(node, f"'{_compare_word(node.op)}' needs a number question, but {node.ref!r} is {kind.kind}")
        elif isinstance(node, C.DateGap):
            for ref in (node.start, node.end):
                kind = known(node, ref)
                if kind is not None and kind.kind != "date":
                    say(node, f"'date_gap' needs date questions, but {ref!r} is {kind.kind}")
        elif isinstance(node, C.AnyRow):
            kind = known(node, node.ref)
            if kind is None:
                continue
            if kind.kind != "rows":
                say(node, f"'any_row' needs a group-impacts or actions question, but {node.ref!r} is {kind.kind}")
                continue
            columns = row_columns(kind.question, questionnaire)
            for inner in C.walk(node.where):
                col = getattr(inner, "ref", None)
                if col is None:
                    continue
                if col not in columns:
                    say(inner, f"rows of {node.ref!r} have no column {col!r}; columns: {', '.join(columns)}")
                    continue
                allowed = columns[col]
                if isinstance(inner, C.Compare):
                    say(inner, f"column {col!r} is not a number")
                values = [inner.value] if isinstance(inner, C.Equals) else list(getattr(inner, "values", ()))
                for value in values:
                    if allowed is not None and value not in allowed:
                        say(inner, f"column {col!r} of {node.ref!r} can never be {value!r}; it can be: {', '.join(allowed)}")
        elif not isinstance(node, (C.All, C.Any_, C.Not)):  # those hold conditions, walked above
            # A new operator must say how its references are checked, or none would be.
            raise TypeError(f"no reference check for condition {type(node).__name__}")
    return problems


def _compare_word(op: str) -> str:
    return {v: k for k, v in C.COMPARISONS.items()}[op]


def _closest(ref: str, questionnaire: Questionnaire) -> Optional[str]:
    import difflib

    ids = [q.id for q in questionnaire.questions()] + list(DERIVED) + list(JUDGEMENT_FACTS) + [
        f"signal.{s.id}" for s in questionnaire.signals]
    match = difflib.get_close_matches(ref, ids, n=1, cutoff=0.75)
    return match[0] if match else None
