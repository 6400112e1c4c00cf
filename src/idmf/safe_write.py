"""The one way idmf writes a file other than an assessment (reports, audits, catalogues, drafts, keys).

Every such write is:

* atomic: the data goes to a temporary file in the same folder, is flushed, and replaces the
  target in one rename, so a reader (or a crash) never sees half a file;
* exclusive: the temporary file has an unguessable name and is created with
  ``O_CREAT | O_EXCL | O_NOFOLLOW``, so a link planted under that name can never redirect the
  write to another file;
* guarded (``write_output``): never through a link, never onto an assessment, never over a
  file idmf did not write unless the user says ``--force``.

A full disk or a folder that cannot be written is the caller's bad input (exit 2), never a crash.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Callable, Optional

from .errors import InputError
from .store.portable import set_mode

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_HEAD = 4096  # bytes of an existing file read to tell whether idmf wrote it


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes, *, mode: Optional[int] = None, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically through an exclusively created temporary file.

    ``mode`` is the new file's permission bits (default: what the umask gives, like any file the
    user saves). ``durable=False`` skips the fsync (the file still survives the process being killed).
    """
    path = Path(path)
    if mode is None:
        mode = 0o666 & ~current_umask()
    tmp = path.with_name(_temporary_name(path.name))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            set_mode(handle.fileno(), tmp, mode)
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _temporary_name(name: str) -> str:
    """``.<name>.<pid>.<random>.tmp``, the name shortened so the whole stays within the 255 bytes a
    file name may have (a long title in an astral script made the temporary name too long)."""
    tail = f".{os.getpid()}.{secrets.token_hex(6)}.tmp"
    room = 255 - len(tail.encode()) - 1
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) > room:
        name = encoded[:room].decode("utf-8", "ignore")
    return f".{name}{tail}"


def looks_like_assessment(head: bytes) -> bool:
    """Does a file starting with ``head`` look like an idmf assessment (a YAML file with its header keys)?"""
    text = head.decode("utf-8", "replace")
    return "schema_version:" in text and ("\nanswers:" in text or "\nid:" in text or "\ntitle:" in text)


def check_output_target(target: Path, *, what: str, force: bool = False,
                        protect: tuple[Path, ...] = (), ours: Optional[Callable[[Path, bytes], bool]] = None) -> None:
    """Refuse (InputError, exit 2) a place idmf must not write ``what`` to.

    Never a link (it could point anywhere, an assessment included); never an assessment (one of
    ``protect``, or a file that looks like one, even with --force); never over an existing,
    non-empty file unless ``ours(path, head)`` says idmf wrote it or ``force`` is given.
    """
    target = Path(target)
    for path in protect:
        try:
            if os.path.samefile(target, path):
                raise InputError(f"that is the assessment itself; the {what} never replaces it", where=str(target),
                                 hint=f"give the {what} its own name")
        except OSError:
            pass
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"cannot write the {what} there ({exc.strerror or exc})", where=str(target),
                         hint="choose a folder you can write to")
    if stat.S_ISLNK(info.st_mode):
        raise InputError(f"is a link; idmf never writes a {what} through a link (it could point at any file)",
                         where=str(target), hint=f"give the {what} a name that is not a link")
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"is a folder; the {what} needs a file name", where=str(target),
                         hint=f"give a file name for the {what}")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"is not a regular file; a {what} is not written there", where=str(target),
                         hint=f"give a file name for the {what}")
    if info.st_size == 0:
        return
    try:
        with open(target, "rb") as handle:
            head = handle.read(_HEAD)
    except OSError as exc:
        raise InputError(f"cannot read what is there ({exc.strerror or exc}); not overwritten", where=str(target),
                         hint=f"choose another name for the {what}")
    if looks_like_assessment(head):
        raise InputError(f"looks like an assessment; the {what} never replaces one", where=str(target),
                         hint=f"give the {what} its own name")
    if force or (ours is not None and ours(target, head)):
        return
    raise InputError(f"already exists and is not a {what} idmf wrote; not overwritten", where=str(target),
                     hint="choose another name, or add --force to replace it")


def write_output(target: Path, data: bytes, *, what: str, force: bool = False, protect: tuple[Path, ...] = (),
                 ours: Optional[Callable[[Path, bytes], bool]] = None) -> None:
    """Check ``target`` (see ``check_output_target``), then write ``data`` atomically."""
    check_output_target(target, what=what, force=force, protect=protect, ours=ours)
    try:
        atomic_write(Path(target), data)
    except OSError as exc:
        raise write_error(Path(target), exc, what)


def write_error(target: Path, exc: OSError, what: str = "file") -> InputError:
    import errno

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
        return InputError(f"cannot write the {what}: the disk is full (or a quota or file-size limit was reached)",
                          where=str(target), hint="free some space and run the command again")
    return InputError(f"cannot write the {what} there ({exc.strerror or exc})", where=str(target),
                      hint="choose a folder you can write to")


def starts_with(prefix: bytes) -> Callable[[Path, bytes], bool]:
    """``ours`` for an output that always begins the same way (a BOM before it allowed)."""
    def check(_path: Path, head: bytes) -> bool:
        return head.removeprefix(b"\xef\xbb\xbf").startswith(prefix)
    return check
