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
            metadata.setdefault("person_responsible", data.pop("owner"))
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
        answers.setdefault(question_id, {"answer": None, "rationale": rationale})
    data["answers"] = answers
    data["schema_version"] = 2
    return data


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
        data = MIGRATIONS[version](data)
        version = data["schema_version"]
    return data, original
