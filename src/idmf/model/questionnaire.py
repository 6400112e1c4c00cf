"""Questionnaire: ordered IDMF steps -> sections -> questions (loaded from YAML)."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from ..judgement.model import ChangeKind, Signal


class QuestionType(str, Enum):
    yes_no = "yes_no"
    text = "text"
    long_text = "long_text"
    single_choice = "single_choice"
    multi_choice = "multi_choice"
    date = "date"
    number = "number"
    group_impacts = "group_impacts"
    actions = "actions"
    person = "person"


# Parts of an answer that conditions may refer to as ``<question id>.<part>``.
ANSWER_PARTS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.yes_no: ("rationale",),
    QuestionType.person: ("name", "role", "date", "comments"),
}
# Columns of a row that ``any_row: where`` may test, with their allowed values (None: free).
ROW_COLUMNS: dict[QuestionType, dict[str, Optional[tuple[str, ...]]]] = {
    QuestionType.group_impacts: {
        "group": None,  # checked against the questionnaire's groups
        "impact": ("positive", "negative", "neutral", "unknown"),
        "evidence": None,
        "mitigation": None,
        "mitigation_type": ("change_proposal", "targeted_support", "general_measure", "monitor_only", "none"),
        "engaged": ("held", "planned", "not_engaged"),
        "share_affected": None,  # % of the people affected (or selected, or using the service) in this group
        "share_population": None,  # % of the population or caseload they are compared with
    },
    QuestionType.actions: {
        "action": None,
        "owner": None,
        "due": None,
        "status": ("not_started", "in_progress", "done"),
    },
}

GroupSet = Literal["protected_characteristics", "inclusion_groups", "all"]
ScopeName = Literal["screening", "full"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Option(_Model):
    value: str
    label: str


class DerivedFrom(_Model):
    """How a yes/no question is answered from a multiple-choice question that asks the same thing
    (e.g. stage 1 question 11 "Have you considered evidence?" from step 2's list of sources)."""

    question: str  # the multi_choice question it is derived from
    yes_if_any: bool = True  # any value chosen, other than those in no_if, means Yes
    no_if: list[str] = Field(default_factory=list)  # values that, chosen on their own, mean No


class Group(_Model):
    id: str
    label: str
    kind: Literal["protected_characteristic", "inclusion_group"]
    description: str = ""
    # How people write about the group; evidence that uses none of them is not about the group.
    words: list[str] = Field(default_factory=list)


class Question(_Model):
    id: str
    type: QuestionType
    text: str
    why: str = ""  # "why we ask" guidance shown on demand
    required: bool = True
    show_if: Optional[Any] = None  # parsed condition (idmf.conditions) after loading
    number: Optional[int] = None  # the EHIIRA form's own numbering (1-28)
    options: list[Option] = Field(default_factory=list)
    # Choices are the questionnaire's groups, or (``changes``) the kinds of change in changes.yaml;
    # the loader turns ``changes`` into ordinary options, so nothing downstream needs to know.
    options_from: Optional[GroupSet | Literal["changes"]] = None
    groups: Optional[GroupSet] = None  # rows of a group_impacts question
    rationale_required: bool = True  # yes_no only
    concern_if: Optional[Literal["yes", "no"]] = None  # the answer that points to a concern (marked on the report)
    # The answer a reviewer accepts without a rationale (e.g. a bare "No" to a human-rights
    # question): it is listed in derived.bare_answers, not derived.missing_rationale, so the rules
    # decide how much it matters (a low note, or blocking when other answers point to a concern).
    bare_answer_accepted: Optional[Literal["yes", "no"]] = None
    placeholder: str = ""
    # Never ask the same thing twice: the question elsewhere that asks the same thing. An answer
    # to either is taken for the other while that one is unanswered (idmf.twins), the wizard
    # offers it there to confirm, and the report says where it came from.
    same_as: Optional[str] = None  # a yes_no question asking the same (derived both ways)
    derived_from: Optional[DerivedFrom] = None  # a multi_choice question this yes_no follows from
    # Which assessment scopes ask this question ("screening": the stage 1 form;
    # "full": the six-step IDMF). Unset means its section's scopes.
    scopes: Optional[list[ScopeName]] = None
    line: int = 0  # where it is defined, for messages
    source: str = ""

    def in_scope(self, scope: str) -> bool:
        return scope in (self.scopes or ("full",))

    def choice_values(self, questionnaire: "Questionnaire") -> list[str]:
        if self.options_from:
            return [g.id for g in questionnaire.groups_in(self.options_from)]
        return [o.value for o in self.options]

    def choice_label(self, value: str, questionnaire: "Questionnaire") -> str:
        if self.options_from:
            group = questionnaire.group(value)
            return group.label if group else value
        for option in self.options:
            if option.value == value:
                return option.label
        return value


class Section(_Model):
    id: str
    title: str
    intro: str = ""
    show_if: Optional[Any] = None
    # The scopes that ask this section's questions; a question may narrow or widen it.
    scopes: list[ScopeName] = Field(default_factory=lambda: ["full"])
    questions: list[Question]
    line: int = 0
    source: str = ""


class Step(_Model):
    id: str
    number: int
    title: str
    summary: str = ""
    sections: list[Section] = Field(default_factory=list)


class FieldBinding(_Model):
    """One labelled line of the report, filled from one question's answer."""

    label: str
    question: str
    line: int = 0


class RightBinding(_Model):
    """A row of the human-rights table: the stage 1 concern question and its stage 2 analysis."""

    right: str
    concern: str
    analysis: Optional[str] = None
    line: int = 0


class ReportBindings(_Model):
    """Which answers fill which part of the report (questionnaire.yaml's ``report:`` block).

    Declared as data so an organisation that renames or rewords a question
    keeps its report, and `idmf questionnaire validate` names the file and
    line of any binding to a question that no longer exists.
    """

    header: list[FieldBinding]  # the EHIIRA form's header, in order
    overview: str  # "overview of the proposal, policy or service"
    stage1: list[str]  # section ids of the stage 1 form, in order
    stage2: list[str] = Field(default_factory=list)  # section ids of the full assessment
    impacts: list[str] = Field(default_factory=list)  # group_impacts questions
    human_rights: list[RightBinding] = Field(default_factory=list)
    outcome: Optional[str] = None
    justification: Optional[str] = None
    actions: str
    monitoring: list[FieldBinding] = Field(default_factory=list)
    review_date: Optional[str] = None
    late_review_reason: Optional[str] = None
    drafted_by: str
    approval: Optional[str] = None  # the form's own approval box (name, role, date, comments)
    source: str = ""
    lines: dict[str, int] = Field(default_factory=dict)  # key -> line, for messages


class Questionnaire(_Model):
    id: str
    version: str
    title: str
    steps: list[Step]
    groups: list[Group] = Field(default_factory=list)
    report: Optional[ReportBindings] = None
    # What a reviewer knows about kinds of change, and the signals read in authors' words (idmf.judgement).
    changes: list[ChangeKind] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list)

    _index: dict[str, tuple[Step, Section, Question]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._index = {
            q.id: (step, section, q)
            for step in self.steps
            for section in step.sections
            for q in section.questions
        }

    def questions(self) -> list[Question]:
        return [entry[2] for entry in self._index.values()]

    def question(self, question_id: str) -> Optional[Question]:
        # Called for every answer of every file the register reads: going to the
        # private-attribute store directly skips pydantic's slow __getattr__.
        entry = self.__pydantic_private__["_index"].get(question_id)
        return entry[2] if entry else None

    def locate(self, question_id: str) -> Optional[tuple[Step, Section, Question]]:
        return self._index.get(question_id)

    def section(self, section_id: str) -> Optional[Section]:
        return next((sec for step in self.steps for sec in step.sections if sec.id == section_id), None)

    def step(self, step_id: str) -> Optional[Step]:
        return next((s for s in self.steps if s.id == step_id), None)

    def change_kind(self, kind_id: str) -> Optional[ChangeKind]:
        return next((k for k in self.changes if k.id == kind_id), None)

    def group(self, group_id: str) -> Optional[Group]:
        return next((g for g in self.groups if g.id == group_id), None)

    def groups_in(self, which: GroupSet) -> list[Group]:
        if which == "protected_characteristics":
            return [g for g in self.groups if g.kind == "protected_characteristic"]
        if which == "inclusion_groups":
            return [g for g in self.groups if g.kind == "inclusion_group"]
        return list(self.groups)
