"""Answer parsing: the fast path for yes/no answers means what the pydantic model means."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idmf.errors import InputError
from idmf.questionnaire import answers as A

from .conftest import examples

_values = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=6),
                    st.sampled_from(["yes", "no", "Yes", " no", "NO ", "", "maybe", " why ", "x" * 20_001]))


def _parse(question, value, questionnaire):
    try:
        return A.parse_answer(question, value, questionnaire)
    except InputError as exc:
        return ("refused", exc.message)


@pytest.fixture(scope="module")
def yes_no(questionnaire):
    return next(q for q in questionnaire.questions() if q.type.value == "yes_no")


@settings(max_examples=examples(1500), deadline=None)
@given(value=st.one_of(_values, st.dictionaries(st.sampled_from(["answer", "rationale", "extra"]), _values)))
def test_yes_no_fast_path_agrees_with_the_model(value, yes_no, questionnaire):
    fast = _parse(yes_no, value, questionnaire)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(A, "_YES_NO_KEYS", frozenset())  # only {} still passes the key test, and both read it as blank
        slow = _parse(yes_no, value, questionnaire)
    assert fast == slow


def test_yes_no_answers_are_normalised(yes_no, questionnaire):
    assert A.parse_answer(yes_no, {"answer": "Yes", "rationale": " because "}, questionnaire) == \
        {"answer": "yes", "rationale": "because"}
    assert A.parse_answer(yes_no, {"answer": "no", "rationale": "fine"}, questionnaire) == \
        {"answer": "no", "rationale": "fine"}
    assert A.parse_answer(yes_no, {"answer": None, "rationale": ""}, questionnaire) is None
    with pytest.raises(InputError):
        A.parse_answer(yes_no, {"answer": "maybe"}, questionnaire)
