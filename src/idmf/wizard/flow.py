"""Findings in the flow of the wizard: which findings are the user's to act on now, which are about
questions not reached yet ("to come"), and which question a finding is about.

A part of the wizard's Session (it reads the session's answers and what they imply), kept apart
because it is a job of its own: the session keeps the answers and saves them; this says what the
rules found means for the user at the point they have reached. Free of Textual.
"""

from __future__ import annotations

from typing import Any, Optional

from ..facts import is_answered
from ..model.assessment import Assessment
from ..model.questionnaire import Question
from ..rules.engine import summarise
from ..rules.model import Finding, Findings

# Derived facts that are lists of questions (facts.build_facts): a finding on one is about those questions.
_QUESTION_LISTS = {"derived.unanswered_required", "derived.missing_rationale"}


class FindingsInFlow:
    """Mixed into Session, whose answers it reads: ``facts()``, ``visible()``, ``_derive``,
    ``questionnaire``, ``rules``, ``skipped``; it keeps how far the user has gone (``furthest``, the
    place of the furthest question asked) and whether every finding is wanted now (``all_findings``)."""

    furthest: int
    all_findings: bool
    _order: dict[str, int]

    def facts(self) -> dict[str, Any]:  # pragma: no cover - the session's
        raise NotImplementedError

    # --- what a finding is about ------------------------------------------------

    def _question_of_ref(self, ref: str) -> Optional[Question]:
        """The question a rule reference reads: ``signoff.drafted_by.name`` is the sign-off question."""
        return self.questionnaire.question(ref) or self.questionnaire.question(ref.rpartition(".")[0])

    def cited_questions(self, finding: Finding) -> list[Question]:
        """The questions a finding's "Because" names, in its order: the answers that made it fire,
        and for a completeness finding (unanswered questions, Yes/No without a reason) the
        questions it lists, read from the answers as they are now."""
        facts = self.facts()
        cited: list[Question] = []
        for trigger in finding.triggered_by:
            ref = trigger.question_id
            listed = facts.get(ref) if ref.startswith("derived.") else [ref]
            for qid in listed if isinstance(listed, list) else []:
                question = self._question_of_ref(str(qid))
                if question is not None and question not in cited:
                    cited.append(question)
        return cited

    @staticmethod
    def lists_questions(finding: Finding) -> bool:
        """Is the finding about a list of questions (unanswered ones, Yes/No answers without a reason)?"""
        return any(t.question_id in _QUESTION_LISTS for t in finding.triggered_by)

    def question_for(self, finding: Finding) -> Optional[Question]:
        """The one question to open for a finding: the first it lists when it is a list of
        questions (completeness, missing reasons); else the first cited question still without
        an answer (the gap it is about); else the last cited (the answer that qualifies the
        others: "an audit was done" then "what it covered")."""
        cited = self.cited_questions(finding)
        shown = {q.id for q in self.visible()}
        cited = [q for q in cited if q.id in shown] or cited
        if not cited:
            return None
        if any(t.question_id.startswith("derived.") and t.question_id in _QUESTION_LISTS for t in finding.triggered_by):
            return cited[0]
        facts = self.facts()
        return next((q for q in cited if not is_answered(q, facts)), cited[-1])

    # --- findings in the flow: what is the user's to act on now, what is to come ------------

    def visit(self, question_id: str) -> bool:
        """The user has been asked this question: the ones before it are behind them.
        True when that takes them further than before (some findings may no longer be to come)."""
        place = self._order.get(question_id, -1)
        if place <= self.furthest:
            return False
        self.furthest = place
        return True

    def reached(self, question: Question, facts: dict) -> bool:
        """Answered, skipped, or passed over (an earlier question than the furthest one asked).
        The question being asked now is not reached until it is answered or skipped."""
        return (is_answered(question, facts) or question.id in self.skipped
                or self._order.get(question.id, -1) < self.furthest)

    def to_come(self, finding: Finding, facts: Optional[dict] = None) -> bool:
        """A finding about a question the user has not reached yet: it depends on an answer
        not yet asked for (or, for a list of questions, on none the user has reached)."""
        if self.all_findings:
            return False
        # "Stage 2 required but not done" is about the stage 2 questions: it blocks nothing and is
        # not counted until the user gets there (the screen tells the news of it at once, as to come).
        facts = self.facts() if facts is None else facts
        for trigger in finding.triggered_by:
            ref = trigger.question_id
            if ref in _QUESTION_LISTS:
                listed = [self._question_of_ref(str(qid)) for qid in facts.get(ref) or []]
                if not any(q is not None and self.reached(q, facts) for q in listed):
                    return True
            elif ref == "derived.form_answered":
                # "The screening has not started" is about the numbered form (Q1-28): it is to
                # come until the user reaches the form, not a red mark before the first answer.
                if not any(q.number is not None and self.reached(q, facts) for q in self.questionnaire.questions()):
                    return True
            elif not ref.startswith("derived."):  # dates and scope are about the file, always current
                question = self._question_of_ref(ref)
                if question is not None and not self.reached(question, facts):
                    return True
        return False

    def screening_started(self) -> bool:
        """Has any question of the screening form (the numbered questions) been answered? Until
        then a rating would say nothing about the decision: it is "not started", never GREEN."""
        def compute() -> bool:
            facts = self.facts()
            return any(q.number is not None and is_answered(q, facts) for q in self.questionnaire.questions())
        return self._derive("screening_started", compute)

    def started(self) -> bool:
        """Has any question been answered (the title, given on the start screen, aside)?"""
        return self._derive("started", lambda: any(not key.startswith(("derived.", "meta.title")) for key in self.facts()))

    def findings(self) -> Findings:
        """What the rules find in the answers as they are now: worked out once per change, so the
        panel, check-your-answers and a finding's question all read the same findings.
        Builds the engine if it is not built yet (``rules.ready`` says whether that would wait)."""
        return self._derive("findings", lambda: self.rules.engine().check_facts(self.facts()))

    def check(self, snapshot: Assessment) -> Findings:
        """What the rules find in a copy of the answers: for a worker thread (opening, while the
        engine may still be building; the report), which must not share the session's own."""
        return self.rules.engine().check(snapshot)

    def live_findings(self, findings: Optional[Findings] = None) -> tuple[Findings, list[Finding]]:
        """(the findings for questions reached, with their own rating and counts; those to come).

        Before the first answer nothing is the user's yet; at check-your-answers (or on Ctrl+F)
        everything is. ``findings`` defaults to those for the answers now."""
        findings = self.findings() if findings is None else findings
        facts = self.facts()
        now, later = [], []
        for finding in findings.findings:
            (later if self.to_come(finding, facts) else now).append(finding)
        now = self._one_per_gap(now, facts)
        return summarise(now, findings.ruleset_version, findings.engine), later

    def _one_per_gap(self, findings: list[Finding], facts: dict) -> list[Finding]:
        """One blocking finding per gap: a finding that lists questions ("required questions are not
        answered") is left out while every question it lists that the user has reached is the gap
        of another blocking finding ("the justification is not written"), which says more."""
        gaps = set()
        for finding in findings:
            if finding.blocking and not self.lists_questions(finding):
                gaps.update(q.id for q in self.cited_questions(finding) if not is_answered(q, facts))
        if not gaps:
            return findings
        kept = []
        for finding in findings:
            if finding.blocking and self.lists_questions(finding):
                listed = [q for q in self.cited_questions(finding) if self.reached(q, facts)]
                if listed and all(q.id in gaps for q in listed):
                    continue
            kept.append(finding)
        return kept

