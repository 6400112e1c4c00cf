"""The CI formats of `idmf check`, read back by their consumers' own rules.

* GitHub workflow commands: parsed as the Actions runner parses them
  (ActionCommand.TryParseV2 and its unescaping), so what a reviewer sees in the
  pull request is exactly the text idmf meant, and nothing in a file can start
  a command of its own.
* JUnit: read with junitparser, as CI report readers read it.
* SARIF: validated against the official SARIF 2.1.0 JSON schema
  (tests/schemas/sarif-schema-2.1.0.json, from the OASIS TC's sarif-spec).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import EXAMPLES, run_idmf

RED = next(EXAMPLES.glob("red-*.yaml"))
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
HOSTILE = [
    "Article 3, right to life: 100% sure",
    "line one\nline two\r\nline three\rend",
    "x\n::error file=evil.yaml,line=1::injected",
    "%0A::error::still data %25 %3A %2C",
    "::warning::at the start",
    "a::b,c:d=e",
]


# --- GitHub: the runner's parser -------------------------------------------------------------

RUNNER_COMMANDS = {"error", "warning", "notice", "group", "endgroup", "debug"}


def _unescape(value: str, mappings) -> str:
    for token, replacement in mappings:
        value = value.replace(replacement, token)
    return value


DATA_MAPPINGS = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]
PROPERTY_MAPPINGS = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]


def parse_workflow_commands(output: str) -> list[dict]:
    """The commands the Actions runner would act on, read line by line as it reads them."""
    commands = []
    for line in output.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        message = line.lstrip()
        if not message.startswith("::"):
            continue
        end = message.find("::", 2)
        if end < 0:
            continue
        info = message[2:end]
        name, _, props = info.partition(" ")
        if name not in RUNNER_COMMANDS:
            continue
        properties = {}
        for prop in [p for p in props.strip().split(",") if p]:
            key, sep, value = prop.partition("=")
            if sep and key and value:
                properties[key] = _unescape(value, PROPERTY_MAPPINGS)
        commands.append({"name": name, "properties": properties, "data": _unescape(message[end + 2:], DATA_MAPPINGS)})
    return commands


@pytest.mark.parametrize("text", HOSTILE)
def test_github_escaping_round_trips_through_the_runner_s_unescaping(text):
    from idmf.outputs.github import command

    line = command("warning", text, file=text, line=7, title=text)
    assert line.count("\n") == 1 and line.endswith("\n") and "\r" not in line  # one line, whatever the text
    (parsed,) = parse_workflow_commands(line)
    assert parsed == {"name": "warning", "properties": {"file": text, "line": "7", "title": text}, "data": text}


def _finding(message: str, title: str = "Title, with: punctuation"):
    from idmf.rules.model import Finding, Trigger

    return Finding(rule_id="EQ-001", title=title, severity="high", category="equality", blocking=True,
                   message=message, guidance="Do this, then that: 100%.", references=["x"],
                   triggered_by=[Trigger(question_id="purpose.aims", question="Aims", answer="a")])


def _github(results, fail_on="blocking", rules=()):
    from idmf.outputs import CheckRun, output_for
    from idmf.threshold import FailOn

    written = io.StringIO()
    output = output_for("github", CheckRun([r.path for r in results], FailOn(fail_on), list(rules)), written.write)
    output.begin()
    for result in results:
        output.add(result)
    output.end()
    return written.getvalue()


def test_a_finding_or_file_name_holding_a_command_stays_inside_its_own_annotation(tmp_path):
    from idmf.checking import CheckedFile
    from idmf.rules import summarise

    evil_name = tmp_path / "a,line=9::x%0A\n::error::injected.yaml"
    evil_message = "Bad\n::error file=other.yaml::injected %0A::error::again"
    result = CheckedFile(evil_name, findings=summarise([_finding(evil_message)]))
    broken = CheckedFile(tmp_path / "b\r::error::x.yaml", error="b.yaml:1: not valid YAML\n::error::injected")
    commands = parse_workflow_commands(_github([result, broken]))
    # Each file's group holds its findings as log text; the annotations follow, most severe
    # (the unreadable file) first.
    assert [c["name"] for c in commands] == ["group", "endgroup", "group", "endgroup", "error", "error"]
    annotation = commands[5]
    assert annotation["properties"]["file"] == str(evil_name)
    assert annotation["properties"]["line"] == "1"
    assert annotation["properties"]["title"] == "EQ-001 Title, with: punctuation [high]"  # read as written, once
    assert annotation["data"].startswith(evil_message + " (purpose.aims)")
    assert commands[4]["properties"]["file"] == str(broken.path)
    assert commands[4]["data"] == broken.error
    log = [line for line in _github([result, broken]).splitlines() if not line.startswith("::")]
    assert not [line for line in log if line.lstrip().startswith("::")]  # nothing in the log is a command


def test_github_groups_each_file_levels_follow_fail_on_and_a_summary_ends_the_log():
    # The three worked examples (examples/cases/ holds the case bank, checked by tests/test_cases.py).
    result = run_idmf("check", *sorted(str(p) for p in EXAMPLES.glob("*.yaml")), "--format", "github")
    assert result.returncode == 1, result.stderr
    commands = parse_workflow_commands(result.stdout)
    groups = [c["data"] for c in commands if c["name"] == "group"]
    assert len(groups) == 3 and all(g.startswith("examples/") for g in groups)  # relative to the repository
    assert sum(c["name"] == "endgroup" for c in commands) == 3
    annotations = [c for c in commands if c["name"] in ("error", "warning", "notice")]
    red = [c for c in annotations if "red-" in c["properties"]["file"]]
    amber = [c for c in annotations if "amber-" in c["properties"]["file"]]
    assert red and amber
    # Blocking findings are errors (they fail the job); the amber file's are not.
    assert any(c["name"] == "error" for c in red) and not any(c["name"] == "error" for c in amber)
    assert all(c["properties"]["line"].isdigit() for c in annotations)
    log = [line for line in result.stdout.splitlines() if line.startswith("idmf check:")]
    assert log[0].startswith("idmf check: 3 files, 1 failing (--fail-on blocking), 0 unreadable")
    errors = sum(c["name"] == "error" for c in annotations)
    assert f"annotations: {errors} error" in log[0]
    # Every finding is in its file's group in the log, annotated or not.
    findings = json.loads(run_idmf("check", *sorted(str(p) for p in EXAMPLES.glob("*.yaml")), "--format",
                                   "json").stdout)["assessments"]
    for item in findings:
        for f in item["findings"]:
            assert any(f["rule_id"] in line and f["title"] in line for line in result.stdout.splitlines()
                       if not line.startswith("::")), f["rule_id"]
    # Nothing below the threshold fails the job, so nothing is an error.
    never = parse_workflow_commands(run_idmf("check", str(RED), "--format", "github", "--fail-on", "never").stdout)
    assert not [c for c in never if c["name"] == "error"]


def _many_findings(tmp_path, files: int):
    """Results with findings of every severity in ``files`` files, and one unreadable file."""
    from idmf.checking import CheckedFile
    from idmf.rules import summarise
    from idmf.rules.model import SEVERITIES, Finding

    results = []
    for n in range(files):
        findings = [Finding(rule_id=f"R-{severity}-{k}", title=f"{severity} {k}", severity=severity,
                            category="equality", blocking=severity == "critical" and k == 0,
                            message=f"Message | with *markup* <b>{n}</b>", guidance="Do it.", references=[],
                            triggered_by=[]) for severity in SEVERITIES for k in range(2)]
        results.append(CheckedFile(tmp_path / f"file{n}.yaml", findings=summarise(findings)))
    results.append(CheckedFile(tmp_path / "broken.yaml", error="broken.yaml:1: not valid YAML"))
    return results


@pytest.mark.parametrize("fail_on", ["blocking", "high"])
def test_github_annotates_at_most_ten_of_each_level_most_severe_first_and_summarises_all(
        tmp_path, monkeypatch, fail_on):
    from idmf.rules.model import SEVERITY_RANK

    summary = tmp_path / "summary.md"
    summary.write_text("Earlier step's summary\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    results = _many_findings(tmp_path, 6)  # 6 files x 10 findings: 60 findings, and an unreadable file
    written = _github(results, fail_on)
    annotations = [c for c in parse_workflow_commands(written) if c["name"] in ("error", "warning", "notice")]
    by_level = {level: [c for c in annotations if c["name"] == level] for level in ("error", "warning", "notice")}
    assert all(len(shown) <= 10 for shown in by_level.values())
    # The unreadable file first (nothing in it was checked), then the most severe findings.
    assert by_level["error"][0]["properties"]["title"] == "idmf: unreadable assessment"
    severities = [c["properties"]["title"].rsplit("[", 1)[1].rstrip("]") for c in annotations
                  if c["properties"]["title"] != "idmf: unreadable assessment"]
    for level in ("error", "warning", "notice"):
        ranks = [SEVERITY_RANK[c["properties"]["title"].rsplit("[", 1)[1].rstrip("]")] for c in by_level[level]
                 if "[" in c["properties"]["title"]]
        assert ranks == sorted(ranks, reverse=True), level
    if fail_on == "high":  # critical and high fail: 24 errors, of which the 10 shown are the critical ones
        assert {s for s, c in zip(severities, annotations[1:]) if c["name"] == "error"} == {"critical"}
        assert {s for s, c in zip(severities, annotations[1:]) if c["name"] == "warning"} == {"medium"}
    not_shown = 61 - len(annotations)
    assert not_shown > 0
    log = next(line for line in written.splitlines() if line.startswith("idmf check:"))
    assert f"{not_shown} more not annotated" in log and "job summary" in log
    # The job summary: appended after what earlier steps wrote, every finding in one table.
    text = summary.read_text()
    assert text.startswith("Earlier step's summary\n## idmf check")
    assert f"{not_shown} of 61 findings not annotated" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == 61 and all(row.count(" | ") == 5 for row in rows)  # no cell broken by a | in a message
    assert "<b>" not in text and "*markup*" not in text and "Message &#124; with &#42;markup&#42;" in text
    assert rows[0].split(" | ")[2] == "error" and "broken.yaml" in rows[0]


def test_github_without_a_job_summary_writes_only_the_log(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    written = _github(_many_findings(tmp_path, 1))
    assert "more not annotated" not in written  # 11 findings over three levels: all shown
    assert list(tmp_path.glob("*.md")) == []


# --- JUnit ----------------------------------------------------------------------------------

def _junit(stdout: str):
    from junitparser import JUnitXml

    return JUnitXml.fromstring(stdout.encode("utf-8"))


@pytest.mark.parametrize("fail_on", ["blocking", "medium", "never"])
def test_junit_lists_every_rule_and_fails_only_at_or_above_fail_on(fail_on, ruleset, tmp_path):
    from junitparser import Error, Failure, Skipped

    broken = tmp_path / "broken.yaml"
    broken.write_text("title: [unclosed\n")
    result = run_idmf("check", str(RED), str(EXAMPLES / "green-pharmacy-extended-hours.yaml"), str(broken),
                      "--format", "junit", "--fail-on", fail_on)
    assert result.returncode == 2, result.stderr  # the unreadable file outranks findings
    xml = _junit(result.stdout)
    suites = list(xml)
    assert [s.name for s in suites] == [str(RED), str(EXAMPLES / "green-pharmacy-extended-hours.yaml"), str(broken)]
    assert xml.time >= 0
    findings = json.loads(run_idmf("check", str(RED), "--format", "json").stdout)["assessments"][0]["findings"]
    from idmf.rules.model import SEVERITY_RANK

    def fails(f):
        if fail_on == "never":
            return False
        if fail_on == "blocking":
            return f["blocking"]
        return SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK[fail_on]

    red = suites[0]
    cases = list(red)
    assert sorted(c.name.split()[0] for c in cases) == sorted(r.id for r in ruleset.rules)  # every rule listed
    failed = {c.name.split()[0] for c in cases if any(isinstance(r, Failure) for r in c.result)}
    assert failed == {f["rule_id"] for f in findings if fails(f)}
    assert red.failures == len(failed) and red.tests == len(ruleset.rules) and red.errors == 0
    skipped = [c for c in cases if any(isinstance(r, Skipped) for r in c.result)]
    assert red.skipped == len(skipped)
    below = {f["rule_id"] for f in findings} - failed
    # Skipped: a rule for full assessments only (this one is a screening), or a finding below --fail-on.
    assert all("full" not in {r.id: r for r in ruleset.rules}[c.name.split()[0]].scopes
               or c.name.split()[0] in below for c in skipped)
    assert red.time is not None and red.timestamp
    # A finding below the threshold is skipped with the finding as its message (GitLab and Jenkins
    # show it), so nobody takes it for a clean pass.
    by_id = {f["rule_id"]: f for f in findings}
    for case in cases:
        if case.name.split()[0] in below:
            (result,) = case.result
            assert isinstance(result, Skipped)
            assert result.message.startswith(f"below --fail-on {fail_on}: [{by_id[case.name.split()[0]]['severity']}]")
            assert by_id[case.name.split()[0]]["message"].split()[0] in result.message
    assert not below or skipped
    assert not failed or all(c.result[0].message for c in cases if c.name.split()[0] in failed)
    assert suites[1].failures == 0
    assert suites[2].errors == 1 and isinstance(list(suites[2])[0].result[0], Error)
    assert xml.tests == sum(s.tests for s in suites) and xml.failures == sum(s.failures for s in suites)
    assert xml.errors == 1


JUNIT_SCHEMA = Path(__file__).parent / "schemas" / "junit-10.xsd"


@pytest.mark.parametrize("fail_on", ["blocking", "high", "never"])
def test_junit_is_valid_against_jenkins_xunit_schema(fail_on, tmp_path):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(JUNIT_SCHEMA)))
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: [unclosed\n")
    files = sorted(str(p) for p in EXAMPLES.glob("*.yaml")) + [str(broken)]
    result = run_idmf("check", *files, "--format", "junit", "--fail-on", fail_on)
    report = etree.fromstring(result.stdout.encode("utf-8"))
    assert schema.validate(report), schema.error_log
    # Every finding is visible: a failure at or above --fail-on, skipped with its message below it.
    findings = json.loads(run_idmf("check", *files[:-1], "--format", "json").stdout)["assessments"]
    for item in findings:
        suite = next(s for s in report.iter("testsuite") if s.get("name") == item["file"])
        for f in item["findings"]:
            case = next(c for c in suite.iter("testcase") if c.get("name").startswith(f["rule_id"] + " "))
            (outcome,) = [child for child in case if child.tag in ("failure", "skipped")]
            assert f["message"].split("\n")[0][:40] in outcome.get("message"), (f["rule_id"], fail_on)


def test_junit_strips_characters_xml_cannot_hold(tmp_path):
    from idmf.checking import CheckedFile
    from idmf.outputs import CheckRun, output_for

    bad = "\x00\x01\x08\x0b\x0c\x1b[2J\ufffe\uffff\ud800 Northfield & <ICB>"
    result = CheckedFile(tmp_path / f"x{bad}.yaml", error=f"unreadable: {bad}")
    written = io.StringIO()
    output = output_for("junit", CheckRun([result.path]), written.write)
    output.begin()
    output.add(result)
    output.end()
    xml = _junit(written.getvalue())
    (suite,) = list(xml)
    # The lone surrogate (a byte of a name that is not UTF-8) shows as U+FFFD; the rest goes.
    assert suite.name == str(tmp_path / "x\ufffd Northfield & <ICB>.yaml")
    assert list(suite)[0].result[0].message == "unreadable: \ufffd Northfield & <ICB>"


# --- SARIF ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "assessments" / "north east").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, repo / "assessments" / "north east" / example.name)
    (repo / "assessments" / "broken.yaml").write_text("title: [unclosed\n")
    return repo


def test_sarif_is_valid_sarif_2_1_0_with_repository_relative_locations(tmp_path, sarif_validator):
    repo = _repository(tmp_path)
    # Run from a subfolder: locations stay relative to the repository root, as code scanning needs.
    result = run_idmf("check", "..", "--format", "sarif", cwd=repo / "assessments" / "north east")
    assert result.returncode == 2, result.stderr
    log = json.loads(result.stdout)
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "idmf" and driver["version"] and driver["properties"]["rulesVersion"]
    declared = [rule["id"] for rule in driver["rules"]]
    assert len(declared) == len(set(declared))
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == repo.as_uri() + "/"
    assert run["results"]
    uris = set()
    for entry in run["results"]:
        assert declared[entry["ruleIndex"]] == entry["ruleId"]  # every result's rule is declared, where it says
        location = entry["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "SRCROOT"
        uris.add(location["uri"])
        assert entry["partialFingerprints"]["idmfFinding/v1"]
    assert "assessments/north%20east/" + RED.name in uris and "assessments/broken.yaml" in uris
    (invocation,) = run["invocations"]
    assert invocation["exitCode"] == result.returncode == 2 and invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["level"] == "error"


def test_sarif_fingerprints_survive_moved_lines_and_exit_code_is_recorded(tmp_path, sarif_validator):
    repo = _repository(tmp_path)
    (repo / "assessments" / "broken.yaml").unlink()
    target = repo / "assessments" / "north east" / RED.name

    def results():
        out = run_idmf("check", str(target), "--format", "sarif", cwd=repo)
        log = json.loads(out.stdout)
        assert not list(sarif_validator.iter_errors(log))
        assert log["runs"][0]["invocations"][0]["exitCode"] == out.returncode == 1
        assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True  # findings are not a failed run
        return {r["partialFingerprints"]["idmfFinding/v1"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
                for r in log["runs"][0]["results"]}

    before = results()
    target.write_text("# a comment added above everything\n" + target.read_text())
    after = results()
    assert before.keys() == after.keys()
    assert all(after[key] == line + 1 for key, line in before.items() if line > 1)


def test_sarif_levels_follow_fail_on():
    levels = {r["ruleId"]: r["level"] for r in json.loads(
        run_idmf("check", str(RED), "--format", "sarif", "--fail-on", "never").stdout)["runs"][0]["results"]}
    assert levels and "error" not in levels.values()
    blocking = json.loads(run_idmf("check", str(RED), "--format", "json").stdout)["assessments"][0]["findings"]
    strict = {r["ruleId"]: r["level"] for r in json.loads(
        run_idmf("check", str(RED), "--format", "sarif").stdout)["runs"][0]["results"]}
    assert {rule for rule, level in strict.items() if level == "error"} == {f["rule_id"] for f in blocking if f["blocking"]}


@pytest.mark.parametrize("fmt", ["table", "json", "github", "junit", "sarif"])
def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(fmt, tmp_path, sarif_validator):
    """File names are bytes on Linux: a name from another system's encoding (here Latin-1 ÿ, byte
    0xff) or holding a control character must come out in every format as readable text, never
    exit 70."""
    import os
    import sys

    repo = _repository(tmp_path)
    folder = os.fsencode(repo / "assessments")
    names = [b"caf\xff-clinic.yaml", b"tab\there.yaml", b"esc\x1b]0;x\x07.yaml"]
    for name in names:
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(RED.read_bytes())
    result = subprocess.run([sys.executable, "-m", "idmf", "check", "assessments", "--format", fmt],
                            cwd=repo, capture_output=True, env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    assert result.returncode in (1, 2), result.stderr.decode(errors="replace")[-500:]
    out = result.stdout.decode("utf-8")  # strict: every format is valid UTF-8
    assert "\x1b" not in out and "\x07" not in out
    if fmt == "sarif":
        log = json.loads(out)
        assert not list(sarif_validator.iter_errors(log))
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
        assert "assessments/caf%FF-clinic.yaml" in uris  # the file's own bytes, percent-encoded as RFC 3986 says
    elif fmt == "json":
        json.loads(out)
    elif fmt == "junit":
        from junitparser import JUnitXml

        JUnitXml.fromstring(result.stdout)
    elif fmt == "github":
        files = {c["properties"].get("file") for c in parse_workflow_commands(out) if c["name"] == "error"}
        assert any(f and f.startswith("assessments/caf") for f in files)
