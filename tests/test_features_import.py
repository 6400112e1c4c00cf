"""Step definitions for features/import.feature."""

from __future__ import annotations

import datetime as dt

from pytest_bdd import given, parsers, scenarios, then, when

from idmf.store import list_assessment_files, load_assessment

from .conftest import run_idmf
from .import_corpus import DAY_CENTRE, DIABETES, PHLEBOTOMY, write
from .test_import import HOSTILE

scenarios("import.feature")


@given("a completed stage 1 form in Word with every question answered", target_fixture="form_path")
def complete_form(tmp_path):
    return write(tmp_path, DIABETES, "columns", "docx")


@given("a completed stage 1 form where question 7 has both boxes ticked and question 4 is blank",
       target_fixture="form_path")
def unclear_form(tmp_path):
    return write(tmp_path, PHLEBOTOMY, "tickboxes", "docx")


@given(parsers.parse('a completed stage 1 form whose screening was dated "{screened}" and whose approval was dated "{approved}"'),
       target_fixture="form_path")
def form_with_dates_as_written(tmp_path, screened, approved):
    path = write(tmp_path, DIABETES, "same-line", "md")
    text = path.read_text(encoding="utf-8")
    assert "Date of screening: 12/03/2024" in text and "Date: 20 March 2024" in text
    path.write_text(text.replace("Date of screening: 12/03/2024", f"Date of screening: {screened}")
                    .replace("Date: 20 March 2024", f"Date: {approved}"), encoding="utf-8")
    return path


@given("a Word file that is really a zip bomb", target_fixture="form_path")
def zip_bomb(tmp_path):
    path = tmp_path / "form.docx"
    path.write_bytes(HOSTILE["zip-bomb.docx"]())
    return path


