"""`idmf check`: assessments against the rules, in a format for people or for CI."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List

import typer

from ..outputs import FORMATS
from ..threshold import FailOn
from .common import examples

EXAMPLES = examples(
    "idmf check assessments/",
    "idmf check assessments/extended-pharmacy-hours.yaml --fail-on high",
    "idmf check assessments/ --format github",
    "idmf check assessments/ --format sarif > idmf.sarif",
    "idmf check assessments/ --format junit > idmf-junit.xml",
)


# Built from the one list of formats, so a format added there is a choice here and in --help.
Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]
FORMAT_HELP = "; ".join(f"{name}: {about}" for name, about in FORMATS.items()) + "."


def check(
    paths: List[Path] = typer.Argument(..., help="Assessment files or folders."),
    output_format: Format = typer.Option(Format("table"), "--format", help=FORMAT_HELP),
    fail_on: FailOn = typer.Option(FailOn.blocking, "--fail-on", help="Exit 1 when a finding is at or above this severity (default: any blocking finding)."),
) -> None:
    """Check assessments against the rules. Exit 0 clean, 1 findings at/above --fail-on, 2 unreadable input."""
    from ..checking import CheckedFiles, expand
    from ..errors import InputError
    from ..outputs import CheckRun, output_class, output_for
    from ..paths import source

    files = expand(paths)
    if not files:
        raise InputError("no assessment files found", where=", ".join(map(str, paths)),
                         hint="pass .yaml assessment files or a folder that holds them")
    checked = CheckedFiles(files)
    # When the cache answers for every file, the questionnaire and rules need not be loaded
    # (their versions, for the statement of what ran, were recorded with the results).
    info = checked.run_info() if checked.all_cached and not output_class(output_format.value).needs_rules else None
    rules: tuple = ()
    if info is None:
        from ..questionnaire import load_questionnaire
        from ..rules import load_rules

        questionnaire = load_questionnaire()
        ruleset = load_rules(questionnaire=questionnaire)
        info = {"questionnaire": questionnaire.version, "rules": ruleset.version}
        checked.remember_run_info(info)
        rules = ruleset.rules
    sources = [(source("questionnaires"), info["questionnaire"]), (source("rules"), info["rules"][:12])]
    output = output_for(output_format.value, CheckRun(files, fail_on, rules, info["rules"], sources))
    output.begin()
    # Results arrive in file order as the workers finish them, so output
    # starts at once and memory stays flat however big the folder.
    for result in checked:
        output.add(result)  # tallied there, once, for the exit code and every format
    output.end()
    if output.tally.exit_code:
        raise typer.Exit(output.tally.exit_code)
