"""Step definitions for features/judgement.feature: the real `idmf check --format json`."""

from __future__ import annotations

import json

from pytest_bdd import given, parsers, scenarios, then, when

from .conftest import ROOT, run_idmf

scenarios("judgement.feature")


@given(parsers.parse('the assessment "{path}"'), target_fixture="path")
def the_assessment(path):
    return ROOT / path


@when("I check it", target_fixture="checked")
def check_it(path):
    result = run_idmf("check", str(path), "--format", "json", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    (assessment,) = json.loads(result.stdout)["assessments"]
    return assessment


def _titled(checked, title):
    found = [f for f in checked["findings"] if f["title"] == title]
    assert len(found) == 1, [f["title"] for f in checked["findings"]]
    return found[0]


@then(parsers.parse('"{title}" is one finding of {severity} severity'))
def one_finding(checked, title, severity):
    assert _titled(checked, title)["severity"] == severity


@then(parsers.parse("inside it are the findings that follow from it: {ids}"))
def consequences_inside(checked, ids):
    root = next(f for f in checked["findings"] if f["consequences"])
    assert [c["rule_id"] for c in root["consequences"]] == [i.strip() for i in ids.split(",")]


@then("none of those is listed again on its own")
def not_listed_again(checked):
    inside = {c["rule_id"] for f in checked["findings"] for c in f["consequences"]}
    assert inside and not inside & {f["rule_id"] for f in checked["findings"]}


@then(parsers.parse("the rating is {rag}"))
def rating(checked, rag):
    assert checked["rag"] == rag


@then(parsers.parse('"{title}" is a {severity} finding that does not block'))
def finding_not_blocking(checked, title, severity):
    finding = _titled(checked, title)
    assert finding["severity"] == severity and not finding["blocking"]


@then(parsers.parse('"{title}" is a {severity} finding that blocks'))
def finding_blocking(checked, title, severity):
    finding = _titled(checked, title)
    assert finding["severity"] == severity and finding["blocking"]


@then(parsers.parse('"{title}" is a finding'), target_fixture="finding")
def is_a_finding(checked, title):
    return _titled(checked, title)


@then("it cites question 9 and the evidence given")
def cites_q9_and_evidence(finding):
    cited = {t["question_id"]: t for t in finding["triggered_by"]}
    assert cited["ehiira.q09"]["label"].startswith("Q9 ")
    assert "Clinical-effectiveness evidence" in cited["evidence.sources"]["answer"]
