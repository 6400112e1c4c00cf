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


# --- a question the steps already asked (never ask the same thing twice) ----------------------


@given(parsers.parse('a full assessment whose step 1 says Yes to "{question}" because "{reason}"'),
       target_fixture="path")
def step_1_says_yes(tmp_path, questionnaire, question, reason):
    from idmf.model.assessment import Assessment
    from idmf.store import save_assessment

    (asked,) = [q for q in questionnaire.questions() if q.text == question]
    assessment = Assessment(title="Respite beds at Elm House", scope="full")
    assessment.set_answer(asked.id, {"answer": "yes", "rationale": reason})
    path = tmp_path / "respite-beds.yaml"
    save_assessment(assessment, path)
    return path


@given("question 4 on the form was never answered on its own")
def q4_never_answered(path):
    assert "ehiira.q04" not in path.read_text(encoding="utf-8")


@then("no finding says question 4 is unanswered")
def q4_not_unanswered(checked):
    for finding in checked["findings"]:
        for trigger in finding["triggered_by"]:
            if trigger["question_id"] == "derived.unanswered_required":
                assert not trigger["answer"].startswith("Q4 ") and "; Q4 " not in trigger["answer"], trigger


@then("question 4 counts as Yes, taken from step 1: a full (stage 2) assessment is needed")
def q4_counts(checked):
    stage2 = [f for f in checked["findings"] if f["readiness"] == "stage2_required"]
    assert stage2, [f["rule_id"] for f in checked["findings"]]
    cited = {t["question_id"]: t["answer"] for f in stage2 for t in f["triggered_by"]}
    assert cited["ehiira.q04"] == "Yes — Respite beds cut from 12 to 8 (from step 1)", cited


@when("I write the board report", target_fixture="report")
def write_board_report(path, tmp_path):
    target = tmp_path / "board.md"
    result = run_idmf("report", str(path), "--format", "md", "--output", str(target))
    assert result.returncode == 0, result.stderr
    return target.read_text(encoding="utf-8")


@then(parsers.parse('question 4 on the form reads {answer}, "{rationale}"'))
def q4_on_the_form(report, answer, rationale):
    (row,) = [line for line in report.splitlines() if line.startswith("| 4 |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2].startswith(answer) and cells[3] == rationale, cells
