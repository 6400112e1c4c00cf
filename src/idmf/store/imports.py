"""Which source forms a folder of assessments was already imported from."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .files import list_assessment_files


def imported_sources(folder: Path) -> dict[str, Path]:
    """The source form's sha256 -> the assessment imported from it, for the assessments in ``folder``.

    Read from each file's ``provenance`` as YAML (not by searching its text), so an
    answer that happens to quote a hash is never taken for one; unreadable files are skipped."""
    import yaml

    seen: dict[str, Path] = {}
    for path in list_assessment_files(folder):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8", errors="replace"))
        except (OSError, yaml.YAMLError):
            continue
        provenance = data.get("provenance") if isinstance(data, dict) else None
        sha = provenance.get("source_sha256") if isinstance(provenance, dict) else None
        if isinstance(sha, str):
            seen.setdefault(sha, path)
    return seen


def already_imported(folder: Path, sha256: str) -> Optional[Path]:
    """The assessment in ``folder`` imported from the form with this hash, if any."""
    return imported_sources(folder).get(sha256) if folder.is_dir() else None
