"""The one folder walk: which files in a folder are assessments.

Kept apart from the store, which loads the models, so that ``idmf check DIR`` answered from the
content cache does not wait for pydantic to find its files (``idmf.checking``).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

SUFFIXES = (".yaml", ".yml")


def list_assessment_files(folder: Path) -> list[Path]:
    """The assessment files in a folder (not its subfolders), sorted by name; see ``walk_assessment_files``."""
    if not folder.is_dir():
        return []
    try:
        names = os.listdir(folder)
    except OSError as exc:
        raise InputError(f"cannot list the folder ({exc.strerror or exc})", where=str(folder),
                         hint="check the folder's permissions")
    return sorted(folder / name for name in names
                  if name.endswith(SUFFIXES) and not name.startswith("."))


def walk_assessment_files(folder: Path) -> list[Path]:
    """A register's assessment files: the folder's own, then each subfolder's in name order
    (one per organisation or directorate), however deep.

    The one folder walk that ``check``, ``list`` and ``audit`` share, so all three
    see the same assessments. Hidden folders and links to folders are not
    entered (a link could loop). A folder that cannot be listed is returned as
    itself, so that it is reported, with the reason, beside every file that
    could be read.
    """
    try:
        files = list_assessment_files(folder)
        entries = sorted(entry.name for entry in os.scandir(folder)
                         if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."))
    except (InputError, OSError):
        return [folder]
    for name in entries:
        files.extend(walk_assessment_files(folder / name))
    return files
