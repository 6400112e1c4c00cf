"""Upgrading assessment files written by older versions of idmf.

Each step takes the plain data of schema version N and returns version N+1.
A file from a *newer* idmf is refused rather than guessed at.
"""

from __future__ import annotations

from typing import Any, Callable

from ..errors import InputError
from ..model.assessment import SCHEMA_VERSION


def _v1_to_v2(data: dict) -> dict:
    # Version 1 kept the owner at the top level and yes/no rationales in a
    # separate "rationales" mapping; version 2 has a metadata block and keeps
    # each yes/no answer together with its rationale.
    # Only reshape what has the expected shape; anything else is left for
    # validation to report with its location.
    data = dict(data)
    metadata = data.pop("metadata", {}) or {}
    if isinstance(metadata, dict):
        metadata = dict(metadata)
        if "owner" in data:
            owner = data.pop("owner")
            if metadata.get("person_responsible", owner) != owner:
                # Both would have to be kept and version 2 holds one: a value silently dropped stays
                # visible in the file but is neither shown nor covered by an approval's signature.
                raise _would_drop("owner", "metadata.person_responsible is also set")
            metadata["person_responsible"] = owner
    data["metadata"] = metadata
    rationales = data.pop("rationales", {}) or {}
    answers = data.get("answers", {}) or {}
    if not isinstance(answers, dict) or not isinstance(rationales, dict):
        data["schema_version"] = 2
        return data
    answers = dict(answers)
    for question_id, answer in list(answers.items()):
        if isinstance(answer, (str, bool)) and question_id in rationales:
            answers[question_id] = {"answer": answer, "rationale": rationales[question_id]}
    for question_id, rationale in rationales.items():
        answer = answers.setdefault(question_id, {"answer": None, "rationale": rationale})
        if not (isinstance(answer, dict) and answer.get("rationale") == rationale):
            raise _would_drop(f"rationales.{question_id}", "its answer cannot hold a rationale")
    data["answers"] = answers
    data["schema_version"] = 2
    return data


class _Dropped(Exception):
    def __init__(self, field: str, why: str):
        super().__init__(field)
        self.field, self.why = field, why


def _would_drop(field: str, why: str) -> "_Dropped":
    return _Dropped(field, why)


MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}


def migrate(data: dict, source: str) -> tuple[dict, int]:
    """Bring data up to the current schema; return it and the version it had."""
    version: Any = data.get("schema_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InputError(f"schema_version must be a whole number, got {version!r}", where=source)
    if version > SCHEMA_VERSION:
        raise InputError(
            f"written by a newer idmf (schema version {version}); this idmf reads up to version {SCHEMA_VERSION}",
            where=source, hint="upgrade idmf (git pull, then make run) before opening this file",
        )
    original = version
    while version < SCHEMA_VERSION:
        try:
            data = MIGRATIONS[version](data)
        except _Dropped as exc:
            raise InputError(f"{exc.field} cannot be carried into schema version {version + 1} ({exc.why}); "
                             "it would be dropped unseen (and not covered by an approval's signature)",
                             where=source, hint=f"move what {exc.field} says into the field that holds it now, "
                                                "or remove it, then open the file again") from None
        version = data["schema_version"]
    return data, original
