"""From what a form says (``ScreeningForm``) to an idmf assessment, and the
plain-words account of the import: what was mapped, what was left
unanswered, and what text could not be placed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from ..errors import InputError
from ..model.assessment import Assessment, Provenance, QuestionnaireRef
from ..model.questionnaire import QuestionType, Questionnaire
from ..questionnaire.answers import MAX_TEXT, parse_answer
from ..scope import record_external_approval
from .form import FURTHER_COMMENTS, FormApproval, ScreeningForm

OVERVIEW_QUESTION = "purpose.overview"
DRAFTED_BY_QUESTION = "signoff.drafted_by"


def _gate(assessment: Assessment, questionnaire: Questionnaire, question_id: str, value, what: str,
          report: "ImportReport") -> bool:
    """Store ``value`` as the answer to ``question_id`` only once it has passed the same parser as
    every answer typed in the wizard; one it refuses is left out, and the report says why."""
    question = questionnaire.question(question_id)
    if question is None:
        report.notes.append(f"{what} was not imported: the questionnaire has no question {question_id}")
        return False
    try:
        parsed = parse_answer(question, value, questionnaire)
    except InputError as exc:
        report.notes.append(f"{what} was not imported: {exc}")
        return False
    if parsed is None:
        return False
    assessment.answers[question.id] = parsed
    return True


def stage1_questions(questionnaire: Questionnaire) -> dict[int, object]:
    """The numbered stage 1 questions by number (the form's numbering)."""
    return {q.number: q for q in questionnaire.questions() if q.number and q.id.startswith("ehiira.")}


@dataclass
class ImportReport:
    source: str
    mapped: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def unanswered_numbers(self) -> list[int]:
        return [int(line.split(" ", 2)[1].rstrip(":")) for line in self.unanswered if line.startswith("question ")]


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ranges(numbers: list[int]) -> str:
    out, start, prev = [], None, None
    for n in sorted(numbers):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(out)


def _fit(text: str, what: str, report: ImportReport) -> str:
    if len(text) > MAX_TEXT:
        report.notes.append(f"{what} is {len(text):,} characters; only the first {MAX_TEXT:,} were kept "
                            "(the rest is in the source form)")
        return text[:MAX_TEXT]
    return text


def build_assessment(form: ScreeningForm, questionnaire: Questionnaire, *, source_file: str, sha256: str,
                     imported_on: Optional[dt.datetime] = None) -> tuple[Assessment, ImportReport]:
    imported_on = imported_on or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    report = ImportReport(source_file)
    assessment = Assessment(
        title=form.title, questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        provenance=Provenance(source_file=source_file, source_sha256=sha256, imported_on=imported_on),
    )
    _set_scope(assessment, form, report)
    header = [("title", "title")]
    for name in ("person_responsible", "service_area", "organisation"):
        value = getattr(form, name)
        if value:
            setattr(assessment.metadata, name, _fit(value, name.replace("_", " "), report))
        header.append((name, name.replace("_", " ")))
    if form.overview:
        _gate(assessment, questionnaire, OVERVIEW_QUESTION, _fit(form.overview, "the overview", report),
              "the overview", report)
    header.append(("overview", "overview"))
    if form.decision_date:
        assessment.metadata.decision_date = form.decision_date
    found = [label for name, label in header if getattr(form, name)]
    missing = [label for name, label in header if not getattr(form, name) and name != "organisation"]
    if form.screening_date:
        found.append(f"screening date {form.screening_date.isoformat()}")
    if form.decision_date:
        found.append(f"decision date {form.decision_date.isoformat()}")
    if form.drafted_by and form.drafted_by.name:
        person = {"name": form.drafted_by.name, "role": form.drafted_by.role}
        if form.drafted_by.date:
            person["date"] = form.drafted_by.date.isoformat()
        if _gate(assessment, questionnaire, DRAFTED_BY_QUESTION, person, "who drafted the form", report):
            found.append(f"drafted by {form.drafted_by.name}")
    if found:
        report.mapped.append("header: " + ", ".join(found))
    if missing:
        report.notes.append("not on the form: " + ", ".join(missing))

    questions = stage1_questions(questionnaire)
    answered, unanswered = [], []
    for number, question in sorted(questions.items()):
        got = form.answers.get(number)
        if question.type == QuestionType.yes_no:
            if got is None:
                report.unanswered.append(f"question {number}: not found on the form")
                continue
            rationale = _fit(got.rationale, f"the rationale for question {number}", report)
            if got.answer is None:
                if rationale:
                    _gate(assessment, questionnaire, question.id, {"answer": None, "rationale": rationale},
                          f"the text of question {number}", report)
                kept = f"; its text is kept as the rationale: \"{_short(rationale, 70)}\"" if rationale else ""
                report.unanswered.append(f"question {number}: {got.reason or 'no answer given'} ({got.where}){kept}")
                unanswered.append(number)
                continue
            value = {"answer": got.answer, "rationale": rationale} if rationale else {"answer": got.answer}
            if not _gate(assessment, questionnaire, question.id, value, f"the answer to question {number}", report):
                report.unanswered.append(f"question {number}: the answer read was not accepted ({got.where})")
                continue
            answered.append(number)
        elif number == FURTHER_COMMENTS and form.further_comments:
            _gate(assessment, questionnaire, question.id, _fit(form.further_comments, "the further comments", report),
                  "the further comments", report)
    if answered:
        report.mapped.append(f"questions {_ranges(answered)} answered Yes or No ({len(answered)} of "
                             f"{sum(1 for q in questions.values() if q.type == QuestionType.yes_no)})")
    without = [n for n in answered if not form.answers[n].rationale]
    if without:
        report.notes.append(f"answered without a rationale on the form: questions {_ranges(without)}")
    if form.further_comments:
        report.mapped.append(f"further comments (question {FURTHER_COMMENTS})")
    _set_approval(assessment, form.approval, report, source_file)
    for where, text in form.unplaced:
        report.unplaced.append(f"{where}: \"{_short(text)}\"")
    report.notes.extend(form.notes)
    detail = f"from {source_file} (sha256 {sha256[:12]}…)"
    assessment.record("imported", detail=detail, at=imported_on)
    return assessment, report


def _set_scope(assessment: Assessment, form: ScreeningForm, report: ImportReport) -> None:
    """A stage 1 form is a screening; its screening date, when it has one, is when
    regard was had (so an old form is not judged late because it was imported today)."""
    assessment.scope = "screening"
    if form.screening_date:
        assessment.metadata.screening_date = form.screening_date


def _set_approval(assessment: Assessment, approval: Optional[FormApproval], report: ImportReport,
                  source_file: str) -> None:
    if approval is None or not (approval.name or approval.comments or approval.date_text):
        report.notes.append("no approval by the E&I business partner on the form")
        return
    if not approval.name:
        report.notes.append(f"the approval box ({approval.where}) has no name, so it is not recorded as an approval")
        if approval.comments:
            report.unplaced.append(f"{approval.where}: \"{_short(approval.comments)}\"")
        return
    if approval.date_text and approval.date is None:
        report.notes.append(f"the approval date '{approval.date_text}' is not a date idmf can read; not recorded")
    # A paper approval: recorded as made outside idmf, with where it was read, never as
    # idmf's own approval (assessment.approval) and never signed.
    external = record_external_approval(assessment, name=approval.name, role=approval.role, date=approval.date,
                                        comments=approval.comments, by="idmf import")
    external.source = f"{source_file}, {approval.where}" if approval.where else source_file
    when = f" on {approval.date.isoformat()}" if approval.date else ""
    report.mapped.append(f"approval by {approval.name}{' (' + approval.role + ')' if approval.role else ''}{when}, "
                         "recorded as made outside idmf")
