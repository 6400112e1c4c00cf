"""What counts as a rationale: the one rule the wizard, `idmf check` and the report share.

A rationale is the author's reason for a Yes or No. Anything they wrote that is not
only white space counts, however short ("No." is a reason someone chose to give);
whether it is a *good* reason is for the reviewer and the rules, not for this test.
It is kept exactly as written: the report prints it verbatim, never trimmed of a
leading "Yes," or "No," and never recapitalised.
"""

from __future__ import annotations

from typing import Any


def rationale_of(answer: Any) -> str:
    """The rationale given with a yes/no answer, as written (surrounding white space aside), or ""."""
    if not isinstance(answer, dict):
        return ""
    text = answer.get("rationale")
    return text.strip() if isinstance(text, str) else ""


def has_rationale(answer: Any) -> bool:
    """Does this yes/no answer carry a rationale? (The wizard, `idmf check` and the report all ask this.)"""
    return bool(rationale_of(answer))
