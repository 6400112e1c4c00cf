"""Check results kept between runs, so re-checking unchanged files costs a stat and a lookup.

Where: one SQLite database, ``check-cache.sqlite3``, in the user's cache folder
(``platformdirs.user_cache_dir("idmf")``: ``~/.cache/idmf`` on Linux,
``~/Library/Caches/idmf`` on macOS, ``%LOCALAPPDATA%\\idmf\\Cache`` on Windows), or in
``$IDMF_CACHE_DIR``. Not beside the assessments: a cache in a repository would be
committed by accident or need ignoring, and a shared folder would mix users' results.
``IDMF_CACHE=off`` turns it off.

A result is keyed by everything that decides it, so it is never trusted across a change:

* the file's text (its sha256) and its modification time to the second (an approved
  file edited outside idmf reopens by it);
* the trusted-reviewers file that applies to the file (its bytes), which decides
  whether an approval is verified;
* the run: idmf's version, the engine, the questionnaire's files and the rule
  files (their bytes), and whether findings are explained (check) or only counted
  (the register).

A stat shortcut spares reading the file: (path, device, inode, size, mtime_ns,
ctime_ns) maps to the text's sha256. It is recorded only for a file last modified
more than ``SETTLED_SECONDS`` before it was read, so a file changed twice within the
clock's granularity cannot look unchanged; any difference in the stat reads the file
again. ctime cannot be set back by a program (touch and copies set it to now).

Safe under concurrent runs: every write is one SQLite transaction (a reader sees all
of it or none); two runs writing wait for each other (busy timeout) and a run that
cannot open, read or write the cache checks without it: the cache only ever saves
time, it never decides a result. Entries unused for ``KEEP_DAYS`` are dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Any, Iterable, Optional

FILE_NAME = "check-cache-2.sqlite3"  # the number is SCHEMA's: a new layout starts a new file
SETTLED_SECONDS = 2.0
KEEP_DAYS = 30
SCHEMA = 2  # bump when what is stored changes shape


def cache_folder() -> Optional[Path]:
    """Where the cache lives, or None when it is turned off."""
    if os.environ.get("IDMF_CACHE", "").strip().lower() in ("0", "off", "no", "false"):
        return None
    named = os.environ.get("IDMF_CACHE_DIR")
    if named:
        return Path(named)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("idmf", appauthor=False))


def _hash_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError as exc:
            digest.update(f"unreadable {exc.errno}".encode())
        digest.update(b"\0")
    return digest.hexdigest()


def run_context(questionnaire_folder: Optional[Path], ruleset_version: str, engine: str, explained: bool) -> str:
    """One hash of everything about the run that decides a file's result."""
    from .. import __version__

    questionnaire = _hash_files(questionnaire_folder.glob("*.yaml")) if questionnaire_folder else "none"
    return hashlib.sha256("\0".join([
        f"schema {SCHEMA}", __version__, engine, questionnaire, ruleset_version, f"explained {explained}",
    ]).encode()).hexdigest()


def _stat_key(info: os.stat_result) -> str:
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


