"""The one table of question types: how each kind of answer is read, turned into facts, shown and sampled.

Every way an answer travels goes through this table: ``parse_answer`` (the
gate every answer passes, from the wizard, the CLI, an import or a
hand-edited file), ``build_facts`` (what conditions and rules see),
``answer_text`` (``idmf show``, the wizard and every report) and
``random_answer`` (benchmarks and property tests). The wizard's editors are a
table of their own (``idmf.wizard.widgets.editors.EDITORS``) because the
domain holds no UI code; tests/test_question_types.py checks that both tables
have an entry for every type, so adding a type is one row in each and a
missing entry fails a test rather than falling through an ``elif`` chain.

The behaviours themselves live beside the code they belong to (parsing in
``questionnaire.answers``, facts in ``facts`` ...); this module only says which
goes with which. The table is built on first use so that those modules can
consult it without an import cycle.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Optional

from .model.questionnaire import Question, QuestionType, Questionnaire


@dataclass(frozen=True)
class TypeBehaviour:
    """What idmf does with one type of question."""

    # Check a (non-None) raw answer and return plain data, or None when blank; raises AnswerError
    # (or pydantic's ValidationError, which parse_answer turns into one naming the question).
    parse: Callable[[Question, Any, Questionnaire], Any]
    # The facts an answer gives conditions and rules ({question id or id.part: value}).
    facts: Callable[[Question, Any], dict[str, Any]]
    # One readable line (or a few) for a non-blank answer.
    text: Callable[[Question, Any, Questionnaire], str]
    # A random but well-formed answer, for benchmarks and property tests.
    sample: Callable[[Question, Questionnaire, random.Random], Any]
    # What conditions may compare it with (idmf.questionnaire.refs): yes_no, text, choice, multi,
    # date, number, rows or person.
    ref_kind: str
    # The fact that says the question is answered: the id itself, or "<id>.<part>" for answers
    # with parts (a sign-off is answered when it has a name).
    answered_part: Optional[str] = None


@cache
def _table() -> dict[QuestionType, TypeBehaviour]:
    from . import answer_text as show
    from . import facts as F
    from . import samples as S
    from .questionnaire import answers as P

    return {
        QuestionType.yes_no: TypeBehaviour(P.parse_yes_no, F.yes_no_facts, show.yes_no_text, S.sample_yes_no, "yes_no"),
        QuestionType.text: TypeBehaviour(P.parse_text, F.plain_facts, show.plain_text, S.sample_text, "text"),
        QuestionType.long_text: TypeBehaviour(P.parse_text, F.plain_facts, show.plain_text, S.sample_text, "text"),
        QuestionType.single_choice: TypeBehaviour(P.parse_single_choice, F.plain_facts, show.choice_text,
                                                  S.sample_single_choice, "choice"),
        QuestionType.multi_choice: TypeBehaviour(P.parse_multi_choice, F.multi_choice_facts, show.choices_text,
                                                 S.sample_multi_choice, "multi"),
        QuestionType.date: TypeBehaviour(P.parse_date, F.date_facts, show.date_text, S.sample_date, "date"),
        QuestionType.number: TypeBehaviour(P.parse_number, F.number_facts, show.plain_text, S.sample_number, "number"),
        QuestionType.group_impacts: TypeBehaviour(P.parse_group_impacts, F.group_impacts_facts, show.group_impacts_text,
                                                  S.sample_group_impacts, "rows"),
        QuestionType.actions: TypeBehaviour(P.parse_actions, F.actions_facts, show.actions_text, S.sample_actions, "rows"),
        QuestionType.person: TypeBehaviour(P.parse_person, F.person_facts, show.person_text, S.sample_person, "person",
                                           answered_part="name"),
    }


def behaviour(kind: QuestionType) -> TypeBehaviour:
    """The row of the table for one type of question."""
    return _table()[kind]


def question_types() -> dict[QuestionType, TypeBehaviour]:
    """The whole table (for tests and documentation)."""
    return dict(_table())
