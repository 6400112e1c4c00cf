"""The durable-rules engine and the pure-Python oracle agree on generated assessments."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idmf.samples import random_assessment

from .conftest import examples


# `engine` is a function-scoped fixture (it follows the test's engine) but returns the session's
# one engine per kind, which keeps no state between checks.
@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), answer_rate=st.sampled_from([0.3, 0.6, 0.85, 1.0]))
def test_engine_and_oracle_give_identical_findings(engine, oracle, questionnaire, seed, answer_rate):
    assessment = random_assessment(questionnaire, random.Random(seed), answer_rate=answer_rate)
    import dataclasses

    real, expected = engine.check(assessment), oracle.check(assessment)
    assert (real.engine, expected.engine) == (engine.name, oracle.name)  # each says which engine it was
    assert dataclasses.replace(real, engine="") == dataclasses.replace(expected, engine="")


def test_generated_assessments_exercise_most_rules(engine, questionnaire, ruleset):
    # Guards the test above against agreeing only because nothing fires.
    fired = set()
    for seed in range(300):
        fired |= set(engine.check(random_assessment(questionnaire, random.Random(seed))).ids())
    assert len(fired) >= 0.6 * len(ruleset.rules), sorted({r.id for r in ruleset.rules} - fired)


def test_thousands_of_checks_in_one_process(engine, questionnaire):
    # durable-rules keeps state per session; without deleting it the 1,025th session fails.
    assessment = random_assessment(questionnaire, random.Random(7))
    first = engine.check(assessment).ids()
    for _ in range(3000):
        assert engine.check(assessment).ids() == first


def test_engine_is_safe_from_worker_threads(engine, questionnaire):
    from concurrent.futures import ThreadPoolExecutor

    assessments = [random_assessment(questionnaire, random.Random(i)) for i in range(40)]
    expected = [engine.check(a).ids() for a in assessments]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda a: engine.check(a).ids(), assessments * 5)) == expected * 5


def test_changed_rule_files_are_reloaded(tmp_path, questionnaire):
    import shutil

    from idmf.rules import RulesEngine, load_rules

    from .conftest import ROOT

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")  # rule examples' base files, relative to the rules
    first = load_rules(rules, questionnaire)
    RulesEngine(first, questionnaire)
    some_file = sorted(rules.glob("*.yaml"))[0]
    some_file.write_text(some_file.read_text().replace("severity: low", "severity: info", 1) + "\n# edited\n")
    second = load_rules(rules, questionnaire)
    assert second.version != first.version
    RulesEngine(second, questionnaire)  # a second ruleset registers without "already registered"


def test_engine_starts_no_background_threads(questionnaire, ruleset):
    # durable-rules' Host dispatches queued actions from timer threads; one of
    # those racing a check made it return no findings now and then.
    import threading
    import time

    from idmf.rules.engine import RulesEngine

    before = set(threading.enumerate())
    engine = RulesEngine(ruleset, questionnaire)
    engine.check(random_assessment(questionnaire, random.Random(3)))
    time.sleep(0.5)  # the host's timers re-arm every 0.2 s, so any would be running now
    started = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert started == []


def test_findings_about_missing_answers_name_the_questions_as_the_form_does(engine, questionnaire):
    from idmf.store import load_assessment

    from .conftest import EXAMPLES

    red = load_assessment(next(EXAMPLES.glob("red-*.yaml")), questionnaire).assessment
    findings = {f.rule_id: f for f in engine.check(red)}
    (trigger,) = findings["CMP-002"].triggered_by
    assert trigger.question == "Yes/No answers without a rationale"
    assert "Q13 Have you taken specialist advice on the impacts?" in trigger.answer
    assert "ehiira.q13" not in trigger.answer
