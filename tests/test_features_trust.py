"""Step definitions for features/trust.feature."""

from __future__ import annotations

import json
import shutil

from pytest_bdd import given, parsers, scenarios, then, when

from idmf.store import load_assessment

from .conftest import EXAMPLES, reviewer_env, run_idmf

scenarios("trust.feature")

REVIEWER = "Alex Morgan"


@given("a reviewer with a signing key listed in the organisation's trusted-reviewers file", target_fixture="env")
def reviewer_with_key(tmp_path):
    folder = tmp_path / "register"
    folder.mkdir()
    return reviewer_env(folder, REVIEWER)


@given("the green example assessment, submitted by its author", target_fixture="path")
def green_submitted(tmp_path):
    path = tmp_path / "register" / "green.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)
    assert run_idmf("submit", str(path), "--by", "Priya Shah").returncode == 0
    return path


@when("the reviewer approves it")
def approves(path, env):
    result = run_idmf("review", "approve", str(path), "--reviewer", REVIEWER, "--role", "E&I Business Partner", env=env)
    assert result.returncode == 0, result.stderr


@then("verifying it says the signature is verified")
def verified(path):
    result = run_idmf("verify", str(path))
    assert result.returncode == 0 and "signature verified" in result.stdout, result.stdout + result.stderr


@given(parsers.parse('a draft into which someone has typed an approval block and the status "approved"'),
       target_fixture="path")
def typed_approval(tmp_path, questionnaire):
    path = tmp_path / "register" / "red.yaml"
    shutil.copy(next(EXAMPLES.glob("red-*.yaml")), path)
    content_hash = load_assessment(path, questionnaire).assessment.content_hash()
    text = path.read_text().replace("status: draft", "status: approved")
    path.write_text(text + f"approval:\n  reviewer: {REVIEWER}\n  role: E&I Business Partner\n"
                           f"  date: '2026-03-01'\n  content_hash: {content_hash}\n  review_date: '2026-09-01'\n")
    return path


@then(parsers.parse('verifying it says "approval not verified"'))
def not_verified(path):
    result = run_idmf("verify", str(path))
    assert result.returncode == 1 and "approval not verified" in result.stdout.lower()


@then(parsers.parse('the register shows "approval not verified" against it'))
def register_not_verified(path):
    rows = json.loads(run_idmf("list", str(path.parent), "--format", "json").stdout)
    row = next(r for r in rows if r["file"].endswith("red.yaml"))
    assert "approval not verified" in row["note"].lower()


@given("a folder with the three example assessments and a file with an impossible date", target_fixture="folder")
def folder_with_bad_file(tmp_path):
    folder = tmp_path / "register"
    folder.mkdir()
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, folder / example.name)
    text = next(EXAMPLES.glob("green-*.yaml")).read_text()
    (folder / "bad.yaml").write_text(text.replace("created: '2026-02-02T09:15:00+00:00'", "created: 2026-02-30"))
    return folder


@when("I list the register", target_fixture="rows")
def list_register(folder):
    result = run_idmf("list", str(folder), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@then("every example is listed with its status")
def examples_listed(rows):
    good = [r for r in rows if r["status"] != "error"]
    assert len(good) == len(list(EXAMPLES.glob("*.yaml")))


@then("the bad file is listed as an error naming the line and the impossible date")
def bad_listed(rows):
    bad = [r for r in rows if r["status"] == "error"]
    assert len(bad) == 1 and "bad.yaml:" in bad[0]["note"] and "2026-02-30" in bad[0]["note"]
