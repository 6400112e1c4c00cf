"""Which rules engine runs, and that every place a user reads says so."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import EXAMPLES, run_idmf, run_idmf_process

RED = next(EXAMPLES.glob("red-*.yaml"))


def expected() -> str:
    # Read when the test runs: the engine is a parameter of this module's tests (conftest.BOTH_ENGINES);
    # make test installs durable-rules (idmf[durable]) where it builds, before Python 3.13.
    oracle = os.environ.get("IDMF_ENGINE") == "oracle" or sys.version_info >= (3, 13)
    return "idmf evaluator" if oracle else "durable-rules"


def test_version_names_the_engine_and_python():
    result = run_idmf_process("--version")  # a fresh process decides the engine as a user's does
    assert result.returncode == 0
    assert f"rules engine: {expected()}" in result.stdout and "Python 3." in result.stdout


def test_the_evaluator_runs_where_durable_rules_cannot_be_imported(tmp_path):
    # As on Python 3.13, where durable-rules' C extension fails to import.
    code = ("import sys; sys.modules['durable_rules_engine'] = None; sys.modules['durable'] = None\n"
            "sys.argv = ['idmf', 'check', sys.argv[1], '--format', 'json']\n"
            "from idmf.cli import main; main()")
    env = {k: v for k, v in os.environ.items() if k != "IDMF_ENGINE"}
    result = subprocess.run([sys.executable, "-c", code, str(RED)], capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stderr  # still red, still blocking
    import json

    found = json.loads(result.stdout)["assessments"][0]
    assert found["engine"] == "idmf evaluator" and found["rag"] == "red"
    with_durable = json.loads(run_idmf("check", str(RED), "--format", "json").stdout)["assessments"][0]
    assert [f["rule_id"] for f in found["findings"]] == [f["rule_id"] for f in with_durable["findings"]]


def test_every_report_names_the_engine(tmp_path):
    red = tmp_path / RED.name
    red.write_bytes(RED.read_bytes())
    result = run_idmf("report", str(red), "--format", "all")
    assert result.returncode == 0, result.stderr
    for fmt in ("html", "md"):
        text = red.with_name(f"{red.stem}.report.{fmt}").read_text()
        assert f"engine {expected()}" in text, fmt


def test_version_says_the_evaluator_ran_where_durable_rules_is_not_installed():
    # The default install (pip install idmf-*.whl) leaves out durable-rules, the extra idmf[durable].
    code = ("import sys; sys.modules['durable_rules_engine'] = None; sys.argv = ['idmf', '--version']\n"
            "from idmf.console import main; main()")
    env = {k: v for k, v in os.environ.items() if k != "IDMF_ENGINE"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "rules engine: idmf evaluator (durable-rules is not installed" in result.stdout
    if sys.version_info < (3, 13):
        assert "it is the extra idmf[durable]" in result.stdout
    else:
        assert "it does not build on Python 3.13 and later" in result.stdout
