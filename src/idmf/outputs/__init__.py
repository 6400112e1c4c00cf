"""The formats `idmf check` writes, one module each, behind one streaming interface.

Every format is a :class:`CheckOutput`: ``begin()``, then ``add(result)`` for
each checked file as soon as it is checked (a ``CheckedFile``; unreadable files
carry ``error``), then ``end()``. A format that must see everything before
writing (JUnit, SARIF) keeps what it needs; the others write as they go, so
output starts at once and memory stays flat for big folders.

``FORMATS`` is the one list of formats: the command line's ``--format`` choices
and their help are built from it, and tests/test_extension_points.py fails when
a format module is not in it or an entry has no module. To add a format: a module
here named after it with an ``Output(CheckOutput)`` class implementing ``show``,
and an entry below (name and the words ``--help`` shows).

``add`` tallies every result in the run's one :class:`~idmf.threshold.CheckTally`
before the format shows it, so the exit code, SARIF's recorded exit code and the
GitHub summary all come from the same count.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Callable, Sequence

from ..threshold import CheckTally, FailOn

# name -> what it is for, as `idmf check --help` says; in the order the help lists them.
FORMATS: dict[str, str] = {
    "table": "for people (the default)",
    "json": "one document for scripts",
    "junit": "a test report for GitLab, Jenkins or Azure",
    "github": "annotations and a job summary in GitHub Actions",
    "sarif": "SARIF 2.1.0 for code scanning",
}


@dataclass
class CheckRun:
    """What every format may need to know about the run as a whole."""

    files: list[Path]
    fail_on: FailOn = FailOn.blocking
    rules: Sequence[Any] = field(default_factory=list)  # the rule set's rules, for formats that declare them
    rules_version: str = ""
    # The questionnaire and rule set used, each with its version: every format names them,
    # so nobody mistakes an organisation's own rules for the shipped ones.
    sources: list[tuple[Any, str]] = field(default_factory=list)  # (paths.Source, version)

    @property
    def statements(self) -> list[str]:
        return [source.statement(version) for source, version in self.sources]

    @property
    def sources_dict(self) -> dict:
        return {source.kind: source.to_dict(version) for source, version in self.sources}


def _warn(text: str) -> None:
    from ..textsafety import for_terminal

    print(for_terminal(text), file=sys.stderr)  # messages quote file names and values from files


class CheckOutput:
    """Base of every format: writes text through ``write`` (stdout by default)."""

    # Properties a format declares about itself.
    is_json = False  # JSON text: characters a terminal would act on are written as \u escapes
    needs_rules = False  # lists every rule of the run (not only those found), so the rule set is loaded

    def __init__(self, run: CheckRun, write: Callable[[str], Any] | None = None,
                 warn: Callable[[str], Any] | None = None, tally: CheckTally | None = None):
        self.run = run
        self.write = write or sys.stdout.write
        self.warn = warn or _warn
        self.tally = tally if tally is not None else CheckTally(run.fail_on)
        # For text already made terminal-inert (findings kept as JSON text): written as it is.
        self.write_inert = self.write

    def begin(self) -> None:
        pass

    def add(self, result) -> None:
        """Count ``result`` in the run's tally, then show it."""
        self.tally.add(result)
        self.show(result)

    def show(self, result) -> None:
        raise NotImplementedError

    def end(self) -> None:
        pass


def output_class(name: str) -> type[CheckOutput]:
    """The class of format ``name`` (one of FORMATS), imported only when used."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return import_module(f"{__name__}.{name}").Output


def output_for(name: str, run: CheckRun, write=None, warn=None, tally: CheckTally | None = None) -> CheckOutput:
    """The output for format ``name`` (one of FORMATS)."""
    cls = output_class(name)
    raw_write = write or sys.stdout.write
    if cls.is_json:
        from ..textsafety import json_inert

        # Characters JSON leaves raw that a terminal would act on, as \u escapes (same data).
        write = lambda text: raw_write(json_inert(text))  # noqa: E731
    output = cls(run, write, warn, tally)
    if cls.is_json:
        output.write_inert = raw_write
    return output
