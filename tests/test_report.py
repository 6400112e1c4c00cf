"""The EHIIRA report: one context, four formats, the same content; user text stays literal."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess

import html5lib
import pytest
from docx import Document
from pypdf import PdfReader

from idmf.model.assessment import Assessment
from idmf.report import AUDIENCES, build_context, render
from idmf.report.render import md_escape
from idmf.rules import default_engine
from idmf.rules.model import Finding, Findings, Trigger
from idmf.store import load_assessment

from .conftest import EXAMPLES, ROOT, run_idmf

GOLDEN = ROOT / "tests" / "golden"
FIXED = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)
RED = next(EXAMPLES.glob("red-*.yaml"))

INJECTIONS = [
    "<script>alert('x')</script>",
    "<b>bold?</b> & <img src=x onerror=alert(1)>",
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "**not bold** _not italic_ | not a cell | [link](http://example.invalid) # not a heading",
    "Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutspaces",
    "Emoji 🙂👩🏽‍⚕️ and right-to-left: مرحبا بالعالم שלום",
]


def _context(assessment, questionnaire):
    findings = default_engine(questionnaire).check(assessment)
    return build_context(assessment, questionnaire, findings, generated_at=FIXED)


@pytest.fixture(scope="module")
def red(questionnaire):
    return load_assessment(RED, questionnaire).assessment


def _normalise(text: str) -> str:
    # The rule-set hash changes with any rule edit; the rest must match exactly.
    return re.sub(r"[0-9a-f]{64}", "<sha256>", text)


def _pinned_findings() -> Findings:
    """Findings fixed in the test, so the golden files check the report's layout and
    the red example's answers, and do not change whenever a rule's wording is edited.
    (The real engine's findings are checked in the other tests.)"""
    findings = [
        Finding("HR-001", "Possible breach of the right to life", "critical", "human_rights", True,
                "A concern under Article 2 is never low: life may be at risk.",
                "Take legal advice and record the stage 2 analysis.", ["Human Rights Act 1998, Article 2"],
                [Trigger("ehiira.q19", "Article 2, right to life", "Yes: transport changes | *risk*")]),
        Finding("EQ-002", "Negative impact with no mitigation", "high", "equality", False,
                "A group is marked negative and nothing is done about it.",
                "Add a mitigation, or justify the adverse impact.", ["Equality Act 2010, s149"],
                [Trigger("stage2.protected_characteristics", "Impact by protected characteristic", "Disability: negative")]),
        Finding("MON-001", "No review date", "low", "monitoring", False,
                "Without a date the decision's effect is never looked at again.",
                "Set a review date 6 to 12 months after implementation.", ["IDMF step 6"], []),
    ]
    return Findings(findings=findings, rag="red", readiness="Not ready: blocking findings must be resolved",
                    counts_by_severity={"critical": 1, "high": 1, "medium": 0, "low": 1, "info": 0},
                    counts_by_category={"human_rights": 1, "equality": 1, "monitoring": 1},
                    ruleset_version="0" * 64)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_files(red, questionnaire, fmt, audience):
    context = build_context(red, questionnaire, _pinned_findings(), generated_at=FIXED)
    text = render(context, fmt, audience).decode("utf-8")
    golden = GOLDEN / f"red.{'report' if audience == 'board' else 'author-report'}.{fmt}"
    if os.environ.get("IDMF_UPDATE_GOLDEN"):  # after a reviewed change: IDMF_UPDATE_GOLDEN=1 pytest -k golden
        golden.write_text(text, encoding="utf-8")
    assert _normalise(text) == _normalise(golden.read_text(encoding="utf-8"))


BOARD_HEADINGS = ["Rating and readiness", "Risks and what is being done",
                  "The story of the decision", "EHIIRA stage 1 screening",
                  "EHIIRA stage 2: full assessment", "Action plan and monitoring", "Sign-off", "Other findings",
                  "About this record"]
AUTHOR_HEADINGS = ["Summary", "Findings", "The six steps", "EHIIRA stage 1 screening",
                   "EHIIRA stage 2: impact by group", "Action plan"]


def test_board_html_structure_for_reviewers(red, questionnaire):
    c = _context(red, questionnaire)
    html = render(c, "html").decode("utf-8")
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    assert [h.text for h in doc.iter("h2")] == BOARD_HEADINGS
    assert doc.find(".//h1").text == red.title
    for table in doc.iter("table"):
        assert table.find(".//th") is not None, "every table has header cells"
        assert table.find("caption") is not None, "every table says what it is"
    summary = "".join(next(s for s in doc.iter("section") if s.get("id") == "summary").itertext())
    assert "RAG: RED" in summary and "Not ready" in summary  # the rating is in words, not only colour
    assert red.get_answer("purpose.overview") in summary, "the overview of the proposal is on the summary page"
    assert "Not yet approved." in summary
    assert "Concern under Article 3, no inhuman or degrading treatment" in summary  # a blocking matter, in words
    assert "People who cannot travel to the hub" in summary  # the substantive risk, in the author's words
    assert "<link" not in html and "http://" not in html.split("<body")[0]  # self-contained
    # Printed without forced page breaks (they left near-empty pages and broke the page budget),
    # but a row is never split across pages.
    assert "@media print" in html and "break-inside: avoid" in html


def test_author_html_keeps_the_full_working_report(red, questionnaire):
    c = _context(red, questionnaire)
    html = render(c, "html", "author").decode("utf-8")
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    assert [h.text for h in doc.iter("h2")] == AUTHOR_HEADINGS
    summary = html.index('id="summary"')
    first_blocking = html.index(c.blocking[0].rule_id, summary)
    assert first_blocking < html.index('id="findings"'), "blocking findings come first, in the summary"
    text = "".join(doc.itertext())
    for f in c.blocking:
        assert f.guidance in text  # what to do, for the author
    assert c.content_hash in html and c.ruleset_version in html


def test_same_content_in_all_four_formats(red, questionnaire):
    c = _context(red, questionnaire)
    for audience, needles in (("board", ("RAG: RED", c.readiness_words, c.overview,
                                         "Concern under Article 3, no inhuman or degrading treatment")),
                              ("author", ("RAG: RED", c.readiness, "HR-003", c.assessment_id, c.content_hash[:16]))):
        html = render(c, "html", audience).decode()
        md = render(c, "md", audience).decode()
        docx = Document(io.BytesIO(render(c, "docx", audience)))
        docx_text = _docx_text(docx)
        pdf_text = _pdf_text(render(c, "pdf", audience))
        if audience == "board":  # the hashes are in the document's properties, not on its pages
            assert c.content_hash[:16] not in docx_text and c.content_hash[:16] not in pdf_text.replace("\n", "")
            assert c.content_hash in docx.core_properties.keywords
            needles = needles + (c.approval.statement,)
        else:
            needles = needles + (c.assessment_id,)
        for needle in needles:
            assert needle in html and needle in docx_text, (audience, needle)
            assert needle.replace(" ", "") in pdf_text.replace(" ", "").replace("\n", ""), (audience, needle)
            assert md_escape(needle) in md or needle in md, (audience, needle)


def _docx_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs) + "\n" + "\n".join(
        cell.text for t in doc.tables for row in t.rows for cell in row.cells)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\x00", "")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_docx_uses_heading_styles_and_repeating_table_headers(red, questionnaire, audience):
    doc = Document(io.BytesIO(render(_context(red, questionnaire), "docx", audience)))
    heading_1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    expected = BOARD_HEADINGS if audience == "board" else AUTHOR_HEADINGS
    assert heading_1[:len(expected)] == expected
    stage1 = next(t for t in doc.tables if t.rows[0].cells[0].text == "No.")
    assert [c.text for c in stage1.rows[0].cells] == ["No.", "Question", "Yes/No", "Rationale"]
    assert stage1.rows[1].cells[0].text == "1" and stage1.rows[1].cells[2].text in ("Yes", "No")
    for table in doc.tables:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "every table's first row is marked as its header"
    all_cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    if audience == "author":  # the working report lists every gap; the board's stage 2 table has no filler
        assert "Not answered" in all_cells


