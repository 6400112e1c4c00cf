"""The board appendix tells the truth.

* The author's words appear verbatim (escaping aside) in every format: HTML, Markdown, Word and PDF,
  for every example, every case and generated assessments.
* Every claim it makes about the assessment as a whole agrees with the answers and with the findings
  `idmf check` gives: the rating and readiness are check's; it never says "no stage 2" when stage 2 is
  answered, "no negative impact" when an answer, a stage 2 row or a finding records one, or "stage 2 not
  called for" when a finding disputes a screening answer; every blocking and high finding is named before
  the form, the rest are listed in the appendix itself.

The expectations here are worked out from the answers and the findings directly, not from the report's
own ``Statements``, so a mistake there cannot hide itself.
"""

from __future__ import annotations

import io
import json
import random
import re
from functools import lru_cache
from pathlib import Path

import html5lib
import pytest
from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from idmf.model.questionnaire import QuestionType
from idmf.rationale import rationale_of
from idmf.report import build_context, render
from idmf.report.context import READINESS_WORDS, RAG_LABELS
from idmf.rules.model import SEVERITY_RANK
from idmf.samples import random_assessment
from idmf.store import load_assessment

from .conftest import EXAMPLES, run_idmf

FILES = sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "cases").glob("*.yaml"))
PAGE_BUDGET = {"green": 6, "amber": 10, "red": 10}

# Rationales staff really write, including the ones the report used to rewrite.
TRICKY = [
    "Yes, on reflection. Moving to the hub is the only option.",
    "No, nobody will be worse off.",
    "No.",
    "Yes",
    "yes - because the clinic moves",
    "Yes — Yes, postcodes will be mapped by March.",
    "no: see stage 2",
    "*Not bold* _not italic_ | not a cell | [not a link](x) # not a heading",
    "1. Not a list item",
    "- not a bullet",
    "<b>not bold</b> & {{ 7*7 }}",
    "Carers' views (see the 23 cards) were mostly against.",
]


def _assessment(path: Path, questionnaire):
    return load_assessment(path, questionnaire).assessment


def _said(value) -> str:
    return value.get("answer") if isinstance(value, dict) else ""


def _every_finding(findings):
    return [g for f in findings.findings for g in (f, *f.consequences)]


# --- what the author wrote that the board's appendix shows ------------------------------------

def authors_words(a, questionnaire) -> list[str]:
    """Every rationale and free-text answer the board's appendix shows, as the author wrote it."""
    from idmf.facts import build_facts, hidden_question_ids

    bindings = questionnaire.report
    hidden = hidden_question_ids(questionnaire, build_facts(a, questionnaire))
    words: list[str] = []

    def add(value) -> None:
        if isinstance(value, str) and value.strip():
            words.append(value.strip())

    def shown(qid) -> bool:
        q = questionnaire.question(qid)
        return q is not None and qid not in hidden and (q.in_scope(a.scope) or a.get_answer(qid) not in (None, ""))

    for sid in bindings.stage1:
        for q in questionnaire.section(sid).questions:
            value = a.get_answer(q.id)
            add(rationale_of(value) if q.type == QuestionType.yes_no else value if isinstance(value, str) else None)
    add(a.get_answer(bindings.overview))
    for b in bindings.story + bindings.monitoring:
        q, value = questionnaire.question(b.question), a.get_answer(b.question)
        if shown(b.question) and q.type == QuestionType.yes_no:
            add(rationale_of(value))
        elif shown(b.question) and q.type in (QuestionType.text, QuestionType.long_text):
            add(value)
    if bindings.justification and bindings.justification not in hidden:
        add(a.get_answer(bindings.justification))
    for qid in bindings.impacts:
        for row in a.get_answer(qid) or []:
            if isinstance(row, dict) and row.get("impact"):
                add(row.get("evidence"))
                add(row.get("mitigation"))
    impact_ids = set(bindings.impacts)
    for sid in bindings.stage2:
        for q in questionnaire.section(sid).questions:
            if q.id not in impact_ids and q.id not in hidden and q.type in (QuestionType.text, QuestionType.long_text):
                add(a.get_answer(q.id))
    for row in a.get_answer(bindings.actions) or []:
        if isinstance(row, dict):
            add(row.get("action"))
            add(row.get("owner"))
    drafted = a.get_answer(bindings.drafted_by) or {}
    for part in ("name", "role", "comments"):
        add(drafted.get(part))
    return words


