"""The review lifecycle: draft -> submitted -> approved or returned (-> draft again).

Pure domain: each function changes an Assessment in memory and records a
chained history entry; the caller saves it (atomically, under the lock).
"""

from __future__ import annotations

from pathlib import Path

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from .answer_text import format_date
from .errors import EXIT_PROBLEMS, IdmfError
from .model.assessment import Approval, Assessment
from .model.questionnaire import Questionnaire
from .rules.model import Findings

DEFAULT_REVIEW_MONTHS = 6
MAX_REVIEW_MONTHS = 12


class LifecycleRefused(IdmfError):
    """A step the assessment's state does not allow (exit 1)."""

    exit_code = EXIT_PROBLEMS


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def submit(assessment: Assessment, *, by: str, findings: Findings) -> None:
    if assessment.status not in ("draft", "returned"):
        raise LifecycleRefused(f"cannot submit: the assessment is {assessment.status}",
                               hint="only a draft or returned assessment can be submitted")
    blocking = findings.blocking
    if blocking:
        lines = "\n".join(f"  - {f.rule_id} {f.title}: {f.guidance}" for f in blocking)
        raise LifecycleRefused(f"cannot submit while {len(blocking)} blocking finding(s) remain:\n{lines}",
                               hint="resolve each blocking finding (idmf check FILE shows them), then submit again")
    assessment.status = "submitted"
    assessment.record("submitted", by=by)


def _review_date(assessment: Assessment, approved_on: dt.date,
                 questionnaire: Optional[Questionnaire] = None) -> tuple[dt.date, str]:
    """The review date approval sets, and the note saying where it came from.

    Never more than 12 months after approval unless the author recorded why
    (the question asked when the date is that far out). Which questions hold
    the date and the reason is the questionnaire's report bindings.
    """
    if questionnaire is None:
        from .questionnaire import load_questionnaire

        questionnaire = load_questionnaire()
    bindings = questionnaire.report
    date_id = bindings.review_date if bindings else None
    reason_id = bindings.late_review_reason if bindings else None
    given = assessment.get_answer(date_id) if date_id else None
    latest = add_months(approved_on, MAX_REVIEW_MONTHS)
    if given:
        day = dt.date.fromisoformat(given) if isinstance(given, str) else given
        if day > latest:
            reason = ((assessment.get_answer(reason_id) if reason_id else None) or "").strip()
            if reason:
                return day, (f"review date {day.isoformat()} is more than {MAX_REVIEW_MONTHS} months away, "
                             f"kept for the reason recorded: {reason}")
            return latest, (f"review date {day.isoformat()} is more than {MAX_REVIEW_MONTHS} months away "
                            f"and no reason was recorded; set to {latest.isoformat()}")
        return day, "review date taken from the review-and-evaluate step"
    default = add_months(approved_on, DEFAULT_REVIEW_MONTHS)
    return default, f"no review date given; set to {DEFAULT_REVIEW_MONTHS} months after approval"


def approve(assessment: Assessment, *, reviewer: str, role: str, comment: str = "",
            today: Optional[dt.date] = None, questionnaire: Optional[Questionnaire] = None) -> Approval:
    if assessment.status != "submitted":
        raise LifecycleRefused(f"cannot approve: the assessment is {assessment.status}, not submitted",
                               hint="the author submits it first (idmf submit FILE --by NAME)")
    if not reviewer.strip() or not role.strip():
        raise LifecycleRefused("approval needs the reviewer's name and role", hint="pass --reviewer and --role")
    today = today or dt.date.today()
    review_date, note = _review_date(assessment, today, questionnaire)
    approval = Approval(reviewer=reviewer.strip(), role=role.strip(), date=today, comments=comment.strip(),
                        content_hash=assessment.content_hash(), review_date=review_date)
    assessment.approval = approval
    assessment.status = "approved"
    assessment.record("approved", by=reviewer.strip(), detail=f"{role.strip()}. {note}. {comment.strip()}".strip())
    return approval


def return_for_changes(assessment: Assessment, *, reviewer: str, comment: str) -> None:
    if assessment.status != "submitted":
        raise LifecycleRefused(f"cannot return: the assessment is {assessment.status}, not submitted")
    if not comment.strip():
        raise LifecycleRefused("returning an assessment needs a comment saying what to change",
                               hint="pass --comment with what the author should do")
    assessment.status = "returned"
    assessment.record("returned", by=reviewer.strip(), detail=comment.strip())


@dataclass
class Integrity:
    history_problems: list[str]
    changed_since_approval: bool
    approval: Optional[Approval]
    approval_problem: str = ""  # why a claimed approval is not verified ("" when it is, or none is claimed)
    approval_verified: bool = False  # signed by a reviewer trusted on the approval date, and unchanged

    @property
    def ok(self) -> bool:
        return not self.history_problems and not self.changed_since_approval and not self.approval_problem

    def statement(self) -> str:
        """What a reviewer needs to read about it, in one sentence (empty when all is well)."""
        parts = []
        if self.changed_since_approval and self.approval:
            parts.append(f"Changed since approval on {format_date(self.approval.date)} by {self.approval.reviewer}.")
        if self.history_problems:
            parts.append("The history has been tampered with: " + "; ".join(self.history_problems) + ".")
        if self.approval_problem:
            parts.append(f"Approval not verified: {self.approval_problem}.")
        return " ".join(parts)


def _approved_then_reopened(assessment: Assessment) -> bool:
    events = [entry.event for entry in assessment.history]
    return "approved" in events and "reopened" in events[events.index("approved"):]


def integrity(assessment: Assessment, trusted=None) -> Integrity:
    """The history chain, whether the content is what was approved, and whether the
    approval is signed by a reviewer trusted on its date (``trusted``: the trusted
    reviewers; by default the trusted-reviewers file beside the assessment's file).

    A signature is checked whenever the file claims an approval or carries one:
    idmf drops the signature itself when it reopens an assessment, so a draft
    with a signature has been edited by hand."""
    from . import signing

    problem = ""
    if assessment.status == "approved" or assessment.signature is not None:
        if trusted is None:
            source = assessment._source and Path(assessment._source)
            link = signing.folder_link_problem(source)
            trusted = (signing.TrustedReviewers(None, [], link) if link
                       else signing.load_trusted(signing.trusted_file_for(source)))
        problem = signing.approval_problem(assessment, trusted)
    elif assessment.approval is not None and not _approved_then_reopened(assessment):
        # An approval block on an assessment that is not approved is what reopening leaves (idmf drops
        # the signature then). Without an approval and a reopening in its history it was written by
        # hand: not an approval, and not "approved earlier" either.
        problem = ("an approval is recorded but it is not signed and the history shows no approval and "
                   "reopening; it is not an approval")
    verified = assessment.signature is not None and not problem
    return Integrity(assessment.broken_history(), assessment.changed_since_approval(), assessment.approval,
                     problem, verified)
