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
    from idmf.rules import RulesEngine

    return RulesEngine(ruleset, questionnaire)


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
