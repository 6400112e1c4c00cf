"""The case bank: real-world assessments with the verdict an E&I reviewer gives them.

Each ``examples/cases/NAME.yaml`` is an assessment written from public board papers
and published equality assessments; ``NAME.verdict.toml`` beside it declares what a
reviewer would say: the RAG rating, the readiness, findings that must fire and
findings that must not. A well-done assessment also declares ``max_findings`` and
``worst_severity`` so that rule noise on good work fails here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from idmf.rules.model import SEVERITY_RANK
from idmf.store import load_assessment

from .conftest import EXAMPLES

CASES = EXAMPLES / "cases"
CASE_FILES = sorted(CASES.glob("*.yaml"))
VERDICT_KEYS = {"source", "kind", "rag", "readiness", "must_fire", "must_not_fire", "max_findings",
                "worst_severity", "says", "grouped", "allowed", "change_kinds"}
MEDIUM = SEVERITY_RANK["medium"]


def _verdict(case: Path) -> dict:
    path = case.with_suffix(".verdict.toml")
    assert path.is_file(), f"{case.name} has no verdict beside it ({path.name})"
    verdict = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(verdict) - VERDICT_KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
    return verdict


def _kinds(case: Path) -> set[str]:
    import yaml

    return set((yaml.safe_load(case.read_text(encoding="utf-8"))["answers"] or {}).get("purpose.change_kinds") or ())


def test_the_bank_covers_every_kind_of_change(questionnaire):
    covered = set().union(*(_kinds(c) for c in CASE_FILES))
    missing = [k.id for k in questionnaire.changes if k.id not in covered]
    assert not missing, f"no case makes these kinds of change: {missing}"


def test_the_bank_has_real_variety():
    verdicts = [_verdict(c) for c in CASE_FILES]
    assert len(CASE_FILES) >= 35
    assert sum(v["rag"] == "green" for v in verdicts) >= 10
    assert sum(v["rag"] == "amber" for v in verdicts) >= 6
    for case, verdict in zip(CASE_FILES, verdicts):
        if verdict["rag"] in ("green", "amber"):
            assert "allowed" in verdict, f"{case.name}: a green or amber verdict lists the findings of medium or above it may have (allowed = [...])"
    well_done = [v for v in verdicts if v["rag"] == "green" and v.get("max_findings", 99) <= 2]
    assert len(well_done) >= 4, "at least four well-done cases guard against noise"
    assert all(v.get("source") for v in verdicts), "every case names the public papers it was written from"
    orphans = {p.name.removesuffix(".verdict.toml") for p in CASES.glob("*.verdict.toml")} - {c.stem for c in CASE_FILES}
    assert not orphans, f"verdicts without a case: {sorted(orphans)}"


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.stem for c in CASE_FILES])
def test_case_gets_the_reviewers_verdict(case, engine, questionnaire):
    verdict = _verdict(case)
    result = engine.check(load_assessment(case, questionnaire).assessment)
    fired = set(result.ids())
    summary = "; ".join(f"{f.rule_id} {f.severity}" for f in result)
    assert result.rag == verdict["rag"], f"{case.name}: RAG {result.rag}, reviewer says {verdict['rag']} ({summary})"
    assert result.readiness == verdict["readiness"], f"{case.name}: {result.readiness!r} ({summary})"
    missing = set(verdict.get("must_fire", [])) - fired
    assert not missing, f"{case.name}: {sorted(missing)} should fire ({summary})"
    noise = set(verdict.get("must_not_fire", [])) & fired
    assert not noise, f"{case.name}: {sorted(noise)} should not fire ({summary})"
    if verdict["rag"] in ("green", "amber"):
        # Calibration: a reviewer's green or amber verdict names every finding of medium or above
        # it accepts; any other is noise, or a finding asking for what the assessment already does.
        accepted = set(verdict.get("allowed", [])) | set(verdict.get("must_fire", []))
        unexpected = [f"{f.rule_id} {f.severity}" for top in result for f in (top, *top.consequences)
                      if SEVERITY_RANK[f.severity] >= MEDIUM and f.rule_id not in accepted]
        assert not unexpected, f"{case.name}: findings of medium or above the reviewer did not accept: {unexpected}"
    if "max_findings" in verdict:
        assert len(result) <= verdict["max_findings"], f"{case.name}: too many findings ({summary})"
    if "worst_severity" in verdict:
        limit = SEVERITY_RANK[verdict["worst_severity"]]
        assert all(SEVERITY_RANK[f.severity] <= limit for f in result), f"{case.name}: ({summary})"
    # grouped: {ROOT = [consequences]} — one root cause read once, its consequences inside it.
    for root_id, consequences in verdict.get("grouped", {}).items():
        root = next((f for f in result if f.rule_id == root_id), None)
        assert root is not None, f"{case.name}: {root_id} should be a finding of its own ({summary})"
        assert set(consequences) <= {c.rule_id for c in root.consequences}, (
            f"{case.name}: {root_id} should hold {consequences}, holds {[c.rule_id for c in root.consequences]}")
        assert not set(consequences) & set(result.top_ids()), f"{case.name}: {consequences} listed twice"
    for rule_id, words in verdict.get("says", {}).items():
        everything = [f for top in result for f in (top, *top.consequences)]
        finding = next(f for f in everything if f.rule_id == rule_id)
        text = " ".join([finding.message] + [f"{t.name} {t.answer}" for t in finding.triggered_by])
        for phrase in words:
            assert phrase.lower() in text.lower(), f"{case.name}: {rule_id} should say {phrase!r}: {text}"


def case_table(questionnaire) -> str:
    """The README's table of kinds of change x cases, built from the bank itself."""
    by_kind: dict[str, list[str]] = {}
    for case in CASE_FILES:
        for kind in sorted(_kinds(case)):
            by_kind.setdefault(kind, []).append(f"{case.stem} ({_verdict(case)['rag']})")
    rows = ["| Kind of change | Cases (the reviewer's rating) |", "|---|---|"]
    kinds = [(k.id, k.label) for k in questionnaire.changes] + [("none_of_these", "None of these")]
    for kind_id, label in kinds:
        rows.append(f"| {label} (`{kind_id}`) | {'<br>'.join(by_kind.get(kind_id, [])) or '—'} |")
    return "\n".join(rows)


def test_the_readme_table_of_kinds_and_cases_is_the_bank(questionnaire):
    from .conftest import ROOT

    table = case_table(questionnaire)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table in readme, "README's kinds-of-change table is out of date; replace it with:\n" + table
