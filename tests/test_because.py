"""Every finding says why, in the author's own words where words were the cause.

For every example and every case in the bank: each finding (and each finding grouped under a root)
has at least one "Because" line; every passage a Because line quotes (“…”) is the author's text,
verbatim; and a Because line citing a yes/no answer carries its rationale exactly as written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from idmf.model.questionnaire import QuestionType
from idmf.store import load_assessment

from .conftest import EXAMPLES

FILES = sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "cases").glob("*.yaml"))
QUOTED = re.compile(r"“(.+?)”(?=[\s.,;:)]|$)", re.S)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_because_line_quotes_the_words_that_caused_it(path: Path, engine, questionnaire):
    assessment = load_assessment(path, questionnaire).assessment
    written = _strings(assessment.answers)
    result = engine.check(assessment)
    for finding in (f for top in result for f in (top, *top.consequences)):
        assert finding.triggered_by, f"{path.name}: {finding.rule_id} says nothing about why"
        for trigger in finding.triggered_by:
            quotes = QUOTED.findall(trigger.answer)
            for quoted in quotes:
                assert any(quoted in text for text in written), (
                    f"{path.name}: {finding.rule_id} quotes words the author did not write: {quoted!r}")
            question = questionnaire.question(trigger.question_id)
            given = assessment.get_answer(trigger.question_id)
            # A Because line either quotes the sentence that caused it (held above) or cites the answer whole.
            if not quotes and question is not None and question.type == QuestionType.yes_no and isinstance(given, dict) \
                    and (given.get("rationale") or "").strip():
                assert given["rationale"].strip() in trigger.answer, (
                    f"{path.name}: {finding.rule_id} cites {trigger.question_id} without its rationale as written")
