"""Checking many assessment files, using every core for large folders, and no time on unchanged ones.

Domain-level: no printing. Each worker process builds its own engine once
(durable-rules state is per process) and checks a chunk of files. Used by
`idmf check` and by the register (`idmf list`, the wizard's start screen).

Results are kept in the check cache (``idmf.check_cache``): a file checked
before, unchanged and under the same questionnaire, rules, engine and idmf, is
not read or checked again. A worker sends its findings back as their JSON text
(``FindingsText``), which is what the cache keeps and the JSON format writes as
it is; a format that needs the findings themselves reads them back on first use.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

from .errors import IdmfError, InputError
from .folders import walk_assessment_files

# The rules and the store load the models (pydantic) and the engine: imported when a file is
# checked, so a run the cache answers, and `idmf check --help`, do not wait for them.
if TYPE_CHECKING:
    from .rules.model import Findings

PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


class FindingsText:
    """One file's findings as the JSON text of ``Findings.to_dict`` (terminal-inert), read back
    into :class:`~idmf.rules.model.Findings` only when something asks for more than the text
    or the marks. Behaves as the Findings it holds."""

    __slots__ = ("text", "marks", "_findings")

    def __init__(self, text: str, marks: list, findings: Optional[Findings] = None):
        self.text = text
        self.marks = marks  # [severity, blocking] of each finding, as threshold.fails reads them
        self._findings = findings

    @classmethod
    def of(cls, findings: Findings) -> "FindingsText":
        from .textsafety import json_inert

        text = json_inert(json.dumps(findings.to_dict(), ensure_ascii=False))
        return cls(text, [[f.severity, f.blocking] for f in findings])

    def read(self) -> Findings:
        if self._findings is None:
            from .rules.model import findings_from_dict

            self._findings = findings_from_dict(json.loads(self.text))
        return self._findings

    def to_dict(self) -> dict:
        return json.loads(self.text)

    def __iter__(self):
        return iter(self.read())

    def __len__(self) -> int:
        return len(self.marks)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in FindingsText.__slots__:
            raise AttributeError(name)
        return getattr(self.read(), name)

    def __getstate__(self):
        return self.text, list(self.marks)  # the text is what crosses processes, never the objects

    def __setstate__(self, state) -> None:
        self.text, self.marks = state
        self._findings = None


@dataclass
class CheckedFile:
    path: Path
    findings: Optional[Findings | FindingsText] = None  # FindingsText behaves as the Findings it holds
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
    text_hash: str = ""  # sha256 of the text checked (the check cache records the result under it)

    @classmethod
    def from_cache(cls, path: Path, value: dict) -> "CheckedFile":
        findings = value["findings"]
        return cls(
            path, None if findings is None else FindingsText(findings["text"], findings["marks"]), None,
            value["title"], value["owner"], value["organisation"], value["status"],
            dt.datetime.fromisoformat(value["last_changed"]) if value["last_changed"] else None,
            value["approved_by"], dt.date.fromisoformat(value["review_due"]) if value["review_due"] else None,
            value["integrity"], value["rag"], value["blocking"], value["approval_unverified"], scope=value["scope"])


def expand(paths: list[Path]) -> list[Path]:
    """The files named, with each folder replaced by its assessment files.

    Subfolders are included (``walk_assessment_files``, shared with ``idmf audit``). A folder that
    cannot be listed stays in the list as itself, so that it is reported (with the reason) beside
    every file that could be read.
    """
    files: list[Path] = []
    for path in paths:
        # os.path.isdir, not Path.is_dir: a file in a folder the user may not enter cannot even be
        # stat'ed (Path.is_dir raises PermissionError); it stays in the list and is reported as unreadable.
        if os.path.isdir(path):
            files.extend(walk_assessment_files(path))
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
    from .store import list_assessment_files, load_assessment

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
            loaded = load_assessment(path, questionnaire)
            a = loaded.assessment
            findings = engine.check(a, explain=not register)
            state = integrity(a)
            out.append(CheckedFile(
                # The register shows only the rating and counts; leaving the findings out
                # saves sending about 10 KB per file back from the worker processes.
                path, None if register else FindingsText.of(findings), None, a.title, a.metadata.person_responsible,
                a.metadata.organisation, a.status, a.last_changed, a.approval.reviewer if a.approval else "",
                a.approval.review_date if a.approval else None, state.statement(),
                findings.rag, len(findings.blocking), bool(state.approval_problem),
                scope=a.scope, seconds=time.perf_counter() - started, text_hash=loaded.fingerprint,
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


class CheckedFiles:
    """The results for ``files``, in their order: those the check cache holds are known at once
    (``all_cached``), the rest are checked as the results are iterated, each as soon as its
    chunk is done; unreadable files carry their error.

    ``register=True`` is for the assessment register: each result has the rating and blocking
    count but not the findings themselves. ``cache=False`` checks every file again, neither
    reading nor writing the check cache.
    """

    def __init__(self, files: list[Path], workers: int | None = None, *, register: bool = False,
                 cache: bool = True):
        self.files = files
        self.workers = workers
        self.register = register
        self.store = _open_cache(register) if cache else None
        self.found = self.store.lookup([str(f) for f in files]) if self.store else [(None, None)] * len(files)

    @property
    def all_cached(self) -> bool:
        return self.store is not None and all(value is not None for value, _ in self.found)

    def run_info(self) -> Optional[dict]:
        """What the cache recorded about this run's questionnaire and rules (see ``remember_run_info``)."""
        return self.store.run_info() if self.store else None

    def remember_run_info(self, info: dict) -> None:
        if self.store:
            self.store.remember_run_info(info)

    def __iter__(self) -> Iterator[CheckedFile]:
        store = self.store
        if store is None:
            yield from _check_all([str(f) for f in self.files], self.workers, self.register)
            return
        from .check_cache import encode_result

        try:
            fresh = _check_all([str(f) for f, (value, _) in zip(self.files, self.found) if value is None],
                               self.workers, self.register)
            for path, (value, where) in zip(self.files, self.found):
                if value is not None:
                    yield CheckedFile.from_cache(path, value)
                    continue
                result = next(fresh)
                if where is not None and result.error is None and result.text_hash:
                    store.store(where, encode_result(result), result.text_hash)
                yield result
        finally:
            store.close()


def iter_checked(files: list[Path], workers: int | None = None, *, register: bool = False,
                 cache: bool = True) -> Iterator[CheckedFile]:
    """One CheckedFile per file, in the given order (see ``CheckedFiles``)."""
    return iter(CheckedFiles(files, workers, register=register, cache=cache))


def _open_cache(register: bool):
    from .engines import DURABLE_RULES_VERSION, engine_choice
    from .paths import source
    from .check_cache import open_cache, run_context

    try:
        questionnaire, rules = source("questionnaires").path, source("rules").path
        engine = engine_choice()[0]
    except (IdmfError, OSError):
        return None  # the check itself reports what is wrong
    return open_cache(run_context(questionnaire, rules, f"{engine} {DURABLE_RULES_VERSION}", not register))


def _check_all(names: list[str], workers: int | None, register: bool) -> Iterator[CheckedFile]:
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
