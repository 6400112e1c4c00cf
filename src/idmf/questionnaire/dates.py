"""Dates as people in the UK write them: day first, in figures or with the month in words.

One reader for every date a person types (the wizard, a hand-edited assessment file, an
import), so "15/03/2027" means the 15th of March everywhere and never the 3rd of some
fifteenth month. Dates are stored as ISO (2027-03-15) and shown back in words
("15 March 2027") so the person can see which day idmf understood.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Optional

EXAMPLE = "15/03/2027"
HOW_TO = f"type it like {EXAMPLE} (day, month, year) or 15 March 2027"

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec"),
), start=1) for name in names}

# Years a decision, a review or a sign-off can plausibly carry: anything else is a slip
# of the keyboard (0227, 20277) that would otherwise be stored as written.
FIRST_YEAR, LAST_YEAR = 1900, 2199

_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_FIGURES = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})")
_WEEKDAY = re.compile(r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\.?,?\s+(.*)", re.I)
_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s*[\s\-/]\s*([a-z]+)\.?,?\s*[\s\-/]\s*(\d{2}|\d{4})", re.I)


class DateError(ValueError):
    """Text that is not a date idmf can read; ``reason`` says why in plain English."""

    def __init__(self, text: str, reason: str):
        super().__init__(f"'{text}' {reason}")
        self.text = text
        self.reason = reason


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year  # "27" is 2027: these are dates of decisions and reviews


def _make(text: str, year: int, month: int, day: int) -> dt.date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(text, f"is not a real date (the year {year} looks mistyped) — {HOW_TO}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(text, f"is not a real date — {HOW_TO}") from None


def parse_uk_date(value: Any) -> Optional[dt.date]:
    """The date in ``value`` (day first); None when it is blank.

    Reads 15/03/2027, 15/3/27, 15-03-2027, 15.03.2027, 15 March 2027, 15 Mar 27,
    15th March 2027 and ISO 2027-03-15; a ``date`` (as YAML reads an ISO date) is
    taken as it is. Raises DateError saying what is wrong with anything else.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise DateError(value.isoformat(), f"has a time as well as a date — {HOW_TO}")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise DateError(str(value), f"is not a date — {HOW_TO}")
    text = " ".join(value.split())
    if not text:
        return None
    shown = text if len(text) <= 40 else text[:39] + "…"
    weekday = None
    if m := _WEEKDAY.fullmatch(text):  # "Monday 15 March 2027", as the wizard shows a date back
        weekday, text = _DAYS[m.group(1)[:3].lower()], m.group(2)
    date = _read(text, shown)
    if weekday is not None and date.weekday() != weekday:
        raise DateError(shown, f"does not add up: {date_in_words(date)} is a {date:%A} — {HOW_TO}")
    return date


def _read(text: str, shown: str) -> dt.date:
    if m := _ISO.fullmatch(text):
        return _make(shown, int(m.group(1)), int(m.group(3)), int(m.group(4)))
    if m := _FIGURES.fullmatch(text):
        return _make(shown, _year(m.group(4)), int(m.group(3)), int(m.group(1)))
    if m := _WORDS.fullmatch(text):
        month = MONTHS.get(m.group(2).lower())
        if month is None:
            raise DateError(shown, f"is not a date: '{m.group(2)}' is not a month — {HOW_TO}")
        return _make(shown, _year(m.group(3)), month, int(m.group(1)))
    raise DateError(shown, f"is not a date idmf can read — {HOW_TO}")


def date_in_words(value: Any) -> str:
    """15 March 2027 (no leading zero); '' for no date."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return ""
