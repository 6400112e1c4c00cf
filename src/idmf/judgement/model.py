"""What a reviewer knows about kinds of change, and the signals they read in an author's words: data only.

Loaded from ``questionnaires/changes.yaml`` and ``questionnaires/signals.yaml`` with the rest of the
questionnaire, so an equality team edits both without code.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

# A signal's patterns are data from a file an organisation may edit: they are compiled, never
# evaluated, and kept short so that one pattern cannot make reading an answer slow.
PATTERN_MAX = 300
SENTENCE_MAX = 2000  # longer "sentences" are read only this far


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KindGroup(_Model):
    group: str  # a group id from groups.yaml
    why: str  # why this kind of change falls on this group, in a reviewer's words


class KindRight(_Model):
    question: str  # the stage 1 question that asks about the right (ehiira.q19 .. q27)
    why: str


class RiskRemovedBy(_Model):
    question: str
    answer: str
    why: str


class ChangeKind(_Model):
    """One kind of change a decision can make, and what a reviewer expects of it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(max_length=35)  # a choice that reads whole in an 80-column terminal
    groups: list[KindGroup] = Field(default_factory=list)
    # A kind whose groups at risk are the ones the author names (a service aimed at particular
    # groups): the multi-choice question that names them, and why reducing it falls on them.
    targets_question: Optional[str] = None
    target_why: str = ""
    # An answer that removes the known risk (the old channel is kept): then no group is at known
    # risk from this kind, though the kind's rights are still read.
    risk_removed_by: Optional[RiskRemovedBy] = None
    rights: list[KindRight] = Field(default_factory=list)
    # The change selects, charges, restricts or withdraws: a group affected more often than its share
    # is burdened more often, whatever the rating says (idmf.judgement, disproportion).
    burdens_those_affected: bool = False
    evidence: list[str] = Field(min_length=1)
    mitigations: list[str] = Field(min_length=1)
    engage: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    follow_ups: list[str] = Field(default_factory=list)
    line: int = 0
    source: str = ""


class SignalExamples(_Model):
    matches: list[str] = Field(min_length=1)
    does_not_match: list[str] = Field(min_length=1)


class Signal(_Model):
    """A way authors put something, read from their own words.

    A sentence is a signal when one of ``patterns`` is found in it and none of ``unless`` is.
    ``whole_answer`` signals are read against a whole rationale instead (a bare "No concern.").
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    meaning: str
    patterns: list[str] = Field(min_length=1)
    unless: list[str] = Field(default_factory=list)
    whole_answer: bool = False
    # Where ``unless`` is looked for: the sentence itself, or the whole answer (a bus journey given
    # in the next sentence still means the journey was not measured by car only).
    unless_in: Literal["sentence", "answer"] = "sentence"
    # A quick test: an answer with none of these words (lower case) is not searched for the
    # patterns. Empty means always search. The examples hold the words to the patterns.
    words: list[str] = Field(default_factory=list)
    # Where to read it: question ids, or prefixes ending in '*' ("stage2.*"); empty means every answer.
    read_from: list[str] = Field(default_factory=list)
    examples: SignalExamples
    line: int = 0
    source: str = ""

    @cached_property
    def _compiled(self) -> tuple[re.Pattern, re.Pattern | None]:
        # One alternation each: a check reads every answer for every signal, so one search per
        # sentence instead of one per pattern keeps `idmf check` at the speed of reading.
        found = re.compile("|".join(f"(?:{p})" for p in self.patterns), re.IGNORECASE)
        excluded = re.compile("|".join(f"(?:{p})" for p in self.unless), re.IGNORECASE) if self.unless else None
        return found, excluded

    def found_in(self, text: str) -> bool:
        """Whether any pattern occurs anywhere in ``text``: a quick test before reading it sentence by sentence."""
        return self._compiled[0].search(text) is not None

    @cached_property
    def word_set(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.words)

    @cached_property
    def _read_where(self) -> tuple[frozenset[str], tuple[str, ...]]:
        return (frozenset(p for p in self.read_from if not p.endswith("*")),
                tuple(p[:-1] for p in self.read_from if p.endswith("*")))

    def reads(self, question_id: str) -> bool:
        # Asked for every answer of every check: a set lookup and one startswith, not a loop.
        if not self.read_from:
            return True
        exact, prefixes = self._read_where
        return question_id in exact or (bool(prefixes) and question_id.startswith(prefixes))

    def excluded_by(self, text: str) -> bool:
        excluded = self._compiled[1]
        return excluded is not None and excluded.search(text[:SENTENCE_MAX * 10]) is not None

    def matches(self, text: str) -> bool:
        text = text[:SENTENCE_MAX]
        found, excluded = self._compiled
        return found.search(text) is not None and (excluded is None or excluded.search(text) is None)


def pattern_problems(signal: Signal) -> list[str]:
    problems = []
    for pattern in [*signal.patterns, *signal.unless]:
        if len(pattern) > PATTERN_MAX:
            problems.append(f"signal {signal.id!r}: a pattern is longer than {PATTERN_MAX} characters")
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(f"signal {signal.id!r}: pattern {pattern!r} is not a valid regular expression ({exc})")
    return problems
