"""UK dates (issue 11, item 9): day first in figures or words, ISO too; shown back in words;
anything else refused with a plain-English message naming the question."""

from __future__ import annotations

import datetime as dt

import pytest

from idmf.answer_text import answer_text
from idmf.questionnaire.answers import AnswerError, parse_answer
from idmf.questionnaire.dates import DateError, date_in_words, parse_uk_date

MARCH_15 = dt.date(2027, 3, 15)

READ = [
    ("15/03/2027", MARCH_15),
    ("15/3/27", MARCH_15),
    ("15/3/2027", MARCH_15),
    ("15-03-2027", MARCH_15),
    ("15.03.2027", MARCH_15),
    ("15 / 03 / 2027", MARCH_15),
    ("15 March 2027", MARCH_15),
    ("15 march 2027", MARCH_15),
    ("15 Mar 27", MARCH_15),
    ("15 Mar. 2027", MARCH_15),
    ("15th March 2027", MARCH_15),
    ("15-Mar-2027", MARCH_15),
    ("  15/03/2027  ", MARCH_15),
    ("Monday 15 March 2027", MARCH_15),
    ("2027-03-15", MARCH_15),
    ("2027/03/15", MARCH_15),
    ("1/2/27", dt.date(2027, 2, 1)),  # day first: the 1st of February, never 2 January
    ("12/11/2026", dt.date(2026, 11, 12)),
    ("29/02/2028", dt.date(2028, 2, 29)),  # a leap year
    ("9 Sept 2027", dt.date(2027, 9, 9)),
    (MARCH_15, MARCH_15),  # as YAML reads an ISO date from a file
]


@pytest.mark.parametrize("text,expected", READ, ids=[str(t) for t, _ in READ])
def test_a_date_as_people_in_the_uk_write_it_is_read_day_first(text, expected):
    assert parse_uk_date(text) == expected


@pytest.mark.parametrize("text", ["", "   ", None])
def test_a_blank_date_is_no_date_not_an_error(text):
    assert parse_uk_date(text) is None


REFUSED = [
    ("31/02/2027", "is not a real date"),
    ("00/00/0000", "is not a real date"),
    ("2026-13-01", "is not a real date"),
    ("29/02/2027", "is not a real date"),  # not a leap year
    ("32 March 2027", "is not a real date"),
    ("15/03/0227", "the year 227 looks mistyped"),
    ("15/13/2027", "is not a real date"),
    ("next Tuesday", "is not a date idmf can read"),
    ("soon", "is not a date idmf can read"),
    ("15/03", "is not a date idmf can read"),  # no year
    ("2027", "is not a date idmf can read"),
    ("03/15/2027", "is not a real date"),  # American order: there is no 15th month
    ("15 Marhc 2027", "'Marhc' is not a month"),
    ("Tuesday 15 March 2027", "15 March 2027 is a Monday"),
    ("15/03/2027 10:30", "is not a date idmf can read"),
    (20270315, "is not a date"),
    (dt.datetime(2027, 3, 15, 10, 30), "has a time as well as a date"),
]


@pytest.mark.parametrize("text,reason", REFUSED, ids=[str(t) for t, _ in REFUSED])
def test_anything_else_is_refused_saying_why_and_how_to_type_it(text, reason):
    with pytest.raises(DateError) as caught:
        parse_uk_date(text)
    message = str(caught.value)
    assert reason in message
    assert "type it like 15/03/2027" in message  # every refusal says what to type instead


WORDS = [("2027-03-15", "15 March 2027"), (dt.date(2027, 3, 5), "5 March 2027"), (None, ""), ("", "")]


@pytest.mark.parametrize("value,words", WORDS, ids=[repr(v) for v, _ in WORDS])
def test_a_date_is_shown_back_in_words(value, words):
    assert date_in_words(value) == words


# --- the one gate every answer passes through (wizard, files, import) -------------------------

def test_a_date_question_stores_a_uk_date_as_iso_and_shows_it_in_words(questionnaire):
    question = questionnaire.question("review.review_date")
    stored = parse_answer(question, "15/3/27", questionnaire)
    assert stored == "2027-03-15"
    assert answer_text(question, stored, questionnaire) == "15 March 2027"


@pytest.mark.parametrize("question_id,value,where", [
    ("review.review_date", "31/02/2027", "\u201cWhen will the review take place?\u201d date: '31/02/2027'"),
    ("decide.actions", [{"action": "Book interpreters"}, {"action": "Print letters", "due": "31/02/2027"}],
     "action 2 due date: '31/02/2027'"),
    ("signoff.drafted_by", {"name": "Sam Jones", "role": "Manager", "date": "31/02/2027"},
     "\u201cWho drafted this assessment?\u201d date: '31/02/2027'"),
])
def test_a_wrong_date_in_any_answer_is_named_in_full_plain_english(questionnaire, question_id, value, where):
    with pytest.raises(AnswerError) as caught:
        parse_answer(questionnaire.question(question_id), value, questionnaire)
    message = caught.value.message
    assert where in message and "is not a real date — type it like 15/03/2027" in message, message
    assert "Input should be" not in message and "value_error" not in message  # no pydantic wording


def test_uk_dates_in_action_plans_and_sign_offs_are_stored_as_iso(questionnaire):
    actions = parse_answer(questionnaire.question("decide.actions"),
                           [{"action": "Book interpreters", "due": "15 Mar 27"}], questionnaire)
    person = parse_answer(questionnaire.question("signoff.drafted_by"),
                          {"name": "Sam Jones", "role": "Manager", "date": "1/2/27"}, questionnaire)
    assert actions[0]["due"] == "2027-03-15" and person["date"] == "2027-02-01"


@pytest.mark.parametrize("written, expected", [
    ("15/03/2027", dt.date(2027, 3, 15)),
    ("15 Mar 27", dt.date(2027, 3, 15)),
    ("15.03.2027", dt.date(2027, 3, 15)),
    ("Monday 15 March 2027", dt.date(2027, 3, 15)),
    ("15th March 2027.", dt.date(2027, 3, 15)),
    ("Signed 15/03/2027 by the E&I lead", dt.date(2027, 3, 15)),
    ("March 15, 2027", dt.date(2027, 3, 15)),
    ("2027-03-15", dt.date(2027, 3, 15)),
    ("31/02/2027", None),
    ("", None),
])
def test_dates_on_an_imported_form_are_read_day_first_as_in_the_wizard(written, expected):
    from idmf.importing.form import parse_form_date

    assert parse_form_date(written) == expected
