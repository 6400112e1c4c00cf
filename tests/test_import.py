"""Importing completed stage 1 EHIIRA forms: every corpus form in every layout and
file type gives exactly the answers written on it; nothing is guessed."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from idmf.errors import InputError
from idmf.importing import import_form
from idmf.importing.reading import read_answer
from idmf.store import load_assessment, save_assessment

from .import_corpus import FORMS, LAYOUTS, DIABETES, PHLEBOTOMY, Form, layout_same_line, to_docx, write_corpus

# Ticks in separate Yes and No columns are placed by where they sit on the PDF
# page; a row broken across a page break (its number and tick on one page, its
# words on the next) is not put back together, so up to two questions around
# each break may stay unanswered there - never answered wrongly.
HARD = {("columns", "pdf")}


def _norm(text) -> str:
    return " ".join(str(text).split())


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("forms"))


def _cases():
    return [(form, layout, fmt) for form in FORMS for layout in LAYOUTS for fmt in ("docx", "md", "pdf")]


def _ids():
    return [f"{form.slug}-{layout}.{fmt}" for form, layout, fmt in _cases()]


def _imported(corpus, form: Form, layout: str, fmt: str, questionnaire):
    path = next(p for p, f, l, x in corpus if f is form and l == layout and x == fmt)
    return path, import_form(path, questionnaire)


def _assert_answers_match(got: dict, form: Form):
    expected = form.expected_answers()
    assert set(got) == set(expected), f"questions differ: {sorted(set(got) ^ set(expected))}"
    for key, want in expected.items():
        have = got[key]
        if isinstance(want, str):
            assert _norm(have) == _norm(want), key
        elif want["answer"] is None:
            # Unanswered: the words written on the form are kept as the rationale.
            assert have["answer"] is None, key
            assert _norm(want["rationale"]) in _norm(have["rationale"]), key
        else:
            assert have["answer"] == want["answer"], key
            assert _norm(have.get("rationale", "")) == _norm(want.get("rationale", "")), key


@pytest.mark.parametrize("form,layout,fmt", _cases(), ids=_ids())
def test_each_corpus_form_imports_to_exactly_its_answers(corpus, questionnaire, form, layout, fmt):
    path, imported = _imported(corpus, form, layout, fmt, questionnaire)
    a = imported.assessment
    assert a.title == form.title
    assert a.metadata.person_responsible == form.person
    assert a.metadata.service_area == form.service_area
    assert a.scope == "screening"
    assert a.metadata.screening_date == form.screening_date  # the form's date, not the day of import
    assert a.status == "draft" and a.approval is None  # an approval on paper is never shown as idmf's own
    approval = a.external_approval
    if form.approver is None:
        assert approval is None
    else:
        assert (approval.name, approval.date) == (form.approver[0], form.approver[2])
    unanswered = sorted(n for n, q in form.answers.items() if q.answer is None)
    if (layout, fmt) in HARD:
        # Never a wrong answer: each question is either right or left unanswered with its text kept.
        missed = []
        for n, q in form.answers.items():
            have = a.answers.get(f"ehiira.q{n:02d}")
            if have and have["answer"] is not None:
                assert have["answer"] == q.answer, n
            elif q.answer is not None:
                missed.append(n)
            if q.rationale:
                assert have and _norm(q.rationale) in _norm(have["rationale"]), n
        page_breaks = len(PdfReader(path).pages) - 1
        assert len(missed) <= 2 * page_breaks, f"answers not read from the Yes/No columns: {missed}"
        return
    if form.approver:
        assert (approval.role, approval.comments) == (form.approver[1], form.approver[3])
    _assert_answers_match(a.answers, form)
    assert imported.report.unanswered_numbers == unanswered
    assert not imported.report.unplaced, imported.report.unplaced


def test_provenance_records_the_source_file_its_hash_and_when(corpus, questionnaire, tmp_path):
    path, imported = _imported(corpus, DIABETES, "columns", "docx", questionnaire)
    provenance = imported.assessment.provenance
    assert provenance.source_file == path.name
    assert provenance.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert provenance.imported_on.tzinfo is not None
    assert imported.assessment.history[-1].event == "imported"
    saved = save_assessment(imported.assessment, tmp_path / "a.yaml")
    again = load_assessment(saved, questionnaire).assessment
    assert again.provenance == provenance
    assert again.answers == imported.assessment.answers


def test_the_report_says_why_each_question_was_left_unanswered(corpus, questionnaire):
    _, imported = _imported(corpus, PHLEBOTOMY, "tickboxes", "docx", questionnaire)
    lines = {int(line.split()[1].rstrip(":")): line for line in imported.report.unanswered}
    assert "both Yes and No are ticked" in lines[7]
    assert "Older people may find the website hard to use" in lines[7]
    assert "neither Yes nor No is ticked" in lines[4]
    assert any("questions 2, 12" in note for note in imported.report.notes)  # answered without a rationale
    assert any("no approval" in note for note in imported.report.notes)


def test_text_that_fits_nowhere_is_reported_not_dropped(questionnaire, tmp_path):
    doc = layout_same_line(DIABETES)
    doc.items.insert(3, type(doc.items[0])([("Please return this form to the equality team by Friday.", "")]))
    path = tmp_path / "with-note.docx"
    path.write_bytes(to_docx(doc))
    imported = import_form(path, questionnaire)
    assert any("return this form to the equality team" in line for line in imported.report.unplaced)
    _assert_answers_match(imported.assessment.answers, DIABETES)


def test_a_renumbered_question_is_read_by_its_words_and_says_so(corpus, questionnaire):
    _, imported = _imported(corpus, DIABETES, "broken", "md", questionnaire)
    assert any("numbered 1 on the form, read as question 11" in note for note in imported.report.notes)


# --- reading one answer: enumerated -------------------------------------------------

ANSWERED = [
    ("Yes", "yes", ""), ("No", "no", ""), ("yes.", "yes", ""), ("NO", "no", ""),
    ("Yes – 4,000 patients", "yes", "4,000 patients"), ("No - nothing changes", "no", "nothing changes"),
    ("Yes, staff move", "yes", "staff move"), ("No: none", "no", "none"), ("Yes because it moves", "yes", "because it moves"),
    ("**Yes** clinics move", "yes", "clinics move"), ("*No* not at all", "no", "not at all"),
    ("Yes / **No**", "no", ""), ("**Yes** / No", "yes", ""), ("☒ Yes ☐ No", "yes", ""), ("☐ Yes ☒ No reason", "no", "reason"),
    ("[x] Yes [ ] No", "yes", ""), ("Yes ☐ No ☒", "no", ""), ("Answer: Yes - fine", "yes", "fine"),
    ("Yes\nStaff are consulted.", "yes", "Staff are consulted."),
    # A bare letter, as many forms' answer cells are filled in.
    ("Y", "yes", ""), ("N", "no", ""), ("n.", "no", ""), ("**Y**", "yes", ""), ("Y - clinics move", "yes", "clinics move"),
    ("N: none", "no", "none"), ("Y\nStaff are consulted.", "yes", "Staff are consulted."),
]
UNANSWERED = [
    ("", "no answer given"), ("Yes / No", "without one chosen"), ("Yes/No", "without one chosen"),
    ("☒ Yes ☒ No", "both Yes and No are ticked"), ("☐ Yes ☐ No", "neither"), ("N/A", "neither Yes nor No"),
    ("Not applicable", "neither Yes nor No"), ("Not sure yet", "neither Yes nor No"), ("TBC", "neither Yes nor No"),
    ("No staff are affected", "plain Yes or No"), ("Possibly, for some", "plain Yes or No"),
    ("Yes - staff move\nNo.", "both Yes and No"), ("**Yes** / **No**", "without one chosen"),
    ("Y/N", "plain Yes or No"), ("Nil return", "plain Yes or No"), ("N/A", "neither Yes nor No"),
]


@pytest.mark.parametrize("text,answer,rationale", ANSWERED)
def test_a_plain_answer_is_read(text, answer, rationale):
    reading = read_answer(text)
    assert (reading.answer, reading.rationale) == (answer, rationale)


@pytest.mark.parametrize("text,reason", UNANSWERED)
def test_an_unclear_answer_stays_unanswered_with_its_text(text, reason):
    reading = read_answer(text)
    assert reading.answer is None
    assert reason in reading.reason
    if "No staff" in text:
        assert reading.rationale == text


# --- refusing what is not a form ---------------------------------------------------------

def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def _pdf_bomb(unpacked: int = 80_000_000) -> bytes:
    """A small PDF whose one content stream unpacks to ``unpacked`` bytes."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b"0 0 Td " * 10_000
    stream = b"".join(packer.compress(chunk) for _ in range(unpacked // len(chunk))) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


HOSTILE = {
    "pdf-bomb.pdf": _pdf_bomb,
    "zip-bomb.docx": lambda: _zip({"word/document.xml": b"<" + b"a" * 60_000_000}),
    "many-parts.docx": lambda: _zip({f"p{i}.xml": b"x" for i in range(2_500)} | {"word/document.xml": b"<x/>"}),
    "not-a-zip.docx": lambda: b"PK\x03\x04 this is not really a zip file" * 10,
    "no-document.docx": lambda: _zip({"hello.txt": b"hi"}),
    "broken-xml.docx": lambda: _zip({"word/document.xml": b"<w:document><unclosed", "[Content_Types].xml": b"<x"}),
    "empty.docx": lambda: b"",
    "truncated.pdf": lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog",
    "not-a.pdf": lambda: b"GIF89a" + bytes(range(256)),
    "binary.txt": lambda: bytes(range(256)) * 10,
    "letter.txt": lambda: b"Dear colleague,\n\nThank you for your letter about the clinic.\n\nYours sincerely\n",
    "huge.md": lambda: b"1. Will the decision affect people? Yes\n" * 600_000,
    "photo.jpg": lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 100,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_or_non_form_files_are_refused_with_a_reason(questionnaire, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name]())
    with pytest.raises(InputError) as caught:
        import_form(path, questionnaire)
    message = str(caught.value)
    assert name in message and "What to do" in message


def test_a_form_with_few_questions_is_not_taken_for_a_screening(questionnaire, tmp_path):
    path = tmp_path / "short.md"
    path.write_text("Title of assessment: X\n1. Will the decision affect people in any way? Yes\n", encoding="utf-8")
    with pytest.raises(InputError, match="1 of its 28 questions were recognised"):
        import_form(path, questionnaire)


def test_the_source_file_is_never_changed(corpus, questionnaire):
    path, _ = _imported(corpus, PHLEBOTOMY, "next-line", "docx", questionnaire)
    before = path.read_bytes()
    import_form(path, questionnaire)
    assert path.read_bytes() == before


# --- Word's own tick boxes ------------------------------------------------------------------

def _word_checkbox_form(tmp_path: Path, boxes: dict[int, tuple[str, str]]) -> Path:
    """A Word form whose Yes and No columns hold Word check boxes: content controls
    (w14:checkbox, as in current templates) for odd questions, legacy form fields for even ones."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    w14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'

    def control(on: bool) -> str:
        return (f'<w:sdt {w} {w14}><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(on)}"/></w14:checkbox></w:sdtPr>'
                f'<w:sdtContent><w:r><w:t>{"☒" if on else "☐"}</w:t></w:r></w:sdtContent></w:sdt>')

    def legacy(on: bool) -> list[str]:
        return [f'<w:r {w}><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:sizeAuto/>'
                f'<w:default w:val="{int(on)}"/></w:checkBox></w:ffData></w:fldChar></w:r>',
                f'<w:r {w}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>',
                f'<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>']

    document = docx.Document()
    document.add_paragraph("Title of assessment: Word check boxes")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ["No.", "Question", "Yes", "No", "Rationale"]):
        cell.text = text
    from .import_corpus import FORM_WORDING

    for n in range(1, 28):
        row = table.add_row().cells
        row[0].text, row[1].text = str(n), FORM_WORDING[n]
        yes, no = boxes.get(n, ("☐", "☐"))
        for cell, mark in ((row[2], yes), (row[3], no)):
            p = cell.paragraphs[0]._p
            for xml in ([control(mark == "☒")] if n % 2 else legacy(mark == "☒")):
                p.append(parse_xml(xml))
        row[4].text = f"Reason {n}"
    path = tmp_path / "checkboxes.docx"
    document.save(path)
    return path


def test_word_check_boxes_content_controls_and_legacy_fields_are_read(questionnaire, tmp_path):
    boxes = {n: ("☒", "☐") if n % 3 else ("☐", "☒") for n in range(1, 28)}
    boxes[5] = ("☒", "☒")   # both ticked
    boxes[8] = ("☐", "☐")   # neither
    imported = import_form(_word_checkbox_form(tmp_path, boxes), questionnaire)
    for n in range(1, 28):
        got = imported.assessment.answers[f"ehiira.q{n:02d}"]
        want = None if n in (5, 8) else ("yes" if n % 3 else "no")
        assert (got["answer"], got["rationale"]) == (want, f"Reason {n}"), n


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_a_form_answered_with_bare_letters_is_read(fmt, questionnaire, tmp_path):
    """Answer cells holding only "Y" or "N" (a common way of filling the form in) are answers."""
    from .import_corpus import Doc, layout_columns, to_text

    form = DIABETES
    doc = layout_columns(form)
    letters = Doc()
    letters.items = [item for item in doc.items]
    for i, item in enumerate(letters.items):
        rows = getattr(item, "rows", None)
        if rows and rows[0][:4] == ["No.", "Question", "Yes", "No"]:
            new = [["No.", "Question", "Y/N", "Brief rationale"]]
            for number, question, yes, no, rationale in rows[1:]:
                new.append([number, question, "Y" if yes and not no else "N" if no and not yes else "", rationale])
            letters.items[i] = type(item)(new)
    path = tmp_path / f"letters.{fmt}"
    if fmt == "docx":
        path.write_bytes(to_docx(letters))
    else:
        path.write_text(to_text(letters), encoding="utf-8")
    imported = import_form(path, questionnaire)
    expected = {key: want for key, want in form.expected_answers().items() if isinstance(want, dict)}
    answered = [key for key, want in expected.items() if want["answer"] is not None]
    assert answered, "the form must have answered questions for this test to mean anything"
    for key in answered:
        assert imported.assessment.answers[key]["answer"] == expected[key]["answer"], key
