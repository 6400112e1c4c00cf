"""`idmf rules test`: run every rule's examples through the real engine.

Like ``opa test``: each rule carries examples that must fire and must not
fire; they are checked against the compiled durable-rules engine (not the
oracle), so a rule that the compiler gets wrong fails here. ``coverage``
lists condition branches that no example ever made true, or never false.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import conditions as C
from ..facts import build_facts
from ..model.assessment import Assessment
from ..model.questionnaire import Questionnaire
from ..questionnaire.answers import parse_answers
from .engine import RulesEngine
from .loader import RuleSet
from .model import Example, Rule

# Examples are dated so that date rules (e.g. "assessment started after the
# decision") behave the same whatever day the tests run.
EXAMPLE_CREATED = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


@dataclass
class ExampleResult:
    rule: Rule
    example: Example
    expected_to_fire: bool
    fired: bool

    @property
    def passed(self) -> bool:
        return self.fired == self.expected_to_fire

    def describe(self) -> str:
        want = "fire" if self.expected_to_fire else "not fire"
        got = "it fired" if self.fired else "it did not"
        return f"{self.rule.source}:{self.example.line}: rule {self.rule.id} example {self.example.name!r} should {want}, but {got}"


@dataclass
class Coverage:
    never_true: list[str] = field(default_factory=list)  # "RULE path: condition" never true in any example
    never_false: list[str] = field(default_factory=list)
    branches: int = 0


def example_assessment(rule: Rule, example: Example, questionnaire: Questionnaire) -> Assessment:
    """The assessment an example describes: its base file (if any, relative to the rule file) with its answers applied."""
    if example.base:
        from ..store import load_assessment
        from .loader import example_base

        assessment = load_assessment(example_base(rule, example), questionnaire).assessment
    else:
        assessment = Assessment(title=f"Example: {example.name}", created=EXAMPLE_CREATED, updated=EXAMPLE_CREATED)
    if example.scope:
        assessment.scope = example.scope
    cleared = [qid for qid, value in example.answers.items() if value is None]
    for question_id, value in parse_answers({k: v for k, v in example.answers.items() if v is not None}, questionnaire).items():
        assessment.set_answer(question_id, value)
    for question_id in cleared:
        assessment.set_answer(question_id, None)
    return assessment


def assessment_from_answers(answers: dict, questionnaire: Questionnaire, scope: str = "full") -> Assessment:
    """A full assessment with these answers, dated as examples are."""
    assessment = Assessment(title="Example", created=EXAMPLE_CREATED, updated=EXAMPLE_CREATED, scope=scope)
    for question_id, value in parse_answers(answers, questionnaire).items():
        assessment.set_answer(question_id, value)
    return assessment


def run_examples(ruleset: RuleSet, questionnaire: Questionnaire, engine: RulesEngine | None = None) -> tuple[list[ExampleResult], dict[str, list[dict]]]:
    """Results for every example, and each rule's example facts (for coverage)."""
    if engine is None:
        from . import make_engine

        engine = make_engine(ruleset, questionnaire)
    results: list[ExampleResult] = []
    facts_by_rule: dict[str, list[dict]] = {}
    for rule in ruleset.rules:
        for expected, examples in ((True, rule.examples.fires), (False, rule.examples.quiet)):
            for example in examples:
                facts = build_facts(example_assessment(rule, example, questionnaire), questionnaire)
                facts_by_rule.setdefault(rule.id, []).append(facts)
                results.append(ExampleResult(rule, example, expected, rule.id in engine.fired(facts)))
    return results, facts_by_rule


def coverage(ruleset: RuleSet, facts_by_rule: dict[str, list[dict]]) -> Coverage:
    """Which branches of each rule its own examples never made true, or never false."""
    report = Coverage()
    for rule in ruleset.rules:
        contexts = facts_by_rule.get(rule.id, [])
        parts = [("when", rule.when)] + ([("unless", rule.unless)] if rule.unless is not None else [])
        for root, cond in parts:
            outcomes: dict[str, set[bool]] = {}
            nodes: dict[str, C.Condition] = {}
            _record(cond, root, contexts, outcomes, nodes)
            for path, seen in outcomes.items():
                report.branches += 1
                label = f"{rule.source}:{nodes[path].line}: {rule.id} {path}"
                if True not in seen:
                    report.never_true.append(label)
                if False not in seen:
                    report.never_false.append(label)
    return report


def _record(cond, path: str, contexts: list[dict], outcomes: dict, nodes: dict) -> None:
    nodes[path] = cond
    outcomes.setdefault(path, set()).update(C.evaluate(cond, ctx) for ctx in contexts)
    if isinstance(cond, (C.All, C.Any_)):
        kind = "all" if isinstance(cond, C.All) else "any"
        for i, item in enumerate(cond.items):
            _record(item, f"{path}.{kind}[{i}]", contexts, outcomes, nodes)
    elif isinstance(cond, C.Not):
        _record(cond.item, f"{path}.not", contexts, outcomes, nodes)
    elif isinstance(cond, C.AnyRow):
        # Inside any_row the branches are about rows, so they are tried on every row.
        rows = [row for ctx in contexts for row in (ctx.get(cond.ref) or []) if isinstance(row, dict)]
        _record(cond.where, f"{path}.any_row.where", rows, outcomes, nodes)
