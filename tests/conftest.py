"""Shared fixtures: the shipped questionnaire and rules, temporary folders, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def questionnaire():
    from idmf.questionnaire import load_questionnaire

    return load_questionnaire(ROOT / "questionnaires")


@pytest.fixture(scope="session")
def ruleset(questionnaire):
    from idmf.rules import load_rules

    return load_rules(ROOT / "rules", questionnaire)


@pytest.fixture(scope="session")
def engine(ruleset, questionnaire):
    # durable-rules where it can be imported, else idmf's evaluator (or IDMF_ENGINE=oracle).
    from idmf.rules import make_engine

    return make_engine(ruleset, questionnaire)


@pytest.fixture(scope="session")
def oracle(ruleset, questionnaire):
    from idmf.rules import OracleEngine

    return OracleEngine(ruleset, questionnaire)


def run_idmf(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real `idmf` command as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    full_env.pop("IDMF_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "idmf", *args], cwd=cwd or ROOT, env=full_env, input=input,
        capture_output=True, text=True, timeout=timeout,
    )


@pytest.fixture
def idmf():
    return run_idmf


def reviewer_env(folder: Path, *names: str, role: str = "E&I Business Partner") -> dict:
    """Signing keys for ``names`` (in a config folder of their own) and the trusted-reviewers
    file beside the assessments in ``folder``; returns the environment `idmf review approve` needs."""
    import datetime as dt

    from idmf import signing

    base = folder.parent / f".config-{folder.name}"
    trusted = folder / signing.TRUSTED_FILE
    for name in names:
        if not signing.key_path(name, base).exists():
            _, public = signing.new_key(name, base=base)
            with open(trusted, "a", encoding="utf-8") as handle:
                handle.write(signing.trusted_entry(name, role, public, dt.date(2020, 1, 1)) + "\n")
    return {"XDG_CONFIG_HOME": str(base)}
