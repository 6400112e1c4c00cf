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
import stat
from pathlib import Path

from .errors import InputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_report_target(target: Path, assessment: Path, fmt: str, *, force: bool = False) -> None:
    """Refuse (InputError, exit 2) a target a report must not be written to."""
    if _same_file(target, assessment):
        raise InputError("that is the assessment itself; a report never replaces it", where=str(target),
                         hint="give the report its own name, e.g. with --output report." + fmt)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"cannot write the report there ({exc.strerror or exc})", where=str(target))
    if stat.S_ISDIR(info.st_mode):
        return  # a folder: the report goes inside it, under its own name
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file; a report is not written there", where=str(target),
                         hint="give a file name for the report")
    if force or info.st_size == 0 or target.name.endswith((f".report.{fmt}", f".author-report.{fmt}")):
        return
    if target.suffix in (".yaml", ".yml"):
        what = "looks like an assessment or other YAML file"
    else:
        what = "already exists and is not a report idmf named"
    raise InputError(f"{what}; not overwritten", where=str(target),
                     hint="choose another name, or add --force to replace it")


def write_failed(target: Path, exc: OSError) -> InputError:
    return InputError(f"cannot write the report there ({exc.strerror or exc})", where=str(target),
                      hint="choose a folder you can write to")
