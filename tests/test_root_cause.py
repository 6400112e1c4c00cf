"""One root cause, one finding: rules that name a root in ``consequence_of`` are read inside it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from idmf.errors import ValidationProblems
from idmf.rules import load_rules
from idmf.store import load_assessment

from .conftest import EXAMPLES, ROOT, run_idmf

DAY_CENTRE = EXAMPLES / "red-day-centre-consolidation.yaml"
DATA_GAP = ["EV-002", "EV-003", "EV-005", "MON-002", "MON-003"]


def _grouped(findings):
    return {f.rule_id: [c.rule_id for c in f.consequences] for f in findings}


@pytest.mark.parametrize("which", ["engine", "oracle"])
def test_the_data_gap_is_read_once_under_its_root_in_both_engines(which, request, questionnaire):
    engine = request.getfixturevalue(which)
    result = engine.check(load_assessment(DAY_CENTRE, questionnaire).assessment)
    grouped = _grouped(result)
    assert sorted(grouped["EV-010"]) == sorted(DATA_GAP)
    assert not set(DATA_GAP) & set(result.top_ids()), "a consequence is not listed a second time"
    assert set(DATA_GAP) <= set(result.ids()), "grouped, not dropped"
    # The counts a reviewer reads are of what is listed: the five mediums are inside EV-010.
    assert sum(result.counts_by_severity.values()) == len(result) == len(result.top_ids())


def test_a_consequence_stands_alone_when_its_root_does_not_fire(engine, questionnaire):
    assessment = load_assessment(EXAMPLES / "green-pharmacy-extended-hours.yaml", questionnaire).assessment
    assessment.set_answer("review.measures_by_group", {"answer": "no", "rationale": "Totals only"})
    result = engine.check(assessment)
    assert "MON-002" in result.top_ids() and "EV-010" not in result.ids()


def test_grouping_never_changes_rag_or_readiness(engine, oracle, questionnaire):
    from idmf.rules.engine import summarise

    for path in sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "cases").glob("*.yaml")):
        result = engine.check(load_assessment(path, questionnaire).assessment)
        flat = [f for top in result for f in (top, *top.consequences)]
        ungrouped = summarise(flat)
        assert (ungrouped.rag, ungrouped.readiness) == (result.rag, result.readiness), path.name


def _write_rules(tmp_path, root_severity="high", consequence="EV-010", root_blocking="false"):
    shutil_src = (ROOT / "rules" / "evidence.yaml").read_text(encoding="utf-8")
    assert "consequence_of: EV-010" in shutil_src
    text = f"""rules:
  - id: ZZ-001
    title: Root
    severity: {root_severity}
    category: evidence
    blocking: {root_blocking}
    when: {{equals: {{ehiira.q11: "no"}}}}
    message: m
    guidance: g
    references: [r]
    examples:
      fires: [{{name: f, answers: {{ehiira.q11: {{answer: "no", rationale: "x"}}}}}}]
      quiet: [{{name: q, answers: {{ehiira.q11: {{answer: "yes", rationale: "x"}}}}}}]
  - id: ZZ-002
    title: Consequence
    severity: medium
    category: evidence
    blocking: true
    consequence_of: {consequence}
    when: {{equals: {{ehiira.q11: "no"}}}}
    message: m
    guidance: g
    references: [r]
    examples:
      fires: [{{name: f, answers: {{ehiira.q11: {{answer: "no", rationale: "x"}}}}}}]
      quiet: [{{name: q, answers: {{ehiira.q11: {{answer: "yes", rationale: "x"}}}}}}]
"""
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("severity,consequence,blocking,says", [
    ("high", "ZZ-009", "true", "no rule has that id"),
    ("high", "ZZ-002", "true", "cannot be a consequence of itself"),
    ("low", "ZZ-001", "true", "a root must be at least as severe"),
    ("high", "ZZ-001", "false", "make the root blocking"),
])
def test_a_root_that_would_hide_part_of_a_consequence_is_refused(tmp_path, questionnaire, severity, consequence,
                                                                 blocking, says):
    with pytest.raises(ValidationProblems) as caught:
        load_rules(_write_rules(tmp_path, severity, consequence, blocking), questionnaire)
    assert says in "\n".join(caught.value.problems)
    assert "rules.yaml:" in "\n".join(caught.value.problems)  # names the file and line


def test_every_check_format_shows_the_consequences_inside_the_root():
    table = run_idmf("check", str(DAY_CENTRE))
    assert "also EV-002" in table.stdout and "more listed inside the root cause" in table.stdout
    found = json.loads(run_idmf("check", str(DAY_CENTRE), "--format", "json").stdout)["assessments"][0]
    root = next(f for f in found["findings"] if f["rule_id"] == "EV-010")
    assert sorted(c["rule_id"] for c in root["consequences"]) == sorted(DATA_GAP)
    assert not {f["rule_id"] for f in found["findings"]} & set(DATA_GAP)
    github = run_idmf("check", str(DAY_CENTRE), "--format", "github").stdout
    ev010 = next(line for line in github.splitlines() if "EV-010" in line)
    assert "The same gap also means: EV-002" in ev010
    assert not any(line.startswith("::") and "title=MON-002" in line for line in github.splitlines())
    sarif = json.loads(run_idmf("check", str(DAY_CENTRE), "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} & set(DATA_GAP) == set()
    ev = next(r for r in results if r["ruleId"] == "EV-010")
    assert sorted(ev["properties"]["consequences"]) == sorted(DATA_GAP)
    junit = ET.fromstring(run_idmf("check", str(DAY_CENTRE), "--format", "junit").stdout)
    case = next(c for c in junit.iter("testcase") if c.get("name", "").startswith("MON-002"))
    assert case.find("failure") is None
    assert case.find("system-out").text.startswith("Grouped under EV-010")
    root_case = next(c for c in junit.iter("testcase") if c.get("name", "").startswith("EV-010"))
    # high: below the default --fail-on blocking, so skipped with the finding and its consequences
    assert "Also (same gap): MON-003" in root_case.find("skipped").text
    failing = ET.fromstring(run_idmf("check", str(DAY_CENTRE), "--format", "junit", "--fail-on", "high").stdout)
    root_case = next(c for c in failing.iter("testcase") if c.get("name", "").startswith("EV-010"))
    assert "Also (same gap): MON-003" in root_case.find("failure").text


def test_the_author_report_lists_the_consequences_under_the_root(tmp_path):
    copy = tmp_path / DAY_CENTRE.name
    copy.write_bytes(DAY_CENTRE.read_bytes())
    result = run_idmf("report", str(copy), "--format", "md", "--audience", "author", "-o", str(tmp_path / "r.md"))
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    section = text.split("EV-010", 1)[1]
    assert "The same gap also means" in section.split("####", 1)[0]
    assert "#### EV-002" not in text