def test_unanswered_questions_say_not_answered(questionnaire):
    a = Assessment(title="Almost empty")
    c = _context(a, questionnaire)
    md = render(c, "md").decode()
    assert "Not answered" in md
    assert "|  |" not in md, "no blank cells"
    html = render(c, "html").decode()
    assert re.search(r"<td[^>]*>\s*</td>", html) is None, "no blank cells"


@pytest.fixture(scope="module")
def hostile(questionnaire):
    a = Assessment(title=INJECTIONS[0] + " " + INJECTIONS[2])
    a.metadata.person_responsible = INJECTIONS[1]
    a.set_answer("purpose.aims", "\n".join(INJECTIONS))
    a.set_answer("ehiira.q07", {"answer": "yes", "rationale": INJECTIONS[3] + " " + INJECTIONS[4]})
    a.set_answer("stage2.protected_characteristics", [
        {"group": "age", "impact": "negative", "evidence": INJECTIONS[5], "mitigation": INJECTIONS[6], "mitigation_type": "targeted_support"}])
    a.set_answer("decide.actions", [{"action": INJECTIONS[2], "owner": INJECTIONS[6], "due": "2026-06-01", "status": "in_progress"}])
    return _context(a, questionnaire)


def test_injection_strings_are_literal_in_html(hostile):
    html = render(hostile, "html").decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html
    assert "{% for x in range(3) %}loop{% endfor %}" in html and "looplooploop" not in html
    text = "".join(html5lib.parse(html, namespaceHTMLElements=False).itertext())
    for s in INJECTIONS:
        assert s in text, s


