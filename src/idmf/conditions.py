"""The one condition language of idmf.

Questionnaire ``show_if`` and rule ``when``/``unless`` are written in it. A
condition is YAML data, never code:

    all: [c, ...]            every condition holds
    any: [c, ...]            at least one holds
    not: c                   the condition does not hold
    answered: REF            the answer is given (blank text counts as not given)
    unanswered: REF
    equals: {REF: value}     answered and equal to value
    in: {REF: [v, ...]}      answered and one of the values
    contains: {REF: value}   a multi-choice answer includes value
    greater_than | less_than | at_least | at_most: {REF: number}
    date_gap: {from: REF, to: REF, more_than_months: 12}
                             both dates given and ``to`` is more (or less:
                             ``less_than_months``/``..._days``) than the
                             period after ``from``. A month is 365.25/12 days.
    any_row: {question: REF, where: c}
                             some row of a group-impacts or actions answer
                             satisfies ``c``; inside ``where`` a REF names a
                             column of the row (impact, mitigation, owner ...)

REF is a question id (``ehiira.q07``), a part of an answer
(``ehiira.q07.rationale``, ``signoff.reviewer.date``), a metadata field
(``meta.decision_type``) or a derived fact (``derived.unanswered_required``).

Facts are a flat dict from REF to value; a REF missing from the dict is
unanswered. Dates are day numbers (``date.toordinal()``), so date gaps are
plain arithmetic both here and in the compiled durable-rules form.

``evaluate`` is the pure-Python meaning of the language (the oracle);
``to_durable`` compiles a condition to a durable-rules expression. They must
always agree; ``tests/test_oracle.py`` checks that with generated data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Union

from .errors import IdmfError

DAYS_PER_MONTH = 365.25 / 12


class ConditionError(IdmfError):
    """A malformed condition, located as file:line."""


# --- the syntax tree -------------------------------------------------------


@dataclass(frozen=True)
class All:
    items: tuple
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Any_:
    items: tuple
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    item: Any
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Answered:
    ref: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Unanswered:
    ref: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Equals:
    ref: str
    value: Any
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class In:
    ref: str
    values: tuple
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Contains:
    ref: str
    value: Any
    line: int = field(default=0, compare=False)


COMPARISONS = {
    "greater_than": ">",
    "less_than": "<",
    "at_least": ">=",
    "at_most": "<=",
}
_NEGATED_OP = {">": "<=", "<": ">=", ">=": "<", "<=": ">"}
_DURABLE_OP = {">": "$gt", "<": "$lt", ">=": "$gte", "<=": "$lte"}


@dataclass(frozen=True)
class Compare:
    ref: str
    op: str  # one of > < >= <=
    number: float
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class DateGap:
    start: str
    end: str
    op: str  # > or < (or their negations, after compilation)
    days: float
    wording: str = field(default="", compare=False)  # e.g. "more_than_months: 12", for messages
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class AnyRow:
    ref: str
    where: Any
    line: int = field(default=0, compare=False)


Condition = Union[All, Any_, Not, Answered, Unanswered, Equals, In, Contains, Compare, DateGap, AnyRow]

# The one list of operators, each with the node it parses to. Adding one means a node class, a
# branch in parse, evaluate and _compile (each raises on a node it does not know), one in
# idmf.questionnaire.refs.check_condition (which also raises), and an example in
# tests/test_extension_points.py and the property tests' strategy (tests/test_conditions.py);
# tests/test_extension_points.py walks this table and fails on any step left out.
OPERATOR_NODES: dict[str, type] = {
    "all": All, "any": Any_, "not": Not, "answered": Answered, "unanswered": Unanswered,
    "equals": Equals, "in": In, "contains": Contains, **{name: Compare for name in COMPARISONS},
    "date_gap": DateGap, "any_row": AnyRow,
}
OPERATORS = tuple(OPERATOR_NODES)

_GAP_KEYS = {
    "more_than_months": (">", DAYS_PER_MONTH),
    "less_than_months": ("<", DAYS_PER_MONTH),
    "more_than_days": (">", 1.0),
    "less_than_days": ("<", 1.0),
}


# A rule's condition is compiled to one durable-rules expression, and the C engine's work grows
# far faster than the expression: an 'in' of 420 values checks in a second, one of 440 never
# finishes (measured on 2.0.28). idmf's evaluator is linear, but a rule set must run on both
# engines, so a rule is limited to this many tests (each value of an 'in' counts as one; the
# largest shipped rule has 17), with a clear error when the rules are loaded.
MAX_TESTS = 200


def test_count(cond: Any) -> int:
    """How many tests ``cond`` compiles to (each value of an 'in' is one)."""
    count, stack = 0, [cond]
    while stack:
        node = stack.pop()
        if isinstance(node, (All, Any_)):
            stack.extend(node.items)
        elif isinstance(node, Not):
            stack.append(node.item)
        elif isinstance(node, AnyRow):
            count += 1
            stack.append(node.where)
        elif isinstance(node, In):
            count += len(node.values)
        else:
            count += 1
    return count


# --- parsing ---------------------------------------------------------------


def _line(node: Any, key: Any = None, default: int = 0) -> int:
    if key is not None and hasattr(node, "line_of"):
        return node.line_of(key)
    return getattr(node, "line", default) or default


def _plain(value: Any) -> Any:
    # Answers are never booleans: YAML 1.1 reads bare yes/no as True/False,
    # so a rule author writing `equals: {ehiira.q07: yes}` means "yes".
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _is_scalar(value: Any) -> bool:
    # A blank value means "unanswered"; say that with `unanswered` instead.
    return isinstance(value, (str, int, float, bool)) and value != ""


def parse(data: Any, source: str = "<condition>", *, row_scope: bool = False, line: int = 0) -> Condition:
    """Parse condition data (usually from YAML) into a syntax tree.

    Raises ``ConditionError`` naming ``source:line`` for anything malformed.
    """
    here = _line(data, default=line)

    def fail(message: str, at: int | None = None) -> ConditionError:
        loc = at or here
        return ConditionError(
            message,
            where=f"{source}:{loc}" if loc else source,
            hint="see the condition language in src/idmf/conditions.py or the README",
        )

    if not isinstance(data, dict) or len(data) != 1:
        raise fail(
            "a condition must be a mapping with exactly one operator "
            f"({', '.join(OPERATORS)}), got {_describe(data)}"
        )
    (op, arg), = data.items()
    at = _line(data, op, here)
    if op not in OPERATORS:
        raise fail(f"unknown condition operator {op!r}; expected one of {', '.join(OPERATORS)}", at)

    def ref_of(value: Any, what: str = "a question id") -> str:
        if not isinstance(value, str) or not value.strip():
            raise fail(f"'{op}' needs {what}, got {_describe(value)}", at)
        return value.strip()

    def single_pair(value: Any, what: str) -> tuple[str, Any]:
        if not isinstance(value, dict) or len(value) != 1:
            raise fail(f"'{op}' needs one 'question id: {what}' pair, got {_describe(value)}", at)
        (ref, operand), = value.items()
        return ref_of(ref), operand

    if op in ("all", "any"):
        if not isinstance(arg, list) or not arg:
            raise fail(f"'{op}' needs a non-empty list of conditions", at)
        items = tuple(
            parse(item, source, row_scope=row_scope, line=_line(arg, i, at)) for i, item in enumerate(arg)
        )
        return All(items, at) if op == "all" else Any_(items, at)
    if op == "not":
        return Not(parse(arg, source, row_scope=row_scope, line=at), at)
    if op == "answered":
        return Answered(ref_of(arg), at)
    if op == "unanswered":
        return Unanswered(ref_of(arg), at)
    if op == "equals":
        ref, value = single_pair(arg, "value")
        if not _is_scalar(value):
            raise fail(f"'equals' compares with one plain value, got {_describe(value)}", at)
        return Equals(ref, _plain(value), at)
    if op == "in":
        ref, values = single_pair(arg, "[values]")
        if not isinstance(values, list) or not values or not all(_is_scalar(v) for v in values):
            raise fail(f"'in' needs a non-empty list of plain values, got {_describe(values)}", at)
        return In(ref, tuple(dict.fromkeys(_plain(v) for v in values)), at)
    if op == "contains":
        if row_scope:
            raise fail("'contains' cannot be used inside 'any_row: where'", at)
        ref, value = single_pair(arg, "value")
        if not _is_scalar(value):
            raise fail(f"'contains' looks for one plain value, got {_describe(value)}", at)
        return Contains(ref, _plain(value), at)
    if op in COMPARISONS:
        ref, number = single_pair(arg, "number")
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise fail(f"'{op}' compares with a number, got {_describe(number)}", at)
        return Compare(ref, COMPARISONS[op], number, at)
    if op == "date_gap":
        if row_scope:
            raise fail("'date_gap' cannot be used inside 'any_row: where'", at)
        if not isinstance(arg, dict):
            raise fail("'date_gap' needs from, to and one of " + ", ".join(_GAP_KEYS), at)
        unknown = set(arg) - {"from", "to", *_GAP_KEYS}
        if unknown:
            raise fail(f"'date_gap' does not know {', '.join(sorted(map(str, unknown)))}", at)
        periods = [k for k in _GAP_KEYS if k in arg]
        if "from" not in arg or "to" not in arg or len(periods) != 1:
            raise fail("'date_gap' needs 'from', 'to' and exactly one of " + ", ".join(_GAP_KEYS), at)
        amount = arg[periods[0]]
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
            raise fail(f"'{periods[0]}' needs a number of zero or more, got {_describe(amount)}", at)
        gap_op, unit = _GAP_KEYS[periods[0]]
        return DateGap(ref_of(arg["from"], "a date question"), ref_of(arg["to"], "a date question"),
                       gap_op, amount * unit, f"{periods[0]}: {amount}", at)
    if op == "any_row":
        if row_scope:
            raise fail("'any_row' cannot be nested inside another 'any_row'", at)
        if not isinstance(arg, dict) or set(arg) != {"question", "where"}:
            raise fail("'any_row' needs exactly 'question' and 'where'", at)
        return AnyRow(ref_of(arg["question"]), parse(arg["where"], source, row_scope=True, line=_line(arg, "where", at)), at)
    raise fail(f"unhandled operator {op!r}", at)  # pragma: no cover - OPERATORS covers all


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping with keys " + ", ".join(map(str, value)) if value else "an empty mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return f"{type(value).__name__} {value!r}"


# --- walking ---------------------------------------------------------------


def walk(cond: Condition) -> Iterator[Condition]:
    yield cond
    if isinstance(cond, (All, Any_)):
        for item in cond.items:
            yield from walk(item)
    elif isinstance(cond, Not):
        yield from walk(cond.item)


def references(cond: Condition) -> list[str]:
    """Top-level references (question ids and parts), in order, without repeats."""
    refs: list[str] = []
    for node in walk(cond):
        for ref in _node_refs(node):
            if ref not in refs:
                refs.append(ref)
    return refs


def _node_refs(node: Condition) -> list[str]:
    if isinstance(node, DateGap):
        return [node.start, node.end]
    if isinstance(node, AnyRow):
        return [node.ref]
    ref = getattr(node, "ref", None)
    return [ref] if ref else []


def comparisons(cond: Condition) -> Iterator[tuple[Condition, str, Any]]:
    """Each (node, ref, value) a question's answer is compared with, top level and in rows.

    For rows the ref is ``question[].column``.
    """
    for node in walk(cond):
        if isinstance(node, Equals):
            yield node, node.ref, node.value
        elif isinstance(node, In):
            for value in node.values:
                yield node, node.ref, value
        elif isinstance(node, Contains):
            yield node, node.ref, node.value
        elif isinstance(node, AnyRow):
            for inner, col, value in comparisons(node.where):
                yield inner, f"{node.ref}[].{col}", value




# --- the oracle: pure-Python meaning ---------------------------------------


def evaluate(cond: Condition, facts: dict) -> bool:
    """Does the condition hold for these facts? (The reference semantics.)"""
    if isinstance(cond, All):
        return all(evaluate(c, facts) for c in cond.items)
    if isinstance(cond, Any_):
        return any(evaluate(c, facts) for c in cond.items)
    if isinstance(cond, Not):
        return not evaluate(cond.item, facts)
    if isinstance(cond, Answered):
        return cond.ref in facts
    if isinstance(cond, Unanswered):
        return cond.ref not in facts
    if isinstance(cond, Equals):
        return cond.ref in facts and _same(facts[cond.ref], cond.value)
    if isinstance(cond, In):
        return cond.ref in facts and any(_same(facts[cond.ref], v) for v in cond.values)
    if isinstance(cond, Contains):
        value = facts.get(cond.ref)
        return isinstance(value, list) and any(_same(item, cond.value) for item in value)
    if isinstance(cond, Compare):
        value = facts.get(cond.ref)
        return _is_number(value) and _compare(value, cond.op, cond.number)
    if isinstance(cond, DateGap):
        start, end = facts.get(cond.start), facts.get(cond.end)
        return _is_number(start) and _is_number(end) and _compare(end, cond.op, start + cond.days)
    if isinstance(cond, AnyRow):
        rows = facts.get(cond.ref)
        return isinstance(rows, list) and any(isinstance(r, dict) and evaluate(cond.where, r) for r in rows)
    raise TypeError(f"not a condition: {cond!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b and (type(a) is type(b) or (_is_number(a) and _is_number(b)))


def _compare(left: float, op: str, right: float) -> bool:
    if op == ">":
        return left > right
    if op == "<":
        return left < right
    if op == ">=":
        return left >= right
    return left <= right


# --- compilation to durable-rules ------------------------------------------


def durable_key(ref: str) -> str:
    """A fact key durable-rules treats as one plain name (dots mean nesting there)."""
    return ref.replace(".", "__")


# Every fact asserted by the engine carries this key. Measured with
# durable-rules 2.0.28: a rule whose test is only "$nex" (or an "$or" with a
# "$nex"-only branch) makes assert_fact spin forever, while the same test
# joined by "$and" to a positive test on the fact works. So every compiled
# rule, and every "unanswered" leaf, is anchored on this always-present key.
ANCHOR_KEY = "idmf__fact"
_ANCHOR = {ANCHOR_KEY: 1}


def to_durable(cond: Condition) -> dict:
    """Compile to a durable-rules expression (the value under ``m``).

    durable-rules has no general negation, so ``not`` is pushed down to the
    leaves (De Morgan), turning each leaf into its complement with the
    "unanswered" case made explicit: durable's ``$neq`` does not match a
    missing field, while ``not equals`` must.
    """
    return {"$and": [_ANCHOR, _compile(cond, negate=False)]}


def _unique(parts: list[dict]) -> list[dict]:
    # durable-rules refuses a ruleset whose "$or" repeats a branch; drop repeats.
    seen, out = set(), []
    for part in parts:
        key = repr(part)
        if key not in seen:
            seen.add(key)
            out.append(part)
    return out


def _or(parts: list[dict], row: bool = False) -> dict:
    parts = _unique(parts)
    if len(parts) == 1:
        return parts[0]
    if row:
        # Inside rows, durable-rules 2.0.28 gets "$or" wrong when its branches
        # test different columns, unless each branch starts with a test every
        # row passes (measured); the row anchor is that test.
        parts = [{"$and": [_ROW_ANCHOR, part]} for part in parts]
    return {"$or": parts}


def _and(parts: list[dict]) -> dict:
    parts = _unique(parts)
    return parts[0] if len(parts) == 1 else {"$and": parts}


# Inside rows ("$i." keys) durable-rules 2.0.28 mis-evaluates "$or" (found by
# tests/test_conditions.py). So the engine gives every row an anchor column
# and every column the rules test, with ROW_BLANK for a blank cell (see
# ``durable_fact``); row tests compare values instead of testing presence,
# and each "$or" branch inside a row starts with the row anchor.
ROW_BLANK = ""
ROW_ANCHOR_KEY = "idmf__row"
_ROW_ANCHOR = {f"$i.{ROW_ANCHOR_KEY}": 1}


def row_columns(cond: Condition) -> set[str]:
    """Columns tested inside any ``any_row: where`` of the condition."""
    columns: set[str] = set()
    for node in walk(cond):
        if isinstance(node, AnyRow):
            columns.update(getattr(inner, "ref") for inner in walk(node.where) if getattr(inner, "ref", None))
    return columns


def durable_fact(facts: dict, columns: set[str] | frozenset[str], keys: set[str] | frozenset[str] | None = None) -> dict:
    """The fact to assert in durable-rules for these facts.

    With ``keys``, only those facts are kept, and rows keep only ``columns``:
    durable-rules copies the whole fact (as JSON) for every rule that fires,
    so leaving out answers no rule reads makes each check much cheaper.
    """
    fact: dict = {}
    for key, value in facts.items():
        if keys is not None and key not in keys:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            if keys is None:
                value = [{**{c: ROW_BLANK for c in columns}, **row, ROW_ANCHOR_KEY: 1} for row in value]
            else:
                value = [{**{c: row.get(c, ROW_BLANK) for c in columns}, ROW_ANCHOR_KEY: 1} for row in value]
        fact[durable_key(key)] = value
    fact[ANCHOR_KEY] = 1
    return fact


def _compile(cond: Condition, *, negate: bool) -> dict:
    if isinstance(cond, (All, Any_)):
        parts = [_compile(c, negate=negate) for c in cond.items]
        conjunctive = isinstance(cond, All) != negate
        return _and(parts) if conjunctive else _or(parts)
    if isinstance(cond, Not):
        return _compile(cond.item, negate=not negate)
    def missing(ref: str) -> dict:
        return {"$and": [_ANCHOR, {"$nex": {durable_key(ref): 1}}]}

    if isinstance(cond, (Answered, Unanswered)):
        exists = isinstance(cond, Answered) != negate
        return {"$ex": {durable_key(cond.ref): 1}} if exists else missing(cond.ref)
    key = durable_key(getattr(cond, "ref", "") or "")
    if isinstance(cond, Equals):
        if not negate:
            return {key: cond.value}
        return _or([missing(cond.ref), {"$neq": {key: cond.value}}])
    if isinstance(cond, In):
        if not negate:
            return _or([{key: v} for v in cond.values])
        return _or([missing(cond.ref), _and([{"$neq": {key: v}} for v in cond.values])])
    if isinstance(cond, Contains):
        if not negate:
            return {"$iany": {key: {"$i": cond.value}}}
        # Facts never hold empty lists, so "all items differ" is exact for given answers.
        return _or([missing(cond.ref), {"$iall": {key: {"$neq": {"$i": cond.value}}}}])
    if isinstance(cond, Compare):
        op = _NEGATED_OP[cond.op] if negate else cond.op
        test = {_DURABLE_OP[op]: {key: cond.number}}
        return _or([missing(cond.ref), test]) if negate else test
    if isinstance(cond, DateGap):
        op = _NEGATED_OP[cond.op] if negate else cond.op
        start, end = durable_key(cond.start), durable_key(cond.end)
        test = {_DURABLE_OP[op]: {end: {"$add": {"$l": {"$m": start}, "$r": cond.days}}}}
        both = _and([{"$ex": {start: 1}}, {"$ex": {end: 1}}, test])
        return _or([missing(cond.start), missing(cond.end), both]) if negate else both
    if isinstance(cond, AnyRow):
        # Inside rows only flat tests are reliable in durable-rules 2.0.28: a
        # flat "$and" of cell tests, or a flat anchored "$or" of them. So the
        # row condition is put in disjunctive normal form, D1 or D2 ..., and
        #   any row (D1 or D2)  =  any row D1  or  any row D2         (top-level "$or")
        #   no row (D1 or D2)   =  every row (not D1) and every row (not D2)
        # where "not Di" is a flat "$or" of the negated cell tests.
        terms = _row_dnf(cond.where, negate=False)
        if not negate:
            return _or([{"$iany": {key: _and([_row_atom(a) for a in term])}} for term in terms])
        every = [{"$iall": {key: _or([p for a in term for p in _negated_atom(a)], row=True)}} for term in terms]
        return _or([missing(cond.ref), _and(every)])
    raise TypeError(f"not a condition: {cond!r}")


# Row atoms: ("eq", col, v), ("neq", col, v), ("cmp", col, op, n). A blank
# cell holds ROW_BLANK, so "unanswered" is ("eq", col, ROW_BLANK).


def _row_dnf(cond: Condition, negate: bool) -> list[tuple]:
    """Disjunctive normal form of a row condition: a list of conjunctions of atoms."""
    if isinstance(cond, Not):
        return _row_dnf(cond.item, not negate)
    if isinstance(cond, (All, Any_)):
        conjunctive = isinstance(cond, All) != negate
        parts = [_row_dnf(c, negate) for c in cond.items]
        if not conjunctive:
            return [term for part in parts for term in part]
        terms: list[tuple] = [()]
        for part in parts:
            terms = [t + u for t in terms for u in part]
        return terms
    ref = cond.ref
    if isinstance(cond, (Answered, Unanswered)):
        blank = isinstance(cond, Unanswered) != negate
        return [(("eq" if blank else "neq", ref, ROW_BLANK),)]
    if isinstance(cond, Equals):
        return [(("neq" if negate else "eq", ref, cond.value),)]
    if isinstance(cond, In):
        if negate:
            return [tuple(("neq", ref, v) for v in cond.values)]
        return [(("eq", ref, v),) for v in cond.values]
    if isinstance(cond, Compare):
        if negate:
            return [(("eq", ref, ROW_BLANK),), (("cmp", ref, _NEGATED_OP[cond.op], cond.number),)]
        return [(("neq", ref, ROW_BLANK), ("cmp", ref, cond.op, cond.number))]
    raise TypeError(f"not allowed inside any_row: {cond!r}")


def _negated_atom(atom: tuple) -> list[dict]:
    """Flat tests, any of which means the atom does not hold."""
    kind, col = atom[0], f"$i.{atom[1]}"
    if kind == "eq":
        return [{"$neq": {col: atom[2]}}]
    if kind == "neq":
        return [{col: atom[2]}]
    # not (cell op n): the cell is blank or the opposite comparison holds
    return [{col: ROW_BLANK}, {_DURABLE_OP[_NEGATED_OP[atom[2]]]: {col: atom[3]}}]


def _row_atom(atom: tuple) -> dict:
    kind, col = atom[0], f"$i.{atom[1]}"
    if kind == "eq":
        return {col: atom[2]}
    if kind == "neq":
        return {"$neq": {col: atom[2]}}
    return {_DURABLE_OP[atom[2]]: {col: atom[3]}}
