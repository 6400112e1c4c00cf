"""The command line as a user meets it: outputs, exit codes, messages."""

from __future__ import annotations

import json
import shutil
from xml.etree import ElementTree as ET

import pytest

from .conftest import EXAMPLES, ROOT, run_idmf, run_idmf_process


def test_version():
    result = run_idmf_process("--version")  # the installed entry point, in a process of its own
    assert result.returncode == 0 and result.stdout.startswith("idmf ")


def test_questionnaire_validate_passes_on_shipped_files():
    result = run_idmf("questionnaire", "validate")
    assert result.returncode == 0, result.stderr
    assert "questionnaire OK" in result.stdout


def test_new_then_show(tmp_path):
    created = run_idmf("new", "--title", "Stroke rehab redesign", "--owner", "Sam Jones", "--dir", str(tmp_path))
    assert created.returncode == 0, created.stderr
    shown = run_idmf("show", created.stdout.strip())
    assert shown.returncode == 0
    assert "Stroke rehab redesign" in shown.stdout and "Step 1" in shown.stdout and "Step 6" in shown.stdout
    assert "Not answered" in shown.stdout


def test_idmf_home_sets_the_folder(tmp_path):
    created = run_idmf("new", "--title", "Home folder", env={"IDMF_HOME": str(tmp_path / "home")})
    assert created.stdout.strip().startswith(str(tmp_path / "home"))