def test_injection_strings_are_literal_in_markdown(hostile):
    md = render(hostile, "md").decode()
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\*\\*not bold\\*\\*" in md and "\\| not a cell \\|" in md
    assert "looplooploop" not in md and md_escape(INJECTIONS[3]) in md
    for line in md.splitlines():
        if line.startswith("|"):
            assert line.rstrip().endswith("|"), "table rows stay on one line"
    assert md_escape(INJECTIONS[6]) in md and INJECTIONS[5] in md  # emoji and RTL text intact


def test_injection_strings_are_literal_in_docx_and_pdf(hostile):
    doc = Document(io.BytesIO(render(hostile, "docx")))
    cells = "\n".join(cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    for s in INJECTIONS:
        assert s in cells or s in paragraphs, s
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render(hostile, "pdf"))).pages)
    squashed = pdf.replace("\x00", "").replace("\n", "").replace(" ", "")  # pypdf spaces out some fonts' text
    for s in (INJECTIONS[0], INJECTIONS[2], INJECTIONS[3]):
        assert s.replace(" ", "") in squashed, s


def test_large_assessment_renders(questionnaire):
    from random import Random

    from idmf.samples import random_assessment

    a = random_assessment(questionnaire, Random(3), answer_rate=1.0)
    a.set_answer("decide.actions", [{"action": f"Action {i}: " + "word " * 30, "owner": "Owner", "due": "2026-06-01",
                                     "status": "not_started"} for i in range(500)])
    c = _context(a, questionnaire)
    assert len(c.actions.rows) == 500
    for fmt in ("html", "md", "docx"):
        assert b"Action 499" in render(c, fmt) or fmt == "docx"
    doc = Document(io.BytesIO(render(c, "docx")))
    assert any(t.rows[-1].cells[0].text.startswith("Action 499") for t in doc.tables)


def test_cli_writes_all_four_next_to_the_file(tmp_path):
    target = tmp_path / RED.name
    target.write_bytes(RED.read_bytes())
    result = run_idmf("report", str(target), "--format", "all")
    assert result.returncode == 0, result.stderr
    for ext in ("html", "md", "docx", "pdf"):
        out = tmp_path / f"{target.stem}.report.{ext}"
        assert out.exists() and out.stat().st_size > 1000 and str(out) in result.stdout


