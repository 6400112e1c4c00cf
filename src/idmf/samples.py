"""Random but well-formed assessments, for benchmarks and property tests.

Answers are drawn per question type from the questionnaire itself, with a
bias towards the answers that matter (yes/no both common, some questions
left blank, negative impacts with and without mitigation), so generated
assessments exercise most rules.
"""

from __future__ import annotations

import datetime as dt
import random

from .model.assessment import Assessment, QuestionnaireRef
from .model.questionnaire import QuestionType, Questionnaire

_WORDS = ("people", "access", "service", "clinic", "carers", "digital", "data", "travel", "rural", "waiting",
          "equity", "staff", "language", "outcome", "review", "support", "deprived", "evidence")


def _text(rng: random.Random, words: int = 8) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, words))).capitalize()


def _date(rng: random.Random) -> str:
    return (dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1460))).isoformat()


def random_answer(question, questionnaire: Questionnaire, rng: random.Random):
    kind = question.type
    if kind == QuestionType.yes_no:
        return {"answer": rng.choice(("yes", "no")), "rationale": _text(rng) if rng.random() < 0.85 else ""}
    if kind in (QuestionType.text, QuestionType.long_text):
        return _text(rng, 20)
    if kind == QuestionType.single_choice:
        return rng.choice(question.choice_values(questionnaire))
    if kind == QuestionType.multi_choice:
        values = question.choice_values(questionnaire)
        return rng.sample(values, rng.randint(1, min(3, len(values))))
    if kind == QuestionType.date:
        return _date(rng)
    if kind == QuestionType.number:
        return rng.randint(0, 100)
    if kind == QuestionType.group_impacts:
        groups = questionnaire.groups_in(question.groups or "all")
        rows = []
        for group in rng.sample(groups, rng.randint(1, min(5, len(groups)))):
            impact = rng.choice(("positive", "negative", "negative", "neutral", "unknown"))
            row = {"group": group.id, "impact": impact, "evidence": _text(rng) if rng.random() < 0.7 else ""}
            if impact == "negative" and rng.random() < 0.7:
                row["mitigation"] = _text(rng)
                row["mitigation_type"] = rng.choice(("change_proposal", "targeted_support", "monitor_only"))
            rows.append(row)
        return rows
    if kind == QuestionType.actions:
        return [{"action": _text(rng), "owner": rng.choice(("", "Priya Shah", "Sam Jones")),
                 "due": _date(rng) if rng.random() < 0.8 else None,
                 "status": rng.choice(("not_started", "in_progress", "done"))} for _ in range(rng.randint(1, 4))]
    if kind == QuestionType.person:
        return {"name": rng.choice(("Priya Shah", "Sam Jones", "")), "role": "Programme manager", "date": _date(rng)}
    return None


def random_assessment(questionnaire: Questionnaire, rng: random.Random, *, answer_rate: float = 0.85) -> Assessment:
    assessment = Assessment(
        title=f"{_text(rng, 5)} proposal",
        questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        created=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=rng.randint(0, 700)),
    )
    for question in questionnaire.questions():
        if rng.random() < answer_rate:
            assessment.set_answer(question.id, random_answer(question, questionnaire, rng))
    return assessment
