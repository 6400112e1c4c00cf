"""Step definitions for features/review.feature."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from pytest_bdd import given, parsers, scenarios, then, when

from idmf import lifecycle
from idmf.answer_text import format_date
from idmf.store import load_assessment, save_assessment

from .conftest import EXAMPLES, reviewer_env, run_idmf

scenarios("review.feature")


def _copy(tmp_path, prefix):
    source = sorted(EXAMPLES.glob(f"{prefix}-*.yaml"))[0]
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


@given("the red example assessment as a draft", target_fixture="path")
def red_draft(tmp_path):
    return _copy(tmp_path, "red")


@when("the author submits it", target_fixture="result")
def author_submits(path):
    return run_idmf("submit", str(path), "--by", "Priya Shah")


@then("submission is refused and the blocking findings are listed")
def refused(result, path, questionnaire):
    assert result.returncode == 1
    assert "cannot submit while" in result.stderr and "blocking finding" in result.stderr
    assert load_assessment(path, questionnaire).assessment.status == "draft"


@given("the green example assessment, submitted by its author", target_fixture="path")
def green_submitted(tmp_path):
    path = _copy(tmp_path, "green")
    result = run_idmf("submit", str(path), "--by", "Priya Shah")
    assert result.returncode == 0, result.stderr
    return path


@when(parsers.parse('the reviewer "{name}", "{role}", approves it with comment "{comment}"'), target_fixture="result")
def reviewer_approves(path, name, role, comment):
    return run_idmf("review", "approve", str(path), "--reviewer", name, "--role", role, "--comment", comment,
                    env=reviewer_env(path.parent, name))


@then("the assessment is approved with the reviewer, role, date and comment recorded")
def approved(result, path, questionnaire):
    assert result.returncode == 0, result.stderr
    a = load_assessment(path, questionnaire).assessment
    assert a.status == "approved"
    assert a.approval.reviewer == "Alex Morgan" and a.approval.role == "Equality & Inclusion Business Partner"
    assert a.approval.date == dt.date.today() and a.approval.comments == "Thorough and proportionate"
    assert a.approval.content_hash == a.content_hash()
    assert a.history[-1].event == "approved" and not a.broken_history()


@then("a review date is set no more than 12 months after approval")
def review_date(path, questionnaire):
    a = load_assessment(path, questionnaire).assessment
    assert a.approval.review_date <= lifecycle.add_months(a.approval.date, 12)


@when(parsers.parse('the reviewer returns it with comment "{comment}"'), target_fixture="result")
def reviewer_returns(path, comment):
    return run_idmf("review", "return", str(path), "--reviewer", "Alex Morgan", "--comment", comment)


@then("the assessment is returned and the comment is in its history")
def returned(result, path, questionnaire):
    assert result.returncode == 0, result.stderr
    a = load_assessment(path, questionnaire).assessment
    assert a.status == "returned"
    assert a.history[-1].event == "returned" and a.history[-1].detail == "Please add the engagement dates"


@given("the green example assessment, approved by the reviewer", target_fixture="path")
def green_approved(tmp_path):
    path = green_submitted(tmp_path)
    result = run_idmf("review", "approve", str(path), "--reviewer", "Alex Morgan", "--role", "E&I Business Partner",
                      env=reviewer_env(path.parent, "Alex Morgan"))
    assert result.returncode == 0, result.stderr
    return path


@when("someone changes an answer by hand in a text editor")
def hand_edit(path):
    text = path.read_text(encoding="utf-8")
    marker = "purpose.aims: "
    assert marker in text
    path.write_text(text.replace(marker, marker + "Quietly changed. ", 1), encoding="utf-8")


@then("checking it says it changed since approval, naming the date and the reviewer")
def check_says_changed(path):
    result = run_idmf("check", str(path), "--fail-on", "never")
    assert f"Changed since approval on {format_date(dt.date.today())} by Alex Morgan" in result.stdout


@then("verifying it fails")
def verify_fails(path):
    result = run_idmf("verify", str(path))
    assert result.returncode == 1 and "Changed since approval" in result.stdout


@when("the author changes an answer in idmf")
def author_changes(path, questionnaire):
    a = load_assessment(path, questionnaire).assessment
    a.set_answer("purpose.aims", "Aims restated after approval", by="Priya Shah")
    save_assessment(a, path)


@then("the assessment is a draft again with a history entry naming the changed question")
def draft_again(path, questionnaire):
    a = load_assessment(path, questionnaire).assessment
    assert a.status == "draft"
    assert a.history[-1].event == "reopened" and "purpose.aims" in a.history[-1].detail


@then("the register lists it as a draft changed since approval")
def register_lists_draft(path):
    result = run_idmf("list", str(path.parent), "--format", "json")
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["status"] == "draft" and row["approved_by"] == "Alex Morgan"
    assert row["last_change"][:10] == dt.datetime.now(dt.timezone.utc).date().isoformat()  # the hand edit
    assert row["note"] == f"Changed since approval on {format_date(dt.date.today())} by Alex Morgan."


@when("the author next submits it", target_fixture="result")
def author_resubmits(path):
    return run_idmf("submit", str(path), "--by", "Priya Shah")


@then("it is submitted again, and its history says it was changed outside idmf after approval")
def resubmitted(result, path, questionnaire):
    assert result.returncode == 0, result.stderr
    a = load_assessment(path, questionnaire).assessment
    assert a.status == "submitted" and not a.broken_history()
    reopened, submitted = a.history[-2:]
    assert reopened.event == "reopened" and submitted.event == "submitted"
    assert reopened.detail == (f"header or answers changed outside idmf after approval on "
                               f"{dt.date.today().isoformat()} by Alex Morgan")


@when("someone rewrites the approval entry in its history")
def rewrite_history(path):
    text = path.read_text(encoding="utf-8")
    assert "by: Alex Morgan" in text
    path.write_text(text.replace("by: Alex Morgan", "by: Someone Else"), encoding="utf-8")


@then("verifying it reports the broken history")
def verify_reports_history(path):
    result = run_idmf("verify", str(path))
    assert result.returncode == 1 and "history has been tampered with" in result.stdout


@given("a folder with an approved assessment whose review date has passed and one draft", target_fixture="folder")
def register_folder(tmp_path, questionnaire):
    folder = tmp_path / "register"
    folder.mkdir()
    path = green_approved(folder)
    a = load_assessment(path, questionnaire).assessment
    a.approval.review_date = dt.date.today() - dt.timedelta(days=3)  # as if approved long ago
    save_assessment(a, path)
    _copy(folder, "red")
    return folder


@when("I list the register with only overdue reviews", target_fixture="result")
def list_overdue(folder):
    return run_idmf("list", str(folder), "--overdue", "--format", "json")


@then("only the overdue assessment is listed, marked overdue")
def only_overdue(result):
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 1 and rows[0]["overdue"] is True and rows[0]["status"] == "approved"


@then("in an 80-column terminal the register table names every file and marks the overdue one")
def register_table_fits(folder):
    (folder / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    result = run_idmf("list", str(folder), env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = " ".join(" ".join(lines).split())  # words wrapped across lines join up again
    for name in ("green-pharmacy", "red-day-centre", "broken.yaml", "Northfield Integrated Care Board"):
        assert name in text
    assert "OVERDUE" in text and "ERROR" in text and "not valid YAML" in text
    assert f"due {(dt.date.today() - dt.timedelta(days=3)).isoformat()}" in text
    # The count, then which rules rated them (h30: list names its rules).
    assert lines[-2] == "3 assessment(s)" and lines[-1].startswith("rules: ")
