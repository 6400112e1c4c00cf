"""Assessment: one decision's answers, status and history."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = 2

Status = Literal["draft", "submitted", "approved", "returned"]

# How much of the framework a decision needs. Most decisions need only the
# stage 1 screening (the 28-question form with its header and sign-off); the
# full six-step IDMF with stage 2 follows when screening finds a possible
# negative impact. Rules and "required" know which questions each scope asks.
Scope = Literal["screening", "full"]
SCOPES: tuple[str, ...] = ("screening", "full")
SCOPE_LABELS = {"screening": "Stage 1 screening", "full": "Full IDMF assessment"}

# Question ids under "meta." are stored in the assessment's metadata block
# (and "meta.title" in its title) rather than in answers, so the header
# fields have one home whether the wizard or `idmf new` sets them.
META_PREFIX = "meta."
META_FIELDS = ("title", "person_responsible", "organisation", "service_area", "decision_type", "decision_date",
               "screening_date")
_META_DATES = ("decision_date", "screening_date")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _in_utc(moment: dt.datetime) -> dt.datetime:
    # A time written without a zone (by hand, or by another tool) is read as
    # UTC, so every two times in a file or a register can be compared.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


UtcDateTime = Annotated[dt.datetime, AfterValidator(_in_utc)]


def _clean(text: str) -> str:
    from ..textsafety import normalise_answer

    return normalise_answer(text)


# Header text goes into every report and terminal: control characters (a pasted
# Word line break, an escape sequence typed into a file) are cleaned as it is read.
CleanText = Annotated[str, AfterValidator(_clean)]


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Metadata(_Model):
    person_responsible: CleanText = ""
    organisation: CleanText = ""
    service_area: CleanText = ""
    decision_type: CleanText = ""
    decision_date: Optional[dt.date] = None
    # When the stage 1 screening was done: what "regard before the decision"
    # is judged on, so an imported or back-filled form is not late because of
    # the day its file was created.
    screening_date: Optional[dt.date] = None


class QuestionnaireRef(_Model):
    id: str = ""
    version: str = ""


class Approval(_Model):
    reviewer: CleanText
    role: CleanText = ""
    date: dt.date
    comments: CleanText = ""
    content_hash: str
    review_date: Optional[dt.date] = None


class ApprovalSignature(_Model):
    """The reviewer's Ed25519 signature over everything else in the file (see idmf.signing)."""

    algorithm: str
    key_id: str
    public_key: str
    value: str


class Provenance(_Model):
    """Where an imported assessment came from: the form file as it was read.

    The hash lets anyone confirm later that a given file is the one imported,
    and lets a second import of the same file be recognised."""

    source_file: str
    source_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    imported_on: dt.datetime


class ExternalApproval(_Model):
    """An approval made outside idmf (for example the E&I business partner's
    signature on a paper or Word form), recorded as such. It is never shown
    as an approval idmf verified: idmf did not see what was approved."""

    name: str
    role: str = ""
    date: Optional[dt.date] = None
    comments: str = ""
    source: str = ""  # where it was read, when imported from a form ("form.docx, table 4 row 2")


class HistoryEntry(_Model):
    at: UtcDateTime
    event: str  # created, answered, submitted, approved, returned, reopened, migrated ...
    by: str = ""
    detail: str = ""
    content_hash: str = ""
    prev: str = ""  # hash of the previous entry: a simple chain against silent rewriting
    hash: str = ""

    def compute_hash(self) -> str:
        body = self.model_dump(mode="json", exclude={"hash"})
        return hashlib.sha256(canonical_json(body).encode()).hexdigest()


