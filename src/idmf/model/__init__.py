"""Pydantic types of the domain: data only, no UI and no I/O."""

from .answers import ActionRow, GroupImpactRow, PersonAnswer, YesNoAnswer
from .assessment import Assessment, HistoryEntry, Metadata, Status
from .questionnaire import Group, Option, Question, QuestionType, Questionnaire, Section, Step

__all__ = [
    "ActionRow", "Assessment", "Group", "GroupImpactRow", "HistoryEntry", "Metadata", "Option",
    "PersonAnswer", "Question", "QuestionType", "Questionnaire", "Section", "Status", "Step", "YesNoAnswer",
]
