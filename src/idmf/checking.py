"""Checking many assessment files, using every core for large folders.

Domain-level: no printing. Each worker process builds its own engine once
(durable-rules state is per process) and checks a chunk of files. Used by
`idmf check` and by the register (`idmf list`).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

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
    last_changed: Optional[dt.datetime] = None
    approved_by: str = ""
    review_due: Optional[dt.date] = None
    integrity: str = ""  # "changed since approval ..." or a broken history, else empty
    rag: str = ""
    blocking: int = 0  # how many blocking findings
    approval_unverified: bool = False  # it claims an approval idmf cannot verify (a problem: exit 1)
    bug: bool = False  # the error is a bug in idmf, not a problem with the file (exit 70 once all are listed)
    scope: str = ""  # "screening" or "full": which rules apply (the others are skipped, e.g. in JUnit)
    seconds: float = 0.0  # how long reading and checking this file took (JUnit's time)


def _folder_files(folder: Path) -> list[Path]:
    """A folder's assessment files, then each subfolder's in name order (one per organisation or
    directorate). Hidden folders and links to folders are not entered (a link could loop)."""
    try:
        files = list_assessment_files(folder)
        entries = sorted((entry.name for entry in os.scandir(folder)
                          if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")))
    except (InputError, OSError):
        return [folder]
    for name in entries:
        files.extend(_folder_files(folder / name))
    return files


def expand(paths: list[Path]) -> list[Path]:
    """The files named, with each folder replaced by its assessment files.

    Subfolders are included. A folder that cannot be listed stays in the list as itself, so that it is
    reported (with the reason) beside every file that could be read.
    """
    files: list[Path] = []
    for path in paths:
        # os.path.isdir, not Path.is_dir: a file in a folder the user may not enter cannot even be
        # stat'ed (Path.is_dir raises PermissionError); it stays in the list and is reported as unreadable.
        if os.path.isdir(path):
            files.extend(_folder_files(path))
        else:
            files.append(path)
    return files


def _outside_its_folder(path: Path) -> bool:
    # realpath, unlike Path.resolve in Python 3.11, does not raise on a link loop;
    # the loop itself is reported when the file is read.
    folder = os.path.join(os.path.realpath(path.parent), "")
    return not os.path.realpath(path).startswith(folder)


def _check_chunk(names: list[str], register: bool = False) -> list[CheckedFile]:
    from .lifecycle import integrity
    from .questionnaire import load_questionnaire
    from .rules import default_engine
    from .store import load_assessment

    questionnaire = load_questionnaire()
    engine = default_engine(questionnaire)
    out = []
    for name in names:
        path = Path(name)
        started = time.perf_counter()
        try:
            if os.path.isdir(path):
                list_assessment_files(path)  # raises with the reason it cannot be listed
                raise InputError("is a folder, not a file", where=str(path), hint="pass an assessment's .yaml file")
            if os.path.islink(path) and _outside_its_folder(path):
                # A register lists its own folder; a link out of it could expose any file on the machine.
                raise InputError("is a link to a file outside its folder; not read", where=str(path),
                                 hint="copy the assessment into the folder instead of linking to it")
            a = load_assessment(path, questionnaire).assessment
            findings = engine.check(a, explain=not register)
            state = integrity(a)
            out.append(CheckedFile(
                # The register shows only the rating and counts; leaving the findings out
                # saves sending about 10 KB per file back from the worker processes.
                path, None if register else findings, None, a.title, a.metadata.person_responsible,
                a.metadata.organisation, a.status, a.last_changed, a.approval.reviewer if a.approval else "",
                a.approval.review_date if a.approval else None, state.statement(),
                findings.rag, len(findings.blocking), bool(state.approval_problem),
                scope=a.scope, seconds=time.perf_counter() - started,
            ))
        except IdmfError as exc:
            out.append(CheckedFile(path, error=str(exc)))
        except RecursionError:
            out.append(CheckedFile(path, error=f"{path}: nested too deeply to be an assessment"))
        except Exception as exc:  # noqa: BLE001 - one file's bug must not blank the other rows
            out.append(CheckedFile(path, error=f"{path}: internal error ({type(exc).__name__}: {exc}); "
                                               "this is a bug in idmf, please report it", bug=True))
    return out


def _start_worker() -> None:
    """Set up a worker process: build the engine once, then calm the garbage collector.

    Checking a file allocates thousands of short-lived objects, nearly all
    freed by reference counting; with the default thresholds the cyclic
    collector ran often enough to take a sixth of the time. Freezing what
    is loaded now (questionnaire, rules, engine) and collecting less often
    keeps memory bounded while measurably (see benchmarks/bench_list.py)
    speeding up large folders.
    """
    from .questionnaire import load_questionnaire
    from .rules import default_engine

    default_engine(load_questionnaire())
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def iter_checked(files: list[Path], workers: int | None = None, *, register: bool = False) -> Iterator[CheckedFile]:
    """One CheckedFile per file, in the given order, each as soon as its chunk is
    done; unreadable files carry their error.

    ``register=True`` is for the assessment register: each result has the
    rating and blocking count but not the findings themselves.
    """
    names = [str(f) for f in files]
    workers = workers or min(2, os.cpu_count() or 1)
    if len(names) < PARALLEL_FROM or workers < 2:
        yield from _check_chunk(names, register)
        return
    size = max(1, len(names) // (workers * 8))
    chunks = [names[i:i + size] for i in range(0, len(names), size)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker) as pool:
        for chunk in pool.map(_check_chunk, chunks, [register] * len(chunks)):
            yield from chunk


def check_files(files: list[Path], workers: int | None = None, *, register: bool = False) -> list[CheckedFile]:
    """All of ``iter_checked`` as a list."""
    return list(iter_checked(files, workers, register=register))
