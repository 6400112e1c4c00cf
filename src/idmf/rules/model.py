"""Rules and findings: data only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")  # most serious first
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info 0 .. critical 4
Category = Literal[
    "completeness", "equality", "psed", "health_inequalities", "equity_audit", "evidence",
    "engagement", "access", "human_rights", "monitoring", "transparency", "consistency",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
CATEGORY_LABELS = {
    "completeness": "Completeness",
    "equality": "Equality",
    "psed": "Public Sector Equality Duty",
    "health_inequalities": "Health inequalities",
    "equity_audit": "Health equity audit",
    "evidence": "Evidence",
    "engagement": "Engagement",
    "access": "Access",
    "human_rights": "Human rights",
    "monitoring": "Monitoring and review",
    "transparency": "Transparency",
    "consistency": "Consistency",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


ScopeName = Literal["screening", "full"]


class Example(_Model):
    name: str
    base: Optional[str] = None  # an assessment file (relative to the rule file) the answers change
    scope: Optional[ScopeName] = None  # the assessment's scope (default: the base's, or full)
    answers: dict[str, Any] = Field(default_factory=dict)  # a null answer clears the base's answer
    line: int = 0


class Examples(_Model):
    fires: list[Example] = Field(default_factory=list)
    quiet: list[Example] = Field(default_factory=list)


class Rule(_Model):
    id: str = Field(pattern=r"^[A-Z]{2,5}-\d{3}$")
    title: str
    severity: Severity
    category: Category
    blocking: bool = False
    readiness: Optional[Literal["stage2_required"]] = None
    # One root cause, one finding: when the rule named here also fires, this rule's finding is
    # listed inside that root finding instead of on its own (see ``group_consequences``).
    # A list names alternative roots, most specific first: the first that fired holds this finding.
    consequence_of: Optional[list[Annotated[str, Field(pattern=r"^[A-Z]{2,5}-\d{3}$")]]] = None

    @field_validator("consequence_of", mode="before")
    @classmethod
    def _one_or_more(cls, value):
        return [value] if isinstance(value, str) else value
    # The assessment scopes the rule applies to: a rule about the full IDMF
    # (monitoring plan, stage 2, audits) does not apply to a screening-only form.
    scopes: list[ScopeName] = Field(default_factory=lambda: ["screening", "full"], min_length=1)
    when: Any  # parsed condition (idmf.conditions)
    unless: Any = None
    message: str
    guidance: str
    references: list[str] = Field(min_length=1)
    examples: Examples = Field(default_factory=Examples)
    source: str = ""
    line: int = 0

    def condition(self):
        """The condition the engine tests: ``when`` and not ``unless``."""
        from .. import conditions as C

        parts = [self.when]
        if self.unless is not None:
            parts.append(C.Not(self.unless, self.unless.line))
        if set(self.scopes) != {"screening", "full"}:
            parts.append(C.In("derived.scope", tuple(self.scopes), self.when.line))
        return parts[0] if len(parts) == 1 else C.All(tuple(parts), self.when.line)


# Findings are results, not input: plain dataclasses, cheap to build in the
# wizard after every answer and to send back from `idmf check` worker processes.


@dataclass(slots=True)
class Trigger:
    """One answer that made a rule fire, as a reviewer would read it."""

    question_id: str
    question: str
    answer: str
    label: str = ""  # how a reviewer names the question: "Q7 Could it negatively affect…"

    @property
    def name(self) -> str:
        return self.label or self.question


@dataclass(slots=True)
class Finding:
    rule_id: str
    title: str
    severity: str
    category: str
    blocking: bool
    message: str
    guidance: str
    references: list[str]
    triggered_by: list[Trigger] = field(default_factory=list)
    readiness: Optional[str] = None
    # Findings of the same root cause, read once under this one (their rules name it in ``consequence_of``).
    consequences: list["Finding"] = field(default_factory=list)
    consequence_of: Optional[list[str]] = None  # the rules this one may be read inside (first that fired)

    @property
    def consequence_text(self) -> str:
        """One sentence naming the consequences, for formats that have one line per finding."""
        if not self.consequences:
            return ""
        return "The same gap also means: " + "; ".join(
            f"{c.rule_id} {c.title} ({c.severity})" for c in self.consequences) + "."

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)


RAG = Literal["red", "amber", "green"]

READY = "Ready for decision"
READY_ONCE_GAPS_CLOSE = "Ready once named gaps are closed"
STAGE2_REQUIRED = "Stage 2 assessment required"
NOT_READY = "Not ready: blocking findings"


@dataclass(slots=True)
class Findings:
    """The result of checking one assessment."""

    findings: list[Finding]
    rag: str
    readiness: str
    counts_by_severity: dict[str, int]
    counts_by_category: dict[str, int]
    ruleset_version: str = ""
    engine: str = ""  # which engine produced these findings (durable-rules or idmf evaluator)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    def __iter__(self):
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def ids(self) -> list[str]:
        """Every rule that fired, consequences included (they are grouped, not dropped)."""
        return [i for f in self.findings for i in (f.rule_id, *(c.rule_id for c in f.consequences))]

    def top_ids(self) -> list[str]:
        """The findings a reviewer reads one by one: roots and lone findings, not grouped consequences."""
        return [f.rule_id for f in self.findings]

    def to_dict(self) -> dict:
        # Written out rather than dataclasses.asdict, which deep-copies every
        # string and was most of the time `idmf check --format json` took on a big folder.
        return {
            "findings": [_finding_dict(f) for f in self.findings],
            "rag": self.rag, "readiness": self.readiness,
            "counts_by_severity": dict(self.counts_by_severity),
            "counts_by_category": dict(self.counts_by_category),
            "ruleset_version": self.ruleset_version,
            "engine": self.engine,
        }


def _finding_dict(f: Finding) -> dict:
    out = {
        "rule_id": f.rule_id, "title": f.title, "severity": f.severity, "category": f.category,
        "blocking": f.blocking, "message": f.message, "guidance": f.guidance,
        "references": list(f.references),
        "triggered_by": [{"question_id": t.question_id, "question": t.question, "answer": t.answer,
                          "label": t.label}
                         for t in f.triggered_by],
        "readiness": f.readiness,
        "consequences": [_finding_dict(c) for c in f.consequences],
        "consequence_of": f.consequence_of,
    }
    return out


def findings_from_dict(data: dict) -> Findings:
    """The Findings that ``Findings.to_dict`` wrote (read back from a worker process or the check cache)."""
    def finding(d: dict) -> Finding:
        return Finding(d["rule_id"], d["title"], d["severity"], d["category"], d["blocking"], d["message"],
                       d["guidance"], list(d["references"]),
                       [Trigger(t["question_id"], t["question"], t["answer"], t.get("label", "")) for t in d["triggered_by"]],
                       d.get("readiness"), [finding(c) for c in d.get("consequences", [])], d.get("consequence_of"))

    return Findings([finding(f) for f in data["findings"]], data["rag"], data["readiness"],
                    dict(data["counts_by_severity"]), dict(data["counts_by_category"]),
                    data.get("ruleset_version", ""), data.get("engine", ""))
