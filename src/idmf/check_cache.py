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

FILE_NAME = "check-cache-3.sqlite3"  # the number is SCHEMA's: a new layout starts a new file
SETTLED_SECONDS = 2.0
KEEP_DAYS = 30
SCHEMA = 3  # bump when what is stored changes shape


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
        digest.update(os.fsencode(path) + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError as exc:
            digest.update(f"unreadable {exc.errno}".encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _hash_tree(path: Path) -> str:
    """Every file of a folder (or the one file), names and bytes: any change to any of them changes it.
    More than the loaders read (they skip some names), so never less."""
    if path.is_dir():
        return _hash_files(p for p in path.rglob("*") if p.is_file())
    return _hash_files([path])


def run_context(questionnaires: Path, rules: Path, engine: str, explained: bool) -> str:
    """One hash of everything about the run that decides a file's result: idmf's version, the
    engine, the questionnaire's and the rules' files, and whether findings are explained."""
    from . import __version__

    return hashlib.sha256("\0".join([
        f"schema {SCHEMA}", __version__, engine, _hash_tree(questionnaires), _hash_tree(rules),
        f"explained {explained}",
    ]).encode()).hexdigest()


TRUSTED_FILE = "idmf-reviewers.toml"


def trusted_file_for(assessment_path: Path) -> Path:
    """Where ``idmf.signing.trusted_file_for`` finds the trusted reviewers of a file, without
    importing signing (it loads the models; a run the cache answers need not).
    tests/test_check_cache.py holds the two to the same answer."""
    named = os.environ.get("IDMF_TRUSTED_REVIEWERS")
    if named:
        return Path(named)
    return Path(os.path.realpath(assessment_path)).parent / TRUSTED_FILE


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
        """The bytes of the trusted-reviewers file that applies to ``path`` (found and hashed once
        per folder: it sits beside the file, links followed, or where IDMF_TRUSTED_REVIEWERS says)."""
        folder = os.path.dirname(os.path.realpath(path) if os.path.islink(path) else os.path.abspath(path))
        if folder not in self._trusted:
            trusted = trusted_file_for(Path(folder) / "assessment.yaml")
            try:
                digest = hashlib.sha256(trusted.read_bytes()).hexdigest()
            except FileNotFoundError:
                digest = "absent"
            except OSError as exc:
                digest = f"unreadable {exc.errno} {time.time()}"  # never matches: checked again
            self._trusted[folder] = digest
        return self._trusted[folder]

    def key(self, path: str, text_hash: str, mtime: float) -> str:
        return hashlib.sha256(f"{self.context}\0{self.trusted_hash(path)}\0{int(mtime)}\0{text_hash}".encode()
                              ).hexdigest()

    # --- reading ----------------------------------------------------------------------------

    def lookup(self, paths: list[str]) -> list[tuple[Optional[dict], Optional[tuple]]]:
        """For each path: (the stored result, or None; what to record it under once checked, or
        None when the cache cannot vouch for the file: not a regular file, or unreadable)."""
        out: list[tuple[Optional[dict], Optional[tuple]]] = [(None, None)] * len(paths)
        if self.broken:
            return out
        try:
            known = {path: (stat_key, text_hash) for path, stat_key, text_hash in
                     self.db.execute("SELECT path, stat, text_hash FROM files")}
        except (sqlite3.Error, ValueError):
            self.broken = True
            return out
        keys: dict[int, str] = {}
        for i, path in enumerate(paths):
            key = self._key_of(path, known)
            if isinstance(key, tuple):
                out[i] = (None, key)  # changed or new: checked, and recorded under what the check read
            elif key is not None:
                keys[i] = key
        found: dict[str, tuple] = {}
        wanted = list(dict.fromkeys(keys.values()))
        try:
            for start in range(0, len(wanted), 500):
                batch = wanted[start:start + 500]
                found.update((row[0], row[1:]) for row in self.db.execute(
                    f"SELECT key, used, meta, findings FROM results WHERE key IN ({','.join('?' * len(batch))})", batch))
        except sqlite3.Error:
            self.broken = True
            return out
        stale = time.time() - 86400
        for i, key in keys.items():
            row = found.get(key)
            if row is None:
                out[i] = (None, (key,))
                continue
            used, meta, findings = row
            if used < stale:
                self._used.append(key)  # still in use: kept another KEEP_DAYS
            value = json.loads(meta)
            # Kept apart from the rest, as the text it is: read back without decoding it.
            value["findings"] = None if findings is None else {"text": findings, "marks": value.pop("marks")}
            out[i] = (value, None)
        return out

    def _key_of(self, path: str, known: dict) -> str | tuple | None:
        """The key of the file's result when its stat is as recorded; for a file changed or not
        seen before, what to record its result under once the check has read it; else None."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        # The name as given, made absolute (bytes: a name need not be UTF-8); the stat says which
        # file it is now (device and inode), so a name that now leads elsewhere does not match.
        name = os.fsencode(os.path.abspath(path))
        stat_key = _stat_key(info)
        recorded = known.get(name)
        if recorded and recorded[0] == stat_key:
            return self.key(path, recorded[1], info.st_mtime)
        # Not read here: the check reads it anyway, and says the sha256 of the text it read.
        return ("after check", path, name, stat_key, info.st_mtime)

    def run_info(self) -> Optional[dict]:
        """What was recorded about this run's questionnaire and rules (their versions), if anything."""
        try:
            row = self.db.execute("SELECT info FROM runs WHERE context = ?", (self.context,)).fetchone()
        except sqlite3.Error:
            return None
        return json.loads(row[0]) if row else None

    def remember_run_info(self, info: dict) -> None:
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO runs (context, info) VALUES (?, ?)", (self.context, json.dumps(info)))
        except sqlite3.Error:
            self.broken = True

    # --- writing ----------------------------------------------------------------------------

    def store(self, where: tuple, value: dict, text_hash: str) -> None:
        """Record a result under ``where`` (from ``lookup``); ``text_hash`` is the sha256 of the text
        the check read. A file changed between the stat and the read is recorded under the text
        read and the stat seen before it, which no later stat can match: checked again, never wrong."""
        if where[0] == "after check":
            _, path, name, stat_key, mtime = where
            where = (self.key(path, text_hash, mtime),)
            if time.time() - mtime > SETTLED_SECONDS:
                self._pending_stats.append((name, stat_key, text_hash))
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
                self.db.executemany("INSERT OR REPLACE INTO results (key, used, meta, findings) VALUES (?, ?, ?, ?)",
                                    [(key, now, meta, findings) for key, meta, findings in self._pending])
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
                with self.db:  # through the index on `used`: costs nothing when nothing is old
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
            # `used` before the findings' text, and indexed: finding old entries reads no findings.
            db.execute("CREATE TABLE IF NOT EXISTS results "
                       "(key TEXT PRIMARY KEY, used INTEGER NOT NULL, meta TEXT NOT NULL, findings TEXT)")
            db.execute("CREATE INDEX IF NOT EXISTS results_used ON results (used)")
            db.execute("CREATE TABLE IF NOT EXISTS runs (context TEXT PRIMARY KEY, info TEXT NOT NULL)")
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
