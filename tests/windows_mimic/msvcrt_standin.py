"""A stand-in for Windows's ``msvcrt.locking``, with its contract, for POSIX machines.

``locking(fd, LK_NBLCK, n)`` takes a lock without waiting and raises
PermissionError (EACCES) while another open of the file holds one, even in
the same process; ``LK_UNLCK`` releases it; closing the file releases it too.
Built on ``flock``, which has the same per-open behaviour. Used by the
Windows-mimic job (sitecustomize here) and by tests/test_portable.py to run
idmf's Windows branch for locking on Linux.
"""

from __future__ import annotations

import errno
import fcntl as _fcntl
import types

_flock, _LOCK_EX, _LOCK_NB, _LOCK_UN = _fcntl.flock, _fcntl.LOCK_EX, _fcntl.LOCK_NB, _fcntl.LOCK_UN

msvcrt = types.ModuleType("msvcrt", "Stand-in for Windows's msvcrt: locking() only.")
msvcrt.LK_UNLCK, msvcrt.LK_LOCK, msvcrt.LK_NBLCK, msvcrt.LK_RLCK, msvcrt.LK_NBRLCK = 0, 1, 2, 3, 4


def _locking(fd: int, mode: int, nbytes: int) -> None:
    if mode in (msvcrt.LK_NBLCK, msvcrt.LK_NBRLCK):
        try:
            _flock(fd, _LOCK_EX | _LOCK_NB)
        except BlockingIOError:
            raise PermissionError(errno.EACCES, "Permission denied") from None
    elif mode in (msvcrt.LK_LOCK, msvcrt.LK_RLCK):
        _flock(fd, _LOCK_EX)
    elif mode == msvcrt.LK_UNLCK:
        _flock(fd, _LOCK_UN)
    else:
        raise ValueError(f"unknown locking mode {mode}")


msvcrt.locking = _locking
