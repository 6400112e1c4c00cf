"""The command line's shape: one module per command, one per check format, exit policy in the domain."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT


def _commands():
    import typer.main

    from idmf.cli import app

    group = typer.main.get_command(app)
    return group.commands


def test_every_command_lives_in_a_module_named_after_it():
    commands = _commands()
    assert {"new", "show", "check", "rules", "questionnaire", "report", "submit", "review", "verify",
            "list", "wizard"} <= set(commands)
    for name, command in commands.items():
        module = importlib.import_module(f"idmf.cli.{name}")
        callback = command.callback
        if callback is None:  # a group such as `rules`: its sub-commands are in the same module
            assert all(sub.callback.__module__ == module.__name__ for sub in command.commands.values()), name
        else:
            assert callback.__module__ == module.__name__, name


@pytest.fixture(scope="module")
def checked(questionnaire):
    from idmf.checking import check_files

    files = sorted(EXAMPLES.glob("*.yaml"))
    return files, check_files(files)


@pytest.mark.parametrize("name", ["table", "json", "junit", "github", "sarif"])
def test_every_check_format_streams_through_one_interface(name, checked, ruleset, capsys):
    from idmf.checking import CheckedFile
    from idmf.outputs import FORMATS, CheckOutput, CheckRun, output_for

    assert name in FORMATS
    files, results = checked
    unreadable = CheckedFile(Path("broken.yaml"), error="broken.yaml:1: not valid YAML")
    written = io.StringIO()
    output = output_for(name, CheckRun(files + [unreadable.path], rules=ruleset.rules), written.write)
    assert isinstance(output, CheckOutput) and type(output).__module__ == f"idmf.outputs.{name}"
    output.begin()
    for result in results + [unreadable]:
        output.add(result)
    output.end()
    captured = capsys.readouterr()
    text = written.getvalue() + captured.out + captured.err
    # Every file with findings and the unreadable one are in the output.
    for result in results:
        if len(result.findings) or name in ("table", "json", "junit"):
            # github and sarif name files relative to the repository, as their consumers resolve them
            relative = result.path.relative_to(ROOT).as_posix()
            assert str(result.path) in text or (name in ("github", "sarif") and relative in text), (name, result.path)
    assert "broken.yaml" in text and "not valid YAML" in text


def test_exit_code_policy_is_the_domain_s():
    from idmf.checking import CheckedFile
    from idmf.rules import summarise
    from idmf.rules.model import Finding
    from idmf.threshold import CheckTally, FailOn

    def finding(severity, blocking=False):
        return Finding(rule_id="X-1", title="t", severity=severity, category="equality", blocking=blocking,
                       message="m", guidance="g", references=[], triggered_by=[])

    medium = CheckedFile(Path("a.yaml"), findings=summarise([finding("medium")]))
    blocking = CheckedFile(Path("b.yaml"), findings=summarise([finding("high", blocking=True)]))
    broken = CheckedFile(Path("c.yaml"), error="unreadable")
    expected = {  # (fail_on, files) -> exit code
        (FailOn.blocking, ("medium",)): 0, (FailOn.medium, ("medium",)): 1, (FailOn.high, ("medium",)): 0,
        (FailOn.blocking, ("blocking",)): 1, (FailOn.never, ("blocking",)): 0, (FailOn.info, ("medium",)): 1,
        (FailOn.never, ("blocking", "broken")): 2, (FailOn.blocking, ("blocking", "broken")): 2,
    }
    named = {"medium": medium, "blocking": blocking, "broken": broken}
    for (fail_on, names), code in expected.items():
        tally = CheckTally(fail_on)
        for n in names:
            tally.add(named[n])
        assert tally.exit_code == code, (fail_on, names)
