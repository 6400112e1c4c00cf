"""Assessment files: one human-readable YAML file per assessment.

Safety properties (each has a test):
* a save is atomic: the new text goes to a temporary file in the same
  folder, is fsync'd, then renamed over the old one, and the folder is
  fsync'd; a crash or kill -9 at any point leaves the old or the new file;
* an assessment being edited is locked (an OS lock, released if the process
  dies); a second editor is refused with a clear message, never queued.
  The lock and the save are on the file's real path, so a symlink and its
  target share one lock and a save through a link writes the target; a
  file with a second name (a hard link) is refused for editing, as a save
  would silently split the two names apart;
* before a save, the file on disk is compared with what was loaded: if it
  changed (a hand edit, another program), nothing is saved;
* a file that cannot be read or does not validate is never written to;
* a new file follows the umask, a saved file keeps its mode (a shared
  folder stays shared); no temporary or lock file outlives a normal exit,
  and temporary files left by a killed writer go at the next save.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from pydantic import ValidationError

from ..errors import AssessmentChangedOnDisk, AssessmentLocked, InputError, where
from ..model.assessment import Assessment
from ..model.questionnaire import Questionnaire
from ..questionnaire.answers import parse_answers
from ..yamlio import MAX_FILE_BYTES, LocatedDict, LocatedList, dump_data, load_located, parse_data, read_text
from . import portable
from .migrations import migrate

from ..folders import SUFFIXES, list_assessment_files, walk_assessment_files  # noqa: F401 - the store's API


@dataclass
class AssessmentFile:
    path: Path
    assessment: Assessment
    migrated_from: Optional[int] = None  # schema version it had on disk, if older
    reopened: bool = False  # edited by hand after submission or approval, so a draft again
    fingerprint: str = ""  # of the bytes read: a save checks the file still holds them


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
    text = read_text(path)
    data = parse_data(text, path)
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
    assessment._source = str(path)
    reopened = assessment.status in ("submitted", "approved") and \
        assessment.reopen_if_edited_outside_idmf(_modified_at(path))
    return AssessmentFile(path, assessment, version if version != assessment.schema_version else None, reopened,
                          _fingerprint(text.encode("utf-8")))


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(path: Path | str) -> Optional[str]:
    """The fingerprint of the file now on disk (None when there is none)."""
    try:
        with open(path, "rb") as handle:
            return _fingerprint(handle.read(MAX_FILE_BYTES + 1))
    except FileNotFoundError:
        return None


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


def real_path(path: Path | str) -> Path:
    """Where the file really is: links followed, so every name for it means one file."""
    return Path(os.path.realpath(path))


def _refuse_hard_links(path: Path) -> None:
    try:
        links = os.stat(path).st_nlink
    except OSError:
        return
    if links > 1:
        raise InputError(f"this file has {links} names (hard links); idmf will not edit it",
                         where=str(path),
                         hint="a save would split the names into two different files; keep one name "
                              "(delete the other, or copy the file) and try again")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_ANY = object()


def save_assessment(assessment: Assessment, path: Path | str, *, expected: object = _ANY) -> Path:
    """Atomically write the assessment; see ``save_checked``."""
    save_checked(assessment, path, expected=expected)
    return Path(path)


def save_checked(assessment: Assessment, path: Path | str, *, expected: object = _ANY) -> str:
    """Atomically write the assessment (temp file, fsync, rename, fsync folder); return its fingerprint.

    ``expected`` is the fingerprint of the file as it was loaded (None: there
    was no file). If the file on disk is not that any more, nothing is written
    and AssessmentChangedOnDisk says why.
    """
    shown = Path(path)
    path = real_path(shown)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = to_yaml(assessment)
    data = text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        # Never write a file that idmf would then refuse to read back.
        raise InputError(f"the assessment would be over the {MAX_FILE_BYTES:,} byte file limit; not saved",
                         where=str(shown), hint="shorten the longest answers or comments; the saved file is unchanged")
    _refuse_hard_links(path)
    if expected is not _ANY and fingerprint(path) != expected:
        raise AssessmentChangedOnDisk(
            "the file was changed on disk since idmf read it (edited by hand or by another program); "
            "not saved, so that change is not lost", where=str(shown),
            hint="open it again to see the change, then make yours")
    _remove_stale_temporary_files(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)  # a saved file keeps its mode
    except FileNotFoundError:
        mode = 0o666 & ~_umask()  # a new file follows the umask
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | portable.BINARY, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            portable.set_mode(handle.fileno(), tmp, mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return _fingerprint(data)


_OLD_TEMP_AGE = 600  # seconds: a temporary file without a writer's pid, older than this, is left over


def _remove_stale_temporary_files(path: Path) -> None:
    """Temporary files of this assessment whose writer is dead (killed mid-save)."""
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        middle = name[len(prefix):-len(".tmp")].split(".")
        stale = False
        if len(middle) == 2 and middle[0].isdigit():
            pid = int(middle[0])
            stale = pid != os.getpid() and not portable.process_alive(pid)
        else:  # named by an older idmf, without the pid
            with contextlib.suppress(OSError):
                stale = time.time() - os.stat(path.parent / name).st_mtime > _OLD_TEMP_AGE
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)


def lock_path(path: Path) -> Path:
    real = real_path(path)
    return real.with_name(f".{real.name}.lock")


def _locked(path: Path) -> AssessmentLocked:
    return AssessmentLocked(
        "this assessment is open in another idmf session",
        where=str(path),
        hint="finish or quit the other session (wizard or command), then try again",
    )


def _acquire(lock: Path, shown: Path) -> int:
    """An exclusive OS lock on ``lock``; the fd holding it.

    The lock file is deleted on release; so that a process which opened it
    just before that cannot hold a lock on a deleted file while another
    locks a new one, the lock is only taken if the file locked is still the
    one at that name.
    """
    for _ in range(20):
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)  # a new assessment's folder may not exist yet
            # Never through a link: one planted at the lock's name would otherwise create or lock
            # whatever it points at.
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | portable.BINARY | portable.NOFOLLOW, 0o666 & ~_umask())
        except OSError as exc:
            if lock.is_symlink():
                raise InputError("the assessment's lock file is a link; idmf does not follow it", where=str(lock),
                                 hint="remove the link (nothing of the assessment is in it), then open the assessment again")
            raise InputError(f"cannot lock the assessment ({exc.strerror or exc})", where=str(shown),
                             hint="idmf needs to write in the assessment's folder to edit it")
        try:
            portable.lock(fd)
        except portable.LockHeld:
            os.close(fd)
            raise _locked(shown) from None
        except OSError as exc:
            os.close(fd)
            raise InputError(f"cannot lock the assessment ({exc.strerror or exc})", where=str(shown),
                             hint="keep assessments on a local or network drive that allows file locks")
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # deleted by its last holder after we opened it: try the new one
    raise _locked(shown)


@contextlib.contextmanager
def edit_lock(path: Path | str) -> Iterator[None]:
    """Hold the edit lock on an assessment for the duration of the block."""
    shown = Path(path)
    _refuse_hard_links(shown)
    lock = lock_path(shown)
    fd = _acquire(lock, shown)
    try:
        yield
    finally:
        if portable.can_remove_open_files():
            with contextlib.suppress(OSError):
                os.unlink(lock)
            os.close(fd)
        else:  # Windows: a file cannot be removed while open; unlock, close, then remove
            with contextlib.suppress(OSError):
                portable.unlock(fd)
            os.close(fd)
            with contextlib.suppress(OSError):  # fails while another session has it open: theirs now
                os.unlink(lock)


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:50].rstrip("-") or "assessment"


def new_assessment_path(folder: Path, assessment: Assessment) -> Path:
    stamp = dt.date.today().isoformat()
    return folder / f"{stamp}-{_slug(assessment.title)}-{str(assessment.id)[:8]}.yaml"


