"""The condition language: parsing, meaning, and agreement of the compiled form with the oracle."""

from __future__ import annotations

import pytest
try:
    from durable import engine as durable_engine
except ImportError:  # Python 3.13 and later, or idmf installed without its [durable] extra
    durable_engine = None
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from idmf import conditions as C

from .conftest import examples


def test_parses_every_operator():
    cond = C.parse({"all": [
        {"answered": "a"}, {"unanswered": "b"}, {"equals": {"c": "yes"}}, {"in": {"c": ["yes", "no"]}},
        {"contains": {"m": "x"}}, {"greater_than": {"n": 3}}, {"at_most": {"n": 9}},
        {"date_gap": {"from": "d1", "to": "d2", "more_than_months": 12}},
        {"any_row": {"question": "g", "where": {"all": [{"equals": {"impact": "negative"}}, {"unanswered": "mitigation"}]}}},
        {"not": {"any": [{"answered": "z"}]}},
    ]})
    assert C.references(cond) == ["a", "b", "c", "m", "n", "d1", "d2", "g", "z"]


def test_bare_yes_in_yaml_means_the_answer_yes():
    # YAML 1.1 reads `yes` as True; rule authors mean the answer "yes".
    assert C.parse({"equals": {"q": True}}) == C.Equals("q", "yes")


@pytest.mark.parametrize("data, message", [
    ({"equal": {"q": 1}}, "unknown condition operator 'equal'"),
    ({"all": []}, "'all' needs a non-empty list"),
    ({"equals": {"q": [1, 2]}}, "one plain value"),
    ({"date_gap": {"from": "a", "to": "b"}}, "exactly one of"),
    ({"any_row": {"question": "g", "where": {"any_row": {"question": "h", "where": {"answered": "x"}}}}}, "cannot be nested"),
    ("answered", "exactly one operator"),
    ({"answered": "a", "unanswered": "b"}, "exactly one operator"),
])
def test_malformed_conditions_are_rejected_with_location(data, message):
    with pytest.raises(C.ConditionError) as info:
        C.parse(data, "rules/x.yaml", line=7)
    assert message in info.value.message
    assert info.value.where.startswith("rules/x.yaml:")


def test_meaning_of_leaves():
    facts = {"q": "yes", "m": ["a", "b"], "n": 5, "d1": 700000, "d2": 700400,
             "g": [{"group": "age", "impact": "negative"}, {"group": "sex", "impact": "positive", "mitigation": "x"}]}
    ev = lambda data: C.evaluate(C.parse(data), facts)  # noqa: E731
    assert ev({"equals": {"q": "yes"}})
    assert not ev({"equals": {"missing": "yes"}})
    assert ev({"not": {"equals": {"missing": "yes"}}})
    assert ev({"contains": {"m": "b"}}) and not ev({"contains": {"m": "c"}})
    assert ev({"greater_than": {"n": 4}}) and not ev({"greater_than": {"n": 5}}) and ev({"at_least": {"n": 5}})
    assert ev({"date_gap": {"from": "d1", "to": "d2", "more_than_months": 12}})  # 400 days > 365.25
    assert not ev({"date_gap": {"from": "d1", "to": "d2", "more_than_months": 14}})
    assert not ev({"date_gap": {"from": "d1", "to": "nope", "less_than_months": 14}})  # both dates needed
    assert ev({"any_row": {"question": "g", "where": {"all": [{"equals": {"impact": "negative"}}, {"unanswered": "mitigation"}]}}})
    assert not ev({"any_row": {"question": "g", "where": {"all": [{"equals": {"impact": "positive"}}, {"unanswered": "mitigation"}]}}})


# --- the compiled durable-rules form agrees with the oracle ---------------

REFS = ["q", "r", "m", "n", "d1", "d2", "g"]
ROW_COLS = ["impact", "mitigation", "group", "due"]
VALUES = ["yes", "no", "a", "b"]

