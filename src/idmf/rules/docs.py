"""A Markdown catalogue of the rules, for the equality team."""

from __future__ import annotations

from ..textsafety import markdown_text
from .loader import RuleSet
from .model import CATEGORIES, CATEGORY_LABELS, SEVERITY_RANK


def _cell(text: str) -> str:
    # Rule files are data: their text shows as written, on one line, and can
    # neither break the table nor become HTML, a link or an image.
    return markdown_text(text)


def catalogue(ruleset: RuleSet) -> str:
    lines = [
        "# idmf rule catalogue",
        "",
        f"{len(ruleset.rules)} rules. Rule-set version `{ruleset.version[:12]}`.",
        "",
        "Severity runs info < low < medium < high < critical. A blocking rule prevents submission.",
        "",
    ]
    for category in CATEGORIES:
        rules = sorted((r for r in ruleset.rules if r.category == category),
                       key=lambda r: (-SEVERITY_RANK[r.severity], r.id))
        if not rules:
            continue
        lines += [f"## {CATEGORY_LABELS[category]}", "", "| Id | Severity | Blocking | Title | Guidance | References |",
                  "|---|---|---|---|---|---|"]
        for r in rules:
            lines.append(
                f"| {r.id} | {r.severity} | {'yes' if r.blocking else 'no'} | {_cell(r.title)} | "
                f"{_cell(r.guidance)} | {_cell('; '.join(r.references))} |"
            )
        lines.append("")
    return "\n".join(lines)
