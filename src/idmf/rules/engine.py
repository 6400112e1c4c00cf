"""Running rules: the durable-rules engine and the pure-Python oracle.

``RulesEngine`` compiles a rule set to one durable-rules ruleset and checks
an assessment by asserting its facts as one fact in a fresh session. Facts
about durable-rules 2.0.28 this wrapper handles (each measured on this
project's machine, and each with a test):

* asserting a fact that matches no rule raises ``MessageNotHandledException``:
  that means "no findings", not an error;
* every session keeps state in the C engine and the 1,025th live session
  raises ``MemoryError``, so each check deletes its session state;
* deleting the state of a session whose only fact matched no rule crashes
  the process (segfault), and a rule whose only test is "field missing"
  spins forever; so every fact carries an anchor key, one always-firing
  anchor rule keeps every session non-empty, and every "unanswered" test is
  joined to the anchor (see ``conditions.ANCHOR_KEY``);
* ruleset names are process-global and cannot be registered twice, so each
  compiled rule set gets a fresh name (which is how rule files reload);
* one fact can fire a rule more than once (once per matching ``any``
  branch), so fired rule ids are collected as a set;
* the C engine is not re-entrant: calls are serialised by one lock, which
  also makes ``check`` safe to call from a worker thread;
* the Python host decodes the whole matched fact (about 4 KB of JSON) for
  every rule that fires, which was two thirds of the time a check took. Our
  actions only record which rule fired, so ``fired`` drives the C engine's
  action queue itself (the same calls ``durable.engine.Ruleset.do_actions``
  makes) and reads the rule name from the front of each action message.
  The rules still match inside durable-rules; only the bookkeeping around
  them is ours. Tests hold it to the pure-Python oracle.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Callable, Iterable

from .. import conditions as C
from ..answer_text import answer_text
from ..errors import ValidationProblems
from ..facts import build_facts, describe
from ..judgement.reasoning import BECAUSE
from ..model.assessment import Assessment
from ..model.questionnaire import Questionnaire
from ..twins import twin_of, where_asked
from .loader import RuleSet
from .model import (
    NOT_READY, READY, READY_ONCE_GAPS_CLOSE, SEVERITIES, SEVERITY_RANK, STAGE2_REQUIRED,
    Finding, Findings, Rule, Trigger,
)

_HOST_LOCK = threading.RLock()
_HOST: durable_engine.Host | None = None  # one per process: ruleset names are process-global
_NAMES = itertools.count(1)
_SESSIONS = itertools.count(1)
_ANCHOR_RULE = "idmf__anchor"


def _host_class():
    # durable-rules is imported only when its engine is used: it does not
    # install on every Python (see ``engine_available``) and takes time to load.
    from durable import engine as durable_engine

    class _Host(durable_engine.Host):
        """A durable-rules host without its dispatcher threads.

        ``Host()`` starts timer threads that, every 0.2 s, take pending actions
        off every ruleset's queue and call the C engine outside our lock. Checks
        run their own action queue synchronously (see ``RulesEngine.fired``) and
        use no timers, so those threads could only race a check: a check would
        then lose the rules the thread took (the cause of a rare empty result).
        """

        def _run(self) -> None:
            pass

    return _Host


def __getattr__(name: str):
    if name == "_Host":  # the property tests build their own host of the same kind
        return _host_class()
    raise AttributeError(name)


def _host():
    global _HOST
    if _HOST is None:
        _HOST = _host_class()()
    return _HOST


class _Evaluator:
    """Common part: turning fired rule ids into sorted findings and a result."""

    def __init__(self, ruleset: RuleSet, questionnaire: Questionnaire):
        self.ruleset = ruleset
        self.questionnaire = questionnaire
        self._rules = {rule.id: rule for rule in ruleset.rules}
        # What each rule's findings cite, worked out once: (ref, question or None, row test or None).
        self._cited: dict[str, list[tuple]] = {}
        # Which section each question sits in, so a list of gaps reads by section, as the form does.
        self._section_of = {q.id: section.title for step in questionnaire.steps for section in step.sections
                            for q in section.questions}
        for rule in ruleset.rules:
            cited = []
            for ref in C.references(rule.when):
                question = questionnaire.question(ref) or questionnaire.question(ref.rpartition(".")[0])
                row_tests = [n.where for n in C.walk(rule.when) if isinstance(n, C.AnyRow) and n.ref == ref]
                cited.append((ref, question, row_tests))
            self._cited[rule.id] = cited

    def fired(self, facts: dict) -> set[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def check(self, assessment: Assessment, *, explain: bool = True) -> Findings:
        """Findings for the assessment; ``explain=False`` leaves out which answers triggered
        each finding (the register needs only the rating and counts)."""
        facts = build_facts(assessment, self.questionnaire)
        return self.result(facts, self.fired(facts), explain=explain)

    def check_facts(self, facts: dict) -> Findings:
        return self.result(facts, self.fired(facts))

    def result(self, facts: dict, fired: Iterable[str], *, explain: bool = True) -> Findings:
        findings = [self._finding(self._rules[rule_id], facts, explain) for rule_id in fired]
        findings = group_consequences(findings)
        findings.sort(key=lambda f: (not f.blocking, -SEVERITY_RANK[f.severity], f.category, f.rule_id))
        return summarise(findings, self.ruleset.version, self.name)

    def _finding(self, rule: Rule, facts: dict, explain: bool = True) -> Finding:
        return Finding(
            rule_id=rule.id, title=rule.title, severity=rule.severity, category=rule.category,
            blocking=rule.blocking, message=rule.message.strip(), guidance=rule.guidance.strip(),
            references=rule.references, triggered_by=self._triggers(rule, facts) if explain else [],
            readiness=rule.readiness, consequence_of=list(rule.consequence_of) if rule.consequence_of else None,
        )

    def _question_list(self, question_ids: list[str], shown: int = 12) -> str:
        """Questions as a reviewer finds them on the form: number and words, not ids."""
        names = []
        for qid in question_ids[:shown]:
            question = self.questionnaire.question(qid)
            if question is None:
                names.append(qid)
                continue
            text = question.text if len(question.text) <= 70 else question.text[:69].rstrip() + "…"
            names.append(f"Q{question.number} {text}" if question.number else text)
        more = len(question_ids) - shown
        return "; ".join(names) + (f"; and {more} more" if more > 0 else "")

    def _triggers(self, rule: Rule, facts: dict) -> list[Trigger]:
        # Cite the answers that made the rule fire, not every answer it could have used: a
        # reviewer writes "question 7 says No, but question 4 says Yes", not all twelve questions.
        holding = set(_holding_refs(rule.when, facts))
        triggers = []
        for ref, question, row_tests in self._cited[rule.id]:
            if ref not in holding:
                continue
            text = question.text if question else ref
            value = facts.get(ref)
            if ref == "derived.unanswered_required" and isinstance(value, list):
                # Completeness by section: "Section three: human rights: Q19 …" reads as the form does.
                by_section: dict[str, list[str]] = {}
                for qid in value:
                    by_section.setdefault(self._section_of.get(qid, "Other questions"), []).append(qid)
                for title, ids in by_section.items():
                    triggers.append(Trigger(question_id=ref, question=f"Not answered in {title}",
                                            answer=self._question_list(ids, shown=6)))
            elif ref in facts.get(BECAUSE, {}):
                # A judgement or a signal: one line per group or sentence, saying why in the
                # reviewer's words and quoting the author's where words were the cause.
                for question_id, place, reason in facts[BECAUSE][ref]:
                    triggers.append(Trigger(question_id=question_id, question=place, answer=reason))
            elif ref.startswith("derived.") and isinstance(value, list):
                triggers.append(Trigger(question_id=ref, question=_DERIVED_LABELS.get(ref, ref),
                                        answer=self._question_list(value)))
            elif value is None:
                triggers.append(Trigger(question_id=ref, question=text, answer="Not answered",
                                        label=self._question_list([question.id]) if question else ""))
            elif row_tests and isinstance(value, list):
                rows = [row for row in value if isinstance(row, dict) and any(C.evaluate(t, row) for t in row_tests)]
                names = []
                for row in rows:
                    group = self.questionnaire.group(str(row.get("group", "")))
                    names.append(group.label if group else str(row.get("action") or row.get("group") or "row"))
                triggers.append(Trigger(question_id=ref, question=text, answer="; ".join(names) or describe(value),
                                        label=self._question_list([ref])))
            elif ref in _DERIVED_DATES and isinstance(value, int):
                triggers.append(Trigger(question_id=ref, question=_DERIVED_LABELS.get(ref, ref),
                                        answer=_date_text(value) + (
                                            " (the date of the screening)" if "meta.screening_date" in facts
                                            else " (the day this file was created: no screening date is recorded)")))
            elif question is not None and question.id == ref:
                given = answer_text(question, _as_answer(question, value, facts), self.questionnaire)
                if ref in facts.get("derived.answers_taken", ()):
                    twin = twin_of(question, self.questionnaire)  # asked once, there: say so
                    given += f" (from {where_asked(twin, self.questionnaire)})" if twin else ""
                triggers.append(Trigger(question_id=ref, question=text, label=self._question_list([ref]), answer=given))
            else:
                triggers.append(Trigger(question_id=ref, question=text, answer=describe(value)))
        return triggers


def _holding_refs(cond, facts: dict) -> list[str]:
    """The references of the parts of a condition that hold: of an ``any``, only its true
    branches (all of them when none holds, which happens only inside a ``not``)."""
    if isinstance(cond, C.Any_):
        true = [item for item in cond.items if C.evaluate(item, facts)]
        return [ref for item in (true or cond.items) for ref in _holding_refs(item, facts)]
    if isinstance(cond, C.All):
        return [ref for item in cond.items for ref in _holding_refs(item, facts)]
    if isinstance(cond, C.Not):
        return C.references(cond.item)
    return C.references(cond)


def _date_text(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).strftime("%d %B %Y").lstrip("0")  # as answer_text shows dates


_DERIVED_DATES = {"derived.assessment_started"}

_DERIVED_LABELS = {
    "derived.unanswered_required": "Required questions not yet answered",
    "derived.missing_rationale": "Yes/No answers without a rationale",
    "derived.bare_answers": "A bare answer the form accepts, with no rationale",
    "derived.assessment_started": "Date the assessment was started",
}


def _as_answer(question, value, facts: dict):
    # Facts hold yes/no as a bare string and dates as day numbers; answer_text wants stored shapes.
    import datetime as dt

    if question.type.value == "yes_no":
        return {"answer": value, "rationale": facts.get(f"{question.id}.rationale", "")}
    if question.type.value == "date" and isinstance(value, int):
        return dt.date.fromordinal(value).isoformat()
    return value


def group_consequences(findings: list[Finding]) -> list[Finding]:
    """One root cause, one finding: a finding whose rule names a root (``consequence_of``) that
    also fired is listed inside the root's finding, not on its own. A consequence whose root did
    not fire stands alone. The loader holds every consequence to its root's severity, blocking
    and readiness, so grouping changes what a reviewer reads, never the RAG rating or readiness."""
    by_id = {f.rule_id: f for f in findings}
    top = []
    for f in findings:
        root = next((by_id[r] for r in f.consequence_of or () if r in by_id), None)
        if root is None:
            top.append(f)
        else:
            root.consequences.append(f)
    for f in top:
        f.consequences.sort(key=lambda c: (-SEVERITY_RANK[c.severity], c.rule_id))
    return top


def summarise(findings: list[Finding], version: str = "", engine: str = "") -> Findings:
    by_severity = {s: 0 for s in SEVERITIES}
    by_category: dict[str, int] = {}
    for f in findings:
        by_severity[f.severity] += 1
        by_category[f.category] = by_category.get(f.category, 0) + 1
    blocking = any(f.blocking for f in findings)
    serious = by_severity["critical"] + by_severity["high"]
    if blocking or by_severity["critical"]:
        rag = "red"
    elif serious or by_severity["medium"]:
        rag = "amber"
    else:
        rag = "green"
    if any(f.readiness == "stage2_required" for f in findings):
        readiness = STAGE2_REQUIRED
    elif blocking:
        readiness = NOT_READY
    elif serious or by_severity["medium"]:
        readiness = READY_ONCE_GAPS_CLOSE
    else:
        readiness = READY
    return Findings(findings=findings, rag=rag, readiness=readiness, counts_by_severity=by_severity,
                    counts_by_category=by_category, ruleset_version=version, engine=engine)


class OracleEngine(_Evaluator):
    """The pure-Python meaning of the rules: the reference the real engine is tested against,
    and the engine where durable-rules cannot be imported (e.g. Python 3.13)."""

    name = "idmf evaluator"

    def __init__(self, ruleset: RuleSet, questionnaire: Questionnaire):
        super().__init__(ruleset, questionnaire)
        self._conditions = [(rule.id, rule.condition()) for rule in ruleset.rules]

    def fired(self, facts: dict) -> set[str]:
        return {rule_id for rule_id, cond in self._conditions if C.evaluate(cond, facts)}


class RuleTooComplex(ValidationProblems):
    """durable-rules refused a rule (its expression or rule limits)."""


class RulesEngine(_Evaluator):
    """The rule set compiled to durable-rules."""

    name = "durable-rules"

    def __init__(self, ruleset: RuleSet, questionnaire: Questionnaire):
        import durable_rules_engine

        self._c = durable_rules_engine
        super().__init__(ruleset, questionnaire)
        self._row_columns = frozenset(c for rule in ruleset.rules for c in C.row_columns(rule.condition()))
        self._keys = frozenset(ref for rule in ruleset.rules for ref in C.references(rule.condition()))
        self.names: list[str] = []
        with _HOST_LOCK:
            self._register(list(ruleset.rules))
            self._handles = [_host().get_ruleset(name)._handle for name in self.names]

    def _register(self, rules: list[Rule]) -> None:
        # The C engine caps rules (and their internal branches) per ruleset and
        # expressions per rule. A rule set too big for one ruleset is split in
        # halves until each part fits; a single rule that does not fit is an
        # error its author must fix.
        name = f"idmf_rules_{next(_NAMES)}_{self.ruleset.version[:8]}"
        definition = {
            rule.id: {"all": [{"m": C.to_durable(rule.condition())}], "run": self._action(rule.id)}
            for rule in rules
        }
        definition[_ANCHOR_RULE] = {"all": [{"m": {C.ANCHOR_KEY: 1}}], "run": self._action(None)}
        try:
            _host().register_rulesets({name: definition})
        except Exception as exc:  # durable_rules_engine.error has no public class
            if len(rules) == 1:
                rule = rules[0]
                raise RuleTooComplex([f"{rule.source}:{rule.line}: rule {rule.id} is too complex for the "
                                      f"durable-rules engine ({exc}); split it into simpler rules"])
            half = len(rules) // 2
            self._register(rules[:half])
            self._register(rules[half:])
            return
        self.names.append(name)

    def _action(self, rule_id: str | None) -> Callable:
        def action(_closure) -> None:
            # Never called: ``fired`` runs the action queue itself. The host
            # still needs a callable for every rule it registers.
            raise AssertionError(f"durable-rules host ran the action for {rule_id}")
        return action

    def fired(self, facts: dict) -> set[str]:
        fact = C.durable_fact(facts, self._row_columns, self._keys)
        fired: set[str] = set()
        with _HOST_LOCK:
            for handle in self._handles:
                sid = f"s{next(_SESSIONS)}"
                fact["sid"] = sid
                result = self._c.assert_fact(handle, json.dumps(fact, ensure_ascii=False))
                try:
                    if result[0] != 0:
                        continue  # 1 is "no rule matched"; the anchor rule matches every fact, so this is a safeguard
                    state = result[1]
                    action = self._c.start_action_for_state(handle, state)
                    message = action[1] if action else None
                    while message:
                        # Each message is '{"RULE-ID":{...the fact...}}'; rule ids are [A-Z]{2,5}-\d{3}
                        # (or the anchor), so the name ends at the first closing quote.
                        fired.add(message[2:message.index('"', 2)])
                        message = self._c.complete_and_start_action(handle, state)
                finally:
                    self._c.delete_state(handle, sid)
        fired.discard(_ANCHOR_RULE)
        return fired
