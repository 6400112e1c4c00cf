"""One report context, built once from an assessment, its questionnaire and its findings.

Every format (HTML, Markdown, Word, PDF) and both audiences (the board's
appendix and the author's working report) render this same data, so they
cannot disagree. Which answer fills which part comes from the questionnaire's
``report:`` bindings, never from question ids written here. Everything is
plain text: escaping is each format's job, and no answer is ever treated as a
template or markup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from .. import __version__
from ..answer_text import (
    ENGAGED_LABELS, IMPACT_LABELS, MITIGATION_LABELS, NOT_ANSWERED, STATUS_LABELS, answer_text, format_date, yes_no_label,
)
from ..facts import build_facts, derived_answers, followed, hidden_question_ids
from ..lifecycle import integrity
from ..model.assessment import SCOPE_LABELS, Assessment
from ..model.questionnaire import Question, QuestionType, Questionnaire, ReportBindings
from ..rationale import rationale_of
from ..twins import source_note, twin_of, where_asked
from .statements import Statements, build_statements
from ..rules.model import (
    CATEGORIES, CATEGORY_LABELS, NOT_READY, READY, READY_ONCE_GAPS_CLOSE, SEVERITIES, SEVERITY_RANK,
    STAGE2_REQUIRED, Finding, Findings,
)

AUDIENCES = ("board", "author")
RAG_LABELS = {"red": "RED", "amber": "AMBER", "green": "GREEN"}
RAG_WORDS = {
    "red": "Red: there are serious risks or gaps to resolve before the decision.",
    "amber": "Amber: there are gaps to close, none of them blocking.",
    "green": "Green: no risks or gaps were found that need action before the decision.",
}
def _shares(row: dict) -> str:
    """The author's own figures for a group, as a line after its evidence."""
    affected, population = row.get("share_affected"), row.get("share_population")
    if affected is None or population is None:
        return ""
    return f"\nShare: {affected:g}% of the people affected, {population:g}% of the population."


READINESS_WORDS = {
    READY: "Ready for decision.",
    READY_ONCE_GAPS_CLOSE: "Ready for decision once the gaps listed below are closed.",
    STAGE2_REQUIRED: "Not ready: the full (stage 2) assessment must be completed before the decision.",
    NOT_READY: "Not ready for decision: the matters listed below must be resolved first.",
}
STATUS_NAMES = {"draft": "Draft", "submitted": "Submitted for review", "approved": "Approved", "returned": "Returned for changes"}
# Blocking and high findings are on the board's first page; the rest are counted there and listed at the end.
MUST_SEE_RANK = SEVERITY_RANK["high"]
NOTHING_DONE = "Nothing is recorded yet."
BECAUSE_SHOWN = 2  # answers named under a finding on page 1; the full answers are in the form below
BECAUSE_CHARS = 160


def _where(trigger) -> str:
    """"Question 7" for a numbered form question (its words are in the form below), else its own words."""
    number = re.match(r"Q(\d+)\b", trigger.label or "")
    return f"Question {number.group(1)}" if number else _shorten(trigger.question, 60)


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip(), re.S)
    return match.group(1) if match else text.strip()


def _shorten(text: str, chars: int = 0) -> str:
    chars = chars or BECAUSE_CHARS
    text = " ".join(text.split())
    return text if len(text) <= chars else text[:chars - 1].rstrip() + "…"


@dataclass
class Row:
    cells: list[str]
    flag: bool = False  # the answer signals a concern (shown as text, not only colour)


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]


@dataclass
class AnsweredQuestion:
    label: str  # "Q7" or ""
    question: str
    answer: str


@dataclass
class SectionView:
    title: str
    questions: list[AnsweredQuestion]


@dataclass
class StepView:
    number: int
    title: str
    sections: list[SectionView]


@dataclass
class FindingGroup:
    category: str
    label: str
    findings: list[Finding]