class CheckCache:
    """The results of one run's context; open with :func:`open_cache`."""

    def __init__(self, connection: sqlite3.Connection, context: str):
        self.db = connection
        self.context = context
        self._trusted: dict[str, str] = {}
        self._pending: list[tuple] = []
        self._pending_stats: list[tuple] = []
        self._used: list[str] = []
        self.broken = False

    # --- keys -----------------------------------------------------------------------------

    def trusted_hash(self, path: str) -> str:
        """The bytes of the trusted-reviewers file that applies to ``path`` (hashed once per folder)."""
        from ..signing import trusted_file_for

        trusted = trusted_file_for(Path(path))
        name = str(trusted) if trusted else ""
        if name not in self._trusted:
            try:
                self._trusted[name] = hashlib.sha256(trusted.read_bytes()).hexdigest() if trusted else "none"
            except FileNotFoundError:
                self._trusted[name] = "absent"
            except OSError as exc:
                self._trusted[name] = f"unreadable {exc.errno} {time.time()}"  # never matches: re-check
        return self._trusted[name]

    def key(self, path: str, text_hash: str, mtime: float) -> str:
        return hashlib.sha256(f"{self.context}\0{self.trusted_hash(path)}\0{int(mtime)}\0{text_hash}".encode()
                              ).hexdigest()

    # --- reading ----------------------------------------------------------------------------

    def lookup(self, path: str) -> tuple[Optional[dict], Optional[tuple]]:
        """(the stored result, or None; what to record it under once checked, or None when the
        file is not one the cache can vouch for: not a regular file, or unreadable)."""
        if self.broken:
            return None, None
        try:
            info = os.stat(path)
        except OSError:
            return None, None
        if not stat.S_ISREG(info.st_mode):
            return None, None
        real = os.fsencode(os.path.realpath(path))  # bytes: a name need not be UTF-8
        stat_key = _stat_key(info)
        try:
            row = self.db.execute("SELECT text_hash FROM files WHERE path = ? AND stat = ?", (real, stat_key)).fetchone()
        except (sqlite3.Error, ValueError):
            self.broken = True
            return None, None
        text_hash = row[0] if row else None
        if text_hash is None:
            from ..yamlio import read_text

            try:
                # As load_assessment fingerprints the file: the sha256 of its text.
                text_hash = hashlib.sha256(read_text(Path(path)).encode("utf-8")).hexdigest()
            except Exception:  # noqa: BLE001 - unreadable or not text: the check says why
                return None, None
            if time.time() - info.st_mtime > SETTLED_SECONDS:
                self._pending_stats.append((real, stat_key, text_hash))
        key = self.key(path, text_hash, info.st_mtime)
        try:
            found = self.db.execute("SELECT meta, findings, used FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            self.broken = True
            return None, None
        if found is None:
            return None, (key,)
        if found[2] < time.time() - 86400:
            self._used.append(key)  # still in use: kept another KEEP_DAYS
        value = json.loads(found[0])
        value["findings"] = None
        if found[1] is not None:
            # Kept apart from the rest, as the text it is: read back without decoding it.
            value["findings"] = {"text": found[1], "marks": value.pop("marks")}
        return value, None

    # --- writing ----------------------------------------------------------------------------

    def store(self, where: tuple, value: dict) -> None:
        findings = value.pop("findings")
        if findings is not None:
            value["marks"] = findings["marks"]
        self._pending.append((where[0], json.dumps(value, ensure_ascii=False),
                              None if findings is None else findings["text"]))
        if len(self._pending) >= 500:
            self.flush()

    def flush(self) -> None:
        """Write what was checked since the last flush, in one transaction."""
        if self.broken or not (self._pending or self._pending_stats or self._used):
            self._pending.clear()
            self._pending_stats.clear()
            return
        now = int(time.time())
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO results (key, meta, findings, used) VALUES (?, ?, ?, ?)",
                                    [(*row, now) for row in self._pending])
                self.db.executemany("INSERT OR REPLACE INTO files (path, stat, text_hash) VALUES (?, ?, ?)",
                                    self._pending_stats)
                self.db.executemany("UPDATE results SET used = ? WHERE key = ?", [(now, key) for key in self._used])
        except (sqlite3.Error, ValueError):  # ValueError: text SQLite cannot hold; never expected
            self.broken = True
        self._pending.clear()
        self._pending_stats.clear()
        self._used.clear()

    def close(self) -> None:
        self.flush()
        try:
            if not self.broken:
                with self.db:
                    self.db.execute("DELETE FROM results WHERE used < ?", (int(time.time()) - KEEP_DAYS * 86400,))
            self.db.close()
        except sqlite3.Error:
            pass


def open_cache(context: str) -> Optional[CheckCache]:
    """The cache for this run, or None (turned off, or it cannot be opened: checking goes on without it)."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = sqlite3.connect(str(folder / FILE_NAME), timeout=10)  # transactions through `with db:`
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        with db:
            db.execute("CREATE TABLE IF NOT EXISTS results "
                       "(key TEXT PRIMARY KEY, meta TEXT NOT NULL, findings TEXT, used INTEGER)")
            db.execute("CREATE TABLE IF NOT EXISTS files (path BLOB PRIMARY KEY, stat TEXT NOT NULL, text_hash TEXT)")
    except (sqlite3.Error, OSError):
        return None
    return CheckCache(db, context)


def encode_result(result: Any) -> dict:
    """What is kept of a checked file: everything but its path, timing and error."""
    findings = result.findings
    return {
        "title": result.title, "owner": result.owner, "organisation": result.organisation, "status": result.status,
        "last_changed": result.last_changed.isoformat() if result.last_changed else None,
        "approved_by": result.approved_by,
        "review_due": result.review_due.isoformat() if result.review_due else None,
        "integrity": result.integrity, "rag": result.rag, "blocking": result.blocking,
        "approval_unverified": result.approval_unverified, "scope": result.scope,
        "findings": None if findings is None else {"text": findings.text, "marks": findings.marks},
    }
