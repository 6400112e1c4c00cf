"""The EHIIRA report: one context, four formats, the same content; user text stays literal."""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import html5lib
import pytest
from docx import Document
from pypdf import PdfReader

from idmf.model.assessment import Assessment
from idmf.report import build_context, render
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


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_files(red, questionnaire, fmt):
    context = build_context(red, questionnaire, _pinned_findings(), generated_at=FIXED)
    text = render(context, fmt).decode("utf-8")
    golden = GOLDEN / f"red.report.{fmt}"
    if os.environ.get("IDMF_UPDATE_GOLDEN"):  # after a reviewed change: IDMF_UPDATE_GOLDEN=1 pytest -k golden
        golden.write_text(text, encoding="utf-8")
    assert _normalise(text) == _normalise(golden.read_text(encoding="utf-8"))


def test_html_structure_for_reviewers(red, questionnaire):
    c = _context(red, questionnaire)
    html = render(c, "html").decode("utf-8")
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    headings = [h.text for h in doc.iter("h2")]
    assert headings == ["Summary", "Findings", "The six steps", "EHIIRA stage 1 screening",
                        "EHIIRA stage 2: impact by group", "Action plan"]
    assert doc.find(".//h1").text == red.title
    for table in doc.iter("table"):
        assert table.find(".//th") is not None, "every table has header cells"
    text = "".join(doc.itertext())
    assert "RAG: RED" in text  # the rating is in words, not only colour
    assert "Not ready" in text or "Stage 2" in text
    assert "<link" not in html and "http://" not in html.split("<body")[0]  # self-contained
    assert "@media print" in html and "break-before: page" in html
    summary = html.index('id="summary"')
    first_blocking = html.index(c.blocking[0].rule_id, summary)
    assert first_blocking < html.index('id="findings"'), "blocking findings come first, in the summary"


def test_same_content_in_all_four_formats(red, questionnaire):
    c = _context(red, questionnaire)
    html = render(c, "html").decode()
    md = render(c, "md").decode()
    docx = Document(io.BytesIO(render(c, "docx")))
    docx_text = "\n".join(p.text for p in docx.paragraphs) + "\n".join(
        cell.text for t in docx.tables for row in t.rows for cell in row.cells)
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render(c, "pdf"))).pages).replace("\x00", "")
    for needle in ("RAG: RED", c.readiness, "HR-003", c.assessment_id, c.content_hash[:16]):
        assert needle in html and needle in docx_text, needle
        assert needle.replace(" ", "") in pdf_text.replace(" ", "").replace("\n", ""), needle
    for needle in ("RAG: RED", "HR-003", c.assessment_id, c.content_hash):
        assert needle in md, needle


def test_docx_uses_heading_styles_and_repeating_table_headers(red, questionnaire):
    doc = Document(io.BytesIO(render(_context(red, questionnaire), "docx")))
    heading_1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heading_1[:6] == ["Summary", "Findings", "The six steps", "EHIIRA stage 1 screening",
                             "EHIIRA stage 2: impact by group", "Action plan"]
    stage1 = next(t for t in doc.tables if t.rows[0].cells[0].text == "No.")
    assert [c.text for c in stage1.rows[0].cells] == ["No.", "Question", "Yes/No", "Rationale"]
    assert stage1.rows[1].cells[0].text == "1" and stage1.rows[1].cells[2].text in ("Yes", "No", "Yes (concern)", "No (concern)")
    assert stage1.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "header row repeats across pages"
    all_cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
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
    docx = Document(io.BytesIO(render(c, "docx")))
    texts = {"html": render(c, "html").decode(), "md": render(c, "md").decode(),
             "docx": "\n".join(p.text for p in docx.paragraphs)}
    for fmt, text in texts.items():
        assert "derived." not in text, fmt
        assert "Q13 Have you taken specialist advice on the impacts?" in text, fmt