@dataclass
class FormRow:
    """One numbered question of the stage 1 form."""

    number: str
    question: str
    answer: str  # "Yes", "No", "Not answered", or "" for a free-text question
    rationale: str
    concern: bool = False


@dataclass
class FormSection:
    title: str
    rows: list[FormRow]


@dataclass
class Risk:
    """A substantive risk in plain words: what could go wrong, for whom, what is being done."""

    what: str
    detail: str
    who: str
    done: str
    actions: list[str] = field(default_factory=list)
    question_id: str = ""  # the answer that records it, so a finding raised by the same answer covers it
    group: str = ""  # the group it falls on, so a finding naming the group covers it


@dataclass
class BoardFinding:
    """A finding the board must see, as `idmf check` names it, with what is being done about it."""

    title: str
    severity: str  # "high, blocking"
    what: str  # what could go wrong: the finding's own message
    who: str  # the groups it falls on, as the assessment names them ("" when it names none)
    done: list[str]  # what is being done: actions (owner, due), mitigations, analysis; empty when nothing
    also: list[str] = field(default_factory=list)  # findings of the same root cause, by title
    blocking: bool = False
    because: str = ""  # the answers that raised it, shortened: the "list below" its message refers to


@dataclass
class OtherFinding:
    title: str
    severity: str
    what: str


@dataclass
class ApprovalView:
    kind: str  # "idmf" (recorded in idmf), "external" (on paper, outside idmf), "form", "none"
    name: str = ""
    role: str = ""
    date: str = ""
    comments: str = ""
    verified: bool = False
    statement: str = ""  # one sentence a board member can read


@dataclass
class ReportContext:
    title: str
    fields: list[tuple[str, str]]  # the form's header, from the bindings
    overview: str
    status: str
    status_label: str
    rag: str
    rag_label: str
    rag_words: str
    readiness: str
    readiness_words: str
    must_see: list[BoardFinding]  # every blocking and high finding, grouped by root cause as `idmf check` groups them
    others: list[OtherFinding]  # the medium and low ones, listed at the end of the appendix
    others_count: str  # "5 medium and 2 low" ("" when there are none)
    statements: Statements
    story: list[tuple[str, str]]  # aims, engagement, what people said, what changed
    risks: list[Risk]
    outcome: str
    justification: str
    stage1: list[FormSection]
    stage2_shown: bool
    stage2_note: str
    stage2_impacts: Table
    stage2_unassessed: list[str]
    stage2_neutral: list[str]  # groups rated neutral with no evidence given: listed on one line
    stage2_answers: list[SectionView]
    actions: Table
    monitoring: list[tuple[str, str]]
    plan_note: str  # said instead of the action plan and monitoring when a screening has neither
    drafted_by: list[tuple[str, str]]
    approval: ApprovalView
    returned: str
    integrity_note: str
    integrity_words: str  # the end of the appendix: who approved, whether verified, whether unchanged
    integrity_line: str
    properties: dict[str, str]  # document properties (PDF metadata, Word core properties)
    generated_at: str
    # The author's working report only.
    details: list[tuple[str, str]]
    counts: list[tuple[str, int]]
    blocking: list[Finding]
    finding_groups: list[FindingGroup]
    finding_total: int
    steps: list[StepView]
    human_rights: Table
    stage2_all: Table  # every group, answered or not
    footer: list[tuple[str, str]]
    assessment_id: str = ""
    content_hash: str = ""
    ruleset_version: str = ""
    idmf_version: str = __version__
    extra: dict = field(default_factory=dict)


def _sources(questionnaire: Questionnaire, findings: Findings) -> list[tuple[str, str]]:
    """Which questionnaire, rules and templates made this report, and where they came from."""
    from ..paths import source

    versions = {"questionnaires": questionnaire.version, "rules": findings.ruleset_version[:12], "templates": ""}
    return [(kind.capitalize(), source(kind).describe(version)) for kind, version in versions.items()]


def _text(value: Optional[str]) -> str:
    value = (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value))
    return value or NOT_ANSWERED


NO_RATIONALE = "No rationale given"


