"""The example CI set-ups in docs/ci run as written: their idmf command lines, taken from the
YAML itself, are run in a project like an organisation's and give what the next step reads."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLES, ROOT

DOCS = ROOT / "docs" / "ci"


def _github_lines() -> list[str]:
    workflow = yaml.safe_load((DOCS / "github-actions.yml").read_text())
    steps = workflow["jobs"]["assessments"]["steps"]
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif") and
               step["with"]["sarif_file"] == "idmf.sarif" and step.get("if") == "always()" for step in steps)
    assert workflow["permissions"]["security-events"] == "write"
    return [line for step in steps for line in step.get("run", "").splitlines()]


def _gitlab_lines() -> list[str]:
    job = yaml.safe_load((DOCS / "gitlab-ci.yml").read_text())["idmf"]
    assert job["artifacts"]["reports"]["junit"] == "idmf-junit.xml" and job["artifacts"]["when"] == "always"
    return job["script"]


def _project(tmp_path: Path, *examples: str) -> Path:
    project = tmp_path / "project"
    (project / "assessments").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    for pattern in examples:
        example = next(EXAMPLES.glob(pattern))
        shutil.copy(example, project / "assessments" / example.name)
    return project


def _run(lines: list[str], project: Path, checks_only: bool = False) -> dict[str, subprocess.CompletedProcess]:
    """Each idmf line as the CI shell runs it (the install line is the CI's business, not run here).
    ``checks_only``: just the `idmf check` lines (the rule lines do not depend on the assessments)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name in ("IDMF_RULES", "IDMF_QUESTIONNAIRES", "IDMF_TEMPLATES", "IDMF_CONFIG"):
        env.pop(name, None)
    idmf_lines = [line.strip() for line in lines if line.strip().startswith("idmf check " if checks_only else "idmf ")]
    assert any(line.startswith("pip install") for line in lines)
    return {line: subprocess.run(["bash", "-c", line], cwd=project, env=env, capture_output=True, text=True,
                                 timeout=300) for line in idmf_lines}


@pytest.mark.parametrize("examples,failing", [(("green-*", "amber-*"), False), (("green-*", "red-*"), True)])
def test_github_actions_example_gives_annotations_and_sarif_for_code_scanning(tmp_path, examples, failing):
    import jsonschema

    from .test_ci_outputs import SARIF_SCHEMA, parse_workflow_commands

    project = _project(tmp_path, *examples)
    runs = _run(_github_lines(), project, checks_only=failing)
    assert set(runs) == (set() if failing else {"idmf rules validate", "idmf rules test"}) | {
        "idmf check assessments/ --format github --fail-on never", "idmf check assessments/ --format sarif > idmf.sarif"}
    for line, result in runs.items():
        expected = 1 if failing and line.endswith("idmf.sarif") else 0  # only the gating step fails the job
        assert result.returncode == expected, (line, result.stdout, result.stderr)
    annotations = parse_workflow_commands(runs["idmf check assessments/ --format github --fail-on never"].stdout)
    assert sum(c["name"] == "group" for c in annotations) == 2
    log = json.loads((project / "idmf.sarif").read_text())
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris and all(uri.startswith("assessments/") for uri in uris)
    assert any(r["level"] == "error" for r in log["runs"][0]["results"]) == failing


@pytest.mark.parametrize("examples,failing", [(("green-*",), False), (("green-*", "red-*"), True)])
def test_gitlab_example_gives_a_junit_report(tmp_path, examples, failing):
    from junitparser import JUnitXml

    project = _project(tmp_path, *examples)
    runs = _run(_gitlab_lines(), project, checks_only=failing)
    assert list(runs) == ["idmf rules validate", "idmf rules test"] * (not failing) + [
        "idmf check assessments/ --format junit > idmf-junit.xml"]
    assert [r.returncode for r in runs.values()] == [0, 0] * (not failing) + [1 if failing else 0]
    report = JUnitXml.fromfile(str(project / "idmf-junit.xml"))
    assert len(list(report)) == len(examples)
    assert (report.failures > 0) == failing
