"""Issue 27: the forms people actually have - Word tables and header blocks, PDFs saved from
Word by LibreOffice at two page widths, and answers wherever a person typed them."""

from __future__ import annotations

import pytest

from idmf.importing import import_form
from idmf.importing.reading import read_answer
from idmf.store import save_assessment
from idmf.store.imports import already_imported, imported_sources

from .import_corpus import ALL_LAYOUTS, FORMS, LAYOUTS_2, _squash, score, write_corpus_2


@pytest.fixture(scope="module")
def imported(tmp_path_factory, questionnaire):
    corpus = write_corpus_2(tmp_path_factory.mktemp("forms2"))
    return [(path, form, layout, fmt, import_form(path, questionnaire)) for path, form, layout, fmt in corpus]


def test_there_are_at_least_eight_layouts_each_as_word_text_and_pdf_at_two_widths(imported):
    assert len(ALL_LAYOUTS) >= 8
    assert {fmt for *_, fmt, _ in imported} == {"docx", "md", "txt", "pdf-wide", "pdf-narrow"}
    assert len(imported) == len(FORMS) * len(ALL_LAYOUTS) * 5


@pytest.mark.parametrize("fmt", ["docx", "md", "txt"])
def test_every_answer_on_a_word_or_text_form_is_read(imported, fmt):
    misses = {}
    for path, form, layout, f, result in imported:
        if f == fmt:
            s = score(result.assessment, form)
            assert not s.wrong, (path.name, s.wrong)
            if s.missed or s.bad_rationale:
                misses[path.name] = (s.missed, s.bad_rationale)
    assert not misses


def test_pdfs_saved_from_word_read_at_least_98_percent_and_never_wrongly(imported):
    expected = read = 0
    for path, form, layout, fmt, result in imported:
        if fmt.startswith("pdf"):
            s = score(result.assessment, form)
            assert not s.wrong, (path.name, s.wrong)
            expected, read = expected + s.expected, read + s.read
            for n in s.missed:  # each miss is named, with why and where
                assert any(line.startswith(f"question {n}:") for line in result.report.unanswered), (path.name, n)
    assert read / expected >= 0.98, f"{read}/{expected}"


@pytest.mark.parametrize("layout", sorted(LAYOUTS_2))
def test_the_answer_column_table_reads_each_row_apart_with_its_reason_joined(imported, layout):
    for path, form, lay, fmt, result in imported:
        if lay == layout and fmt.startswith("pdf"):
            for n, q in form.answers.items():
                have = result.assessment.answers.get(f"ehiira.q{n:02d}") or {}
                if q.answer and have.get("answer"):
                    # hard line breaks of a cell joined: only a word cut by a too-narrow cell may differ
                    assert _squash(have.get("rationale")).replace(" ", "") == q.rationale.replace(" ", ""), \
                        (path.name, n)


@pytest.mark.parametrize("layout", ["answer-column", "signoff"])
def test_header_block_and_sign_off_table_are_mapped(imported, layout):
    for path, form, lay, fmt, result in imported:
        if lay != layout:
            continue
        a = result.assessment
        assert (a.title, a.metadata.organisation, a.metadata.person_responsible) == \
            (form.title, form.organisation, form.person), path.name
        assert a.answers["signoff.drafted_by"]["name"] == form.drafted_by[0], path.name
        assert a.metadata.decision_date == form.decision_date, path.name
        assert _squash(a.answers.get("ehiira.q28")) == form.comments, path.name
        if form.approver:
            ext = a.external_approval
            assert (ext.name, ext.role, ext.date, ext.comments) == form.approver, path.name
            assert path.name in ext.source  # where the paper approval was read
            assert a.approval is None and a.signature is None  # never an approval made in idmf
            assert "no name" not in " ".join(result.report.notes)


@pytest.mark.parametrize("text,answer,rationale", [
    ("Yes Overnight patients (about 9 a night) stay", "yes", "Overnight patients (about 9 a night) stay"),
    ("Yes All decision makers were consulted", "yes", "All decision makers were consulted"),
    ("Yes JSNA and audits", "yes", "JSNA and audits"),
])
def test_an_answer_run_straight_into_its_reason_is_read(text, answer, rationale):
    assert (read_answer(text).answer, read_answer(text).rationale) == (answer, rationale)


@pytest.mark.parametrize("text", ["No staff are affected", "No NHS staff are affected", "No one is affected"])
def test_a_sentence_starting_with_no_is_still_not_taken_for_an_answer(text):
    assert read_answer(text).answer is None


def test_the_store_says_which_sources_were_already_imported(imported, tmp_path):
    path, form, layout, fmt, result = imported[0]
    saved = save_assessment(result.assessment, tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text("title: t\nanswers: {x: 'source_sha256: " + "0" * 64 + "'}\n")
    sha = result.assessment.provenance.source_sha256
    assert imported_sources(tmp_path) == {sha: saved}
    assert already_imported(tmp_path, sha) == saved
    assert already_imported(tmp_path, "0" * 64) is None


def test_further_comments_and_the_paper_approval_are_read_in_every_layout_and_format(imported):
    wrong = []
    for path, form, layout, fmt, result in imported:
        a = result.assessment
        if form.comments and _squash(a.answers.get("ehiira.q28")) != form.comments:
            wrong.append((path.name, "q28", a.answers.get("ehiira.q28")))
        if form.approver:
            ext = a.external_approval
            if ext is None or (ext.name, ext.role, ext.date, ext.comments) != form.approver:
                wrong.append((path.name, "approval", ext))
        if (a.title, a.metadata.person_responsible) != (form.title, form.person):
            wrong.append((path.name, "header", a.title, a.metadata.person_responsible))
    assert not wrong


def test_a_sign_off_table_without_a_header_row_names_the_author_and_the_business_partner(questionnaire, tmp_path):
    import datetime as dt

    from .import_corpus import DIABETES, layout_answer_column, to_docx

    doc = layout_answer_column(DIABETES)
    doc.items = [i for i in doc.items if not (hasattr(i, "rows") and "Sign-off" in i.rows[0][0])]
    doc.p(("Stage 1 approval comments from the E&I business partner", "b"))
    doc.table([["Drafted by", "Jo Bloggs", "Programme Manager", "01/03/2024"],
               ["E&I business partner", "Sam Patel", "E&I Business Partner", "20/03/2024"],
               ["Comments", "Approved. No stage 2 needed."]])
    path = tmp_path / "signed.docx"
    path.write_bytes(to_docx(doc))
    a = import_form(path, questionnaire).assessment
    drafted = a.answers["signoff.drafted_by"]
    assert (drafted["name"], drafted["role"]) == ("Jo Bloggs", "Programme Manager")
    ext = a.external_approval
    assert (ext.name, ext.role, ext.date, ext.comments) == (
        "Sam Patel", "E&I Business Partner", dt.date(2024, 3, 20), "Approved. No stage 2 needed.")
