"""Checking many assessment files, using every core for large folders.

Domain-level: no printing. Each worker process builds its own engine once
(durable-rules state is per process) and checks a chunk of files. Used by
`idmf check` and by the register (`idmf list`).
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .errors import IdmfError, InputError
from .rules.model import Findings
from .store import list_assessment_files

PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


@dataclass
class CheckedFile:
    path: Path
    findings: Optional[Findings] = None
    error: Optional[str] = None
    title: str = ""
    owner: str = ""
    organisation: str = ""
    status: str = ""
    updated: Optional[dt.datetime] = None
    approved_by: str = ""
    review_due: Optional[dt.date] = None
    integrity: str = ""  # "changed since approval ..." or a broken history, else empty


def expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(list_assessment_files(path))
        else:
            files.append(path)
    return files


def _check_chunk(names: list[str], explain: bool = True) -> list[CheckedFile]:
    from .lifecycle import integrity
    from .questionnaire import load_questionnaire
    from .rules import default_engine
    from .store import load_assessment

    questionnaire = load_questionnaire()
    engine = default_engine(questionnaire)
    out = []
    for name in names:
        path = Path(name)
        try:
            if path.is_symlink() and path.parent.resolve() not in path.resolve().parents:
                # A register lists its own folder; a link out of it could expose any file on the machine.
                raise InputError("is a link to a file outside its folder; not read", where=str(path),
                                 hint="copy the assessment into the folder instead of linking to it")
            a = load_assessment(path, questionnaire).assessment
            out.append(CheckedFile(
                path, engine.check(a, explain=explain), None, a.title, a.metadata.person_responsible, a.metadata.organisation,
                a.status, a.updated, a.approval.reviewer if a.approval else "",
                a.approval.review_date if a.approval else None, integrity(a).statement(),
            ))
        except IdmfError as exc:
            out.append(CheckedFile(path, error=str(exc)))
        except RecursionError:
            out.append(CheckedFile(path, error=f"{path}: nested too deeply to be an assessment"))
    return out


def check_files(files: list[Path], workers: int | None = None, *, explain: bool = True) -> list[CheckedFile]:
    """One CheckedFile per file, in the given order; unreadable files carry their error."""
    names = [str(f) for f in files]
    workers = workers or min(2, os.cpu_count() or 1)
    if len(names) < PARALLEL_FROM or workers < 2:
        return _check_chunk(names, explain)
    size = max(1, len(names) // (workers * 8))
    chunks = [names[i:i + size] for i in range(0, len(names), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [item for chunk in pool.map(_check_chunk, chunks, [explain] * len(chunks)) for item in chunk]