def test_cli_report_on_bad_file_is_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [\n")
    result = run_idmf("report", str(bad))
    assert result.returncode == 2 and "not valid YAML" in result.stderr and not (tmp_path / "bad.report.html").exists()


def test_reports_name_missing_questions_in_words_not_rule_internals(red, questionnaire):
    c = _context(red, questionnaire)
    docx = Document(io.BytesIO(render(c, "docx", "author")))
    texts = {"html": render(c, "html", "author").decode(), "md": render(c, "md", "author").decode(),
             "docx": "\n".join(p.text for p in docx.paragraphs)}
    for fmt, text in texts.items():
        assert "derived." not in text, fmt
        assert "Q13 Have you taken specialist advice on the impacts?" in text, fmt


# --- the board's appendix: no internal ids, within its page budget, accessible ---

PAGE_BUDGET = {"green": 6, "amber": 10, "red": 10}
RULE_ID = re.compile(r"\b[A-Z]{2,5}-\d{3}\b")


def _example(questionnaire, colour):
    return load_assessment(next(EXAMPLES.glob(f"{colour}-*.yaml")), questionnaire).assessment


@pytest.fixture(scope="module")
def board_pdfs(questionnaire):
    """Each example's board PDF, rendered once for the tests below."""
    out = {}
    for colour in PAGE_BUDGET:
        c = _context(_example(questionnaire, colour), questionnaire)
        out[colour] = (c, render(c, "pdf"))
    return out


@pytest.mark.parametrize("colour", sorted(PAGE_BUDGET))
def test_board_pdf_within_page_budget(board_pdfs, colour):
    pages = len(PdfReader(io.BytesIO(board_pdfs[colour][1])).pages)
    assert pages <= PAGE_BUDGET[colour], f"{colour} example's board PDF has {pages} pages"


@pytest.mark.parametrize("colour", sorted(PAGE_BUDGET))
def test_board_report_has_no_internal_ids(board_pdfs, questionnaire, ruleset, colour):
    c, pdf = board_pdfs[colour]
    texts = {"html": render(c, "html").decode(), "md": render(c, "md").decode(),
             "docx": _docx_text(Document(io.BytesIO(render(c, "docx")))),
             "pdf": _pdf_text(pdf).replace("\n", " ")}
    question_ids = {q.id for q in questionnaire.questions()} | {
        s.id for step in questionnaire.steps for s in step.sections}
    rule_ids = {rule.id for rule in ruleset.rules}
    for fmt, text in texts.items():
        assert not RULE_ID.search(text), (fmt, RULE_ID.search(text))
        found = [i for i in question_ids | rule_ids if re.search(r"(?<![\w.])" + re.escape(i) + r"(?![\w])", text)]
        assert not found, (fmt, found)
        assert "What to do" not in text and "derived." not in text, fmt


def test_board_summary_gives_readiness_and_every_blocking_and_high_finding_in_words(board_pdfs):
    green, amber, red = (board_pdfs[k][0] for k in ("green", "amber", "red"))
    assert green.readiness_words == "Ready for decision." and green.must_see == [] and green.risks == []
    assert amber.must_see, "amber names the gaps to close"
    for c in (amber, red):
        assert all(not RULE_ID.search(f.title + f.what) for f in c.must_see + c.others)
    # Every blocking and every high finding, not only the blocking ones; the rest counted and listed.
    assert any(not f.blocking and f.severity == "high" for f in red.must_see)
    assert red.others and red.others_count.endswith("medium")
    # A human-rights concern is read once, under the finding its answer raised, not again as a risk.
    assert "Concern under Article 3, no inhuman or degrading treatment" in [f.title for f in red.must_see]
    assert not any("Article 3" in r.what for r in red.risks)
    # A negative impact is shown with what is being done: as a risk of its own, or under the page-1
    # finding that names its group (here JDG-004: age is rated negative and was not engaged).
    assert any("monitor uptake" in r.done for r in red.risks) or \
        any("monitor uptake" in line for f in red.must_see for line in f.done)


def test_board_pdf_is_tagged_pdf_ua_with_title_language_and_author(board_pdfs):
    c, pdf = board_pdfs["red"]
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]), "tagged PDF"
    assert "/StructTreeRoot" in root, "a structure tree screen readers can follow"
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == f"EHIIRA: {c.title}"
    assert reader.metadata.author == "Daniel Okafor, Head of Mental Health Commissioning"
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp, "declares PDF/UA-1 conformance in its XMP metadata"
    assert c.content_hash in (reader.metadata.get("/Keywords") or ""), "integrity in the document properties"