@given("a folder of completed forms, some with unanswered questions", target_fixture="form_path")
def form_folder(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    for form in (DIABETES, PHLEBOTOMY, DAY_CENTRE):
        write(folder, form, "same-line", "docx")
    return folder


@when("I import it into an empty assessments folder", target_fixture="result")
def import_it(form_path, tmp_path):
    return run_idmf("import", str(form_path), "--dir", str(tmp_path / "register"))


@when("I import the folder and audit it", target_fixture="result")
def import_and_audit(form_path, tmp_path):
    assert run_idmf("import", str(form_path), "--dir", str(tmp_path / "register")).returncode == 0
    return run_idmf("audit", str(tmp_path / "register"))


def _only_assessment(tmp_path, questionnaire):
    files = list_assessment_files(tmp_path / "register")
    assert len(files) == 1
    return load_assessment(files[0], questionnaire).assessment


@then("one screening assessment is saved with all 27 Yes/No answers and their reasons")
def all_answered(tmp_path, questionnaire, result):
    assert result.returncode == 0, result.stderr
    a = _only_assessment(tmp_path, questionnaire)
    answers = [a.answers[f"ehiira.q{n:02d}"] for n in range(1, 28)]
    assert all(x["answer"] in ("yes", "no") and x["rationale"] for x in answers)


@then("I am told what was mapped and that nothing was left unanswered")
def told_mapped(result):
    assert "questions 1-27 answered Yes or No (27 of 27)" in result.stdout
    assert "Left unanswered: none" in result.stdout


@then("the assessment records which file it came from")
def provenance(tmp_path, questionnaire, form_path):
    a = _only_assessment(tmp_path, questionnaire)
    assert a.provenance.source_file == form_path.name and len(a.provenance.source_sha256) == 64


@then("questions 4 and 7 are left unanswered")
def left_unanswered(tmp_path, questionnaire, result):
    a = _only_assessment(tmp_path, questionnaire)
    assert "ehiira.q04" not in a.answers
    assert a.answers["ehiira.q07"]["answer"] is None


@then("the reason written for question 7 is kept")
def reason_kept(tmp_path, questionnaire):
    a = _only_assessment(tmp_path, questionnaire)
    assert a.answers["ehiira.q07"]["rationale"] == "Older people may find the website hard to use."


@then("I am told that questions 4 and 7 were left unanswered and why")
def told_unanswered(result):
    assert "question 4: neither Yes nor No is ticked" in result.stdout
    assert "question 7: both Yes and No are ticked" in result.stdout


@then("idmf exits with code 2 and tells me what is wrong with the file, without a traceback")
def refused(result, form_path):
    assert result.returncode == 2
    assert f"error: {form_path}" in result.stderr and "zip bomb" in result.stderr
    assert "Traceback" not in result.stderr


@then("no assessment is saved")
def nothing_saved(tmp_path):
    assert not list_assessment_files(tmp_path / "register")


@then("the audit counts, across all forms, each unanswered question by its number")
def audit_counts(result):
    assert "3 assessment(s)" in result.stdout
    for n in (4, 7, 9, 10, 14, 22):
        line = next(line for line in result.stdout.splitlines() if line.strip().startswith(f"question {n} "))
        assert "1 of 3" in line


@then("it counts forms that needed stage 2 but have none")
def audit_stage2(result):
    lines = result.stdout.splitlines()
    i = lines.index("Stage 2 needed but absent:")
    assert "1 of 3" in lines[i + 1]


@then("the screening is recorded as done on 12 March 2024")
def screened_on(tmp_path, questionnaire, result):
    assert result.returncode == 0, result.stderr
    assert _only_assessment(tmp_path, questionnaire).metadata.screening_date == dt.date(2024, 3, 12)


@then("the approval outside idmf is recorded as given on 20 March 2024")
def approved_on(tmp_path, questionnaire):
    approval = _only_assessment(tmp_path, questionnaire).external_approval
    assert approval is not None and approval.name == "Sam Patel" and approval.date == dt.date(2024, 3, 20)


@given("a stage 1 form saved from Word as a PDF, with a header block, one Yes/No column and the business "
       "partner's sign-off table", target_fixture="form_path")
def pdf_from_word(tmp_path):
    import shutil

    from .import_corpus import PDF_FIXTURES

    path = tmp_path / "Day centre EHIIRA.pdf"
    shutil.copy(PDF_FIXTURES / "daycentre-answer-column-narrow.pdf", path)
    return path


@when("I import it into an empty assessments folder with a review page", target_fixture="result")
def import_with_review(form_path, tmp_path):
    return run_idmf("import", str(form_path), "--dir", str(tmp_path / "register"),
                    "--review", str(tmp_path / "review.html"))


@then("every Yes or No written on the form is read, each with its own row's reason")
def every_row_read(tmp_path, questionnaire, result):
    assert result.returncode == 0, result.stderr
    assert "Left unanswered: none" in result.stdout
    a = _only_assessment(tmp_path, questionnaire)
    for n, q in DAY_CENTRE.answers.items():
        have = a.answers[f"ehiira.q{n:02d}"]
        assert (have["answer"], have["rationale"]) == (q.answer, q.rationale), n


@then("the title, who drafted it and the business partner's approval on paper are recorded")
def header_and_signoff(tmp_path, questionnaire):
    a = _only_assessment(tmp_path, questionnaire)
    assert a.title == DAY_CENTRE.title and a.metadata.organisation == DAY_CENTRE.organisation
    assert a.answers["signoff.drafted_by"]["name"] == DAY_CENTRE.drafted_by[0]
    ext = a.external_approval
    assert (ext.name, ext.role, ext.date) == DAY_CENTRE.approver[:3]
    assert "Day centre EHIIRA.pdf" in ext.source
    assert a.approval is None and a.signature is None


@then("the review page shows, question by question, what the form says beside the answer read")
def review_page(tmp_path):
    text = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert text.count("<td class=\"answer\">Yes</td>") + text.count("<td class=\"answer\">No</td>") == 27
    assert "Disabled and older people travel further." in text
