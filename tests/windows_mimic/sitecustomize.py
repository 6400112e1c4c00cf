"""Make this Python lack what Windows lacks, before idmf (or a test) is imported.

Put this folder first on PYTHONPATH (``.ci/run`` and ``make windows-mimic``
do): every Python started with it, including each ``idmf`` a test runs,
then has no ``fcntl``, ``pwd``, ``grp``, ``resource`` or ``termios`` module and
no ``os.fchmod``, ``os.fchown``, ``os.chown``, ``os.mkfifo`` and the like, as on Windows
before Python 3.13. idmf must then still check, list, report, create, show and
edit assessments.

Windows's own lock call, ``msvcrt.locking``, is given to idmf's platform layer
as a stand-in with its contract (a non-blocking lock on a byte range, refused with EACCES while
another open of the file holds it, released by LK_UNLCK or on close), built
on the real ``flock`` taken before ``fcntl`` is removed, so idmf's Windows
branch for locking runs here too.

Worker processes start by spawning, as on Windows, not by forking.
"""

from __future__ import annotations

import os
import sys

from msvcrt_standin import msvcrt  # takes the real flock before fcntl goes

POSIX_ONLY_MODULES = ("fcntl", "pwd", "grp", "resource", "termios", "tty", "pty", "posix_ipc")
# Not getuid and the like: libraries check them on the POSIX side of their own
# platform branch (platformdirs does), which sys.platform still chooses here.
POSIX_ONLY_FUNCTIONS = ("fchmod", "fchown", "lchown", "chown", "lchmod", "mkfifo", "mknod", "statvfs",
                        "fstatvfs", "setsid", "getpgid", "killpg", "openpty")

for _name in POSIX_ONLY_MODULES:
    sys.modules.pop(_name, None)
    sys.modules[_name] = None  # `import fcntl` now raises ImportError, as on Windows
for _name in POSIX_ONLY_FUNCTIONS:
    if hasattr(os, _name):
        delattr(os, _name)


class _GiveIdmfMsvcrt:
    """Hands the stand-in to idmf's platform layer only, once it is loaded.

    Not put in sys.modules: the standard library takes an importable msvcrt to
    mean Windows (subprocess would then ask for _winapi).
    """

    def find_spec(self, name, path=None, target=None):
        if name != "idmf.store.portable":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                run = spec.loader.exec_module

                def exec_module(module, run=run):
                    run(module)
                    module.msvcrt = msvcrt

                spec.loader.exec_module = exec_module
                return spec
        return None


sys.meta_path.insert(0, _GiveIdmfMsvcrt())

os.environ["IDMF_WINDOWS_MIMIC"] = "1"  # so a test can say why it does not apply here

import multiprocessing  # noqa: E402

multiprocessing.set_start_method("spawn", force=True)