def test_pdfinfo_says_tagged(board_pdfs, tmp_path):
    target = tmp_path / "board.pdf"
    target.write_bytes(board_pdfs["green"][1])
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info


@pytest.mark.parametrize("audience", AUDIENCES)
def test_docx_core_properties_and_no_blank_spacer_paragraphs(red, questionnaire, audience):
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None) - dt.timedelta(seconds=1)
    c = _context(red, questionnaire)
    doc = Document(io.BytesIO(render(c, "docx", audience)))
    props = doc.core_properties
    assert props.title == f"EHIIRA: {red.title}"
    assert props.author == red.metadata.person_responsible
    assert props.language == "en-GB"
    assert props.created.replace(tzinfo=None) >= before, "created now, not when the template was made"
    assert c.content_hash in props.keywords
    langs = doc.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert langs == ["en-GB"]
    blank = [i for i, p in enumerate(doc.paragraphs) if not p.text.strip()]
    assert blank == [], "spacing comes from paragraph formatting, not empty paragraphs"


def test_board_stage1_marks_concerns_only_where_the_questionnaire_says(red, questionnaire):
    for number in (1, 2, 3, 5, 6, 8):  # scoping questions describe the decision; they are never a concern
        q = next(q for q in questionnaire.questions() if q.number == number)
        assert q.concern_if is None, number
    c = _context(red, questionnaire)
    by_number = {q.number: q for q in questionnaire.questions() if q.number}
    rows = [row for section in c.stage1 for row in section.rows]
    assert [row.number for row in rows] == [str(n) for n in range(1, 29)]
    for row in rows:
        q = by_number[int(row.number)]
        value = red.get_answer(q.id)
        expected = q.concern_if is not None and isinstance(value, dict) and value.get("answer") == q.concern_if
        assert row.concern == expected, row.number
    assert not rows[0].concern and rows[3].concern  # Q1 Yes is scoping; Q4 Yes (a reduction) is a concern


@pytest.mark.parametrize("rationale", [
    "Yes - staff at both sites move", "Yes — Yes - habit", "yes, because of the move", "Yesterday's audit",
    "No change for patients", "Yes, on reflection. Moving to the hub is the only option.", "No.", "Y",
])
def test_rationale_is_printed_exactly_as_written(questionnaire, rationale):
    """The author's words are theirs: no "Yes,"/"No," stripped, nothing recapitalised, a one-word
    rationale printed as given (it was "No rationale given", and "Yes, on reflection" lost its "Yes,")."""
    a = Assessment(title="Verbatim")
    a.set_answer("ehiira.q01", {"answer": "yes", "rationale": rationale})
    c = _context(a, questionnaire)
    assert c.stage1[0].rows[0].rationale == rationale
    assert "| Yes | " + md_escape(rationale) + " |" in render(c, "md").decode()


def test_stage2_only_when_required_or_answered_and_never_claims_screening_not_done(questionnaire):
    empty = _context(Assessment(title="Not screened"), questionnaire)
    assert not empty.stage2_shown
    for fmt in ("html", "md"):
        text = render(empty, fmt).decode()
        assert "do not call for" not in text and "did not call for" not in text
        assert "screening is not complete" in text and "EHIIRA stage 2" not in text
    green = _context(_example(questionnaire, "green"), questionnaire)
    assert not green.stage2_shown and "do not call for a full (stage 2)" in green.stage2_note
    answered = Assessment(title="Stage 2 done anyway")
    answered.set_answer("stage2.protected_characteristics", [{"group": "age", "impact": "positive", "evidence": "x"}])
    c = _context(answered, questionnaire)
    assert c.stage2_shown and "EHIIRA stage 2: full assessment" in render(c, "md").decode()


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_report_files_follow_the_umask(tmp_path, mask, mode):
    from idmf.report.render import write

    old = os.umask(mask)
    try:
        write(tmp_path / "r.html", b"<p>x</p>")
    finally:
        os.umask(old)
    assert (tmp_path / "r.html").stat().st_mode & 0o777 == mode


