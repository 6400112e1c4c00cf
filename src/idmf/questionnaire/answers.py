"""Checking an answer against its question, and turning it into plain data.

Answers are stored as plain YAML-able data (strings, lists, mappings, ISO
dates). ``parse_answer`` is the one gate every answer passes through, from
the wizard, the CLI or a hand-edited file; its errors name the question id.
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import TypeAdapter, ValidationError

from ..errors import InputError
from ..model.answers import ActionRow, GroupImpactRow, PersonAnswer, YesNoAnswer
from ..model.questionnaire import Question, Questionnaire
from ..question_types import behaviour
from ..textsafety import normalise_answer
from .dates import DateError, parse_uk_date

MAX_TEXT = 20_000  # characters in one answer; longer is almost certainly a paste error


class AnswerError(InputError):
    """An answer that does not fit its question (names the question id)."""


_GROUP_ROWS = TypeAdapter(list[GroupImpactRow])
_ACTION_ROWS = TypeAdapter(list[ActionRow])


_YES_NO_KEYS = frozenset({"answer", "rationale"})
_YES_NO = ("yes", "no", None)


def _fail(question: Question, message: str, hint: str | None = None) -> AnswerError:
    return AnswerError(message, where=f"question {question.id}", hint=hint)


def _name(question: Question) -> str:
    """The question as a person knows it: its number, else its words (shortened)."""
    if question.number:
        return f"Q{question.number}"
    text = question.text if len(question.text) <= 60 else question.text[:59].rstrip() + "…"
    return f"\u201c{text}\u201d"


def _date(question: Question, value: Any, what: str = "") -> str | None:
    """A date as people in the UK type it (day first, figures or words), stored as ISO."""
    try:
        date = parse_uk_date(value)
    except DateError as exc:
        raise _fail(question, f"{_name(question)} {what}date: {exc}") from None
    return date.isoformat() if date else None


def _action_dues(question: Question, value: Any) -> Any:
    """Action rows with their due dates read as UK dates before pydantic sees them (its messages are for programmers)."""
    if not isinstance(value, list):
        raise _fail(question, "expected a list of rows")
    return [{**row, "due": _date(question, row["due"], f"action {n} due ")}
            if isinstance(row, dict) and "due" in row else row for n, row in enumerate(value, start=1)]


def _text(question: Question, value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _fail(question, f"expected text, got {type(value).__name__}")
    # Text pasted from Word or a terminal: its line breaks become newlines and other
    # control characters go, so no answer can act on a terminal or break a report.
    value = normalise_answer(value).strip()
    if len(value) > MAX_TEXT:
        raise _fail(question, f"answer is {len(value):,} characters; the limit is {MAX_TEXT:,}",
                    "shorten it or attach the long document and summarise it here")
    return value or None


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"])
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def parse_yes_no(question: Question, value: Any, questionnaire: Questionnaire) -> Any:
    if value.__class__ is dict and value.keys() <= _YES_NO_KEYS:
        # As idmf writes it: the answer already "yes", "no" or empty and the
        # rationale already trimmed. Taken as it is; pydantic (below) for anything
        # else. The register reads about thirty of these in every file.
        answer, rationale = value.get("answer"), value.get("rationale", "")
        if answer in _YES_NO and rationale.__class__ is str and len(rationale) <= MAX_TEXT \
                and rationale == rationale.strip() and (rationale.isprintable() or
                                                        rationale == normalise_answer(rationale)):
            return {"answer": answer, "rationale": rationale} if answer or rationale else None
    raw = value if isinstance(value, dict) else {"answer": value}
    if isinstance(raw.get("rationale"), str):
        raw = {**raw, "rationale": normalise_answer(raw["rationale"])}
    answer = YesNoAnswer.model_validate(raw)
    if answer.answer is None and not answer.rationale:
        return None
    if len(answer.rationale) > MAX_TEXT:
        raise _fail(question, f"rationale is over {MAX_TEXT:,} characters")
    out = answer.model_dump(mode="json")
    if not out.get("taken_from"):
        out.pop("taken_from", None)  # written only when set, so files and their hashes stay as they were
    return out


def parse_text(question: Question, value: Any, questionnaire: Questionnaire) -> Optional[str]:
    return _text(question, value)


def _choice(question: Question, value: Any, allowed: list[str]) -> Optional[str]:
    text = _text(question, value)
    if text is not None and text not in allowed:
        raise _fail(question, f"{text!r} is not one of the choices: {', '.join(allowed)}")
    return text


def parse_single_choice(question: Question, value: Any, questionnaire: Questionnaire) -> Optional[str]:
    return _choice(question, value, question.choice_values(questionnaire))


def parse_multi_choice(question: Question, value: Any, questionnaire: Questionnaire) -> Optional[list[str]]:
    allowed = question.choice_values(questionnaire)
    chosen: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        text = _choice(question, item, allowed)
        if text is not None and text not in chosen:
            chosen.append(text)
    return chosen or None


def parse_date(question: Question, value: Any, questionnaire: Questionnaire) -> Optional[str]:
    return _date(question, value)


def parse_number(question: Question, value: Any, questionnaire: Questionnaire) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(question, f"expected a number, got {value!r}")
    return value


def _rows(question: Question, value: Any, adapter: TypeAdapter) -> list:
    if not isinstance(value, list):
        raise _fail(question, "expected a list of rows")
    return adapter.validate_python(value)


def _rows_out(question: Question, rows: list) -> Optional[list[dict]]:
    for row in rows:
        for name, text in row.model_dump().items():
            if isinstance(text, str) and len(text) > MAX_TEXT:
                raise _fail(question, f"{name} is over {MAX_TEXT:,} characters")
    out = [row.model_dump(mode="json", exclude_defaults=False) for row in rows]
    for row in out:
        for column in OPTIONAL_ROW_COLUMNS:  # written only when given, so older files read as they were
            if row.get(column, 0) is None:
                del row[column]
    return out or None


OPTIONAL_ROW_COLUMNS = ("engaged", "share_affected", "share_population")


def parse_group_impacts(question: Question, value: Any, questionnaire: Questionnaire) -> Optional[list[dict]]:
    rows = _rows(question, value, _GROUP_ROWS)
    allowed = {g.id for g in questionnaire.groups_in(question.groups or "all")}
    seen = set()
    for row in rows:
        if row.group not in allowed:
            raise _fail(question, f"{row.group!r} is not one of this question's groups",
                        "use a group id from questionnaires/groups.yaml")
        if row.group in seen:
            raise _fail(question, f"group {row.group!r} appears twice")
        seen.add(row.group)
    return _rows_out(question, rows)


def parse_actions(question: Question, value: Any, questionnaire: Questionnaire) -> Optional[list[dict]]:
    return _rows_out(question, _rows(question, _action_dues(question, value), _ACTION_ROWS))


def parse_person(question: Question, value: Any, questionnaire: Questionnaire) -> Optional[dict]:
    if not isinstance(value, dict):
        raise _fail(question, "expected name, role and date")
    if "date" in value:  # read as a UK date before pydantic sees it (its messages are for programmers)
        value = {**value, "date": _date(question, value["date"])}
    person = PersonAnswer.model_validate(value)
    return person.model_dump(mode="json") if any(person.model_dump().values()) else None


def parse_answer(question: Question, value: Any, questionnaire: Questionnaire) -> Any:
    """Validate ``value`` for ``question``; return plain data, or None if blank."""
    if value is None:
        return None
    try:
        return behaviour(question.type).parse(question, value, questionnaire)
    except ValidationError as exc:
        raise _fail(question, _validation_message(exc))


def parse_answers(answers: dict, questionnaire: Questionnaire) -> dict:
    """Check every stored answer; unknown question ids are errors."""
    clean = {}
    for question_id, value in answers.items():
        question = questionnaire.question(str(question_id))
        if question is None:
            raise AnswerError(
                f"unknown question id {question_id!r}", where=f"answers.{question_id}",
                hint="the questionnaire has no such question; fix the id or remove the answer",
            )
        parsed = parse_answer(question, value, questionnaire)
        if parsed is not None:
            clean[question.id] = parsed
    return clean
