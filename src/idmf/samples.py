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
from .model.questionnaire import Questionnaire
from .question_types import behaviour

_WORDS = ("people", "access", "service", "clinic", "carers", "digital", "data", "travel", "rural", "waiting",
          "equity", "staff", "language", "outcome", "review", "support", "deprived", "evidence")


def _text(rng: random.Random, words: int = 8) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, words))).capitalize()


def _date(rng: random.Random) -> str:
    return (dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1460))).isoformat()


def sample_yes_no(question, questionnaire: Questionnaire, rng: random.Random):
    return {"answer": rng.choice(("yes", "no")), "rationale": _text(rng) if rng.random() < 0.85 else ""}


def sample_text(question, questionnaire: Questionnaire, rng: random.Random):
    return _text(rng, 20)


def sample_single_choice(question, questionnaire: Questionnaire, rng: random.Random):
    return rng.choice(question.choice_values(questionnaire))


def sample_multi_choice(question, questionnaire: Questionnaire, rng: random.Random):
    values = question.choice_values(questionnaire)
    return rng.sample(values, rng.randint(1, min(3, len(values))))


def sample_date(question, questionnaire: Questionnaire, rng: random.Random):
    return _date(rng)


def sample_number(question, questionnaire: Questionnaire, rng: random.Random):
    return rng.randint(0, 100)


def sample_group_impacts(question, questionnaire: Questionnaire, rng: random.Random):
    groups = questionnaire.groups_in(question.groups or "all")
    rows = []
    for group in rng.sample(groups, rng.randint(1, min(5, len(groups)))):
        impact = rng.choice(("positive", "negative", "negative", "neutral", "unknown"))
        row = {"group": group.id, "impact": impact, "evidence": _text(rng) if rng.random() < 0.7 else ""}
        if impact == "negative" and rng.random() < 0.7:
            row["mitigation"] = _text(rng)
            row["mitigation_type"] = rng.choice(("change_proposal", "targeted_support", "general_measure", "monitor_only"))
        if rng.random() < 0.5:
            row["engaged"] = rng.choice(("held", "planned", "not_engaged"))
        if rng.random() < 0.3:  # the author's own figures, sometimes disproportionate
            row["share_population"] = rng.randint(1, 60)
            row["share_affected"] = max(0, min(100, row["share_population"] + rng.randint(-10, 30)))
        rows.append(row)
    return rows


def sample_actions(question, questionnaire: Questionnaire, rng: random.Random):
    return [{"action": _text(rng), "owner": rng.choice(("", "Priya Shah", "Sam Jones")),
             "due": _date(rng) if rng.random() < 0.8 else None,
             "status": rng.choice(("not_started", "in_progress", "done"))} for _ in range(rng.randint(1, 4))]


def sample_person(question, questionnaire: Questionnaire, rng: random.Random):
    person = {"name": rng.choice(("Priya Shah", "Sam Jones", "")), "role": "Programme manager", "date": _date(rng)}
    if rng.random() < 0.5:  # an approver's comments: kept through every save and shown on the report
        person["comments"] = _text(rng)
    return person


def random_answer(question, questionnaire: Questionnaire, rng: random.Random):
    return behaviour(question.type).sample(question, questionnaire, rng)


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