class Assessment(_Model):
    schema_version: int = SCHEMA_VERSION
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    title: CleanText
    questionnaire: QuestionnaireRef = Field(default_factory=QuestionnaireRef)
    metadata: Metadata = Field(default_factory=Metadata)
    status: Status = "draft"
    scope: Scope = "full"
    created: UtcDateTime = Field(default_factory=_now)
    updated: UtcDateTime = Field(default_factory=_now)
    answers: dict[str, Any] = Field(default_factory=dict)
    approval: Optional[Approval] = None
    provenance: Optional[Provenance] = None  # set when the assessment was imported from a completed form
    external_approval: Optional[ExternalApproval] = None
    history: list[HistoryEntry] = Field(default_factory=list)
    signature: Optional[ApprovalSignature] = None  # the approval's signature; covers every other field
    _source: Optional[str] = PrivateAttr(default=None)  # the file it was read from, to find who is trusted

    # --- answers -------------------------------------------------------

    def get_answer(self, question_id: str) -> Any:
        if question_id.startswith(META_PREFIX):
            name = question_id[len(META_PREFIX):]
            if name == "title":
                return self.title or None
            value = getattr(self.metadata, name, None)
            return value if value not in ("", None) else None
        return self.answers.get(question_id)

    def set_answer(self, question_id: str, value: Any, *, by: str = "") -> None:
        """Store a plain (already validated) answer; ``None`` clears it.

        Changing an answer of a submitted or approved assessment reopens it as
        a draft, with a history entry: what a reviewer approved must be what
        the board sees.
        """
        if self.status in ("submitted", "approved") and self.get_answer(question_id) != value:
            previous = self.status
            self.status = "draft"
            self.signature = None  # what was signed is no longer what is here; the approval stays as a record
            self.record("reopened", by=by, detail=f"answer to {question_id} changed after it was {previous}")
        if question_id.startswith(META_PREFIX):
            name = question_id[len(META_PREFIX):]
            if name == "title":
                self.title = value or ""
            else:
                setattr(self.metadata, name, value if value is not None else ("" if name not in _META_DATES else None))
        elif value is None:
            self.answers.pop(question_id, None)
        else:
            self.answers[question_id] = value
        self.updated = _now()

    # --- integrity -----------------------------------------------------

    def content(self) -> dict:
        """What a reviewer approves: the header and the answers, nothing else."""
        metadata = self.metadata.model_dump(mode="json")
        # Fields added after files were approved join the hash only when set,
        # so adding them did not make every approved file look edited.
        if metadata.get("screening_date") is None:
            metadata.pop("screening_date", None)
        content = {"title": self.title, "metadata": metadata, "answers": self.answers}
        if self.scope != "full":
            content["scope"] = self.scope  # what was asked is part of what was approved
        return content

    def content_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.content()).encode()).hexdigest()

    def record(self, event: str, *, by: str = "", detail: str = "",
               at: Optional[dt.datetime] = None) -> HistoryEntry:
        """Append a history entry chained to the one before it."""
        entry = HistoryEntry(
            at=at or _now(), event=event, by=by, detail=detail, content_hash=self.content_hash(),
            prev=self.history[-1].hash if self.history else "",
        )
        entry.hash = entry.compute_hash()
        self.history.append(entry)
        return entry

    def broken_history(self) -> list[str]:
        """Problems with the history chain (empty when intact)."""
        problems = []
        prev = ""
        for i, entry in enumerate(self.history, start=1):
            if entry.prev != prev:
                problems.append(f"history entry {i} ({entry.event}, {entry.at:%Y-%m-%d}) does not follow the entry before it")
            if entry.compute_hash() != entry.hash:
                problems.append(f"history entry {i} ({entry.event}, {entry.at:%Y-%m-%d}) was changed after it was written")
            prev = entry.hash
        return problems

    def changed_since_approval(self) -> bool:
        return self.approval is not None and self.approval.content_hash != self.content_hash()

    @property
    def last_changed(self) -> dt.datetime:
        """When anything last happened to it: an answer, or a history event such as approval."""
        return max([self.updated] + [entry.at for entry in self.history[-1:]])

    def reopen_if_edited_outside_idmf(self, edited_at: Optional[dt.datetime] = None) -> bool:
        """An approved or submitted assessment whose header or answers no longer
        match what was approved or submitted was edited by hand: it is a draft
        again, with a history entry saying so, exactly as if the edit had been
        made in idmf. ``edited_at`` is when (the file's modification time).
        Returns whether it was reopened (in memory: the entry is written when
        idmf next saves the file)."""
        if self.status == "approved" and self.changed_since_approval():
            approval = self.approval
            detail = (f"header or answers changed outside idmf after approval on "
                      f"{approval.date.isoformat()} by {approval.reviewer}")
        elif self.status == "submitted":
            submitted = next((e for e in reversed(self.history) if e.event == "submitted"), None)
            if submitted is None or submitted.content_hash == self.content_hash():
                return False
            detail = f"header or answers changed outside idmf after it was submitted on {submitted.at.date().isoformat()}"
        else:
            return False
        self.status = "draft"
        self.signature = None
        self.record("reopened", detail=detail, at=edited_at)
        return True
