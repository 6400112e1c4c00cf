"""The review lifecycle in the domain: submit, approve, return, reopen, integrity."""

from __future__ import annotations

import datetime as dt

import pytest

from idmf import lifecycle
from idmf.model.assessment import Assessment
from idmf.rules import summarise


def _clean() -> Assessment:
    a = Assessment(title="Pharmacy hours")
    a.set_answer("purpose.aims", "Later opening")
    a.record("created")
    return a


def test_submit_then_approve_records_reviewer_hash_and_review_date():
    a = _clean()
    lifecycle.submit(a, by="Priya", findings=summarise([]))
    approval = lifecycle.approve(a, reviewer="Alex", role="E&I BP", comment="Good", today=dt.date(2026, 3, 31))
    assert a.status == "approved" and approval.content_hash == a.content_hash()
    assert approval.review_date == dt.date(2026, 9, 30)  # six months when none was given
    assert [h.event for h in a.history] == ["created", "submitted", "approved"]
    assert not a.broken_history()
    assert a.last_changed == a.history[-1].at  # the register's "last change" is the approval


def test_review_date_from_the_review_step_is_kept_but_never_beyond_12_months():
    a = _clean()
    a.set_answer("review.review_date", "2026-12-01")
    lifecycle.submit(a, by="P", findings=summarise([]))
    assert lifecycle.approve(a, reviewer="A", role="R", today=dt.date(2026, 4, 1)).review_date == dt.date(2026, 12, 1)
    b = _clean()
    b.set_answer("review.review_date", "2028-01-01")
    lifecycle.submit(b, by="P", findings=summarise([]))
    assert lifecycle.approve(b, reviewer="A", role="R", today=dt.date(2026, 4, 1)).review_date == dt.date(2027, 4, 1)
    assert "more than 12 months" in b.history[-1].detail and "no reason was recorded" in b.history[-1].detail


def test_a_later_review_date_is_kept_when_the_author_recorded_why():
    a = _clean()
    a.set_answer("review.review_date", "2028-01-01")
    a.set_answer("review.late_review_reason", "The clinic opens in 2027; review a year after opening")
    lifecycle.submit(a, by="P", findings=summarise([]))
    assert lifecycle.approve(a, reviewer="A", role="R", today=dt.date(2026, 4, 1)).review_date == dt.date(2028, 1, 1)
    assert "kept for the reason recorded: The clinic opens in 2027" in a.history[-1].detail


def test_return_needs_a_comment_and_only_from_submitted():
    a = _clean()
    with pytest.raises(lifecycle.LifecycleRefused):
        lifecycle.return_for_changes(a, reviewer="A", comment="Fix it")  # still a draft
    lifecycle.submit(a, by="P", findings=summarise([]))
    with pytest.raises(lifecycle.LifecycleRefused) as info:
        lifecycle.return_for_changes(a, reviewer="A", comment="  ")
    assert "needs a comment" in info.value.message
    lifecycle.return_for_changes(a, reviewer="A", comment="Add engagement dates")
    assert a.status == "returned"
    lifecycle.submit(a, by="P", findings=summarise([]))  # a returned assessment can be resubmitted
    assert a.status == "submitted"


def test_changing_an_answer_after_approval_reopens_as_draft():
    a = _clean()
    lifecycle.submit(a, by="P", findings=summarise([]))
    lifecycle.approve(a, reviewer="Alex", role="R", today=dt.date(2026, 1, 1))
    a.set_answer("purpose.aims", "Later opening")  # same value: nothing changes
    assert a.status == "approved"
    a.set_answer("purpose.aims", "Different", by="Priya")
    assert a.status == "draft" and a.history[-1].event == "reopened"
    assert lifecycle.integrity(a).changed_since_approval
    assert "Changed since approval on 1 January 2026 by Alex" in lifecycle.integrity(a).statement()


def test_rewriting_a_history_entry_breaks_the_chain():
    a = _clean()
    lifecycle.submit(a, by="P", findings=summarise([]))
    a.history[0].by = "someone else"
    problems = a.broken_history()
    assert problems and "changed after it was written" in problems[0]
    del a.history[0]
    assert any("does not follow" in p for p in a.broken_history())


def test_a_submitted_assessment_edited_by_hand_is_read_as_a_draft(tmp_path, questionnaire):
    from idmf.store import load_assessment, save_assessment

    a = _clean()
    lifecycle.submit(a, by="Priya", findings=summarise([]))
    path = save_assessment(a, tmp_path / "a.yaml")
    assert load_assessment(path, questionnaire).reopened is False
    assert load_assessment(path, questionnaire).assessment.status == "submitted"  # reading it changes nothing
    path.write_text(path.read_text(encoding="utf-8").replace("Later opening", "Earlier opening"), encoding="utf-8")
    before = path.read_bytes()
    file = load_assessment(path, questionnaire)
    assert file.reopened and file.assessment.status == "draft"
    assert file.assessment.history[-1].event == "reopened"
    assert "changed outside idmf after it was submitted" in file.assessment.history[-1].detail
    assert not file.assessment.broken_history()
    assert path.read_bytes() == before  # reading never writes


def test_a_draft_edited_by_hand_stays_a_plain_draft():
    a = _clean()
    a.answers["purpose.aims"] = "Edited"
    assert a.reopen_if_edited_outside_idmf() is False and a.history[-1].event == "created"
