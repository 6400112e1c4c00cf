"""The real `idmf wizard` in a real terminal: tmux, on a server of its own per test.

Keys go in as a terminal sends them (``send-keys``), text as typed characters
(``type``) or as a bracketed paste (``paste``), and the screen is read back
with ``capture-pane``, so a test sees what a person would.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

from .conftest import ROOT

IDMF = ROOT / ".venv" / "bin" / "idmf"
HAVE_TMUX = shutil.which("tmux") is not None


class Terminal:
    def __init__(self, args: list[str], *, width: int = 100, height: int = 34, cwd: Path | None = None,
                 env: dict | None = None, program: str | None = None):
        self.socket = f"idmf-test-{uuid.uuid4().hex[:10]}"
        self.exit_file = Path(f"/tmp/{self.socket}.rc")
        self.output_file = Path(f"/tmp/{self.socket}.out")
        command = " ".join(_quote(a) for a in [program or str(IDMF), *args])
        # The command's exit code is written down, and the pane stays open after it ends so
        # what it printed last can be read.
        shell = f"{command}; echo $? > {self.exit_file}; sleep 30"
        environment = {"PATH": "/usr/bin:/bin:/usr/local/bin", "TERM": "xterm-256color", "HOME": os.environ.get("HOME", "/tmp"),
                       "LANG": "C.UTF-8", **(env or {})}
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", "w", "-x", str(width),
                        "-y", str(height), "-c", str(cwd or ROOT), "env", *[f"{k}={v}" for k, v in environment.items()],
                        "bash", "-c", shell], check=True)

    def _tmux(self, *args: str, input: str | None = None) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, input=input).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-J", "-t", "w")  # -J: a line the terminal wrapped reads as one

    def wait_for(self, text: str, timeout: float = 30, settle: float = 0.0) -> str:
        """Wait until ``text`` is on screen (then ``settle`` seconds more, e.g. for a box to take focus)."""
        deadline = time.monotonic() + timeout
        flat = " ".join(text.split())
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown or flat in " ".join(shown.split()):
                time.sleep(settle)
                return shown
            time.sleep(0.1)
        raise AssertionError(f"never saw {text!r} on screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        """Keys by tmux name: Enter, Tab, C-s, C-q, Down ..."""
        self._tmux("send-keys", "-t", "w", *keys)

    def type(self, text: str, *then: str) -> None:
        """Text as typed characters, all sent at once (as fast as a terminal can), then the keys ``then``."""
        more = [";", "send-keys", "-t", "w", *then] if then else []
        self._tmux("send-keys", "-t", "w", "-l", text, *more)

    def paste(self, text: str, *then: str) -> None:
        """Text as a terminal's paste (bracketed, when the program asked for it), then
        the keys ``then`` in the same breath (one tmux command, no gap between them)."""
        self._tmux("load-buffer", "-b", "p", "-", input=text)
        more = [";", "send-keys", "-t", "w", *then] if then else []
        self._tmux("paste-buffer", "-p", "-d", "-b", "p", "-t", "w", *more)

    def pid(self) -> int:
        """The idmf process (a child of the pane's shell)."""
        shell = int(self._tmux("display-message", "-p", "-t", "w", "#{pane_pid}").strip())
        children = subprocess.run(["pgrep", "-P", str(shell)], capture_output=True, text=True).stdout.split()
        return int(children[0])

    def kill9(self) -> None:
        os.kill(self.pid(), signal.SIGKILL)

    def exit_code(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exit_file.exists() and self.exit_file.read_text().strip():
                return int(self.exit_file.read_text())
            time.sleep(0.1)
        raise AssertionError(f"idmf did not end:\n{self.screen()}")

    def close(self) -> None:
        self._tmux("kill-server")
        self.exit_file.unlink(missing_ok=True)

    def __enter__(self) -> "Terminal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
