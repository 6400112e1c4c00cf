"""The one table of question types: every type has every entry, and each entry works with the others.

Enumerates QuestionType rather than picking cases, so a new type added to the
enum without a row in the domain table (parse, facts, text, sample, ref kind)
or in the wizard's editor table fails here, not in a user's hands.
"""

from __future__ import annotations

import asyncio
import random

import pytest
from textual.app import App, ComposeResult

from idmf.answer_text import NOT_ANSWERED, answer_text
from idmf.facts import _answer_facts, is_answered
from idmf.model.questionnaire import Question, QuestionType
from idmf.question_types import TypeBehaviour, question_types
from idmf.questionnaire.answers import parse_answer
from idmf.questionnaire.loader import load_questionnaire
from idmf.questionnaire.refs import resolve
from idmf.samples import random_answer
from idmf.wizard.widgets.editors import EDITORS, editor_for

QUESTIONNAIRE = load_questionnaire()
REF_KINDS = {"yes_no", "text", "choice", "multi", "date", "number", "rows", "person"}


def _question(kind: QuestionType) -> Question:
    """The shipped questionnaire's first question of this type; one made up when it asks none (e.g. number)."""
    for question in QUESTIONNAIRE.questions():
        if question.type == kind:
            return question
    return Question(id=f"test.{kind.value}", type=kind, text=f"A {kind.value} question")


def test_every_question_type_has_a_row_in_the_domain_table_and_an_editor_in_the_wizard():
    table = question_types()
    assert set(table) == set(QuestionType), "a question type without a row in idmf.question_types"
    assert set(EDITORS) == set(QuestionType), "a question type without an editor in the wizard"
    for kind, row in table.items():
        assert isinstance(row, TypeBehaviour)
        assert all(callable(f) for f in (row.parse, row.facts, row.text, row.sample)), kind
        assert row.ref_kind in REF_KINDS, kind


@pytest.mark.parametrize("kind", list(QuestionType), ids=lambda k: k.value)
def test_each_type_reads_stores_shows_and_tests_its_answers_consistently(kind):
    question = _question(kind)
    rng = random.Random(kind.value)
    for _ in range(40):
        raw = random_answer(question, QUESTIONNAIRE, rng)
        stored = parse_answer(question, raw, QUESTIONNAIRE)
        if stored is None:  # e.g. a sign-off drawn without a name or date: blank is allowed
            continue
        # What is stored reads back unchanged (a saved answer re-saved never changes).
        assert parse_answer(question, stored, QUESTIONNAIRE) == stored
        facts = _answer_facts(question, stored)
        shown = answer_text(question, stored, QUESTIONNAIRE)
        assert shown and shown != NOT_ANSWERED
        if is_answered(question, facts):
            assert resolve(question.id, QUESTIONNAIRE) is None or \
                resolve(question.id, QUESTIONNAIRE).kind == question_types()[kind].ref_kind
        else:  # only a sign-off without a name counts as not answered
            assert kind == QuestionType.person and not stored.get("name")
    assert answer_text(question, None, QUESTIONNAIRE) == NOT_ANSWERED
    assert _answer_facts(question, None) == {}


class _EditorApp(App):
    def __init__(self, question: Question, current):
        super().__init__()
        self.editor = editor_for(question, QUESTIONNAIRE, current)

    def compose(self) -> ComposeResult:
        yield self.editor


@pytest.mark.parametrize("kind", list(QuestionType), ids=lambda k: k.value)
def test_each_type_s_editor_gives_back_the_saved_answer_unchanged(kind):
    """Opening a question with a saved answer and saving again (Ctrl+S) must not change any part of it."""
    question = _question(kind)
    rng = random.Random(f"editor-{kind.value}")
    answers = []
    while len(answers) < 5:
        stored = parse_answer(question, random_answer(question, QUESTIONNAIRE, rng), QUESTIONNAIRE)
        if stored is not None and stored not in answers:
            answers.append(stored)

    async def shown_and_given_back(stored):
        app = _EditorApp(question, stored)
        async with app.run_test(size=(100, 34)) as pilot:
            await pilot.pause()
            return app.editor.value()

    for stored in answers:
        given_back = parse_answer(question, asyncio.run(shown_and_given_back(stored)), QUESTIONNAIRE)
        assert _unordered(kind, given_back) == _unordered(kind, stored)


def _unordered(kind: QuestionType, answer):
    """Ticked choices and impact rows are sets: the editor lists them in the questionnaire's order,
    which is not a change (the wizard saves only when what is in the box differs from what it opened with)."""
    if kind == QuestionType.multi_choice:
        return sorted(answer)
    if kind == QuestionType.group_impacts:
        return sorted(answer, key=lambda row: row["group"])
    return answer
