"""The review page of an import: for each form, question by question, the text found on
the form beside the answer read, or why none was, so a backlog can be checked at a glance.

Domain only: builds plain rows and renders them with a Jinja template (autoescaped:
everything on the page comes from the forms)."""

from __future__ import annotations

from dataclasses import dataclass, field
from ..model.questionnaire import QuestionType, Questionnaire
from .build import stage1_questions

TEMPLATE = "import-review.html.j2"


@dataclass
class ReviewRow:
    number: int
    question: str          # idmf's wording
    wording: str           # the form's wording, when it was found
    written: str           # what the form says for it
    answer: str            # "Yes", "No", or "" when none was read
    rationale: str
    why: str               # why no answer was read ("" when one was)
    where: str             # page/line or table/row


@dataclass
class ReviewForm:
    name: str
    outcome: str                     # "imported as …", "already imported as …", "refused: …"
    rows: list[ReviewRow] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)

    @property
    def read(self) -> int:
        return sum(1 for r in self.rows if r.answer)

    @property
    def unread(self) -> int:
        return sum(1 for r in self.rows if not r.answer and r.number != 28)


def review_form(name: str, outcome: str, imported, questionnaire: Questionnaire) -> ReviewForm:
    """One form's part of the page; ``imported`` is an ImportedForm, or None when it was refused."""
    entry = ReviewForm(name, outcome)
    if imported is None:
        return entry
    report, form = imported.report, imported.form
    entry.mapped, entry.notes, entry.unplaced = list(report.mapped), list(report.notes), list(report.unplaced)
    why_by_number = {}
    for line in report.unanswered:
        head, _, why = line.partition(": ")
        if head.startswith("question "):
            why_by_number[int(head.split()[1])] = why
    for number, question in sorted(stage1_questions(questionnaire).items()):
        got = form.answers.get(number)
        stored = imported.assessment.answers.get(question.id)
        answer = rationale = ""
        if question.type == QuestionType.yes_no and isinstance(stored, dict):
            answer = {"yes": "Yes", "no": "No"}.get(stored.get("answer") or "", "")
            rationale = stored.get("rationale") or ""
        elif isinstance(stored, str):
            rationale = stored
        why = "" if answer or question.type != QuestionType.yes_no else why_by_number.get(number, "no answer given")
        entry.rows.append(ReviewRow(number, question.text, got.wording if got else "", got.written if got else "",
                                    answer, rationale, why, got.where if got else ""))
    return entry


def render_review(forms: list[ReviewForm], *, title: str = "Import review") -> str:
    import jinja2

    from ..paths import shipped_dir

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(shipped_dir("templates"))),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template(TEMPLATE).render(title=title, forms=forms)
