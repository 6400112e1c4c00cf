"""`idmf show`: an assessment's answers by step, and what is still unanswered."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import examples, open_assessment

EXAMPLES = examples(
    "idmf show assessments/extended-pharmacy-hours.yaml",
)



def show_assessment(path: Path, console) -> None:
    from rich.markup import escape

    from ..answer_text import answer_text
    from ..facts import build_facts, is_answered, visible_questions
    from ..model.assessment import SCOPE_LABELS
    from ..textsafety import for_terminal

    def safe(text: object) -> str:
        # Inert (no escape sequences from the file reach the terminal) and not
        # megabytes long (laying out a 4.9 MB title took 17 s).
        return escape(for_terminal(text))

    file, q = open_assessment(path)
    a = file.assessment
    facts = build_facts(a, q)
    visible = {question.id for question in visible_questions(a, q)}
    console.print(f"[bold]{safe(a.title)}[/bold]  ({a.status})  id {a.id}")
    console.print(f"Scope: {SCOPE_LABELS[a.scope]}")
    if file.migrated_from:
        console.print(f"(read from an older file format, version {file.migrated_from}; it is upgraded when next saved)")
    unanswered = []
    for step in q.steps:
        console.print(f"\n[bold]Step {step.number}: {safe(step.title)}[/bold]")
        shown = 0
        for section in step.sections:
            for question in section.questions:
                if question.id not in visible:
                    continue
                value = a.get_answer(question.id)
                text = answer_text(question, value, q)
                label = f"Q{question.number}. " if question.number else ""
                console.print(f"  {label}{safe(question.text)}\n    → {safe(text)}", highlight=False)
                shown += 1
                if question.required and not is_answered(question, facts):
                    unanswered.append(question)
        if not shown:
            console.print("  (nothing to ask in this step yet)")
    console.print()
    if unanswered:
        console.print(f"[bold]Still to answer ({len(unanswered)} required):[/bold]")
        for question in unanswered:
            console.print(f"  - {question.id}: {safe(question.text)}", highlight=False)
    else:
        console.print("Every required question is answered.")


def show(path: Path = typer.Argument(..., help="Assessment file.")) -> None:
    """Show an assessment's answers by step and what is still unanswered."""
    from rich.console import Console

    show_assessment(path, Console(highlight=False))
