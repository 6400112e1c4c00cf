"""The command line follows the conventions CI and shells expect."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import run_idmf, run_idmf_process


def _commands():
    import typer.main

    from idmf.cli import app

    group = typer.main.get_command(app)
    out = []

    def walk(command, path):
        subcommands = getattr(command, "commands", {})
        if path:
            out.append((path, command))
        for name, sub in subcommands.items():
            walk(sub, path + [name])
    walk(group, [])
    return [([], group)] + out


def test_bare_idmf_without_a_terminal_prints_help_and_exits_2():
    result = subprocess.run([sys.executable, "-m", "idmf"], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2
    assert "Usage: idmf" in result.stderr and "needs a terminal" in result.stderr
    assert "\x1b" not in result.stdout + result.stderr  # no screen codes in the pipe


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in _commands()])
def test_every_command_has_short_help_with_every_option_explained_in_words(path):
    result = run_idmf(*path.split(), "-h")
    assert result.returncode == 0, result.stderr
    assert "Usage: idmf" in result.stdout
    for fragment in ("<str>", "<path>", "list[", "<int>", "Path]"):
        assert fragment not in result.stdout, (path, fragment)
    command = dict((" ".join(p), c) for p, c in _commands())[path]
    for param in command.params:
        if param.name != "help" and not getattr(param, "hidden", False):
            assert getattr(param, "help", None), (path, param.name)


def test_version_is_one_quick_answer_naming_engine_and_python():
    result = run_idmf_process("--version")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and lines[0].startswith("idmf ") and lines[1].startswith("rules engine: ")


def test_shell_completion_can_be_shown():
    # Typer finds the shell from the process that started idmf (not $SHELL), so idmf is started from
    # bash here, as a user's terminal would; in-process, the shell found was whatever ran pytest
    # (make's sh: "Shell sh not supported").
    # (A second command keeps bash from exec'ing idmf in its place, which would hide it again.)
    result = subprocess.run(["bash", "-c", f"'{sys.executable}' -m idmf --show-completion; exit $?"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "complete" in result.stdout and "idmf" in result.stdout, result.stderr


def _examples(help_text: str) -> list[str]:
    lines = help_text.split("Examples:", 1)[1].splitlines()
    return [line.strip() for line in lines if line.strip()]


@pytest.mark.parametrize("path", [" ".join(p) for p, c in _commands() if not getattr(c, "commands", None)])
def test_every_command_s_help_ends_with_examples_that_are_valid_command_lines(path):
    """Examples a user can copy: each names this command and parses with its real options and arguments."""
    import shlex

    from typer.testing import CliRunner

    from idmf.cli import app

    result = CliRunner().invoke(app, [*path.split(), "-h"], env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "Examples:" in result.output, path
    examples = _examples(result.output)
    assert examples, path
    command = dict((" ".join(p), c) for p, c in _commands())[path]
    for example in examples:
        words = shlex.split(example)
        assert words[:1 + len(path.split())] == ["idmf", *path.split()], example
        args = words[1 + len(path.split()):]
        if ">" in args:  # the shell's redirection, not the command's
            args = args[:args.index(">")]
        command.make_context(f"idmf {path}", args)  # raises on an unknown option or a missing argument


def _with_closed_stdout(*args: str):
    """Run idmf with its standard output a pipe whose reader has gone (as `idmf ... | head -1` after one line)."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "idmf", *args], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    finally:
        os.close(write_end)


def test_version_into_a_closed_pipe_is_quiet_and_succeeds():
    result = _with_closed_stdout("--version")
    assert result.stderr == "" and result.returncode == 0


def test_a_check_whose_reader_stops_early_ends_quietly_with_its_own_verdict():
    from .conftest import EXAMPLES

    result = _with_closed_stdout("check", str(EXAMPLES), "--format", "json")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.stderr == ""
    assert result.returncode == 1  # the examples have blocking findings: still the check's answer


def test_a_value_not_among_an_options_choices_is_said_in_plain_words():
    result = run_idmf("check", "examples", "--format", "xml")
    assert result.returncode == 2
    assert "--format 'xml' is not available: choose table, json, junit, github or sarif." in result.stderr
    assert "Value error" not in result.stderr


def test_choice_errors_read_the_same_with_older_click_wording():
    from idmf.cli import plain_option_error

    # Click 8.1 (under Typer 0.12-0.15) words it without pydantic's "Value error, ".
    assert plain_option_error("Invalid value for '--fail-on': 'xyz' is not one of 'blocking', 'high'.") == \
        "--fail-on 'xyz' is not available: choose blocking or high."
    assert plain_option_error("No such option: --bogus") == "No such option: --bogus"
