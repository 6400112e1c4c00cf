"""Recognising a stage 1 question on a form by its number and its words.

Forms word the questions a little differently from idmf's questionnaire,
renumber sections, or use bullets. A line is taken as question N when its
number is N and its words fit N, or, when there is no number or the number
does not fit, when its words fit one question clearly better than any other.
Words are weighted by how rare they are among the 28 questions, so "life" in
"Article 2 - right to life" counts and "article" or "right" hardly do.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional

_STOP = frozenset("""
a an the of to in on or and it is be any that this for by with will you your have has may can could
are do does as at from its their there they we our which who would should been was were if into
than then so such e g eg ie i.e e.g how what when where why all any some other others yes no
""".split())

_NUMBERED = re.compile(
    r"^\s*(?:\*{1,2})?\s*(?:q(?:uestion)?\s*\.?\s*)?(\d{1,2})(?:\s*[.):\-–]|\s)\s*(?:\*{1,2})?\s*(.*)$", re.I)
_BARE_NUMBER = re.compile(r"^\s*(?:q(?:uestion)?\s*\.?\s*)?(\d{1,2})\s*[.):]?\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•▪◦·●○■□➢➤►‣⁃]|\(?[a-z]\))\s+(.*)$")

NUMBER_FITS = 0.22     # the words fit the question the number names
WORDS_ALONE = 0.42     # no (fitting) number: the words alone must fit this well ...
MARGIN = 0.08          # ... and better than the next best question by this much


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    text = re.sub(r"[*_\u00ad]", " ", text.lower())
    return [_stem(w) for w in re.findall(r"[a-z]+|\d+", text) if w not in _STOP]


@dataclass
class Anchor:
    number: int           # the question it is, by idmf's numbering
    text: str             # the line's text after any number or bullet
    score: float
    form_number: Optional[int] = None  # the number the form gave it, when it gave one


class QuestionMatcher:
    def __init__(self, questions: dict[int, str]):
        self.texts = questions
        self._bags = {n: words(t) for n, t in questions.items()}
        docs = len(questions)
        seen: dict[str, int] = {}
        for bag in self._bags.values():
            for w in set(bag):
                seen[w] = seen.get(w, 0) + 1
        self._idf = {w: math.log(1 + docs / n) for w, n in seen.items()}
        self._unknown = math.log(1 + docs)  # a word no question uses: rare, but in none of them
        self._vectors = {n: self._vector(bag) for n, bag in self._bags.items()}

    def _vector(self, bag: list[str]) -> dict[str, float]:
        vec: dict[str, float] = {}
        for w in bag:
            vec[w] = vec.get(w, 0.0) + self._idf.get(w, self._unknown)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    def _mend(self, text: str) -> str:
        """A PDF cell's possible break inside a word ("considere\u00ad d") joined when the whole
        word is one the questions use and its parts are not both words of theirs."""
        def join(m: re.Match) -> str:
            a, b = m.group(1), m.group(2)
            whole = _stem((a + b).lower())
            if whole in self._idf and not (_stem(a.lower()) in self._idf and _stem(b.lower()) in self._idf):
                return a + b
            return f"{a} {b}"
        return re.sub(r"(\w+)\u00ad (\w+)", join, text) if "\u00ad" in text else text

    def scores(self, text: str) -> dict[int, float]:
        vec = self._vector(words(self._mend(text)))
        return {n: sum(v * vec.get(w, 0.0) for w, v in qv.items()) for n, qv in self._vectors.items()}

    def score(self, number: int, text: str) -> float:
        return self.scores(text).get(number, 0.0)

    def best(self, text: str, expected: Optional[int] = None) -> tuple[Optional[int], float]:
        """The question the words fit best, if they fit it well and clearly."""
        scores = self.scores(text)
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked:
            return None, 0.0
        (top, s1), s2 = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        # The question expected next in sequence wins a near tie.
        if expected in scores and scores[expected] >= WORDS_ALONE and scores[expected] >= s1 - MARGIN:
            return expected, scores[expected]
        if s1 >= WORDS_ALONE and s1 - s2 >= MARGIN:
            return top, s1
        return None, s1

    def anchor(self, line: str, *, listed: bool = False, expected: Optional[int] = None) -> Optional[Anchor]:
        """The question this line starts, if it starts one."""
        m = _NUMBERED.match(line)
        if m and m.group(2).strip():
            n, rest = int(m.group(1)), m.group(2).strip()
            if len(words(rest)) >= 2:
                fit = self.score(n, rest) if n in self.texts else 0.0
                if fit >= NUMBER_FITS:
                    best, top = self.best(rest, expected)
                    if best is None or best == n or top < fit + 0.25:
                        return Anchor(n, rest, fit, n)
                best, top = self.best(rest, expected)
                if best is not None:
                    return Anchor(best, rest, top, n)
            return None
        b = _BULLET.match(line)
        rest = b.group(1).strip() if b else line.strip() if listed else None
        if rest is None or len(words(rest)) < 2:
            return None
        best, top = self.best(rest, expected)
        return Anchor(best, rest, top) if best is not None else None

    def unnumbered(self, line: str, expected: Optional[int] = None) -> Optional[Anchor]:
        """A line with no number or bullet that is plainly one question's wording (numbers lost in a PDF)."""
        if len(words(line)) < 3:
            return None
        best, top = self.best(line, expected)
        if best is not None and top >= 0.6:
            return Anchor(best, line.strip(), top)
        return None


def bare_number(line: str) -> Optional[int]:
    m = _BARE_NUMBER.match(line)
    return int(m.group(1)) if m else None
