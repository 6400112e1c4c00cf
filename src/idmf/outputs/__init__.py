"""The formats `idmf check` writes, one module each, behind one streaming interface.

Every format is a :class:`CheckOutput`: ``begin()``, then ``add(result)`` for
each checked file as soon as it is checked (a ``CheckedFile``; unreadable files
carry ``error``), then ``end()``. A format that must see everything before
writing (JUnit, SARIF) keeps what it needs; the others write as they go, so
output starts at once and memory stays flat for big folders.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Callable

from ..threshold import FailOn

FORMATS = ("table", "json", "junit", "github", "sarif")


@dataclass
class CheckRun:
    """What every format may need to know about the run as a whole."""

    files: list[Path]
    fail_on: FailOn = FailOn.blocking
    rules: list[Any] = field(default_factory=list)  # the rule set's rules, for formats that declare them
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

    def __init__(self, run: CheckRun, write: Callable[[str], Any] | None = None,
                 warn: Callable[[str], Any] | None = None):
        self.run = run
        self.write = write or sys.stdout.write
        self.warn = warn or _warn

    def begin(self) -> None:
        pass

    def add(self, result) -> None:
        raise NotImplementedError

    def end(self) -> None:
        pass


def output_for(name: str, run: CheckRun, write=None, warn=None) -> CheckOutput:
    """The output for format ``name`` (one of FORMATS); each is imported only when used."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    module = import_module(f"{__name__}.{name}")
    if name in ("json", "sarif"):
        from ..textsafety import json_inert

        # Characters JSON leaves raw that a terminal would act on, as \u escapes (same data).
        raw_write = write or sys.stdout.write
        write = lambda text: raw_write(json_inert(text))  # noqa: E731
    return module.Output(run, write, warn)