# --- the text a reader gets from each format -------------------------------------------------

def _squash(text: str) -> str:
    return " ".join(text.split())


def html_text(html: str) -> str:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    body = doc.find("body")
    return _squash(" ".join(body.itertext()))


def md_text(md: str) -> str:
    text = md.replace("<br>", "\n")
    return _squash(re.sub(r"\\(.)", r"\1", text))


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return _squash("\n".join(parts))


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_verbatim(a, questionnaire, engine, formats=("html", "md", "docx"), pdf: bytes | None = None) -> None:
    c = build_context(a, questionnaire, engine.check(a))
    texts = {}
    for fmt in formats:
        data = pdf if fmt == "pdf" and pdf is not None else render(c, fmt)
        readers = {"html": lambda d: html_text(d.decode()), "md": lambda d: md_text(d.decode()),
                   "docx": docx_text, "pdf": lambda d: _nospace(pdf_text(d))}
        texts[fmt] = readers[fmt](data)
    for words in authors_words(a, questionnaire):
        for fmt, text in texts.items():
            needle = _nospace(words) if fmt == "pdf" else _squash(words)
            assert needle in text, (fmt, words)


# --- the examples and the cases: every format, PDF included, within its page budget ----------

_PDFS: dict[Path, bytes] = {}


def _board_pdf(path: Path, questionnaire, engine) -> bytes:
    """Each file's board PDF, rendered once for the two tests below (rendering is the slow part)."""
    if path not in _PDFS:
        a = _assessment(path, questionnaire)
        _PDFS[path] = render(build_context(a, questionnaire, engine.check(a)), "pdf")
    return _PDFS[path]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_example_and_case_shows_the_authors_words_verbatim_in_every_format(path, questionnaire, engine):
    a = _assessment(path, questionnaire)
    assert authors_words(a, questionnaire), "the file has words to look for"
    assert_verbatim(a, questionnaire, engine, formats=("html", "md", "docx", "pdf"),
                    pdf=_board_pdf(path, questionnaire, engine))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_example_and_case_board_pdf_is_within_its_page_budget(path, questionnaire, engine):
    pdf = _board_pdf(path, questionnaire, engine)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    budget = PAGE_BUDGET[path.name.split("-", 1)[0]]
    assert pages <= budget, f"{path.name}: {pages} pages, budget {budget}"


# --- generated assessments --------------------------------------------------------------------

@lru_cache(maxsize=1)
def _questionnaire():
    from idmf.questionnaire import load_questionnaire

    from .conftest import ROOT
    return load_questionnaire(ROOT / "questionnaires")


@lru_cache(maxsize=1)
def _engine():
    from idmf.rules import default_engine
    return default_engine(_questionnaire())


def generated(seed: int, tricky: list[str], scope: str):
    """A random assessment (idmf.samples) whose yes/no rationales include the tricky ones."""
    questionnaire = _questionnaire()
    rng = random.Random(seed)
    a = random_assessment(questionnaire, rng, answer_rate=rng.choice((0.3, 0.7, 0.95)))
    a.scope = scope
    yes_no = [q for q in questionnaire.questions() if q.type == QuestionType.yes_no]
    for text in tricky:
        q = rng.choice(yes_no)
        a.set_answer(q.id, {"answer": rng.choice(("yes", "no")), "rationale": text})
    return a


_free_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
                     min_size=1, max_size=40).filter(lambda t: t.strip())


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 10**9), tricky=st.lists(st.one_of(st.sampled_from(TRICKY), _free_text), max_size=6),
       scope=st.sampled_from(("screening", "full")))
