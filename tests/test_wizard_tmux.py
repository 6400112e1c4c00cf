"""The real `idmf wizard` in a real terminal (tmux): answers survive closing the terminal."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import ROOT


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is installed by `make test`; run it through make")
def test_tmux_smoke():
    result = subprocess.run(["bash", str(ROOT / "scripts" / "tmux-smoke.sh")], capture_output=True, text=True, timeout=180,
                            env={"IDMF": str(ROOT / ".venv" / "bin" / "idmf"), "PATH": "/usr/bin:/bin:/usr/local/bin", "TERM": "xterm-256color"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "answers are in" in result.stdout and "resumes at" in result.stdout and "tmux smoke: OK" in result.stdout
