"""Checking many assessment files, using every core for large folders.

Domain-level: no printing. Each worker process builds its own engine once
(durable-rules state is per process) and checks a chunk of files.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .errors import IdmfError
from .rules.model import Findings
from .store import list_assessment_files

PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


def expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(list_assessment_files(path))
        else:
            files.append(path)
    return files


def _check_chunk(files: list[str]) -> list[tuple[str, Findings | None, str | None]]:
    from .questionnaire import load_questionnaire
    from .rules import default_engine
    from .store import load_assessment

    questionnaire = load_questionnaire()
    engine = default_engine(questionnaire)
    out = []
    for name in files:
        try:
            assessment = load_assessment(Path(name), questionnaire).assessment
            out.append((name, engine.check(assessment), None))
        except IdmfError as exc:
            out.append((name, None, str(exc)))
    return out


def check_files(files: list[Path], workers: int | None = None) -> list[tuple[Path, Findings | None, str | None]]:
    """(file, findings, error) for each file, in the given order."""
    names = [str(f) for f in files]
    workers = workers or min(2, os.cpu_count() or 1)
    if len(names) < PARALLEL_FROM or workers < 2:
        results = _check_chunk(names)
    else:
        size = max(1, len(names) // (workers * 8))
        chunks = [names[i:i + size] for i in range(0, len(names), size)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = [item for chunk in pool.map(_check_chunk, chunks) for item in chunk]
    return [(Path(name), findings, error) for name, findings, error in results]
