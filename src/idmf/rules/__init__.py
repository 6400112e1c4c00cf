"""The rules engine: rule files compiled to durable-rules; ``check(assessment) -> Findings``."""

from __future__ import annotations

import threading

from ..model.questionnaire import Questionnaire
from ..questionnaire import load_questionnaire
from .engine import OracleEngine, RulesEngine, summarise
from .loader import RuleSet, load_rules
from .model import Finding, Findings, Rule

__all__ = ["Finding", "Findings", "OracleEngine", "Rule", "RuleSet", "RulesEngine", "default_engine",
           "engine_name", "load_rules", "make_engine", "summarise"]

_lock = threading.Lock()
_engines: dict[tuple, RulesEngine] = {}


def default_engine(questionnaire: Questionnaire | None = None) -> RulesEngine:
    """The engine for the project's rule files, rebuilt when they change on disk."""
    questionnaire = questionnaire or load_questionnaire()
    ruleset = load_rules(questionnaire=questionnaire)
    from ..engines import engine_choice

    # The engine chosen is part of the key: IDMF_ENGINE may change within one process (tests).
    key = (ruleset.version, id(questionnaire), engine_choice()[0])
    with _lock:
        engine = _engines.get(key)
        if engine is None or engine.questionnaire is not questionnaire:
            _engines.clear()
            engine = _engines[key] = make_engine(ruleset, questionnaire)
        return engine


def engine_name() -> str:
    from ..engines import engine_name as name

    return name()


def make_engine(ruleset: RuleSet, questionnaire: Questionnaire):
    """The engine this process uses (``engine_choice``) for a rule set."""
    from ..engines import DURABLE, engine_choice

    return (RulesEngine if engine_choice()[0] == DURABLE else OracleEngine)(ruleset, questionnaire)