def test_generated_assessments_show_the_authors_words_verbatim(seed, tricky, scope):
    assert_verbatim(generated(seed, tricky, scope), _questionnaire(), _engine())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_assessments_show_the_authors_words_verbatim_in_pdf(seed):
    a = generated(seed, TRICKY, "full")
    assert_verbatim(a, _questionnaire(), _engine(), formats=("pdf",))


# --- every claim agrees with the answers and with `idmf check` ---------------------------------

def _summary(html: str) -> str:
    """The text of the appendix before the stage 1 form: what page 1 says."""
    return html_text(html.split('<section class="part" id="stage1"', 1)[0])


def assert_claims_hold(a, questionnaire, findings, rag=None, readiness=None) -> None:
    c = build_context(a, questionnaire, findings)
    html = render(c, "html").decode()
    text = html_text(html)
    md = md_text(render(c, "md").decode())
    bindings = questionnaire.report

    # The rating and readiness are `idmf check`'s.
    assert c.rag == (rag or findings.rag) and c.readiness == (readiness or findings.readiness)
    for body in (text, md):
        assert f"RAG: {RAG_LABELS[c.rag]}" in body and READINESS_WORDS[c.readiness] in body
        assert "author's working report" not in body, "never points to a document the board lacks"

    # Stage 2 answered: never "no stage 2".
    stage2_qs = [q for sid in bindings.stage2 for q in questionnaire.section(sid).questions]
    impact_rows = [row for qid in bindings.impacts for row in (a.get_answer(qid) or []) if isinstance(row, dict)]
    stage2_answered = any(row.get("impact") for row in impact_rows) or any(
        a.get_answer(q.id) not in (None, "", [], {}) for q in stage2_qs if q.id not in bindings.impacts)
    if stage2_answered:
        for body in (text, md):
            assert "No stage 2 assessment is recorded" not in body
            assert "none is recorded yet" not in body and "None is recorded yet" not in body
    if any(row.get("impact") for row in impact_rows):
        for body in (text, md):
            assert "No impact on any group is recorded yet" not in body

    # A negative impact recorded anywhere: never "no negative impact".
    stage1_qs = [q for sid in bindings.stage1 for q in questionnaire.section(sid).questions
                 if q.type == QuestionType.yes_no]
    concern = any(q.concern_if and _said(a.get_answer(q.id)) == q.concern_if for q in stage1_qs)
    negative_row = any(row.get("impact") == "negative" for row in impact_rows)
    serious = [f for f in _every_finding(findings) if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["medium"]]
    if concern or negative_row or serious:
        for body in (text, md):
            assert "records no negative impact" not in body

    # A finding disputing a screening answer: never "the screening answers do not call for stage 2".
    no_concern = {q.id for q in stage1_qs if q.concern_if and _said(a.get_answer(q.id)) in ("yes", "no")
                  and _said(a.get_answer(q.id)) != q.concern_if}
    if any(t.question_id in no_concern for f in serious for t in f.triggered_by):
        for body in (text, md):
            assert "The screening answers do not call for a full (stage 2) assessment." not in body

    # Every blocking and every high finding is on the summary, named as `idmf check` names it, each
    # once (grouped by root cause); the rest are counted there and listed in the appendix itself.
    summary = _summary(html)
    top = findings.findings

    def serious_enough(f):
        return f.blocking or SEVERITY_RANK[f.severity] >= SEVERITY_RANK["high"]
    must = [f for f in top if any(serious_enough(g) for g in (f, *f.consequences))]
    for f in _every_finding(findings):  # a grouped finding is named inside its root's row
        if serious_enough(f):
            assert _squash(f.title) in summary, f.title
    rest = [f for f in top if f not in must and f.severity != "info"]
    for f in must:
        assert _squash(f.title) in summary, f.title
    assert sorted(b.title for b in c.must_see) == sorted(f.title for f in must)
    for f in rest:
        assert _squash(f.title) in text, f.title
    if rest:
        assert f"The checks also found {c.others_count}" in summary
        counted = sum(int(n) for n in re.findall(r"(\d+) (?:critical|high|medium|low)", c.others_count))
        assert counted == len(rest)


