"""Pydantic types of the domain: data only, no UI and no I/O."""

from .answers import ActionRow, GroupImpactRow, PersonAnswer, YesNoAnswer
from .assessment import SCOPES, Assessment, ExternalApproval, HistoryEntry, Metadata, Scope, Status
from .questionnaire import Group, Option, Question, QuestionType, Questionnaire, Section, Step

__all__ = [
    "ActionRow", "Assessment", "ExternalApproval", "Group", "GroupImpactRow", "HistoryEntry", "Metadata", "Option",
    "PersonAnswer", "Question", "QuestionType", "Questionnaire", "SCOPES", "Scope", "Section", "Status", "Step", "YesNoAnswer",
]
