"""Step definitions for features/report.feature."""

from __future__ import annotations

import io

import html5lib
from docx import Document
from pytest_bdd import given, parsers, scenarios, then, when

from idmf.model.assessment import Assessment
from idmf.report import build_context, render
from idmf.rules import default_engine, load_rules
from idmf.store import load_assessment

from .conftest import EXAMPLES, ROOT

scenarios("report.feature")


@given("the red example assessment", target_fixture="assessment")
def red(questionnaire):
    return load_assessment(next(EXAMPLES.glob("red-*.yaml")), questionnaire).assessment


@given(parsers.parse('an assessment whose aims say "{text}"'), target_fixture="assessment")
def with_aims(text):
    a = Assessment(title="Injection test")
    a.set_answer("purpose.aims", text)
    return a


@when(parsers.parse("I render its report as {fmt}"), target_fixture="rendered")
def rendered(assessment, questionnaire, fmt):
    findings = default_engine(questionnaire).check(assessment)
    context = build_context(assessment, questionnaire, findings)
    code = {"HTML": "html", "Markdown": "md", "Word": "docx"}[fmt]
    return {"context": context, "data": render(context, code)}


@then(parsers.parse('the summary shows the rating "{label}" in words'))
def rating_in_words(rendered, label):
    doc = html5lib.parse(rendered["data"].decode(), namespaceHTMLElements=False)
    summary = next(s for s in doc.iter("section") if s.get("id") == "summary")
    assert label in "".join(summary.itertext())


@then("the blocking findings are listed in the summary before any other finding")
def blocking_first(rendered):
    html = rendered["data"].decode()
    blocking = rendered["context"].blocking
    assert blocking
    summary_end = html.index('id="findings"')
    for finding in blocking:
        assert html.index(finding.rule_id) < summary_end


@then("the report ends with the assessment id, its content hash and the rule-set version")
def provenance(rendered, assessment):
    tail = rendered["data"].decode().rsplit("---", 1)[1]
    assert str(assessment.id) in tail and assessment.content_hash() in tail
    assert rendered["context"].ruleset_version in tail


@then("the rule-set version matches the rule files on disk")
def version_matches(rendered, questionnaire):
    assert rendered["context"].ruleset_version == load_rules(ROOT / "rules", questionnaire).version


@then("the document's headings use Word heading styles in the order of the report")
def word_headings(rendered):
    doc = Document(io.BytesIO(rendered["data"]))
    top = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert top[:6] == ["Summary", "Findings", "The six steps", "EHIIRA stage 1 screening",
                       "EHIIRA stage 2: impact by group", "Action plan"]


@then(parsers.parse('the stage 1 table has the columns "{a}", "{b}", "{c}" and "{d}"'))
def stage1_columns(rendered, a, b, c, d):
    doc = Document(io.BytesIO(rendered["data"]))
    assert any([cell.text for cell in t.rows[0].cells] == [a, b, c, d] for t in doc.tables)


@then("the aims appear exactly as typed")
def aims_literal(rendered, assessment):
    text = "".join(html5lib.parse(rendered["data"].decode(), namespaceHTMLElements=False).itertext())
    assert assessment.get_answer("purpose.aims") in text
    assert "<script>" not in rendered["data"].decode()
