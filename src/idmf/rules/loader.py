"""Load and validate rule files (rules/**/*.yaml).

A rule file is data: it is parsed with a safe YAML loader and its conditions
are parsed into the condition language's syntax tree; nothing in it is ever
executed. Every problem is reported as ``file:line: message``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .. import conditions as C
from ..errors import InputError, ValidationProblems
from ..model.questionnaire import Questionnaire
from ..paths import rules_dir
from ..questionnaire.answers import parse_answers
from ..questionnaire.loader import _pydantic_problems
from ..questionnaire.refs import check_condition
from ..yamlio import LocatedDict, LocatedList, load_located
from .model import SEVERITY_RANK, Example, Rule


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    version: str  # sha256 of the rule files, so a report can say which rules produced it
    files: tuple[Path, ...]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def rule_files(path: Path | str | None = None) -> list[Path]:
    path = Path(path) if path else rules_dir()
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError("rules folder or file not found", where=str(path), hint="pass the rules/ folder or a rule file")
    return sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def ruleset_version(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda p: p.name):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def load_rules(path: Path | str | None = None, questionnaire: Questionnaire | None = None, *, strict: bool = True) -> RuleSet:
    """Load every rule; with ``strict`` also check references and examples against the questionnaire."""
    files = rule_files(path)
    fingerprint = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    key = (tuple(files), fingerprint, id(questionnaire), strict)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is questionnaire:
        return cached[1]
    ruleset = _load(tuple(files), questionnaire, strict)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[key] = (questionnaire, ruleset)
    return ruleset


# Keyed by the files' paths, sizes and mtimes (so edited rules reload) and the
# questionnaire object they were checked against.
_CACHE: dict[tuple, tuple] = {}


def _load(files: tuple[Path, ...], questionnaire: Questionnaire | None, strict: bool) -> RuleSet:
    problems: list[str] = []
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    if not files:
        raise ValidationProblems(["no rule files found (expected rules/*.yaml)"])
    for file in files:
        data = load_located(file)
        if not isinstance(data, LocatedDict) or not isinstance(data.get("rules"), LocatedList):
            problems.append(f"{file}:{getattr(data, 'line', 1) or 1}: a rule file needs a top-level 'rules:' list")
            continue
        for i, raw in enumerate(data["rules"]):
            line = data["rules"].line_of(i)
            if not isinstance(raw, LocatedDict):
                problems.append(f"{file}:{line}: a rule must be a mapping")
                continue
            rule = _parse_rule(raw, file, problems)
            if rule is None:
                continue
            if rule.id in seen:
                problems.append(f"{file}:{raw.line_of('id')}: rule id {rule.id!r} already used at {seen[rule.id]}")
            seen[rule.id] = f"{file}:{raw.line_of('id')}"
            if strict:
                problems.extend(_check_rule(rule, raw, file, questionnaire))
            rules.append(rule)
    problems.extend(_check_consequences(rules))
    if problems:
        raise ValidationProblems(problems)
    return RuleSet(tuple(rules), ruleset_version(list(files)), files)


def _parse_rule(raw: LocatedDict, file: Path, problems: list[str]) -> Rule | None:
    data = {k: v for k, v in raw.items() if k not in ("when", "unless", "examples")}
    data.update(when=None, source=str(file), line=raw.line)
    try:
        rule = Rule.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, raw, file))
        return None
    if "when" not in raw:
        problems.append(f"{file}:{raw.line}: rule {rule.id} has no 'when' condition")
        return None
    try:
        rule.when = C.parse(raw["when"], str(file), line=raw.line_of("when"))
        if "unless" in raw and raw["unless"] is not None:
            rule.unless = C.parse(raw["unless"], str(file), line=raw.line_of("unless"))
    except C.ConditionError as exc:
        problems.append(f"{exc.where}: rule {rule.id}: {exc.message}")
        return None
    tests = C.test_count(rule.when) + (C.test_count(rule.unless) if rule.unless is not None else 0)
    if tests > C.MAX_TESTS:
        problems.append(f"{file}:{raw.line_of('when')}: rule {rule.id} makes {tests} tests (each value of an "
                        f"'in' counts); a rule may make at most {C.MAX_TESTS}, or the durable-rules engine may "
                        "never finish: split it into several rules, or group the values into a question's options")
        return None
    examples = raw.get("examples")
    if examples is not None:
        if not isinstance(examples, LocatedDict) or set(examples) - {"fires", "quiet"}:
            problems.append(f"{file}:{raw.line_of('examples')}: rule {rule.id}: 'examples' takes 'fires' and 'quiet' lists")
            return rule
        for kind in ("fires", "quiet"):
            items = examples.get(kind) or []
            if not isinstance(items, list):
                problems.append(f"{file}:{examples.line_of(kind)}: rule {rule.id}: examples.{kind} must be a list")
                continue
            for j, item in enumerate(items):
                line = items.line_of(j) if isinstance(items, LocatedList) else raw.line
                try:
                    example = Example.model_validate({**(item if isinstance(item, dict) else {"name": item}), "line": line})
                except ValidationError as exc:
                    problems.extend(f"{p} (rule {rule.id} example)" for p in _pydantic_problems(exc, item, file))
                    continue
                getattr(rule.examples, kind).append(example)
    return rule


def _check_consequences(rules: list[Rule]) -> list[str]:
    """A consequence is folded into its root's finding, so the root must carry everything the
    consequence would have told the RAG rating and readiness: at least its severity, its
    blocking and its readiness. Roots are one level deep, so a reviewer reads one list."""
    problems = []
    by_id = {rule.id: rule for rule in rules}
    for rule in rules:
        for root_id in rule.consequence_of or ():
            where = f"{rule.source}:{rule.line}: rule {rule.id}: consequence_of {root_id}"
            root = by_id.get(root_id)
            if root is None:
                problems.append(f"{where}: no rule has that id")
            elif root.id == rule.id:
                problems.append(f"{where}: a rule cannot be a consequence of itself")
            elif root.consequence_of:
                problems.append(f"{where}: that rule is itself a consequence of {', '.join(root.consequence_of)}; "
                                f"name the root cause instead")
            elif SEVERITY_RANK[rule.severity] > SEVERITY_RANK[root.severity]:
                problems.append(f"{where}: this rule is {rule.severity} but its root is {root.severity}; "
                                "a root must be at least as severe as each consequence")
            elif rule.blocking and not root.blocking:
                problems.append(f"{where}: this rule blocks but its root does not; make the root blocking")
            elif rule.readiness and rule.readiness != root.readiness:
                problems.append(f"{where}: this rule sets readiness {rule.readiness} but its root does not")
    return problems


def example_base(rule: Rule, example: Example) -> Path:
    """An example's base assessment, relative to its rule file so a rule set can move (or ship) whole."""
    return Path(rule.source).parent / example.base


def _check_rule(rule: Rule, raw: LocatedDict, file: Path, questionnaire: Questionnaire | None) -> list[str]:
    problems: list[str] = []
    if not rule.examples.fires:
        problems.append(f"{file}:{raw.line}: rule {rule.id} has no example that fires (add examples.fires)")
    if not rule.examples.quiet:
        problems.append(f"{file}:{raw.line}: rule {rule.id} has no example that does not fire (add examples.quiet)")
    if questionnaire is None:
        return problems
    problems.extend(f"{p} (rule {rule.id})" for p in check_condition(rule.when, questionnaire, str(file)))
    if rule.unless is not None:
        problems.extend(f"{p} (rule {rule.id})" for p in check_condition(rule.unless, questionnaire, str(file)))
    for example in rule.examples.fires + rule.examples.quiet:
        try:
            parse_answers({k: v for k, v in example.answers.items() if v is not None}, questionnaire)
            if example.base and not example_base(rule, example).is_file():
                raise InputError("base file not found (a base is relative to the rule file)", where=example.base)
        except InputError as exc:
            problems.append(f"{file}:{example.line}: rule {rule.id} example {example.name!r}: {exc.where}: {exc.message}")
    return problems
