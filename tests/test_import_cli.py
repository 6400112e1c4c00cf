"""`idmf import` and `idmf audit` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from idmf.store import list_assessment_files, load_assessment

from .conftest import run_idmf
from .import_corpus import DIABETES, FORMS, PHLEBOTOMY, layout_same_line, to_docx, write
from .test_import import HOSTILE


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("forms")
    for form in FORMS:
        write(folder, form, "tickboxes", "docx")
        write(folder, form, "same-line", "md")
    return folder


@pytest.fixture(scope="module")
def register(forms, tmp_path_factory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("register")
    result = run_idmf("import", str(forms), "--dir", str(folder))
    return folder, result


def test_importing_a_folder_saves_one_assessment_per_form_and_says_what_it_did(register, questionnaire):
    folder, result = register
    assert result.returncode == 0, result.stderr
    assert "6 form(s) imported, 0 already imported, 0 refused." in result.stdout
    assert result.stdout.count("Left unanswered (6):") == 2  # the phlebotomy form, in both layouts
    assert "question 7: both Yes and No are ticked" in result.stdout
    files = list_assessment_files(folder)
    assert len(files) == 6
    titles = sorted(load_assessment(p, questionnaire).assessment.title for p in files)
    assert titles == sorted([f.title for f in FORMS] * 2)


def test_importing_the_same_forms_again_adds_nothing(register, forms):
    folder, _ = register
    before = sorted(p.name for p in list_assessment_files(folder))
    again = run_idmf("import", str(forms), "--dir", str(folder))
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("already imported as") == 6
    assert sorted(p.name for p in list_assessment_files(folder)) == before


def test_the_register_lists_imported_forms(register):
    folder, _ = register
    result = run_idmf("list", str(folder), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["title"] for r in rows) == sorted([f.title for f in FORMS] * 2)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_or_non_form_file_is_refused_with_exit_2_and_no_traceback(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name]())
    result = run_idmf("import", str(path), "--dir", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {path}")
    assert "What to do" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists() or not list_assessment_files(tmp_path / "out")


def test_one_bad_form_in_a_folder_does_not_stop_the_others(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    write(folder, DIABETES, "tickboxes", "docx")
    (folder / "bomb.docx").write_bytes(HOSTILE["zip-bomb.docx"]())
    result = run_idmf("import", str(folder), "--dir", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "1 form(s) imported, 0 already imported, 1 refused." in result.stdout
    assert "bomb.docx" in result.stderr and "zip bomb" in result.stderr
    assert len(list_assessment_files(tmp_path / "out")) == 1


def test_a_missing_path_or_empty_folder_is_a_clear_error(tmp_path):
    missing = run_idmf("import", str(tmp_path / "nope.docx"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run_idmf("import", str(tmp_path / "empty"))
    assert empty.returncode == 2 and "holds no forms to import" in empty.stderr


def test_audit_counts_gaps_by_kind_across_all_forms(register, tmp_path):
    folder, _ = register
    html_path, csv_path = tmp_path / "audit.html", tmp_path / "audit.csv"
    result = run_idmf("audit", str(folder), "--html", str(html_path), "--csv", str(csv_path))
    assert result.returncode == 1, result.stderr  # gaps were found
    out = result.stdout
    assert f"Backlog audit of {folder}: 6 assessment(s)" in out
    rows = {(r["kind"], r["detail"]): r for r in csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig")))}
    # The phlebotomy form (imported twice) leaves questions 4, 7, 9, 10, 14 and 22 unanswered.
    for n in (4, 7, 9, 10, 14, 22):
        assert rows[("Unanswered question", f"question {n}")]["forms"] == "2"
        assert f"question {n}" in out
    for n in (2, 12):
        assert rows[("Answer without a rationale", f"question {n}")]["forms"] == "2"
    # The day centre form found negative impacts but has no stage 2.
    stage2 = rows[("Stage 2 needed but absent", "screening found a possible negative impact")]
    assert stage2["forms"] == "2" and all("day-centre" in f for f in stage2["files"].split("; "))
    no_approval = rows[("No approval", "no approval in idmf or on the form")]
    assert (no_approval["forms"], no_approval["of"]) == ("2", "6")  # the others carry the E&I approval
    page = html_path.read_text(encoding="utf-8")
    assert "Blocking gaps by kind" in page and "question 22" in page


def test_check_on_an_imported_form_names_its_unanswered_questions_by_number(register, questionnaire):
    folder, _ = register
    path = next(p for p in list_assessment_files(folder)
                if load_assessment(p, questionnaire).assessment.title == PHLEBOTOMY.title)
    result = run_idmf("check", str(path), "--format", "json")
    assert result.returncode == 1  # blocking findings
    findings = json.loads(result.stdout)["assessments"][0]["findings"]
    unanswered = next(f for f in findings if f["rule_id"] == "CMP-001")
    named = " ".join(t["answer"] for t in unanswered["triggered_by"])
    for n in (4, 7, 9, 10, 14, 22):
        assert f"Q{n} " in named
    for n in set(range(1, 28)) - {4, 7, 9, 10, 14, 22}:
        assert f"Q{n} " not in named
    table = run_idmf("check", str(path))
    assert "Q4 Could it reduce the availability" in " ".join(table.stdout.split())


def test_audit_escapes_what_forms_say(tmp_path, questionnaire):
    form = DIABETES.__class__(**{**DIABETES.__dict__, "title": "<script>alert(1)</script> & =cmd|' /C calc'!A0"})
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "odd.docx").write_bytes(to_docx(layout_same_line(form)))
    assert run_idmf("import", str(forms), "--dir", str(tmp_path / "reg")).returncode == 0
    run_idmf("audit", str(tmp_path / "reg"), "--html", str(tmp_path / "a.html"))
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_audit_of_a_missing_folder_is_a_clear_error(tmp_path):
    result = run_idmf("audit", str(tmp_path / "nope"))
    assert result.returncode == 2 and "folder not found" in result.stderr


def test_audit_counts_a_no_negative_impact_answer_contradicted_by_the_same_form(tmp_path):
    from .import_corpus import Q

    answers = {**DIABETES.answers, 4: Q("yes", "Two of the five clinics close.")}
    contradicted = DIABETES.__class__(**{**DIABETES.__dict__, "slug": "contradicted", "answers": answers})
    forms = tmp_path / "forms"
    forms.mkdir()
    write(forms, contradicted, "same-line", "docx")
    write(forms, DIABETES, "same-line", "docx")
    assert run_idmf("import", str(forms), "--dir", str(tmp_path / "reg")).returncode == 0
    result = run_idmf("audit", str(tmp_path / "reg"), "--csv", str(tmp_path / "a.csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["kind"] == "Answer contradicted elsewhere")
    assert row["detail"].startswith("Question 7 says no negative impact")
    assert (row["forms"], row["of"]) == ("1", "2")
    assert "Question 7 says no negative impact" in result.stdout
