"""One report context, built once from an assessment, its questionnaire and its findings.

Every format (HTML, Markdown, Word, PDF) renders this same data, so they
cannot disagree. Everything here is plain text: escaping is each format's
job, and no answer is ever treated as a template or markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from .. import __version__
from ..answer_text import (
    IMPACT_LABELS, MITIGATION_LABELS, NOT_ANSWERED, STATUS_LABELS, answer_text, format_date, yes_no_label,
)
from ..facts import build_facts, hidden_question_ids
from ..lifecycle import integrity
from ..model.assessment import Assessment
from ..model.questionnaire import QuestionType, Questionnaire
from ..rules.model import CATEGORIES, CATEGORY_LABELS, SEVERITIES, Finding, Findings

RAG_LABELS = {"red": "RED", "amber": "AMBER", "green": "GREEN"}
STATUS_NAMES = {"draft": "Draft", "submitted": "Submitted for review", "approved": "Approved", "returned": "Returned for changes"}
ARTICLES = [
    ("ehiira.q19", "stage2.hr_article2", "Article 2: right to life"),
    ("ehiira.q20", "stage2.hr_article3", "Article 3: no inhuman or degrading treatment"),
    ("ehiira.q21", "stage2.hr_article5", "Article 5: right to liberty"),
    ("ehiira.q22", "stage2.hr_article6", "Article 6: fair trial or hearing"),
    ("ehiira.q23", "stage2.hr_article8", "Article 8: private and family life"),
    ("ehiira.q24", "stage2.hr_article9", "Article 9: thought, conscience and religion"),
    ("ehiira.q25", "stage2.hr_article10", "Article 10: freedom of expression"),
    ("ehiira.q26", "stage2.hr_article14", "Article 14: no discrimination in enjoying rights"),
    ("ehiira.q27", "stage2.hr_obligation", "Obligation to protect human rights"),
]


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
class ReportContext:
    title: str
    fields: list[tuple[str, str]]  # the title block
    status: str
    rag: str
    rag_label: str
    readiness: str
    counts: list[tuple[str, int]]
    blocking: list[Finding]
    finding_groups: list[FindingGroup]
    finding_total: int
    steps: list[StepView]
    stage1: list[tuple[str, Table]]
    stage2_required: bool
    stage2: Table
    human_rights: Table
    actions: Table
    monitoring: list[tuple[str, str]]
    signoff: list[tuple[str, str]]
    integrity_note: str
    footer: list[tuple[str, str]]
    generated_at: str
    assessment_id: str = ""
    content_hash: str = ""
    ruleset_version: str = ""
    idmf_version: str = __version__
    extra: dict = field(default_factory=dict)


def _text(value: Optional[str]) -> str:
    value = (value or "").strip()
    return value or NOT_ANSWERED


def build_context(assessment: Assessment, questionnaire: Questionnaire, findings: Findings,
                  generated_at: Optional[dt.datetime] = None) -> ReportContext:
    generated_at = generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    facts = build_facts(assessment, questionnaire)
    hidden = hidden_question_ids(questionnaire, {k: v for k, v in facts.items()})
    meta = assessment.metadata
    decision_type = questionnaire.question("meta.decision_type")
    fields = [
        ("Title", _text(assessment.title)),
        ("Person responsible", _text(meta.person_responsible)),
        ("Organisation", _text(meta.organisation)),
        ("Service area", _text(meta.service_area)),
        ("Type of decision", decision_type.choice_label(meta.decision_type, questionnaire) if decision_type and meta.decision_type else _text(meta.decision_type)),
        ("Decision date", format_date(meta.decision_date)),
        ("Version", f"Revision {len(assessment.history) or 1}, questionnaire {assessment.questionnaire.version or questionnaire.version}"),
        ("Status", STATUS_NAMES.get(assessment.status, assessment.status)),
        ("Last updated", format_date(assessment.last_changed)),
    ]

    def answer(qid: str) -> str:
        question = questionnaire.question(qid)
        if question is None:
            return NOT_ANSWERED
        return answer_text(question, assessment.get_answer(qid), questionnaire)

    steps = []
    for step in questionnaire.steps:
        sections = []
        for section in step.sections:
            shown = [q for q in section.questions if q.id not in hidden]
            if not shown:
                continue
            sections.append(SectionView(section.title, [
                AnsweredQuestion(f"Q{q.number}" if q.number else "", q.text, answer_text(q, assessment.get_answer(q.id), questionnaire))
                for q in shown
            ]))
        steps.append(StepView(step.number, step.title, sections))

    stage1 = []
    for step in questionnaire.steps:
        for section in step.sections:
            numbered = [q for q in section.questions if q.number is not None]
            if not numbered:
                continue
            rows = []
            for q in numbered:
                value = assessment.get_answer(q.id)
                if q.type == QuestionType.yes_no:
                    given = yes_no_label(value)
                    rationale = _text(value.get("rationale") if isinstance(value, dict) else "")
                    concern = isinstance(value, dict) and q.concern_answer is not None and value.get("answer") == q.concern_answer
                    rows.append(Row([str(q.number), q.text, given + (" (concern)" if concern else ""), rationale], concern))
                else:
                    rows.append(Row([str(q.number), q.text, "—", answer_text(q, value, questionnaire)]))
            stage1.append((section.title, Table(["No.", "Question", "Yes/No", "Rationale"], rows)))

    impact_ids = ("stage2.protected_characteristics", "stage2.inclusion_groups")
    stage2_required = any(qid not in hidden for qid in impact_ids if questionnaire.question(qid))
    stage2_rows = []
    for qid in impact_ids:
        question = questionnaire.question(qid)
        if question is None:
            continue
        given = {row.get("group"): row for row in (assessment.get_answer(qid) or []) if isinstance(row, dict)}
        for group in questionnaire.groups_in(question.groups or "all"):
            row = given.get(group.id, {})
            impact = IMPACT_LABELS.get(row.get("impact") or "", NOT_ANSWERED)
            stage2_rows.append(Row([
                group.label,
                "Protected characteristic" if group.kind == "protected_characteristic" else "Inclusion group",
                impact, _text(row.get("evidence")), _text(row.get("mitigation")),
                MITIGATION_LABELS.get(row.get("mitigation_type") or "", NOT_ANSWERED),
            ], flag=row.get("impact") == "negative"))
    stage2 = Table(["Group", "Kind", "Likely impact", "Evidence", "Mitigation", "Type of mitigation"], stage2_rows)

    hr_rows = []
    for concern_id, analysis_id, article in ARTICLES:
        value = assessment.get_answer(concern_id)
        concern = isinstance(value, dict) and value.get("answer") == "yes"
        analysis = assessment.get_answer(analysis_id) if analysis_id not in hidden else None
        hr_rows.append(Row([
            article, yes_no_label(value) + (" (concern)" if concern else ""),
            _text(value.get("rationale") if isinstance(value, dict) else ""),
            _text(analysis) if concern else "Not required",
        ], concern))
    human_rights = Table(["Right", "Concern?", "Rationale", "Stage 2 analysis"], hr_rows)

    action_rows = [
        Row([_text(row.get("action")), _text(row.get("owner")), format_date(row.get("due")),
             STATUS_LABELS.get(row.get("status") or "", NOT_ANSWERED)], flag=not row.get("owner") or not row.get("due"))
        for row in (assessment.get_answer("decide.actions") or []) if isinstance(row, dict)
    ]
    actions = Table(["Action", "Owner", "Due", "Status"], action_rows)

    monitoring = [
        ("Monitoring plan", answer("review.monitoring_plan")),
        ("Broken down by protected characteristic", answer("review.measures_by_group")),
        ("Broken down by deprivation", answer("review.measures_by_deprivation")),
        ("Reviewed by", answer("review.reviewer")),
        ("Review date", answer("review.review_date")),
        ("Published", answer("review.publish")),
    ]
    if assessment.approval and assessment.approval.review_date:
        monitoring.append(("Review due (set at approval)", format_date(assessment.approval.review_date)))

    drafted = assessment.get_answer("signoff.drafted_by") or {}
    approval = assessment.approval
    signoff = [
        ("Drafted by", _text(", ".join(b for b in (drafted.get("name"), drafted.get("role")) if b))),
        ("Date drafted", format_date(drafted.get("date"))),
        ("Reviewed and approved by", f"{approval.reviewer}, {approval.role}" if approval else "Not yet approved"),
        ("Date approved", format_date(approval.date) if approval else NOT_ANSWERED),
        ("Stage 1 approval comments", _text(approval.comments) if approval else NOT_ANSWERED),
    ]
    returned = [h for h in assessment.history if h.event == "returned"]
    if returned:
        signoff.append(("Last returned with comments", f"{returned[-1].detail} ({returned[-1].by}, {format_date(returned[-1].at)})"))

    groups = []
    for category in CATEGORIES:
        items = [f for f in findings.findings if f.category == category]
        if items:
            groups.append(FindingGroup(category, CATEGORY_LABELS[category], items))

    content_hash = assessment.content_hash()
    footer = [
        ("Assessment id", str(assessment.id)),
        ("Content hash (sha256 of the answers)", content_hash),
        ("Rule-set version (sha256 of the rule files)", findings.ruleset_version),
        ("Generated", generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("idmf version", __version__),
    ]
    return ReportContext(
        title=assessment.title, fields=fields, status=assessment.status, rag=findings.rag,
        rag_label=RAG_LABELS[findings.rag], readiness=findings.readiness,
        counts=[(s, findings.counts_by_severity.get(s, 0)) for s in SEVERITIES],
        blocking=findings.blocking, finding_groups=groups, finding_total=len(findings.findings),
        steps=steps, stage1=stage1, stage2_required=stage2_required, stage2=stage2, human_rights=human_rights,
        actions=actions, monitoring=monitoring, signoff=signoff, integrity_note=integrity(assessment).statement(),
        footer=footer, generated_at=footer[3][1], assessment_id=str(assessment.id), content_hash=content_hash,
        ruleset_version=findings.ruleset_version,
    )