leaf = st.one_of(
    st.builds(lambda r: {"answered": r}, st.sampled_from(REFS)),
    st.builds(lambda r: {"unanswered": r}, st.sampled_from(REFS)),
    st.builds(lambda r, v: {"equals": {r: v}}, st.sampled_from(["q", "r"]), st.sampled_from(VALUES)),
    st.builds(lambda r, vs: {"in": {r: vs}}, st.sampled_from(["q", "r"]), st.lists(st.sampled_from(VALUES), min_size=1, max_size=3)),
    st.builds(lambda v: {"contains": {"m": v}}, st.sampled_from(VALUES)),
    st.builds(lambda op, x: {op: {"n": x}}, st.sampled_from(list(C.COMPARISONS)), st.integers(-2, 12)),
    st.builds(lambda k, x: {"date_gap": {"from": "d1", "to": "d2", k: x}},
              st.sampled_from(["more_than_months", "less_than_months", "more_than_days", "less_than_days"]), st.integers(0, 24)),
)
row_leaf = st.one_of(
    st.builds(lambda c: {"answered": c}, st.sampled_from(ROW_COLS)),
    st.builds(lambda c: {"unanswered": c}, st.sampled_from(ROW_COLS)),
    st.builds(lambda v: {"equals": {"impact": v}}, st.sampled_from(["negative", "positive", "unknown"])),
    st.builds(lambda vs: {"in": {"group": vs}}, st.lists(st.sampled_from(["age", "sex", "race"]), min_size=1, max_size=2)),
    st.builds(lambda op, x: {op: {"due": x}}, st.sampled_from(list(C.COMPARISONS)), st.integers(0, 4)),
)


def _tree(base):
    return st.recursive(base, lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ), max_leaves=5)


conditions = _tree(st.one_of(leaf, st.builds(lambda w: {"any_row": {"question": "g", "where": w}}, _tree(row_leaf))))

rows = st.lists(st.fixed_dictionaries({"group": st.sampled_from(["age", "sex", "race"])}, optional={
    "impact": st.sampled_from(["negative", "positive", "unknown"]), "mitigation": st.just("plan"),
    "due": st.integers(0, 4)}), min_size=1, max_size=3)
facts_strategy = st.fixed_dictionaries({}, optional={
    "q": st.sampled_from(VALUES), "r": st.sampled_from(VALUES),
    "m": st.lists(st.sampled_from(VALUES), min_size=1, max_size=3, unique=True),
    "n": st.integers(-3, 14), "d1": st.integers(738000, 738800), "d2": st.integers(738000, 738800), "g": rows,
})


class _Harness:
    """One durable-rules host; each example registers its own uniquely named ruleset."""

    def __init__(self):
        # The engine's host: durable's own would start dispatcher threads that race these checks.
        from idmf.rules.engine import _Host  # durable-rules: imported only where it is installed

        self.host = _Host()
        self.count = 0
        self.retried: list = []  # refusals accepted on the retry (see fires)

    def fires(self, cond, facts) -> bool | None:
        fired = []
        for attempt in (1, 2):
            self.count += 1
            name = f"prop_{self.count}"
            try:
                self.host.register_rulesets({name: {
                    "r": {"all": [{"m": C.to_durable(cond)}], "run": lambda c: fired.append(1)},
                    "anchor": {"all": [{"m": {C.ANCHOR_KEY: 1}}], "run": lambda c: None},
                }})
                break
            except Exception as exc:
                if "113" in str(exc):  # the C engine's expression limit
                    return None
                # durable-rules 2.0.28 once refused a valid ruleset with error 102 (unexpected type)
                # and accepted the same one straight after (seen 29 Nov 2026, after ~300 here).
                # idmf's engine registers again on any refusal (it splits the set), so one
                # retry is what idmf itself does; a second refusal is a real failure.
                if attempt == 2:
                    raise
                self.retried.append((str(exc), C.to_durable(cond)))
        fact = C.durable_fact(facts, C.row_columns(cond), frozenset(C.references(cond)))  # as the engine does
        fact["sid"] = "s"
        try:
            self.host.assert_fact(name, fact)
        except durable_engine.MessageNotHandledException:
            pass
        self.host.delete_state(name, "s")
        return bool(fired)


HARNESS = _Harness() if durable_engine is not None else None


@settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conditions, facts_strategy)
def test_compiled_condition_agrees_with_oracle(data, facts):
    if HARNESS is None:
        pytest.skip("durable-rules is not installed here (Python 3.13+, or without idmf[durable]); "
                    "make test installs it and runs this")
    cond = C.parse(data)
    fired = HARNESS.fires(cond, facts)
    # A condition over durable-rules' expression limit is refused when the
    # rules are loaded (`idmf rules validate` names it), so it never runs.
    assume(fired is not None)
    assert fired == C.evaluate(cond, facts), (data, facts, C.to_durable(cond))


@settings(max_examples=examples(200), deadline=None)
@given(conditions, facts_strategy)
def test_not_not_is_identity_and_de_morgan_holds(data, facts):
    cond = C.parse(data)
    assert C.evaluate(C.parse({"not": {"not": data}}), facts) == C.evaluate(cond, facts)
    assert C.evaluate(C.parse({"not": {"all": [data, {"answered": "q"}]}}), facts) == \
        C.evaluate(C.parse({"any": [{"not": data}, {"unanswered": "q"}]}), facts)
