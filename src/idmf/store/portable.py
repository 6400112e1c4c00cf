"""What differs between Windows, macOS and Linux, in one place.

idmf runs where NHS staff work: mostly Windows laptops, some Macs, Linux in
CI. Python's ``fcntl`` module does not exist on Windows, ``os.fchmod`` only
from Python 3.13 there, and ``os.kill(pid, 0)`` on Windows is not a harmless
probe: signal 0 is CTRL_C_EVENT. Everything else in idmf calls these
functions instead, so no POSIX-only call is reachable on Windows.

Each function picks its branch when called, from what this Python has (not
from the name of the system), so the tests run both branches on one machine
and the Windows-mimic job (``tests/windows_mimic``) runs the command line
with the POSIX-only functions taken away.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

try:  # Windows
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None  # type: ignore[assignment]

# Windows opens a low-level file descriptor in text mode unless told otherwise:
# it would turn every "\n" written into "\r\n" (and read a Ctrl-Z as the end),
# so a saved assessment would not match the bytes idmf fingerprinted.
BINARY = getattr(os, "O_BINARY", 0)
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX: open the name itself, never a link's target


class LockHeld(Exception):
    """Another process (or another open of the file) holds the lock."""


def lock(fd: int) -> None:
    """Take an exclusive lock on the open file ``fd`` without waiting; LockHeld if it is taken.

    The operating system releases it when the process dies, however it dies.
    """
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise LockHeld() from None
            raise
        return
    if msvcrt is not None:
        # A lock on the file's first byte (a byte past the end may be locked on Windows).
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK, getattr(errno, "EDEADLOCK", errno.EDEADLK)):
                raise LockHeld() from None
            raise
        return
    raise OSError(errno.ENOTSUP, "this system offers no file locking that idmf knows")


def unlock(fd: int) -> None:
    """Release the lock taken by ``lock`` (closing the file releases it too)."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    elif msvcrt is not None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def can_remove_open_files() -> bool:
    """POSIX removes a name while a file is open; Windows refuses to.

    So a lock file is removed before it is closed on POSIX (no one can lock
    it in between), and after on Windows (where removing it fails harmlessly
    while another process has it open).
    """
    return fcntl is not None


def set_mode(handle: int, path: Path | str, mode: int) -> None:
    """Give the open file ``handle`` (named ``path``) the permission bits ``mode``.

    Through the open file where Python can (no link swapped in can redirect
    it); by name elsewhere. On Windows only the read-only flag follows
    ``mode``: a file idmf writes is writable there.
    """
    if hasattr(os, "fchmod"):
        os.fchmod(handle, mode)
    else:
        os.chmod(path, mode)


def effective_user_id() -> int | None:
    """The numeric id of the user running idmf; None where the system has none (Windows)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid() if geteuid is not None else None


def process_alive(pid: int) -> bool:
    """Whether the process ``pid`` is still running (True when it cannot be told)."""
    if pid <= 0:
        return True
    if sys.platform == "win32":  # pragma: no cover - run on Windows only
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def _windows_process_alive(pid: int) -> bool:  # pragma: no cover - run on Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    query_limited_information, still_active, invalid_parameter = 0x1000, 259, 87
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return kernel32.GetLastError() != invalid_parameter  # no such process, or not ours to ask
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def config_dir() -> Path:
    """idmf's folder among the user's settings, where this system keeps them.

    Linux: ``$XDG_CONFIG_HOME/idmf`` or ``~/.config/idmf``; macOS:
    ``~/Library/Application Support/idmf``; Windows: ``%LOCALAPPDATA%\\idmf``
    (not the roaming profile: it holds private signing keys).
    """
    from platformdirs import user_config_dir

    return Path(user_config_dir("idmf", appauthor=False, roaming=False))
