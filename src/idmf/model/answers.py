"""The shapes of structured answers (yes/no with rationale, group impacts, actions, sign-offs)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

Impact = Literal["positive", "negative", "neutral", "unknown"]
# What a mitigation does. "monitor_only" is the one reviewers query: watching
# a harm happen is not the same as reducing it.
# "general_measure" is a measure for everyone: for a group rated negative it leaves that group's gap.
MitigationType = Literal["change_proposal", "targeted_support", "general_measure", "monitor_only", "none"]
Engaged = Literal["held", "planned", "not_engaged"]
ActionStatus = Literal["not_started", "in_progress", "done"]


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class YesNoAnswer(_Answer):
    answer: Optional[Literal["yes", "no"]] = None
    rationale: str = ""
    # Set when the user confirmed, unchanged, the answer idmf took from this question's twin
    # (idmf.twins): the id of that twin. Such an answer follows its twin when the twin changes,
    # so it is never left saying what the twin no longer says. Absent (not written) otherwise.
    taken_from: Optional[str] = None

    @field_validator("answer", mode="before")
    @classmethod
    def _yes_no(cls, value):
        # YAML 1.1 reads bare yes/no as booleans; people also write "Yes".
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, str):
            return value.strip().lower() or None
        return value


class GroupImpactRow(_Answer):
    group: str
    impact: Optional[Impact] = None
    evidence: str = ""
    mitigation: str = ""
    mitigation_type: Optional[MitigationType] = None
    engaged: Optional[Engaged] = None  # were people from this group engaged (held), or is it only planned?
    # The author's own figures: this group's share (%) of the people affected, selected or using the
    # service, and of the population or caseload. idmf.judgement reads them against the rating.
    share_affected: Optional[float] = Field(default=None, ge=0, le=100)
    share_population: Optional[float] = Field(default=None, ge=0, le=100)


class ActionRow(_Answer):
    action: str
    owner: str = ""
    due: Optional[dt.date] = None
    status: ActionStatus = "not_started"


class PersonAnswer(_Answer):
    name: str = ""
    role: str = ""
    date: Optional[dt.date] = None
    comments: str = ""
