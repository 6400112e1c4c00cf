"""When the wizard meets a bug: the details go to a crash log, the person gets one line.

The terminal is shown no traceback (Textual's shows local variables, and so
answers and file contents); the log beside the assessments holds what a bug
report needs. The log's traceback has no local variables either.
"""

from __future__ import annotations

import datetime as dt
import platform
import tempfile
import traceback
from pathlib import Path
from typing import Optional


def write_crash_log(error: BaseException, folder: Path, context: list[str]) -> Optional[Path]:
    """Write ``.idmf-crash-<time>.log`` in ``folder`` (else the temporary folder); its path, or None."""
    from .. import __version__

    try:
        import textual

        textual_version = getattr(textual, "__version__", "?")
    except ImportError:  # pragma: no cover - the wizard cannot run without it
        textual_version = "?"
    now = dt.datetime.now()
    lines = [f"idmf {__version__} stopped at {now:%Y-%m-%d %H:%M:%S} because of a bug.",
             f"Python {platform.python_version()} on {platform.platform()}, Textual {textual_version}",
             *context, "", *traceback.format_exception(type(error), error, error.__traceback__)]
    text = "\n".join(line.rstrip("\n") for line in lines) + "\n"
    for place in (folder, Path(tempfile.gettempdir())):
        for n in range(100):
            path = place / f".idmf-crash-{now:%Y%m%d-%H%M%S}{f'-{n}' if n else ''}.log"
            try:
                with open(path, "x", encoding="utf-8") as out:
                    out.write(text)
                return path
            except FileExistsError:
                continue
            except OSError:
                break
    return None


def crash_message(log: Optional[Path], saved: Optional[Path], draft: Optional[Path]) -> str:
    """The one line the person sees (made safe for the terminal by the caller)."""
    parts = ["idmf stopped because of a bug (exit 70)."]
    if saved is not None:
        parts.append(f"Every saved answer is in {saved}.")
    if draft is not None:
        parts.append(f"Your unsaved reply is kept as a draft ({draft.name}) and offered back when you reopen it.")
    parts.append(f"Details for a bug report: {log}." if log else "No crash log could be written.")
    return " ".join(parts)

