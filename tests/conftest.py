"""Shared fixtures: the shipped questionnaire and rules, temporary folders, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# The check cache of this test session: never the user's own (~/.cache/idmf), and fresh each session.
os.environ["IDMF_CACHE_DIR"] = __import__("tempfile").mkdtemp(prefix="idmf-test-cache-")


def _hypothesis_profile() -> str:
    """Property tests try every example they ask for in CI (``CI=true`` or ``HYPOTHESIS_PROFILE=ci``)
    and a fifth of them elsewhere, so a local run is quick and CI still searches hard."""
    from hypothesis import settings

    settings.register_profile("ci", deadline=None)
    settings.register_profile("dev", deadline=None, max_examples=20)
    name = os.environ.get("HYPOTHESIS_PROFILE") or (
        "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev")
    settings.load_profile(name)
    return name


HYPOTHESIS_PROFILE = _hypothesis_profile()


def examples(full: int) -> int:
    """How many examples a property test that asks for ``full`` tries under this run's profile."""
    return full if HYPOTHESIS_PROFILE == "ci" else max(20, full // 5)


@pytest.fixture(scope="session")
def questionnaire():
    from idmf.questionnaire import load_questionnaire

    return load_questionnaire(ROOT / "questionnaires")


@pytest.fixture(scope="session")
def ruleset(questionnaire):
    from idmf.rules import load_rules

    return load_rules(ROOT / "rules", questionnaire)


# Modules whose tests run once with each rules engine (durable-rules, and idmf's own evaluator
# as where durable-rules cannot be installed): the engine is a parameter of their tests, so one
# pytest session covers both.
BOTH_ENGINES = {"test_engine_choice", "test_cli", "test_features_assessment", "test_features_review", "test_cases"}
ENGINES = ("durable", "oracle")


def pytest_generate_tests(metafunc):
    if metafunc.module.__name__.rsplit(".", 1)[-1] in BOTH_ENGINES and "rules_engine" in metafunc.fixturenames:
        metafunc.parametrize("rules_engine", ENGINES, indirect=True)


@pytest.fixture(autouse=True)
def rules_engine(request, monkeypatch) -> str:
    """The engine this test runs with: a parameter in BOTH_ENGINES modules, else as the environment says.

    Set through IDMF_ENGINE, as a user would, so in-process runs of idmf and child processes alike use it.
    """
    chosen = getattr(request, "param", None)
    if chosen == "oracle":
        monkeypatch.setenv("IDMF_ENGINE", "oracle")
    elif chosen == "durable":
        monkeypatch.delenv("IDMF_ENGINE", raising=False)
    from idmf.engines import engine_choice

    return engine_choice()[0]


@pytest.fixture(scope="session")
def _engines() -> dict:
    return {}


@pytest.fixture
def engine(_engines, ruleset, questionnaire, rules_engine):
    # durable-rules where it can be imported, else idmf's evaluator (or IDMF_ENGINE=oracle);
    # built once per engine for the session.
    from idmf.rules import make_engine

    if rules_engine not in _engines:
        _engines[rules_engine] = make_engine(ruleset, questionnaire)
    return _engines[rules_engine]


@pytest.fixture(scope="session")
def oracle(ruleset, questionnaire):
    from idmf.rules import OracleEngine

    return OracleEngine(ruleset, questionnaire)


def _environment(env: dict | None) -> dict:
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    full_env.pop("IDMF_DEBUG", None)
    return full_env


def run_idmf_process(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None,
                     timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real `idmf` command in a process of its own, as a user would.

    For what only a real process shows (start-up, signals, locks held by another
    process, closed pipes); everything else uses ``run_idmf``, which is 30 times faster.
    """
    return subprocess.run(
        [sys.executable, "-m", "idmf", *args], cwd=cwd or ROOT, env=_environment(env), input=input,
        capture_output=True, text=True, timeout=timeout,
    )


def run_idmf(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `idmf` in this process as the command line would (arguments, environment, working folder,
    standard input, output and exit code), without starting Python again.

    The same entry point as the installed command (``idmf.console.main``); stdin is not a terminal and
    stdout and stderr are captured as bytes and decoded as ``subprocess.run(text=True)`` decodes them.
    ``timeout`` is accepted for the same signature; an in-process run cannot be cut short.
    """
    import contextlib
    import io

    from idmf import paths
    from idmf.console import main

    full_env = _environment(env)
    saved_env, saved_cwd, saved_argv = dict(os.environ), os.getcwd(), sys.argv
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="surrogateescape", newline=None)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="surrogateescape", newline=None)
    code: object = 0
    try:
        os.environ.clear()
        os.environ.update(full_env)
        os.chdir(cwd or ROOT)
        sys.argv = ["idmf", *args]
        sys.stdin = io.StringIO(input or "")
        sys.stdout, sys.stderr = out, err
        paths._explicit.clear()  # --rules and the like are per run
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        except BaseException:
            # What the process would show: a traceback on stderr and exit 1 (a test reads it as a failure).
            import traceback

            traceback.print_exc(file=err)
            code = 1
        with contextlib.suppress(ValueError):
            out.flush()
            err.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        paths._explicit.clear()
    if code is None:
        code = 0
    elif not isinstance(code, int):
        err.write(f"{code}\n")
        err.flush()
        code = 1
    text = [stream.buffer.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
            for stream in (out, err)]
    return subprocess.CompletedProcess(["idmf", *args], code, text[0], text[1])


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
