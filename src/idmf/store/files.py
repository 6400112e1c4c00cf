"""Assessment files: one human-readable YAML file per assessment.

Safety properties (each has a test):
* a save is atomic: the new text goes to a temporary file in the same
  folder, is fsync'd, then renamed over the old one, and the folder is
  fsync'd; a crash or kill -9 at any point leaves the old or the new file;
* an assessment being edited is locked (an OS lock, released if the process
  dies); a second editor is refused with a clear message, never queued;
* a file that cannot be read or does not validate is never written to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from filelock import FileLock, Timeout
from pydantic import ValidationError

from ..errors import AssessmentLocked, InputError, where
from ..model.assessment import Assessment
from ..model.questionnaire import Questionnaire
from ..questionnaire.answers import parse_answers
from ..yamlio import MAX_FILE_BYTES, LocatedDict, LocatedList, dump_data, load_located, parse_data, read_text
from .migrations import migrate

SUFFIXES = (".yaml", ".yml")


@dataclass
class AssessmentFile:
    path: Path
    assessment: Assessment
    migrated_from: Optional[int] = None  # schema version it had on disk, if older
    reopened: bool = False  # edited by hand after submission or approval, so a draft again


def _line_for(path: Path, loc: tuple) -> Optional[int]:
    """Find the line of a pydantic error location by re-reading with line numbers.

    Only done on the error path, so normal loading stays on the fast C parser.
    """
    try:
        node = load_located(path)
    except Exception:  # noqa: BLE001 - best effort: the caller still reports the field
        return None
    line = getattr(node, "line", None)
    for part in loc:
        if isinstance(node, LocatedDict) and part in node:
            line, node = node.line_of(part), node[part]
        elif isinstance(node, LocatedList) and isinstance(part, int) and part < len(node):
            line, node = node.line_of(part), node[part]
        else:
            break
    return line


def load_assessment(path: Path | str, questionnaire: Questionnaire | None = None) -> AssessmentFile:
    """Read, migrate and validate an assessment file. Never writes."""
    path = Path(path)
    data = parse_data(read_text(path), path)
    if not isinstance(data, dict):
        raise InputError("not an idmf assessment (expected a mapping with title and answers)", where=str(path))
    data, version = migrate(data, str(path))
    try:
        assessment = Assessment.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "(top level)"
        message = "unknown field (check its spelling)" if err["type"] == "extra_forbidden" else err["msg"]
        more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise InputError(f"{field}: {message}{more}", where=where(path, _line_for(path, loc)),
                         hint="fix that field in a text editor, or restore the file from a backup")
    if questionnaire is not None:
        try:
            assessment.answers = parse_answers(assessment.answers, questionnaire)
        except InputError as exc:
            qid = (exc.where or "").removeprefix("question ").removeprefix("answers.")
            line = _line_for(path, ("answers", qid))
            exc.where = f"{where(path, line)}: question {qid}"
            raise
    # Every reader sees a hand-edited approval as the draft it now is; the
    # "reopened" entry reaches the file the next time idmf saves it. (Only these
    # statuses can reopen, so drafts cost the register no extra stat.)
    reopened = assessment.status in ("submitted", "approved") and \
        assessment.reopen_if_edited_outside_idmf(_modified_at(path))
    return AssessmentFile(path, assessment, version if version != assessment.schema_version else None, reopened)


def _modified_at(path: Path) -> Optional[dt.datetime]:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(microsecond=0)
    except OSError:
        return None


def to_yaml(assessment: Assessment) -> str:
    data = assessment.model_dump(mode="json", exclude_none=True)
    header = "# idmf assessment. Edit with `idmf wizard`; hand edits are checked when the file is next opened.\n"
    return header + dump_data(data)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not all filesystems allow opening a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save_assessment(assessment: Assessment, path: Path | str) -> Path:
    """Atomically write the assessment (temp file, fsync, rename, fsync folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = to_yaml(assessment)
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        # Never write a file that idmf would then refuse to read back.
        raise InputError(f"the assessment would be over the {MAX_FILE_BYTES:,} byte file limit; not saved",
                         where=str(path), hint="shorten the longest answers or comments; the saved file is unchanged")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return path


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def edit_lock(path: Path | str) -> Iterator[None]:
    """Hold the edit lock on an assessment for the duration of the block."""
    path = Path(path)
    lock = FileLock(str(lock_path(path)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise AssessmentLocked(
            "this assessment is open in another idmf session",
            where=str(path),
            hint="finish or quit the other session (wizard or command), then try again",
        )
    try:
        yield
    finally:
        lock.release()


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:50].rstrip("-") or "assessment"


def new_assessment_path(folder: Path, assessment: Assessment) -> Path:
    stamp = dt.date.today().isoformat()
    return folder / f"{stamp}-{_slug(assessment.title)}-{str(assessment.id)[:8]}.yaml"


def list_assessment_files(folder: Path) -> list[Path]:
    """The assessment files in a folder (not its subfolders), sorted by name."""
    if not folder.is_dir():
        return []
    try:
        names = os.listdir(folder)
    except OSError as exc:
        raise InputError(f"cannot list the folder ({exc.strerror or exc})", where=str(folder),
                         hint="check the folder's permissions")
    return sorted(folder / name for name in names
                  if name.endswith(SUFFIXES) and not name.startswith("."))
