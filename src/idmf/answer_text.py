"""Plain-text renderings of answers, shared by `idmf show`, the wizard and reports."""

from __future__ import annotations

import re
from typing import Any

from .model.questionnaire import Question, Questionnaire
from .question_types import behaviour
from .questionnaire.dates import date_in_words
from .rationale import rationale_of

NOT_ANSWERED = "Not answered"

IMPACT_LABELS = {"positive": "Positive", "negative": "Negative", "neutral": "Neutral", "unknown": "Unknown"}
MITIGATION_LABELS = {
    "change_proposal": "Change to the proposal",
    "targeted_support": "Targeted support",
    "general_measure": "A general measure for everyone",
    "monitor_only": "Monitoring only",
    "none": "None",
}
ENGAGED_LABELS = {"held": "engaged", "planned": "engagement planned, not held", "not_engaged": "not engaged"}
STATUS_LABELS = {"not_started": "Not started", "in_progress": "In progress", "done": "Done"}


def _date(value: Any) -> str:
    return date_in_words(value)


def format_date(value: Any) -> str:
    return _date(value) or NOT_ANSWERED


def yes_no_label(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("answer")
    return {"yes": "Yes", "no": "No"}.get(value or "", NOT_ANSWERED)


# A rationale that itself opens with the answer ("Yes, postcodes will be mapped") is shown as
# written, without the answer put in front again ("Yes — Yes, postcodes ...").
_OPENS_WITH_ANSWER = re.compile(r"^(yes|no)\s*[,.;:!\u2014\u2013-]", re.IGNORECASE)


def yes_no_text(question: Question, value: Any, questionnaire: Questionnaire) -> str:
    label = yes_no_label(value)
    rationale = rationale_of(value)
    if not rationale:
        return f"{label} (no rationale given)"
    opening = _OPENS_WITH_ANSWER.match(rationale)
    if opening and opening.group(1).lower() == label.lower():
        return rationale
    return f"{label} — {rationale}"


def choice_text(question: Question, value: Any, questionnaire: Questionnaire) -> str:
    return question.choice_label(str(value), questionnaire)


def choices_text(question: Question, value: Any, questionnaire: Questionnaire) -> str:
    return "; ".join(question.choice_label(str(v), questionnaire) for v in _listed(value))


def date_text(question: Question, value: Any, questionnaire: Questionnaire) -> str:
    return _date(value) or str(value)


def group_impacts_text(question: Question, value: Any, questionnaire: Questionnaire) -> str:
    parts = []
    for row in _rows(value):
        group = questionnaire.group(row.get("group", ""))
        name = group.label if group else row.get("group", "")
        impact = IMPACT_LABELS.get(row.get("impact") or "", NOT_ANSWERED)
        extra = [ENGAGED_LABELS[row["engaged"]]] if row.get("engaged") in ENGAGED_LABELS else []
        if row.get("share_affected") is not None and row.get("share_population") is not None:
            extra.append(f"{row['share_affected']:g}% of those affected, {row['share_population']:g}% of the population")
        parts.append(f"{name}: {impact}" + (f" ({'; '.join(extra)})" if extra else ""))
    return "; ".join(parts)


def actions_text(question: Question, value: Any, questionnaire: Questionnaire) -> str:
    parts = []
    for row in _rows(value):
        who = row.get("owner") or "no owner"
        due = _date(row.get("due")) or "no date"
        parts.append(f"{row.get('action', '')} ({who}, due {due}, {STATUS_LABELS.get(row.get('status'), '')})")
    return "; ".join(parts)


def person_text(question: Question, value: Any, questionnaire: Questionnaire) -> str:
    if not isinstance(value, dict):
        return str(value)
    bits = [value.get("name", ""), value.get("role", ""), _date(value.get("date"))]
    text = ", ".join(b for b in bits if b) or NOT_ANSWERED
    if value.get("comments"):
        text += f" — {value['comments']}"
    return text


def plain_text(question: Question, value: Any, questionnaire: Questionnaire) -> str:
    return str(value)


def _listed(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _rows(value: Any) -> list[dict]:
    return [row for row in _listed(value) if isinstance(row, dict)]


def answer_text(question: Question, value: Any, questionnaire: Questionnaire) -> str:
    """One readable line (or a few) for an answer; 'Not answered' when blank."""
    if value in (None, "", [], {}):
        return NOT_ANSWERED
    return behaviour(question.type).text(question, value, questionnaire)
