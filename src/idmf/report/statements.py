"""What the board's appendix may claim, worked out once from the answers and the findings.

Every sentence the appendix says about the assessment as a whole (whether a full
stage 2 assessment is needed or done, whether any negative impact is recorded,
the rating, the readiness) is read from one ``Statements`` built here, from the
answers and the very findings `idmf check` gives. No template or renderer works
any of this out for itself, so the appendix cannot say "no negative impact"
beside a finding that records one, or "stage 2 not called for" beside a finding
that disputes the screening answer it rests on.

Findings are read generically (severity, blocking, readiness, the answers that
triggered them), never by rule id, so new rules are covered without change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model.assessment import Assessment
from ..model.questionnaire import QuestionType, Questionnaire, ReportBindings
from ..rules.model import SEVERITY_RANK, STAGE2_REQUIRED, Finding, Findings


def _all(findings: Findings) -> list[Finding]:
    """Every finding, the ones grouped under a root cause included."""
    return [g for f in findings.findings for g in (f, *f.consequences)]


def _blank(value: Any) -> bool:
    return value in (None, "", [], {})


@dataclass(frozen=True)
class Statements:
    rag: str  # as `idmf check` rates it
    readiness: str  # as `idmf check` says it
    scope: str
    screening_done: bool  # every stage 1 yes/no question has a Yes or a No
    screening_deferred: bool  # the screening is planned for a later phase
    stage2_called_for: bool  # the screening answers ask the stage 2 questions
    stage2_answered: bool  # any stage 2 question or impact row is answered
    stage2_rows_answered: int  # impact rows with an impact given
    # Findings that say stage 2 is needed (a finding's readiness, or the check's own).
    stage2_asked_by_checks: list[str] = field(default_factory=list)
    # Findings that question a screening answer saying there is no concern (e.g. a "No" not credible).
    screening_disputed: list[str] = field(default_factory=list)
    concern_answers: list[str] = field(default_factory=list)  # "question 7": answers recording a concern
    negative_groups: list[str] = field(default_factory=list)  # groups whose stage 2 impact is negative
    # Findings of medium severity or above: each says something could go wrong.
    serious_findings: list[str] = field(default_factory=list)

    @property
    def stage2_needed(self) -> bool:
        return self.stage2_called_for or bool(self.stage2_asked_by_checks)

    @property
    def negative_recorded(self) -> bool:
        """Does any answer, stage 2 row or finding record a (possible) negative impact or concern?"""
        return bool(self.concern_answers or self.negative_groups or self.serious_findings)

    @property
    def stage2_note(self) -> str:
        """Whether a full (stage 2) assessment is needed and whether it is done, in one sentence or two."""
        disputed = self.screening_disputed
        if self.screening_deferred:
            return ""  # said by the caller, which knows the due date
        if self.stage2_answered:
            recorded = (f"A full (stage 2) assessment is recorded (the impact on {self.stage2_rows_answered} "
                        f"group{'s' if self.stage2_rows_answered != 1 else ''} is given)")
            if self.stage2_called_for:
                return recorded + "; the screening answers call for it."
            if self.stage2_asked_by_checks:
                return recorded + "; the checks call for it (" + "; ".join(self.stage2_asked_by_checks) + ")."
            if not self.screening_done:
                return ("A full (stage 2) assessment is recorded, but the stage 1 screening is not complete, "
                        "so the screening answers cannot yet say whether it was called for.")
            if disputed:
                return ("A full (stage 2) assessment is recorded. The screening answers as given would not call "
                        "for one, but the checks dispute them: " + "; ".join(disputed) + ".")
            return "A full (stage 2) assessment was completed although the screening answers did not call for one."
        if self.stage2_needed:
            why = ("the screening answers call for it" if self.stage2_called_for
                   else "the checks call for it (" + "; ".join(self.stage2_asked_by_checks) + ")")
            if self.scope == "screening":
                return (f"A full (stage 2) assessment is needed: {why}. This stage 1 screening does not include "
                        "one, and none is recorded yet.")
            return f"A full (stage 2) assessment is needed: {why}. None is recorded yet."
        if not self.screening_done:
            return ("The stage 1 screening is not complete, so whether a full (stage 2) assessment "
                    "is needed cannot yet be said.")
        if disputed:
            return ("The screening answers as given would not call for a full (stage 2) assessment, but the checks "
                    "dispute them (" + "; ".join(disputed) + "), so whether one is needed is not settled.")
        return "The screening answers do not call for a full (stage 2) assessment."


def build_statements(assessment: Assessment, questionnaire: Questionnaire, findings: Findings,
                     bindings: ReportBindings, hidden: set[str], answer_of) -> Statements:
    """``answer_of(question_id)`` is the answer as the report shows it (the user's, or one taken from its twin)."""
    scope = getattr(assessment, "scope", "full")
    stage1 = [q for sid in bindings.stage1 if (s := questionnaire.section(sid)) for q in s.questions]
    yes_no = [q for q in stage1 if q.type == QuestionType.yes_no]
    given = {q.id: answer_of(q.id) for q in yes_no}
    said = {qid: (v.get("answer") if isinstance(v, dict) else None) for qid, v in given.items()}
    screening_done = all(said[q.id] in ("yes", "no") for q in yes_no)
    deferred = not screening_done and assessment.get_answer("purpose.screening_status") == "later_phase"

    stage2_questions = [q for sid in bindings.stage2 if (s := questionnaire.section(sid)) for q in s.questions]
    impact_ids = set(bindings.impacts)
    rows = [row for qid in bindings.impacts for row in (assessment.get_answer(qid) or []) if isinstance(row, dict)]
    rows_answered = [row for row in rows if row.get("impact")]
    other_answered = any(not _blank(assessment.get_answer(q.id)) for q in stage2_questions if q.id not in impact_ids)

    negative_groups = []
    for row in rows_answered:
        if row.get("impact") == "negative":
            group = questionnaire.group(str(row.get("group", "")))
            negative_groups.append(group.label if group else str(row.get("group", "")))

    # A concern is an answer the questionnaire marks as one ("Yes" to "could it negatively affect ...").
    concern_answers = [f"question {q.number}" if q.number else q.text for q in yes_no
                       if q.concern_if is not None and said[q.id] == q.concern_if]
    # A finding disputes the screening when it was triggered by a screening answer that says "no concern".
    no_concern = {q.id for q in yes_no if q.concern_if is not None and said[q.id] in ("yes", "no")
                  and said[q.id] != q.concern_if}
    every = _all(findings)
    disputed = list(dict.fromkeys(f.title for f in every
                                  if any(t.question_id in no_concern for t in f.triggered_by)
                                  and SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK["medium"]))
    asked = list(dict.fromkeys(f.title for f in every if f.readiness == STAGE2_REQUIRED))
    if findings.readiness == STAGE2_REQUIRED and not asked:
        asked = ["the checks' readiness"]
    serious = list(dict.fromkeys(f.title for f in every if SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK["medium"]))
    return Statements(
        rag=findings.rag, readiness=findings.readiness, scope=scope,
        screening_done=screening_done, screening_deferred=deferred,
        stage2_called_for=any(q.id not in hidden for q in stage2_questions),
        stage2_answered=bool(rows_answered) or other_answered, stage2_rows_answered=len(rows_answered),
        stage2_asked_by_checks=asked, screening_disputed=disputed,
        concern_answers=concern_answers, negative_groups=negative_groups, serious_findings=serious,
    )