def _words_datetime(moment: dt.datetime) -> str:
    return f"{format_date(moment.date())} at {moment:%H:%M} UTC"


def _mentions(text: str, needle: str) -> bool:
    # Whole words or names only; a name may end in a bracket ("... (Core20)"), where \b would not match.
    return bool(needle) and re.search(r"(?<!\w)" + re.escape(needle.lower()) + r"(?!\w)", text.lower()) is not None


def build_context(assessment: Assessment, questionnaire: Questionnaire, findings: Findings,
                  generated_at: Optional[dt.datetime] = None) -> ReportContext:
    generated_at = generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    bindings = questionnaire.report or ReportBindings(header=[], overview="", stage1=[], actions="", drafted_by="")
    facts = build_facts(assessment, questionnaire)
    hidden = hidden_question_ids(questionnaire, facts)
    # Answers taken from a twin (a question asking what another already asked) and not yet
    # confirmed: shown as the answer, with where it came from, never as blank.
    taken = derived_answers(assessment, questionnaire)
    # Answers confirmed from a twin follow it: shown as the twin says now, never a stale copy.
    follows = followed(assessment, questionnaire)

    def question(qid: Optional[str]) -> Optional[Question]:
        return questionnaire.question(qid) if qid else None

    def answer_or_taken(qid: str) -> Any:
        """The user's answer, else the one taken from its twin."""
        if qid in follows:
            return follows[qid].answer
        value = assessment.get_answer(qid)
        return taken[qid].answer if value is None and qid in taken else value

    def from_twin(qid: str) -> str:
        """" (from step 1: Does the decision reduce ...?)" for an answer taken from a twin."""
        if qid in follows:
            return f" ({source_note(follows[qid], questionnaire)})"
        return f" ({source_note(taken[qid], questionnaire)})" if assessment.get_answer(qid) is None and qid in taken else ""

    def raw(qid: Optional[str]) -> Any:
        return assessment.get_answer(qid) if qid and question(qid) else None

    def answer(qid: Optional[str]) -> str:
        q = question(qid)
        return answer_text(q, answer_or_taken(q.id), questionnaire) + from_twin(q.id) if q else NOT_ANSWERED

    def in_scope(qid: Optional[str]) -> bool:
        q = question(qid)
        return q is not None and (not hasattr(q, "in_scope") or q.in_scope(getattr(assessment, "scope", "full")))

    def concern(q: Question, value: Any) -> bool:
        return q.concern_if is not None and isinstance(value, dict) and value.get("answer") == q.concern_if

    scope = getattr(assessment, "scope", "full")
    # Optional or out-of-scope header lines appear only when answered.
    fields = [(b.label, answer(b.question)) for b in bindings.header
              if raw(b.question) not in (None, "")
              or (b.question not in hidden and in_scope(b.question) and question(b.question).required)]
    fields.append(("Scope", SCOPE_LABELS.get(scope, scope)))
    overview = answer(bindings.overview) if bindings.overview else NOT_ANSWERED
    status_label = STATUS_NAMES.get(assessment.status, assessment.status)
    details = [
        ("Version", f"Revision {len(assessment.history) or 1}, questionnaire {assessment.questionnaire.version or questionnaire.version}"),
        ("Status", status_label),
        ("Last updated", format_date(assessment.last_changed)),
    ]

    # --- the stage 1 form, exactly as the familiar paper form -------------
    stage1: list[FormSection] = []
    for section_id in bindings.stage1:
        section = questionnaire.section(section_id)
        if section is None:
            continue
        rows = []
        for q in section.questions:
            value = answer_or_taken(q.id)
            number = str(q.number) if q.number is not None else ""
            if q.type == QuestionType.yes_no:
                label = yes_no_label(value)
                # The author's words exactly as written ("Yes, on reflection." stays so): the one
                # rule for what counts as a rationale decides whether there is one at all.
                # "Not answered" belongs to the answer column; under a given answer an empty
                # rationale reads as what it is, so a board member does not think the question was skipped.
                rationale = rationale_of(value) or (NOT_ANSWERED if label == NOT_ANSWERED else NO_RATIONALE)
                rows.append(FormRow(number, q.text, label, rationale + from_twin(q.id), concern(q, value)))
            else:
                rows.append(FormRow(number, q.text, "", answer_text(q, value, questionnaire)))
        stage1.append(FormSection(section.title, rows))

    # --- stage 2: shown when the screening calls for it or it was answered --
    statements = build_statements(assessment, questionnaire, findings, bindings, hidden, answer_or_taken)
    # A screening does not ask stage 2: its blank questions are not shown, only the call for them.
    stage2_shown = statements.stage2_answered or (statements.stage2_called_for and scope != "screening")
    if statements.screening_deferred:
        due = answer("purpose.screening_due") if raw("purpose.screening_due") else ""
        stage2_note = ("The stage 1 screening will be done in a later phase"
                       + (f" (by {due})" if due else " (no date given)")
                       + ", so whether a full (stage 2) assessment is needed cannot yet be said.")
    else:
        stage2_note = statements.stage2_note

    impact_rows: list[Row] = []
    all_impact_rows: list[Row] = []
    unassessed: list[str] = []
    neutral: list[str] = []  # groups rated neutral with nothing more said
    negative: list[tuple[str, str, dict]] = []  # (group label, kind, row)
    for qid in bindings.impacts:
        q = question(qid)
        if q is None:
            continue
        given = {row.get("group"): row for row in (assessment.get_answer(qid) or []) if isinstance(row, dict)}
        for group in questionnaire.groups_in(q.groups or "all"):
            row = given.get(group.id)
            kind = "Protected characteristic" if group.kind == "protected_characteristic" else "Inclusion group"
            data = row or {}
            cells = [group.label, kind, IMPACT_LABELS.get(data.get("impact") or "", NOT_ANSWERED),
                     _text(data.get("evidence")), _text(data.get("mitigation")),
                     MITIGATION_LABELS.get(data.get("mitigation_type") or "", NOT_ANSWERED)]
            flagged = data.get("impact") == "negative"
            all_impact_rows.append(Row(cells, flagged))
            if row and row.get("impact"):
                # The board's table: a blank cell stays blank (no "Not answered" filler), and a group
                # with no negative impact needs no mitigation columns filled in.
                evidence = (data.get("evidence") or "").strip()
                mitigation = (data.get("mitigation") or "").strip()
                mtype = MITIGATION_LABELS.get(data.get("mitigation_type") or "", "")
                # Four columns, so the evidence has room to read on a page: whether the group was
                # heard goes under its name, the mitigation's type after it, and the author's own
                # shares on a line of their own after the evidence (which stays as written).
                name = group.label + (f"\n({ENGAGED_LABELS[data['engaged']]})" if data.get("engaged") in ENGAGED_LABELS else "")
                shares = _shares(data)
                if data.get("impact") == "negative":
                    board_cells = [name, IMPACT_LABELS[data["impact"]], (evidence or "None recorded") + shares,
                                   (mitigation or "None recorded") + f" ({mtype or 'type not stated'})"]
                else:
                    board_cells = [name, IMPACT_LABELS.get(data["impact"], data["impact"]), evidence + shares,
                                   mitigation + (f" ({mtype})" if mitigation and mtype else "")]
                if data["impact"] == "neutral" and not (evidence or mitigation):
                    neutral.append(group.label)  # one line for all of them, not a row of blanks each
                else:
                    impact_rows.append(Row(board_cells, flagged))
                if flagged:
                    negative.append((group.label, kind, row))
            else:
                unassessed.append(group.label)
    stage2_impacts = Table(["Group", "Likely impact", "Evidence", "Mitigation"], impact_rows)
    impact_ids = set(bindings.impacts)
    stage2_answers = []
    for sid in bindings.stage2:
        section = questionnaire.section(sid)
        if section is None:
            continue
        shown = [q for q in section.questions if q.id not in impact_ids and q.id not in hidden]
        if shown:
            stage2_answers.append(SectionView(section.title, [
                AnsweredQuestion("", q.text, answer(q.id)) for q in shown]))

    # --- the action plan --------------------------------------------------
    action_rows = [row for row in (raw(bindings.actions) or []) if isinstance(row, dict)]
    actions = Table(["Action", "Owner", "Due", "Status"], [
        Row([_text(row.get("action")), _text(row.get("owner")), format_date(row.get("due")),
             STATUS_LABELS.get(row.get("status") or "", NOT_ANSWERED)], flag=not row.get("owner") or not row.get("due"))
        for row in action_rows])

    def linked_actions(*needles: str) -> list[str]:
        out = []
        for row in action_rows:
            text = str(row.get("action") or "")
            if any(_mentions(text, n) for n in needles):
                who = row.get("owner") or "no owner named"
                due = format_date(row.get("due")) if row.get("due") else "no due date"
                out.append(f"{text.strip()} ({who}, {due})")
        return out

    # --- the risks that matter, in plain words ------------------------------
    risks: list[Risk] = []
    hr_rows = []
    for right in bindings.human_rights:
        q = question(right.concern)
        if q is None:
            continue
        value = assessment.get_answer(q.id)
        raised = concern(q, value) or (q.concern_if is None and isinstance(value, dict) and value.get("answer") == "yes")
        rationale = _text(value.get("rationale") if isinstance(value, dict) else "")
        analysis_given = raw(right.analysis) if right.analysis and right.analysis not in hidden else None
        hr_rows.append(Row([right.right, yes_no_label(value) + (" (concern)" if raised else ""), rationale,
                            _text(analysis_given) if raised else "Not required"], raised))
        if raised:
            article = re.match(r"(Article \d+)", right.right)
            risks.append(Risk(
                what=f"A possible breach of human rights ({right.right})",
                detail=rationale, who="",
                done=(analysis_given or "").strip() or "No analysis of this concern is recorded yet.",
                actions=linked_actions(article.group(1)) if article else [], question_id=q.id))
    human_rights = Table(["Right", "Concern?", "Rationale", "Stage 2 analysis"], hr_rows)
    for label, kind, row in negative:
        mitigation = (row.get("mitigation") or "").strip()
        mtype = MITIGATION_LABELS.get(row.get("mitigation_type") or "")
        done = mitigation + (f" ({mtype.lower()})" if mitigation and mtype else "") if mitigation else "No mitigation is recorded."
        risks.append(Risk(what=f"A negative impact on {label[:1].lower() + label[1:]} ({kind.lower()})",
                          detail=(row.get("evidence") or "").strip() or "No evidence is recorded.",
                          who="", done=done, actions=linked_actions(label), group=label))
    if not negative:
        # No negative stage 2 impact recorded: the screening's own concerns in section one are the risks.
        first = questionnaire.section(bindings.stage1[0]) if bindings.stage1 else None
        if not statements.stage2_answered:
            not_yet = "No stage 2 assessment is recorded yet."
        else:
            not_yet = "Stage 2 rates no group's impact as negative, and says nothing more about this concern."
        for q in (first.questions if first else []):
            value = answer_or_taken(q.id)
            # Q9's "No" (no positive effect) is a missed benefit, not something that could go wrong.
            if q.type == QuestionType.yes_no and q.concern_if == "yes" and concern(q, value):
                risks.append(Risk(what=f"Question {q.number}: {q.text} {yes_no_label(value)}",
                                  detail=rationale_of(value) or "No reason is given.", who="",
                                  done=not_yet, question_id=q.id))

    # --- what the board must see: every blocking and high finding, by root cause ---
    groups_known = [(g.label, g.id) for g in questionnaire.groups_in("all")]
    analysis_for = {r.concern: r.analysis for r in bindings.human_rights if r.analysis}
    article_for = {r.concern: (m.group(1) if (m := re.match(r"(Article \d+)", r.right)) else r.right)
                   for r in bindings.human_rights}
    negative_rows = {label: row for label, _, row in negative}

    def board_finding(f: Finding) -> BoardFinding:
        said = " ".join(t.answer for t in f.triggered_by)
        lowered = said.lower()  # a plain substring test first: the word-boundary regex only for the few that pass
        who = [label for label, _ in groups_known if label.lower() in lowered and _mentions(said, label)]
        done: list[str] = []
        for label in who:
            row = negative_rows.get(label)
            if row and (row.get("mitigation") or "").strip():
                done.append(f"Mitigation for {label}: {row['mitigation'].strip()}")
        for t in f.triggered_by:
            analysis = analysis_for.get(t.question_id)
            text = raw(analysis) if analysis and analysis not in hidden else None
            if isinstance(text, str) and text.strip():
                done.append(f"Stage 2 analysis: {text.strip()}")
        needles = who + [article_for[t.question_id] for t in f.triggered_by if t.question_id in article_for]
        done += [f"Action: {a}" for a in linked_actions(*needles)]
        severity = f.severity + (", blocking" if f.blocking else "")
        because = "; ".join(_shorten(f"{_where(t)}: {t.answer}") for t in f.triggered_by[:BECAUSE_SHOWN])
        if len(f.triggered_by) > BECAUSE_SHOWN:
            because += f"; and {len(f.triggered_by) - BECAUSE_SHOWN} more"
        return BoardFinding(f.title, severity, f.message, "; ".join(who), list(dict.fromkeys(done)),
                            [c.title for c in f.consequences], f.blocking, because)

    def must_see(f: Finding) -> bool:
        """Blocking or high, itself or a finding grouped under it (read there, as `idmf check` reads it)."""
        return any(g.blocking or SEVERITY_RANK.get(g.severity, 0) >= MUST_SEE_RANK for g in (f, *f.consequences))

    ranked = sorted(findings.findings, key=lambda f: (not f.blocking, -SEVERITY_RANK.get(f.severity, 0)))
    must = [board_finding(f) for f in ranked if must_see(f)]
    rest = [f for f in ranked if not must_see(f) and f.severity != "info"]
    others = [OtherFinding(f.title, f.severity, _first_sentence(f.message)) for f in rest]
    # A risk recorded in the answers that a finding above raised from the same answer is read there
    # once; the others follow the findings. A group's harm stays in the author's words even when a
    # finding names the group for another reason (not engaged, stage 2 incomplete): that finding
    # says what is missing, not what could go wrong for them.
    raised_by = {t.question_id for f in ranked if must_see(f) for t in f.triggered_by}
    risks = [r for r in risks if not (r.question_id and r.question_id in raised_by)]
    tally = {sev: sum(1 for f in rest if f.severity == sev) for sev in SEVERITIES}
    others_count = " and ".join(f"{n} {sev}" for sev, n in tally.items() if n)

    def story_line(qid: str) -> Optional[str]:
        """The answer, else (a screening is not asked the steps) what its twin on the form says."""
        if qid not in hidden and answer_or_taken(qid) not in (None, "", [], {}):
            return answer(qid)
        q = question(qid)
        twin = twin_of(q, questionnaire) if q else None
        if twin is not None and twin.id not in hidden and answer_or_taken(twin.id) not in (None, "", [], {}):
            return f"{answer(twin.id)} ({where_asked(twin, questionnaire)})"
        return None

    story = [(b.label, line) for b in bindings.story if (line := story_line(b.question)) is not None]

    # A screening is not asked the outcome; it says so rather than "Not answered".
    if bindings.outcome and (in_scope(bindings.outcome) or raw(bindings.outcome)):
        outcome = answer(bindings.outcome)
    else:
        outcome = "Not part of a stage 1 screening" if scope == "screening" else NOT_ANSWERED
    justification = (raw(bindings.justification) or "").strip() if bindings.justification and bindings.justification not in hidden else ""

    monitoring = [(b.label, answer(b.question)) for b in bindings.monitoring
                  if (b.question not in hidden and in_scope(b.question))
                  or assessment.get_answer(b.question) not in (None, "")]
    if assessment.approval and assessment.approval.review_date:
        monitoring.append(("Review due (set at approval)", format_date(assessment.approval.review_date)))

    drafted = raw(bindings.drafted_by) or {}
    drafted_by = [("Drafted by", _text(drafted.get("name"))), ("Role", _text(drafted.get("role"))),
                  ("Date drafted", format_date(drafted.get("date")))]
    if (drafted.get("comments") or "").strip():
        drafted_by.append(("Comments", drafted["comments"].strip()))
    approval = _approval_view(assessment, raw(bindings.approval) if bindings.approval else None)
    returned_entries = [h for h in assessment.history if h.event == "returned"]
    returned = (f"{returned_entries[-1].detail} ({returned_entries[-1].by}, {format_date(returned_entries[-1].at)})"
                if returned_entries else "")

    # --- the author's working report ----------------------------------------
    steps = []
    for step in questionnaire.steps:
        sections = []
        for section in step.sections:
            shown = [q for q in section.questions if q.id not in hidden
                     and (in_scope(q.id) or assessment.get_answer(q.id) not in (None, "", [], {}))]
            if shown:
                sections.append(SectionView(section.title, [
                    AnsweredQuestion(f"Q{q.number}" if q.number else "", q.text, answer(q.id)) for q in shown]))
        steps.append(StepView(step.number, step.title, sections))
    groups = []
    for category in CATEGORIES:
        items = [f for f in findings.findings if f.category == category]
        if items:
            groups.append(FindingGroup(category, CATEGORY_LABELS[category], items))

    content_hash = assessment.content_hash()
    generated_words = _words_datetime(generated_at)
    footer = [
        ("Assessment id", str(assessment.id)),
        ("Content hash (sha256 of the answers)", content_hash),
        ("Rule-set version (sha256 of the rule files)", findings.ruleset_version),
        ("Generated", generated_words),
        ("idmf version", __version__),
        ("Rules engine", findings.engine or "not recorded"),
        *_sources(questionnaire, findings),
    ]
    integrity_line = (f"Assessment {assessment.id} · answers sha256 {content_hash[:16]} · "
                      f"rules {findings.ruleset_version[:12]} · generated {generated_words} · idmf {__version__}"
                      f" · engine {findings.engine or 'not recorded'}")
    # An organisation's own questionnaire, rules or templates are named on every report, with where they came from.
    # The rules that judged it are always named (shipped or not); the others when they are the organisation's own.
    own = [f"{label.lower()}: {text}" for label, text in _sources(questionnaire, findings)
           if label == "Rules" or "(shipped with idmf" not in text]
    if own:
        integrity_line += " · " + " · ".join(own)
    person = assessment.metadata.person_responsible.strip()
    properties = {
        "title": f"EHIIRA: {assessment.title}" if assessment.title else "EHIIRA",
        "author": person,
        "subject": "Equality, Health Inequalities Impact and Risk Assessment",
        "keywords": f"EHIIRA; assessment {assessment.id}; answers sha256 {content_hash}; "
                    f"rules sha256 {findings.ruleset_version}; engine {findings.engine or 'not recorded'}",
        # Where the report came from, for records systems: in the document's properties, not its pages.
        "integrity": integrity_line,
        "language": "en-GB",
    }
    return ReportContext(
        title=assessment.title, fields=fields, overview=overview, status=assessment.status, status_label=status_label,
        rag=statements.rag, rag_label=RAG_LABELS[statements.rag], rag_words=RAG_WORDS[statements.rag],
        readiness=statements.readiness,
        readiness_words=READINESS_WORDS.get(statements.readiness, statements.readiness),
        must_see=must, others=others, others_count=others_count, statements=statements, story=story, risks=risks, outcome=outcome, justification=justification,
        stage1=stage1, stage2_shown=stage2_shown, stage2_note=stage2_note, stage2_impacts=stage2_impacts,
        stage2_unassessed=unassessed if stage2_shown and statements.stage2_answered else [],
        stage2_neutral=neutral, stage2_answers=stage2_answers,
        actions=actions, monitoring=monitoring,
        plan_note=("" if actions.rows or monitoring or scope != "screening" else
                   "A stage 1 screening has no action plan or monitoring plan; they come with the full assessment."),
        drafted_by=drafted_by, approval=approval, returned=returned,
        integrity_note=integrity(assessment).statement(), integrity_words=_integrity_words(assessment, approval),
        integrity_line=integrity_line, properties=properties,
        generated_at=generated_words,
        details=details, counts=[(s, findings.counts_by_severity.get(s, 0)) for s in SEVERITIES],
        blocking=findings.blocking, finding_groups=groups, finding_total=len(findings.findings), steps=steps,
        human_rights=human_rights, stage2_all=Table(["Group", "Kind", "Likely impact", "Evidence", "Mitigation", "Type of mitigation"], all_impact_rows), footer=footer, assessment_id=str(assessment.id), content_hash=content_hash,
        ruleset_version=findings.ruleset_version,
    )


