"""Small helpers shared by the command modules."""

from __future__ import annotations

from pathlib import Path

from ..model.questionnaire import Questionnaire
from ..questionnaire import load_questionnaire
from ..store import AssessmentFile, load_assessment


def questionnaire() -> Questionnaire:
    return load_questionnaire()


def open_assessment(path: Path) -> tuple[AssessmentFile, Questionnaire]:
    q = questionnaire()
    return load_assessment(path, q), q
