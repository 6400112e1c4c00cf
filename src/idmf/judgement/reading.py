"""Reading the author's own words for signals, sentence by sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from ..model.questionnaire import Questionnaire, QuestionType
from .model import Signal

_WORD = re.compile(r"[a-z0-9/]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
READ_MAX = 20_000  # an answer is read only this far: signals are about what people write, not essays


@dataclass(frozen=True)
class Quote:
    """Where a signal was found: the question (or stage 2 row) and the author's sentence, verbatim."""

    question_id: str
    where: str  # how a reviewer names the place: "Q7", "Stage 2, Age: evidence"
    sentence: str


def sentences(text: str) -> Iterator[str]:
    for part in _SENTENCE_END.split(text[:READ_MAX]):
        part = part.strip()
        if part:
            yield part


def signal_in(signal: Signal, text: str) -> str | None:
    """The first sentence of ``text`` that is this signal (the whole text for whole-answer signals)."""
    if signal.words and signal.word_set.isdisjoint(_WORD.findall(text[:READ_MAX].lower())):
        return None
    if signal.whole_answer:
        return text.strip() if signal.matches(text.strip()) else None
    if not signal.found_in(text[:READ_MAX]):  # a pattern found in a sentence is found in the whole text
        return None
    if signal.unless_in == "answer" and signal.excluded_by(text[:READ_MAX]):
        return None
    return next((s for s in sentences(text) if signal.matches(s)), None)


_WRITTEN = (QuestionType.yes_no, QuestionType.text, QuestionType.long_text, QuestionType.group_impacts)
_PLACES: dict[int, tuple[Questionnaire, list[tuple[Any, str, list[Signal]]]]] = {}


def _written_questions(questionnaire: Questionnaire) -> list[tuple[Any, str, list[Signal]]]:
    """The questions that take free text, how a reviewer names each, and the signals read there:
    worked out once per questionnaire, since every check reads them."""
    cached = _PLACES.get(id(questionnaire))
    if cached is None or cached[0] is not questionnaire:
        places = [(q, f"Q{q.number}" if q.number else q.text, [s for s in questionnaire.signals if s.reads(q.id)])
                  for q in questionnaire.questions() if q.type in _WRITTEN]
        cached = _PLACES[id(questionnaire)] = (questionnaire, [p for p in places if p[2]])
    return cached[1]


def _texts(facts: dict[str, Any], questionnaire: Questionnaire) -> Iterator[tuple[str, str, str, list[Signal]]]:
    """(question id, place, text, the signals read there) for every piece of free text the author wrote."""
    for question, label, reading in _written_questions(questionnaire):
        qid = question.id
        if question.type == QuestionType.yes_no:
            text = facts.get(f"{qid}.rationale")
            if isinstance(text, str):
                yield qid, label, text, reading
        elif question.type in (QuestionType.text, QuestionType.long_text):
            text = facts.get(qid)
            if isinstance(text, str):
                yield qid, label, text, reading
        elif question.type == QuestionType.group_impacts:
            for row in facts.get(qid) or ():
                group = questionnaire.group(str(row.get("group", "")))
                name = group.label if group else str(row.get("group", ""))
                for column in ("evidence", "mitigation"):
                    text = row.get(column)
                    if isinstance(text, str):
                        yield qid, f"Stage 2, {name}: {column}", text, reading


def read_signals(facts: dict[str, Any], questionnaire: Questionnaire) -> dict[str, list[Quote]]:
    """Every signal found in the author's words, with the sentence that is it."""
    found: dict[str, list[Quote]] = {}
    for qid, where, text, reading in _texts(facts, questionnaire):
        # A check reads some fifty answers after every answer in the wizard: the words of an answer
        # are found once, and a signal none of whose words it has is not searched for.
        words = frozenset(_WORD.findall(text[:READ_MAX].lower()))
        for signal in reading:
            if signal.words and words.isdisjoint(signal.word_set):
                continue
            sentence = signal_in(signal, text)
            if sentence:
                found.setdefault(signal.id, []).append(Quote(qid, where, sentence))
    return found