def _approval_view(assessment: Assessment, form_approval: Any) -> ApprovalView:
    """Who approved the assessment, and whether it can be vouched for, in words a board member reads."""
    approval = assessment.approval
    if approval is not None:
        changed = assessment.changed_since_approval()
        state = integrity(assessment)
        view = ApprovalView("idmf", approval.reviewer, approval.role, format_date(approval.date),
                            approval.comments.strip(), verified=not changed)
        who = f"{approval.reviewer}{', ' + approval.role + ',' if approval.role else ''}"
        checked = ("the approval was verified against the organisation's list of trusted reviewers"
                   if state.approval_verified else
                   f"the approval could not be verified against the organisation's list of trusted reviewers"
                   f" ({state.approval_problem or 'it is not signed'})")
        view.statement = (f"Approved by {who} on {view.date}; {checked}; "
                          + ("the answers have changed since, so this approval no longer covers them."
                             if changed else "the answers have not changed since."))
        return view
    external = getattr(assessment, "external_approval", None)
    if external is not None:
        view = ApprovalView("external", external.name, external.role or "",
                            format_date(external.date) if external.date else "Not recorded",
                            (external.comments or "").strip())
        provenance = getattr(assessment, "provenance", None)
        source = (f" (imported from {provenance.source_file} on {format_date(provenance.imported_on.date())})"
                  if provenance else "")
        parts = [f"Approved on the paper form by {external.name}"] + ([external.role] if external.role else []) + (
            [f"on {view.date}"] if external.date else [])
        view.statement = (", ".join(parts) + f"{source}; recorded as written there, so it could not be verified "
                          "against the organisation's list of trusted reviewers.")
        return view
    if isinstance(form_approval, dict) and (form_approval.get("name") or "").strip():
        view = ApprovalView("form", form_approval.get("name", "").strip(), (form_approval.get("role") or "").strip(),
                            format_date(form_approval.get("date")), (form_approval.get("comments") or "").strip())
        view.statement = (f"Approval recorded in the form's answers by {view.name}"
                          f"{', ' + view.role if view.role else ''}; it was not given through the review "
                          "process, so it could not be verified against the organisation's list of trusted reviewers.")
        return view
    return ApprovalView("none", statement="Not yet approved.")


def _integrity_words(assessment: Assessment, approval: ApprovalView) -> str:
    """The appendix's last words: whether what the board reads is what was approved, in plain words.
    (The hashes and the rules engine are in the document's properties, for records systems.)"""
    state = integrity(assessment)
    parts = [approval.statement]
    if state.history_problems:
        parts.append("The record of changes to this assessment has been altered by hand, so its history "
                     "cannot be relied on.")
    elif assessment.approval is None:
        parts.append("Every change to the answers is recorded in the assessment's history.")
    return " ".join(parts)
