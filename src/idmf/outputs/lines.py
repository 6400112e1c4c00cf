"""Where a question's answer sits in an assessment file, for annotations (GitHub, SARIF)."""

from __future__ import annotations

import functools
from pathlib import Path


def question_line(path: Path, question_id: str) -> int:
    """The line where a question's answer sits in the file (1 if absent)."""
    if not question_id:
        return 1
    # Header answers (meta.*) live in the file's metadata block under their own name.
    keys = (f"{question_id.removeprefix('meta.')}:",) if question_id.startswith("meta.") else (
        f"{question_id}:", f"'{question_id}':")
    for number, line in enumerate(_stripped_lines(path, _version_of(path)), start=1):
        if line.startswith(keys):
            return number
    return 1


def _version_of(path: Path) -> tuple:
    try:
        info = path.stat()
    except OSError:
        return ()
    return info.st_ino, info.st_size, info.st_mtime_ns


@functools.lru_cache(maxsize=4)
def _stripped_lines(path: Path, _version: tuple) -> tuple[str, ...]:
    # Read once per file, not once per finding: a CI run annotates thousands of findings.
    # Keyed by the file's identity, size and time too: a file saved again under the same
    # name (a long-lived process, or the test suite running idmf in-process) is read again.
    try:
        return tuple(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    except OSError:
        return ()


def first_question(finding) -> str:
    return finding.triggered_by[0].question_id if finding.triggered_by else ""


def repository_root() -> Path:
    """The folder CI tools resolve file names against: the enclosing git checkout, else the
    working folder. Code scanning and annotations need names relative to the repository,
    wherever in it idmf was run."""
    return _root_of(Path.cwd())


@functools.lru_cache(maxsize=4)
def _root_of(here: Path) -> Path:
    for folder in (here, *here.parents):
        if (folder / ".git").exists():  # a folder, or a file in a worktree or submodule
            return folder
    return here


def repository_path(path: Path) -> str | None:
    """``path`` relative to the repository root with forward slashes, or None when outside it."""
    import os

    root = repository_root()
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return None
