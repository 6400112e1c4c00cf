"""When a check run fails: the --fail-on threshold and the exit code it ends with.

Policy, not presentation: CI jobs and pre-commit hooks rely on these codes
(README, "Exit codes"), so they are decided here once for every output format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from .errors import EXIT_BAD_INPUT, EXIT_BUG, EXIT_OK, EXIT_PROBLEMS

# The rules package (pydantic models, the engine) is imported when a finding is
# judged, not when the command line is parsed: `idmf --version` must stay fast.


class FailOn(str, Enum):
    """The lowest finding that fails a check: any blocking finding, a severity, or never."""

    blocking = "blocking"
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"
    never = "never"


def counts_against(finding, fail_on: FailOn) -> bool:
    """Whether one finding is at or above the threshold (so fails the check)."""
    return _counts(finding.severity, finding.blocking, fail_on)


def _counts(severity: str, blocking: bool, fail_on: FailOn) -> bool:
    if fail_on == FailOn.never:
        return False
    if fail_on == FailOn.blocking:
        return bool(blocking)
    from .rules.model import SEVERITY_RANK

    return SEVERITY_RANK[severity] >= SEVERITY_RANK[fail_on.value]


def fails(findings, fail_on: FailOn) -> bool:
    # Findings kept as text (idmf.checking.FindingsText) carry each one's severity and blocking
    # as marks, so a big folder's exit code needs no findings read back.
    marks = getattr(findings, "marks", None)
    if marks is None:
        return any(counts_against(f, fail_on) for f in findings)
    return any(_counts(severity, blocking, fail_on) for severity, blocking in marks)


@dataclass
class CheckTally:
    """What a check run found so far, and the exit code it ends with.

    Unreadable input (exit 2) outranks findings (exit 1): a CI job must not
    read "some files fail the rules" when some were never checked at all.
    """

    fail_on: FailOn = FailOn.blocking
    checked: int = 0
    unreadable: list[Path] = field(default_factory=list)
    failing: list[Path] = field(default_factory=list)
    bugs: int = 0  # files idmf failed on through a bug of its own: listed with the rest, then exit 70

    def add(self, result) -> None:
        if result.error is not None:
            self.unreadable.append(result.path)
            self.bugs += bool(getattr(result, "bug", False))
            return
        self.checked += 1
        # An approval that cannot be verified is a problem whatever the threshold:
        # a CI job must not pass a file that claims an approval nobody can stand behind.
        if fails(result.findings, self.fail_on) or getattr(result, "approval_unverified", False):
            self.failing.append(result.path)

    @property
    def exit_code(self) -> int:
        if self.bugs:
            return EXIT_BUG
        if self.unreadable:
            return EXIT_BAD_INPUT
        if self.failing:
            return EXIT_PROBLEMS
        return EXIT_OK
