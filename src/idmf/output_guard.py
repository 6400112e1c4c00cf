"""Where idmf may write a report: never over the assessment, never over someone's other file unasked.

``idmf report FILE --output TARGET`` once overwrote the assessment itself
with exit 0. A report may replace a file only when that file is a report
idmf would have written (named ``*.report.<format>`` or ``*.author-report.<format>``, as idmf names them)
or is empty; anything else needs ``--force``; the assessment itself, a
folder or a device is never written over. A place that cannot be written
is bad input (exit 2), not a crash.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_report_target(target: Path, assessment: Path, fmt: str, *, force: bool = False) -> None:
    """Refuse (InputError, exit 2) a target a report must not be written to (see safe_write)."""
    from .safe_write import check_output_target

    def ours(path: Path, _head: bytes) -> bool:
        return path.name.endswith((f".report.{fmt}", f".author-report.{fmt}"))

    if not os.path.lexists(target) and _same_file(target, assessment):
        raise InputError("that is the assessment itself; a report never replaces it", where=str(target),
                         hint="give the report its own name, e.g. with --output report." + fmt)
    try:
        check_output_target(target, what="report", force=force, protect=(assessment,), ours=ours)
    except InputError as exc:
        if target.suffix in (".yaml", ".yml") and "already exists" in exc.message:
            exc.message = "looks like an assessment or other YAML file; not overwritten"
        raise


def write_failed(target: Path, exc: OSError) -> InputError:
    return InputError(f"cannot write the report there ({exc.strerror or exc})", where=str(target),
                      hint="choose a folder you can write to")
