"""idmf's platform layer: both branches (POSIX and Windows) run here, and nothing else
in idmf calls what Windows lacks. The whole command line runs with those calls removed
in the Windows-mimic job (tests/windows_mimic, run by .ci/run)."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from idmf.errors import AssessmentLocked
from idmf.model.assessment import Assessment
from idmf.store import edit_lock, portable, save_assessment
from idmf.store.files import lock_path

SRC = Path(__file__).resolve().parents[1] / "src" / "idmf"
MIMIC = os.environ.get("IDMF_WINDOWS_MIMIC") == "1"


@pytest.fixture
def windows_locking(monkeypatch):
    """idmf's Windows branch: no fcntl, msvcrt.locking (the stand-in, with Windows's contract)."""
    # In the Windows-mimic job fcntl is gone; the stand-in was loaded (with it) before that.
    standin = sys.modules.get("msvcrt_standin") or importlib.import_module("tests.windows_mimic.msvcrt_standin")
    monkeypatch.setattr(portable, "fcntl", None)
    monkeypatch.setattr(portable, "msvcrt", standin.msvcrt)


@pytest.fixture
def posix_locking(monkeypatch):
    if portable.fcntl is None:
        pytest.skip("this Python has no fcntl (the Windows-mimic job): the POSIX branch runs in the normal suite")
    monkeypatch.setattr(portable, "msvcrt", None)


def _saved(tmp_path: Path) -> Path:
    return save_assessment(Assessment(title="Community phlebotomy"), tmp_path / "a.yaml")


@pytest.mark.parametrize("branch", ["posix_locking", "windows_locking"])
def test_a_second_editor_is_refused_and_the_lock_is_gone_after(branch, tmp_path, request):
    request.getfixturevalue(branch)
    path = _saved(tmp_path)
    with edit_lock(path):
        assert lock_path(path).exists()
        with pytest.raises(AssessmentLocked, match="open in another idmf session"):
            with edit_lock(path):
                pass
    assert not lock_path(path).exists(), "the lock file outlived the edit"
    with edit_lock(path):  # free again
        pass


@pytest.mark.parametrize("branch", ["posix_locking", "windows_locking"])
def test_lock_and_unlock_on_an_open_file(branch, tmp_path, request):
    request.getfixturevalue(branch)
    name = tmp_path / "x.lock"
    first = os.open(name, os.O_RDWR | os.O_CREAT)
    second = os.open(name, os.O_RDWR)
    try:
        portable.lock(first)
        with pytest.raises(portable.LockHeld):
            portable.lock(second)
        portable.unlock(first)
        portable.lock(second)
    finally:
        os.close(first)
        os.close(second)


def test_a_system_without_any_lock_says_so_in_words(monkeypatch, tmp_path):
    from idmf.errors import InputError

    monkeypatch.setattr(portable, "fcntl", None)
    monkeypatch.setattr(portable, "msvcrt", None)
    path = _saved(tmp_path)
    with pytest.raises(InputError, match="cannot lock the assessment") as info:
        with edit_lock(path):
            pass
    assert "allows file locks" in info.value.hint


@pytest.mark.parametrize("has_fchmod", [True, False], ids=["fchmod", "no-fchmod (Windows before 3.13)"])
def test_a_saved_file_keeps_its_mode_with_or_without_fchmod(has_fchmod, monkeypatch, tmp_path):
    if has_fchmod and not hasattr(os, "fchmod"):
        pytest.skip("this Python has no os.fchmod (the Windows-mimic job)")
    if not has_fchmod:
        monkeypatch.delattr(os, "fchmod", raising=False)
    path = _saved(tmp_path)
    os.chmod(path, 0o640)
    save_assessment(Assessment(title="Community phlebotomy, revised"), path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert "revised" in path.read_text(encoding="utf-8")


def test_report_is_written_without_fchmod(monkeypatch, tmp_path):
    from idmf.report.render import write

    monkeypatch.delattr(os, "fchmod", raising=False)
    out = tmp_path / "report.html"
    write(out, b"<p>report</p>")
    assert out.read_bytes() == b"<p>report</p>"
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o666 & ~mask


def test_a_dead_writers_process_is_told_from_a_live_one():
    assert portable.process_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not portable.process_alive(child.pid)


def test_keys_go_to_the_platforms_settings_folder(monkeypatch, tmp_path):
    from idmf import signing

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "settings"))
    if sys.platform.startswith("linux"):
        # The folder is the platform's (h28); the file is the name then a hash of it (h30's key naming).
        path = signing.key_path("Sam Okafor")
        assert path.parent == tmp_path / "settings" / "idmf" / "keys"
        assert path.name.startswith("sam-okafor-") and path.name.endswith(".ed25519.pem")
    import platformdirs

    assert signing.config_dir() == Path(platformdirs.user_config_dir("idmf", appauthor=False, roaming=False))


def test_keys_new_on_29_february_suggests_a_date_that_exists():
    from idmf import signing

    entry = signing.trusted_entry("Sam Okafor", "Head of Equality", "ed25519:AAAA", dt.date(2028, 2, 29))
    assert "valid_from = 2028-02-29" in entry
    assert "# valid_to = 2030-02-28" in entry


# What Windows's Python lacks (os.fchmod only from 3.13), or where it means something else
# (os.kill with signal 0 sends Ctrl-C there). Only the platform layer may use them.
POSIX_ONLY = re.compile(r"^\s*(import|from)\s+(fcntl|pwd|grp|termios|resource)\b|\bos\.(fchmod|fchown|chown|lchown|"
                        r"getuid|geteuid|getgid|killpg|setsid|mkfifo|fork)\b|\bos\.kill\(", re.M)


def test_no_posix_only_call_outside_the_platform_layer():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "store" / "portable.py":
            continue
        for match in POSIX_ONLY.finditer(path.read_text(encoding="utf-8")):
            line = path.read_text(encoding="utf-8").count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(SRC)}:{line}: {match.group(0).strip()}")
    assert not offenders, "POSIX-only calls outside idmf.store.portable:\n" + "\n".join(offenders)


def test_output_into_a_file_on_a_windows_code_page_is_utf8_not_a_crash():
    # Windows redirects output in its ANSI code page (cp1252): the register's box lines are not
    # in it, and `idmf list > register.txt` exited 70. Files and pipes now get UTF-8.
    from .conftest import EXAMPLES, run_idmf

    result = run_idmf("list", str(EXAMPLES), env={"PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr
    assert "Online booking for community phlebotomy clinics" in result.stdout
    assert "assessment(s)" in result.stdout and "Traceback" not in result.stderr


def test_a_big_register_is_checked_in_worker_processes(tmp_path):
    # 64 files or more are checked on every core; in the Windows-mimic job workers are spawned, as on Windows.
    import json
    import shutil

    from idmf.checking import PARALLEL_FROM

    from .conftest import EXAMPLES, run_idmf

    green = next(EXAMPLES.glob("green-*.yaml"))
    for n in range(PARALLEL_FROM + 2):
        shutil.copy(green, tmp_path / f"g{n:03}.yaml")
    listed = run_idmf("list", str(tmp_path), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == PARALLEL_FROM + 2
