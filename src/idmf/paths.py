"""Where idmf finds its questionnaires, rules, templates and assessments."""

from __future__ import annotations

import os
from pathlib import Path

# src/idmf/paths.py -> the project root holding questionnaires/, rules/, templates/
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _pick(env: str, name: str) -> Path:
    if os.environ.get(env):
        return Path(os.environ[env])
    local = Path.cwd() / name
    if local.is_dir():
        return local
    return PROJECT_ROOT / name


def questionnaires_dir() -> Path:
    return _pick("IDMF_QUESTIONNAIRES", "questionnaires")


def rules_dir() -> Path:
    return _pick("IDMF_RULES", "rules")


def templates_dir() -> Path:
    return _pick("IDMF_TEMPLATES", "templates")


def assessments_dir(override: str | os.PathLike | None = None) -> Path:
    """--dir wins, then IDMF_HOME, then ./assessments."""
    if override:
        return Path(override)
    if os.environ.get("IDMF_HOME"):
        return Path(os.environ["IDMF_HOME"])
    return Path.cwd() / "assessments"
