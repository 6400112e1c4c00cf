"""The pre-commit hooks in .pre-commit-hooks.yaml, run by pre-commit itself (`pre-commit try-repo`)
in a project repository the way an organisation would use them, offline."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLES, ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """A commit holding this repository's hook manifest: what pre-commit clones and reads.
    (The hooks are language: system, so nothing else of the repository is installed.)"""
    repo = tmp_path_factory.mktemp("hook-repo")
    _git("init", "-q", cwd=repo)
    shutil.copy(HOOKS, repo / ".pre-commit-hooks.yaml")
    _git("add", "-A", cwd=repo)
    _git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "hooks", cwd=repo)
    return repo


@pytest.fixture
def project(tmp_path) -> Path:
    """An organisation's repository: assessments, its own rules and an idmf.toml naming them."""
    project = tmp_path / "project"
    (project / "assessments").mkdir(parents=True)
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), project / "assessments" / "green.yaml")
    shutil.copytree(ROOT / "rules", project / "policy" / "rules")
    shutil.copytree(EXAMPLES, project / "policy" / "examples")  # rule examples build on these (base:)
    (project / "idmf.toml").write_text('name = "Example ICB"\nrules = "policy/rules"\n')
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)
    return project


def try_repo(hook_repo: Path, project: Path, hook: str, files: list[str] | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",  # where idmf is installed
        "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),
        "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never",
    }
    for name in ("IDMF_RULES", "IDMF_QUESTIONNAIRES", "IDMF_TEMPLATES", "IDMF_CONFIG"):
        env.pop(name, None)
    which = ["--files", *files] if files else ["--all-files"]
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, *which,
                           "--color", "never", "--verbose"], cwd=project, env=env, capture_output=True, text=True, timeout=300)


def test_the_manifest_offers_the_three_hooks_with_documented_settings():
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text())}
    assert set(hooks) == {"idmf-rules-validate", "idmf-rules-test", "idmf-check"}
    assert hooks["idmf-check"]["entry"] == "idmf check"
    assert all(hook["language"] == "system" for hook in hooks.values())


def test_check_hook_passes_a_clean_assessment_and_fails_one_with_blocking_findings(hook_repo, project):
    passed = try_repo(hook_repo, project, "idmf-check")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "idmf check" in passed.stdout and "Passed" in passed.stdout

    shutil.copy(next(EXAMPLES.glob("red-*.yaml")), project / "assessments" / "red.yaml")
    _git("add", "-A", cwd=project)
    failed = try_repo(hook_repo, project, "idmf-check")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "assessments/red.yaml" in failed.stdout
    assert "blocking" in failed.stdout  # the reason is shown in the hook's output


def test_rule_hooks_check_the_project_s_configured_rules(hook_repo, project):
    for hook in ("idmf-rules-validate", "idmf-rules-test"):
        result = try_repo(hook_repo, project, hook)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Passed" in result.stdout and "Example ICB rules" in result.stdout, hook

    # A rule whose example no longer fires: the test hook fails and names the rule.
    rule_file = project / "policy" / "rules" / "access.yaml"
    data = yaml.safe_load(rule_file.read_text())
    rule = data["rules"][0]
    rule["examples"]["fires"] = copy.deepcopy(rule["examples"]["quiet"][:1])
    rule_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    _git("add", "-A", cwd=project)
    result = try_repo(hook_repo, project, "idmf-rules-test")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout and rule["id"] in result.stdout

    # A rule about a question the questionnaire does not have: the validate hook fails and says where.
    rule["when"] = {"equals": {"access.no_such_question": "yes"}}
    rule_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    _git("add", "-A", cwd=project)
    result = try_repo(hook_repo, project, "idmf-rules-validate")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout and "access.no_such_question" in result.stdout and "access.yaml" in result.stdout


@pytest.mark.parametrize("changed", ["policy/examples/green-pharmacy-extended-hours.yaml", "idmf.toml"])
def test_rule_hooks_run_when_what_they_read_changes(hook_repo, project, changed):
    # A rule's examples build on the example assessments (base: ../examples/...): a commit that
    # changes only one of those can break a rule's example, so the rules hooks must run on it.
    for hook in ("idmf-rules-validate", "idmf-rules-test"):
        result = try_repo(hook_repo, project, hook, files=[changed])
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Passed" in result.stdout and "no files to check" not in result.stdout, (hook, result.stdout)
