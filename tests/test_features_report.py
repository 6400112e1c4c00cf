"""Step definitions for features/report.feature."""

from __future__ import annotations

import io
import re

import html5lib
from docx import Document
from pypdf import PdfReader
from pytest_bdd import given, parsers, scenarios, then, when

from idmf.model.assessment import Assessment
from idmf.report import build_context, render
from idmf.rules import default_engine, load_rules
from idmf.store import load_assessment

from .conftest import EXAMPLES, ROOT

scenarios("report.feature")

FORMATS = {"HTML": "html", "Markdown": "md", "Word": "docx", "PDF": "pdf"}


@given(parsers.parse("the {colour} example assessment"), target_fixture="assessment")
def example(questionnaire, colour):
    return load_assessment(next(EXAMPLES.glob(f"{colour}-*.yaml")), questionnaire).assessment


@given(parsers.parse('an assessment whose overview says "{text}"'), target_fixture="assessment")
def with_overview(text):
    a = Assessment(title="Injection test")
    a.set_answer("purpose.overview", text)
    return a


@when(parsers.parse("I render its {audience} report as {fmt}"), target_fixture="rendered")
def rendered(assessment, questionnaire, audience, fmt):
    findings = default_engine(questionnaire).check(assessment)
    context = build_context(assessment, questionnaire, findings)
    return {"context": context, "data": render(context, FORMATS[fmt], audience)}


def _summary_text(rendered) -> str:
    doc = html5lib.parse(rendered["data"].decode(), namespaceHTMLElements=False)
    return "".join(next(s for s in doc.iter("section") if s.get("id") == "summary").itertext())


@then(parsers.parse('the summary shows the rating "{label}" in words'))
def rating_in_words(rendered, label):
    assert label in _summary_text(rendered)


@then("the summary shows the overview of the proposal")
def overview_on_summary(rendered, assessment):
    assert assessment.get_answer("purpose.overview") in _summary_text(rendered)


@then("the summary names what could go wrong and what is being done about it")
def risks_on_summary(rendered, assessment):
    text = _summary_text(rendered)
    assert "What could go wrong" in text and "What is being done" in text
    assert "Older attenders are less likely to use the app." in text and "We will monitor uptake." in text


@then("the report shows no rule ids and no question ids")
def no_ids(rendered, questionnaire):
    text = rendered["data"].decode()
    assert not re.search(r"\b[A-Z]{2,5}-\d{3}\b", text)
    assert not [q.id for q in questionnaire.questions() if q.id in text]


@then(parsers.parse('the stage 1 table has the columns "{a}", "{b}", "{c}" and "{d}"'))
def stage1_columns(rendered, a, b, c, d):
    doc = Document(io.BytesIO(rendered["data"]))
    assert any([cell.text for cell in t.rows[0].cells] == [a, b, c, d] for t in doc.tables)


@then("the stage 1 form has the 28 numbered questions in four sections")
def stage1_numbers(rendered):
    doc = Document(io.BytesIO(rendered["data"]))
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "No."]
    assert len(tables) == 4
    assert [row.cells[0].text for t in tables for row in t.rows[1:]] == [str(n) for n in range(1, 29)]


@then("the blocking findings are listed in the summary before any other finding")
def blocking_first(rendered):
    html = rendered["data"].decode()
    blocking = rendered["context"].blocking
    assert blocking
    summary_end = html.index('id="findings"')
    for finding in blocking:
        assert html.index(finding.rule_id) < summary_end


@then("each finding says what to do")
def what_to_do(rendered):
    html = rendered["data"].decode()
    findings = [f for group in rendered["context"].finding_groups for f in group.findings]
    assert html.count("<strong>What to do:</strong>") == len(findings) > 0


@then("the report ends with the assessment id, its content hash and the rule-set version")
def provenance(rendered, assessment):
    tail = rendered["data"].decode().rsplit("---", 1)[1]
    assert str(assessment.id) in tail and assessment.content_hash() in tail
    assert rendered["context"].ruleset_version in tail


@then("the rule-set version matches the rule files on disk")
def version_matches(rendered, questionnaire):
    assert rendered["context"].ruleset_version == load_rules(ROOT / "rules", questionnaire).version


@then(parsers.parse("the PDF has at most {pages:d} pages"))
def page_budget(rendered, pages):
    assert len(PdfReader(io.BytesIO(rendered["data"])).pages) <= pages


@then("the PDF is tagged, in British English, with the assessment's title")
def tagged(rendered, assessment):
    reader = PdfReader(io.BytesIO(rendered["data"]))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB" and reader.metadata.title == f"EHIIRA: {assessment.title}"


@then("the overview appears exactly as typed")
def overview_literal(rendered, assessment):
    text = "".join(html5lib.parse(rendered["data"].decode(), namespaceHTMLElements=False).itertext())
    assert assessment.get_answer("purpose.overview") in text
    assert "<script>" not in rendered["data"].decode()


@given(parsers.parse('an assessment whose question 5 rationale says "{text}"'), target_fixture="assessment")
def with_rationale(text):
    a = Assessment(title="Verbatim")
    a.set_answer("ehiira.q05", {"answer": "yes", "rationale": text})
    return a


@then("the summary names every blocking and every high finding by the title idmf check gives it")
def every_blocking_and_high_on_summary(rendered, assessment, questionnaire):
    findings = default_engine(questionnaire).check(assessment)
    summary = " ".join(_summary_text(rendered).split())
    serious = [g for f in findings.findings for g in (f, *f.consequences)
               if g.blocking or g.severity in ("high", "critical")]
    assert any(not f.blocking for f in serious), "the red example has a high finding that does not block"
    for f in serious:
        assert f.title in summary, f.title


@then("the summary counts the other findings and the appendix lists them")
def others_counted_and_listed(rendered):
    c = rendered["context"]
    html = rendered["data"].decode()
    assert c.others and f"The checks also found {c.others_count}" in " ".join(_summary_text(rendered).split())
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    listed = "".join(next(s for s in doc.iter("section") if s.get("id") == "others").itertext())
    for f in c.others:
        assert f.title in listed, f.title


@then("nothing points to a document the board does not have")
def no_pointer_to_the_working_report(rendered):
    assert "working report" not in rendered["data"].decode()


@then("the rationale appears exactly as written")
def rationale_verbatim(rendered, assessment):
    doc = Document(io.BytesIO(rendered["data"]))
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert assessment.get_answer("ehiira.q05")["rationale"] in cells
