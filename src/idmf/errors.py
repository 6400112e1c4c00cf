"""Errors a user can hit, each with a place and a next step.

The CLI turns these into one clear message and a documented exit code
instead of a traceback (see README, "Exit codes").
"""

from __future__ import annotations

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_PROBLEMS = 1  # validation failed, findings at/above threshold, submission refused
EXIT_BAD_INPUT = 2  # unreadable or invalid file, unknown question id, usage error
EXIT_LOCKED = 3  # the assessment is open in another idmf session
EXIT_BUG = 70  # a bug in idmf


class IdmfError(Exception):
    """An error the user can act on."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  What to do: {self.hint}"
        return text


class InputError(IdmfError):
    """A file could not be read or is not valid (exit 2)."""


class AssessmentLocked(IdmfError):
    exit_code = EXIT_LOCKED


class AssessmentChangedOnDisk(AssessmentLocked):
    """The file changed on disk (a hand edit, another program) since idmf read it.

    Saving would overwrite that change, so nothing is saved (exit 3, as for a
    file open elsewhere: someone else is working on it)."""


class ValidationProblems(IdmfError):
    """Several problems found by a validator, each already located."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, problems: list[str], *, what: str = "problems"):
        super().__init__(f"{len(problems)} {what} found")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(self.problems)


def where(path: object, line: int | None = None) -> str:
    """Format a location as file:line (lines are 1-based)."""
    return f"{path}:{line}" if line else str(path)
