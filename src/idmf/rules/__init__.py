"""The rules engine: rule files compiled to durable-rules; ``check(assessment) -> Findings``."""

from __future__ import annotations

import threading

from ..model.assessment import Assessment
from ..model.questionnaire import Questionnaire
from ..questionnaire import load_questionnaire
from .engine import OracleEngine, RulesEngine, summarise
from .loader import RuleSet, load_rules
from .model import Finding, Findings, Rule

__all__ = ["Finding", "Findings", "OracleEngine", "Rule", "RuleSet", "RulesEngine", "check", "default_engine",
           "engine_choice", "engine_name", "load_rules", "make_engine", "summarise"]

_lock = threading.Lock()
_engines: dict[tuple, RulesEngine] = {}


def default_engine(questionnaire: Questionnaire | None = None) -> RulesEngine:
    """The engine for the project's rule files, rebuilt when they change on disk."""
    questionnaire = questionnaire or load_questionnaire()
    ruleset = load_rules(questionnaire=questionnaire)
    key = (ruleset.version, id(questionnaire))
    with _lock:
        engine = _engines.get(key)
        if engine is None or engine.questionnaire is not questionnaire:
            _engines.clear()
            engine = _engines[key] = make_engine(ruleset, questionnaire)
        return engine


def engine_choice() -> tuple[type, str]:
    """The engine class this process uses, and why, in words for `idmf --version` and reports.

    durable-rules where it can be imported; otherwise (it does not build on
    Python 3.13) idmf's own evaluator, which the property tests hold equal to
    it. ``IDMF_ENGINE=oracle`` chooses the evaluator anywhere (make test runs
    the engine-sensitive tests under both).
    """
    import os

    wanted = os.environ.get("IDMF_ENGINE", "").strip().lower()
    if wanted in ("oracle", "evaluator", "idmf"):
        return OracleEngine, "idmf evaluator (chosen by IDMF_ENGINE)"
    try:
        import durable_rules_engine  # noqa: F401
        from importlib.metadata import version
    except ImportError as exc:
        return OracleEngine, f"idmf evaluator (durable-rules cannot be imported here: {exc})"
    try:
        return RulesEngine, f"durable-rules {version('durable_rules')}"
    except Exception:  # noqa: BLE001 - metadata missing in an odd install; the engine still works
        return RulesEngine, "durable-rules"


def engine_name() -> str:
    return engine_choice()[1]


def make_engine(ruleset: RuleSet, questionnaire: Questionnaire):
    """The engine this process uses (``engine_choice``) for a rule set."""
    return engine_choice()[0](ruleset, questionnaire)


def check(assessment: Assessment, questionnaire: Questionnaire | None = None) -> Findings:
    return default_engine(questionnaire).check(assessment)