def test_show_missing_file_is_exit_2_with_message(tmp_path):
    result = run_idmf("show", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2 and "file not found" in result.stderr and "Traceback" not in result.stderr


def test_broken_questionnaire_yaml_is_exit_2_with_line(tmp_path):
    copy = tmp_path / "q"
    shutil.copytree(ROOT / "questionnaires", copy)
    (copy / "1-purpose.yaml").write_text("step: purpose\nsections:\n  - id: x\n    title: [broken\n")
    result = run_idmf("questionnaire", "validate", str(copy))
    assert result.returncode == 2
    assert "1-purpose.yaml:" in result.stderr and "not valid YAML" in result.stderr


def test_rules_validate_and_test_pass_on_shipped_rules():
    validate = run_idmf("rules", "validate")
    assert validate.returncode == 0, validate.stderr
    test = run_idmf("rules", "test", "--coverage")
    assert test.returncode == 0, test.stderr
    assert " passed, 0 failed" in test.stdout and "coverage:" in test.stdout


def test_rule_without_quiet_example_is_rejected_with_file_and_line(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "broken.yaml").write_text(
        "rules:\n"
        "  - id: ZZ-001\n"
        "    title: Article 2 concern\n"
        "    severity: critical\n"
        "    category: human_rights\n"
        "    when: {equals: {ehiira.q19: \"yes\"}}\n"
        "    message: m\n    guidance: g\n    references: [HRA 1998 Art 2]\n"
        "    examples:\n      fires:\n        - name: concern\n          answers: {ehiira.q19: {answer: \"yes\", rationale: r}}\n"
        "  - id: ZZ-002\n"
        "    title: Bad value\n"
        "    severity: severe\n"
        "    category: human_rights\n"
        "    when: {equals: {ehiira.q19: \"maybe\"}}\n"
        "    message: m\n    guidance: g\n    references: [x]\n"
    )
    result = run_idmf("rules", "validate", str(rules))
    assert result.returncode == 1
    assert f"{rules}/broken.yaml:2: rule ZZ-001 has no example that does not fire" in result.stderr
    assert f"{rules}/broken.yaml:16:" in result.stderr and "severity" in result.stderr


def test_check_formats(tmp_path):
    red = sorted(EXAMPLES.glob("red-*.yaml"))[0]
    # A real process, once: the exit code a CI job sees comes from the process, not from main().
    as_json = run_idmf_process("check", str(red), "--format", "json")
    assert as_json.returncode == 1  # the red example has blocking findings
    data = json.loads(as_json.stdout)
    assessment = data["assessments"][0]
    assert assessment["rag"] == "red" and assessment["findings"]
    assert all(f["triggered_by"] for f in assessment["findings"])
    junit = ET.fromstring(run_idmf("check", str(red), "--format", "junit").stdout)
    assert junit.find(".//failure") is not None
    github = run_idmf("check", str(red), "--format", "github").stdout
    # Named relative to the repository, as GitHub resolves annotation paths.
    assert github.startswith("::group::") and f"file={red.relative_to(ROOT).as_posix()}," in github and ",line=" in github
    sarif = json.loads(run_idmf("check", str(red), "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


def test_check_json_for_a_big_folder_is_the_same_data_one_assessment_per_line(tmp_path):
    import shutil

    from idmf.outputs.json import PRETTY_JSON_UP_TO

    red = sorted(EXAMPLES.glob("red-*.yaml"))[0]
    for i in range(PRETTY_JSON_UP_TO + 1):
        shutil.copy(red, tmp_path / f"copy{i:03d}.yaml")
    (tmp_path / "broken.yaml").write_text("title: [unclosed\n")
    one = json.loads(run_idmf("check", str(red), "--format", "json").stdout)["assessments"][0]
    result = run_idmf("check", str(tmp_path), "--format", "json")
    assert result.returncode == 2  # one file unreadable
    data = json.loads(result.stdout)
    assert len(data["assessments"]) == PRETTY_JSON_UP_TO + 1
    assert len(result.stdout.splitlines()) == PRETTY_JSON_UP_TO + 4
    assert {k: v for k, v in data["assessments"][7].items() if k != "file"} == \
        {k: v for k, v in one.items() if k != "file"}
    assert data["errors"][0]["file"].endswith("broken.yaml") and "not valid YAML" in data["errors"][0]["error"]


def test_check_fail_on_threshold():
    green = sorted(EXAMPLES.glob("green-*.yaml"))[0]
    assert run_idmf("check", str(green)).returncode == 0
    assert run_idmf("check", str(green), "--fail-on", "info").returncode in (0, 1)
    red = sorted(EXAMPLES.glob("red-*.yaml"))[0]
    assert run_idmf("check", str(red), "--fail-on", "never").returncode == 0


def test_check_unreadable_file_is_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [\n")
    result = run_idmf_process("check", str(bad))
    assert result.returncode == 2 and "not valid YAML" in result.stderr


def test_rules_docs_lists_every_rule(ruleset):
    result = run_idmf("rules", "docs")
    assert result.returncode == 0
    for rule in ruleset.rules:
        assert f"| {rule.id} |" in result.stdout


def test_register_refuses_a_missing_folder_or_unknown_status_and_starts_empty(tmp_path):
    missing = run_idmf("list", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "folder not found" in missing.stderr and "Traceback" not in missing.stderr
    typo = run_idmf("list", str(tmp_path), "--status", "aproved")
    assert typo.returncode == 2 and "--status 'aproved' is not available: choose draft" in typo.stderr
    fresh = run_idmf("list", cwd=tmp_path, env={"IDMF_HOME": ""})
    assert fresh.returncode == 0, fresh.stderr
    assert "No assessments in" in fresh.stdout and "idmf wizard" in fresh.stdout


def _name_in_column(cells: list[str], name: str) -> list[str] | None:
    """The lines of the first column that spell ``name``, top to bottom (None if none do)."""
    for start, cell in enumerate(cells):
        pieces, spelt = [], ""
        for line in cells[start:]:
            if not line or not name.startswith(spelt + line):
                break
            pieces.append(line)
            spelt += line
            if spelt == name:
                return pieces
    return None


@pytest.mark.parametrize("width", [80, 100, 120])
def test_register_breaks_a_long_file_name_only_after_a_hyphen_or_underscore(width):
    """At 80 columns 'amber-phlebotomy-online-booking.yaml' was drawn as '...online-booki' then
    'ng.yaml'. A name is broken only after a hyphen or underscore, or inside a piece wider than
    the column; examples and generated names alike."""
    from idmf.cli import register_table

    names = sorted(p.name for p in EXAMPLES.glob("*.yaml")) + [
        "x" * 70 + ".yaml", "under_score_name_that_runs_on_and_on_for_a_while.yaml",
        "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-f.yaml", "short.yaml"]
    rows = [{"file": f"/x/{name}", "title": "Proposal", "owner": "Sam Jones", "organisation": "Northfield ICB",
             "status": "draft", "rag": "amber", "blocking": 0, "last_change": "2026-11-24T10:00:00+00:00",
             "approved_by": "", "review_due": "", "overdue": False, "note": ""} for name in names]
    column = register_table._widths(width)[0]
    drawn = register_table._render(rows, width, "Assessments in /x", None)
    cells = [line[:column].rstrip() for line in drawn.splitlines()]
    for name in names:
        pieces = _name_in_column(cells, name)
        assert pieces, f"{name} not found whole in the first column at {width} columns:\n{drawn}"
        at = 0
        for piece in pieces[:-1]:
            at += len(piece)
            if piece[-1] not in "-_":  # broken inside a piece: only one wider than the column
                start = max(name.rfind("-", 0, at), name.rfind("_", 0, at)) + 1
                ends = [i for i in (name.find("-", at), name.find("_", at)) if i >= 0]
                assert min(ends, default=len(name)) - start > column, (name, pieces)
        if len(name) <= column:
            assert pieces == [name]


def test_register_table_drawn_in_two_halves_is_the_same_as_drawn_whole(capsys, monkeypatch):
    from idmf.cli import register_table

    monkeypatch.setenv("COLUMNS", "90")
    rows = [{"file": f"/x/a{i:03d}.yaml", "title": f"Proposal {i} " + "word " * (i % 17), "owner": "Sam Jones",
             "organisation": "Northfield ICB", "status": ("draft", "approved", "error")[i % 3], "rag": ("red", "amber", "green")[i % 3],
             "blocking": i % 4, "last_change": "2026-11-24T10:00:00+00:00", "approved_by": "Alex Morgan" * (i % 2),
             "review_due": "2027-05-01" if i % 2 else "", "overdue": i % 5 == 0, "note": "Changed" * (i % 7 == 0)}
            for i in range(60)]
    monkeypatch.setattr(register_table, "PARALLEL_FROM", 10)
    register_table.print_register(rows, "Assessments in /x")
    halves = capsys.readouterr().out
    monkeypatch.setattr(register_table, "PARALLEL_FROM", 10_000)
    register_table.print_register(rows, "Assessments in /x")
    whole = capsys.readouterr().out
    assert halves == whole
    assert "a059.yaml" in whole and max(len(line) for line in whole.splitlines()) <= 90


def test_register_table_in_colour_drawn_in_halves_is_the_same_too(capsys, monkeypatch):
    from idmf.cli import register_table

    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    rows = [{"file": f"/x/a{i:03d}.yaml", "title": f"Proposal {i}", "owner": "Sam", "organisation": "", "status": "draft", "rag": "red",
             "blocking": 1, "last_change": "2026-11-24", "approved_by": "", "review_due": "", "overdue": False,
             "note": ""} for i in range(30)]
    outputs = []
    for parallel_from in (10, 10_000):
        monkeypatch.setattr(register_table, "PARALLEL_FROM", parallel_from)
        register_table.print_register(rows, "Assessments in /x")
        outputs.append(capsys.readouterr().out)
    assert "\x1b[" in outputs[0] and outputs[0] == outputs[1]


def test_findings_to_dict_carries_every_field_of_a_finding():
    # to_dict is written out by hand for speed; a field added to Finding or
    # Trigger must reach the JSON output too.
    from dataclasses import asdict

    from idmf.rules.model import Finding, Findings, Trigger

    f = Findings([Finding("EQ-001", "t", "high", "equality", True, 'm\n"x', "g", ["r"],
                          [Trigger("q", "Q", "A")], "stage2_required")],
                 "red", "Not ready", {"high": 1}, {"equality": 1}, "v")
    assert f.to_dict() == asdict(f)
