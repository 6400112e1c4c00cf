"""Small helpers shared by the command modules."""

from __future__ import annotations

import sys
from pathlib import Path


def examples(*lines: str) -> str:
    """A command's help epilog: example command lines, kept as written (Click's \\b marker stops rewrapping)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def err(message: str) -> None:
    """Print to stderr, inert: file names and values quoted in messages come from files."""
    from ..textsafety import for_terminal

    print(for_terminal(message), file=sys.stderr)


def say(message: str) -> None:
    """Print to stdout, inert (see ``err``)."""
    from ..textsafety import for_terminal

    print(for_terminal(message))


def questionnaire():
    from ..questionnaire import load_questionnaire

    return load_questionnaire()


def open_assessment(path: Path):
    """The assessment file at ``path`` and the questionnaire it is read with."""
    from ..store import load_assessment

    q = questionnaire()
    return load_assessment(path, q), q


def change_assessment(path: Path, action) -> None:
    """Load under the edit lock, apply ``action(assessment, questionnaire)``, save atomically."""
    from ..store import edit_lock, save_assessment

    with edit_lock(path):
        file, q = open_assessment(path)
        action(file.assessment, q)
        save_assessment(file.assessment, path, expected=file.fingerprint)
