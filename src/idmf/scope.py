"""Scope (stage 1 screening or the full IDMF) and approvals made outside idmf.

Domain calls shared by ``idmf new``, the wizard's start screen and imports;
no UI here. A screening asks only the stage 1 form (header, overview, the 28
questions, sign-off); when it finds a possible negative impact, rule SCR-001
says the full assessment is needed, and ``set_scope(..., "full")`` widens it
keeping every answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from .errors import InputError
from .model.assessment import SCOPE_LABELS, SCOPES, Assessment, ExternalApproval


def parse_scope(value: str) -> str:
    """A scope from what a user typed ("screening", "stage1", "full" ...), or a clear error."""
    text = (value or "").strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"screening": "screening", "stage1": "screening", "stage_1": "screening",
               "stage_1_screening": "screening", "full": "full", "idmf": "full", "full_idmf": "full"}
    if text not in aliases:
        raise InputError(f"unknown scope {value!r}", where="--scope",
                         hint="use 'screening' (the stage 1 form only) or 'full' (the six-step IDMF)")
    return aliases[text]


def set_scope(assessment: Assessment, scope: str, *, by: str = "") -> bool:
    """Change what the assessment asks; answers are kept. Returns whether it changed.

    Narrowing a submitted or approved assessment to a screening changes what
    was approved, so it reopens as a draft (widening to full keeps the answers
    that were approved, but the new questions still need answering, so it
    reopens too)."""
    if scope not in SCOPES:
        raise InputError(f"unknown scope {scope!r}", hint="use 'screening' or 'full'")
    if assessment.scope == scope:
        return False
    previous = assessment.scope
    if assessment.status in ("submitted", "approved"):
        was = assessment.status
        assessment.status = "draft"
        assessment.record("reopened", by=by, detail=f"scope changed from {SCOPE_LABELS[previous]} to {SCOPE_LABELS[scope]} after it was {was}")
    assessment.scope = scope  # type: ignore[assignment]
    assessment.record("scope changed", by=by, detail=f"{SCOPE_LABELS[previous]} to {SCOPE_LABELS[scope]}")
    return True


def record_external_approval(assessment: Assessment, *, name: str, role: str = "", date: Optional[dt.date] = None,
                             comments: str = "", by: str = "") -> ExternalApproval:
    """Record an approval given outside idmf (e.g. signed on the paper form).

    It is kept apart from ``assessment.approval``: idmf did not see what was
    approved, so reports must call it "approved outside idmf", never verified."""
    if not name.strip():
        raise InputError("an external approval needs the approver's name", hint="give the name as written on the form")
    external = ExternalApproval(name=name.strip(), role=role.strip(), date=date, comments=comments.strip())
    assessment.external_approval = external
    when = f" on {date.isoformat()}" if date else ""
    assessment.record("approved outside idmf", by=by, detail=f"{external.name}{', ' + external.role if external.role else ''}{when}")
    return external