def test_every_example_and_case_claims_what_idmf_check_says(questionnaire, engine):
    """The rating and readiness come from the same findings `idmf check --format json` prints."""
    result = run_idmf("check", "--format", "json", *map(str, FILES))
    by_file = {Path(entry["file"]).name: entry for entry in json.loads(result.stdout)["assessments"]}
    assert set(by_file) == {p.name for p in FILES}, sorted(by_file)
    for path in FILES:
        a = _assessment(path, questionnaire)
        checked = by_file[path.name]
        assert_claims_hold(a, questionnaire, engine.check(a), checked["rag"], checked["readiness"])


@settings(max_examples=1000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 10**9), scope=st.sampled_from(("screening", "full")))
@example(seed=280030, scope="full")  # a concern beside a stage 2 with no negative row read "records no negative impact"
def test_generated_assessments_claim_only_what_the_answers_and_findings_say(seed, scope):
    a = generated(seed, [], scope)
    assert_claims_hold(a, _questionnaire(), _engine().check(a))


def test_stage2_neutral_rows_are_compact_with_their_evidence_and_no_not_answered_filler(questionnaire, engine):
    a = _assessment(next(EXAMPLES.glob("red-*.yaml")), questionnaire)
    groups = [g.id for g in questionnaire.groups_in("protected_characteristics")] or [
        g.id for g in questionnaire.groups_in("all")][:9]
    rows = [{"group": gid, "impact": "neutral"} for gid in groups[:-1]]
    rows.append({"group": groups[-1], "impact": "neutral", "evidence": "Clinic data shows no difference by sex."})
    rows.append({"group": groups[0], "impact": "negative", "evidence": "Older people use the centre most."})
    a.set_answer("stage2.protected_characteristics", rows[1:])
    c = build_context(a, questionnaire, engine.check(a))
    labels = {g.id: g.label for g in questionnaire.groups_in("all")}
    assert c.stage2_neutral == [labels[g] for g in groups[1:-1]]
    for row in c.stage2_impacts.rows:
        assert "Not answered" not in row.cells, row.cells
    neutral_with_evidence = next(r for r in c.stage2_impacts.rows if r.cells[0] == labels[groups[-1]])
    # Group (and whether it was engaged), impact, evidence, mitigation.
    assert neutral_with_evidence.cells[1:3] == ["Neutral", "Clinic data shows no difference by sex."]
    section = html_text(render(c, "html").decode().split('id="stage2"', 1)[1].split('id="plan"', 1)[0])
    assert "Neutral impact, no more said: " + ", ".join(c.stage2_neutral) + "." in section


def test_a_disputed_screening_answer_is_never_read_as_settling_stage_2(questionnaire, engine):
    """The amber case: question 7 says No, a finding says other answers point to a negative impact.
    The appendix said "The screening answers do not call for a full (stage 2) assessment" beside it."""
    a = _assessment(EXAMPLES / "cases" / "red-app-first-repeat-prescriptions.yaml", questionnaire)
    # Without its kinds of change, nothing but the disputed screening speaks of stage 2 (the kinds
    # make it required outright: JDG-001).
    a.set_answer("purpose.change_kinds", ["none_of_these"])
    a.set_answer("change.old_channel_kept", None)
    findings = engine.check(a)
    disputing = [f.title for f in _every_finding(findings) if any(t.question_id == "ehiira.q07" for t in f.triggered_by)]
    assert disputing, "the case still has a finding about question 7's No"
    c = build_context(a, questionnaire, findings)
    text = html_text(render(c, "html").decode())
    assert "The screening answers do not call for a full (stage 2) assessment." not in text
    assert "the checks dispute them" in c.stage2_note and disputing[0] in c.stage2_note