def test_cli_audience_author_writes_the_working_report_alongside(tmp_path):
    target = tmp_path / RED.name
    target.write_bytes(RED.read_bytes())
    board = run_idmf("report", str(target), "--format", "md")
    author = run_idmf("report", str(target), "--format", "md", "--audience", "author")
    assert board.returncode == 0 and author.returncode == 0, board.stderr + author.stderr
    board_md = (tmp_path / f"{target.stem}.report.md").read_text()
    author_md = (tmp_path / f"{target.stem}.author-report.md").read_text()
    assert "HR-003" in author_md and "What to do" in author_md and "HR-003" not in board_md
    bad = run_idmf("report", str(target), "--audience", "committee")
    assert bad.returncode == 2 and "committee" in bad.stderr


def test_screening_scope_shows_the_form_and_calls_for_stage2_without_blank_stage2_pages(questionnaire):
    a = Assessment(title="A screening", scope="screening")
    a.set_answer("ehiira.q07", {"answer": "yes", "rationale": "Older people may lose the walk-in service."})
    a.set_answer("ehiira.q09", {"answer": "no", "rationale": "No positive effect expected."})  # a concern, not a risk
    c = _context(a, questionnaire)
    md = render(c, "md").decode()
    assert ("Scope", "Stage 1 screening") in c.fields
    assert not c.stage2_shown and "EHIIRA stage 2" not in md
    assert ("A full (stage 2) assessment is needed: the screening answers call for it. This stage 1 screening "
            "does not include one, and none is recorded yet.") in md
    assert c.monitoring == [], "a screening is not asked for a monitoring plan, so none is shown as missing"
    assert c.outcome == "Not part of a stage 1 screening"
    assert "A stage 1 screening has no action plan or monitoring plan" in md and "| Item | Answer |" not in md
    # Question 7's concern raised a finding; it is read there once, with the author's words as its reason.
    assert c.risks == []
    assert any("Older people may lose the walk-in service." in f.because for f in c.must_see)


def _approval_texts(c):
    return render(c, "md").decode() + render(c, "html").decode() + _docx_text(Document(io.BytesIO(render(c, "docx"))))


def test_approval_on_paper_is_shown_as_such_and_never_as_verified(questionnaire):
    from idmf.scope import record_external_approval

    a = _example(questionnaire, "green")
    record_external_approval(a, name="Asha Patel", role="E&I business partner", comments="Proportionate screening.")
    c = _context(a, questionnaire)
    assert c.approval.kind == "external" and not c.approval.verified
    text = _approval_texts(c)
    assert "Approved on the paper form by Asha Patel, E&I business partner" in c.approval.statement
    assert "could not be verified against the organisation's list of trusted reviewers" in c.approval.statement
    assert "idmf" not in c.approval.statement and "Approved in idmf" not in text
    assert "Proportionate screening." in text and "Not answered" not in c.approval.date


def test_approval_in_idmf_says_whether_the_answers_changed_since(questionnaire):
    from idmf.model.assessment import Approval

    a = _example(questionnaire, "green")
    a.approval = Approval(reviewer="Asha Patel", role="E&I business partner", date=dt.date(2026, 5, 1),
                          comments="Approved.", content_hash=a.content_hash())
    c = _context(a, questionnaire)
    assert c.approval.verified
    assert c.approval.statement.startswith("Approved by Asha Patel, E&I business partner, on 1 May 2026; "
                                           "the approval could not be verified against the organisation's "
                                           "list of trusted reviewers (")
    assert c.approval.statement.endswith("; the answers have not changed since.")
    assert "in idmf" not in _approval_texts(c)
    a.set_answer("ehiira.q28", "A late edit.")
    c = _context(a, questionnaire)
    assert not c.approval.verified and "no longer covers them" in c.approval.statement


@pytest.mark.parametrize("audience", AUDIENCES)
def test_html_headings_do_not_skip_levels_and_concerns_are_text_not_only_colour(red, questionnaire, audience):
    html = render(_context(red, questionnaire), "html", audience).decode()
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    levels = [int(el.tag[1]) for el in doc.iter() if isinstance(el.tag, str) and re.fullmatch(r"h[1-6]", el.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    assert doc.get("lang") == "en-GB"
    for row in doc.iter("tr"):
        if "concern" in (row.get("class") or ""):
            text = "".join(row.itertext())
            assert "oncern" in text or "Negative" in text, "a shaded row says why in words"
