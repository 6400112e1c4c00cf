"""`idmf new` and `idmf show`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..answer_text import answer_text
from ..facts import build_facts, is_answered, visible_questions
from ..model.assessment import Assessment, QuestionnaireRef
from ..paths import assessments_dir
from ..store import edit_lock, new_assessment_path, save_assessment
from . import app
from .common import open_assessment, questionnaire


@app.command()
def new(
    title: str = typer.Option(..., "--title", help="What the decision is, in a few words."),
    owner: str = typer.Option("", "--owner", help="Person responsible."),
    organisation: str = typer.Option("", "--organisation"),
    service_area: str = typer.Option("", "--service-area"),
    folder: Optional[Path] = typer.Option(None, "--dir", help="Folder for assessments (default: $IDMF_HOME or ./assessments)."),
) -> None:
    """Start a new draft assessment and print its path."""
    q = questionnaire()
    if not title.strip():
        raise typer.BadParameter("the title cannot be blank", param_hint="--title")
    assessment = Assessment(title=title.strip(), questionnaire=QuestionnaireRef(id=q.id, version=q.version))
    assessment.metadata.person_responsible = owner.strip()
    assessment.metadata.organisation = organisation.strip()
    assessment.metadata.service_area = service_area.strip()
    assessment.record("created", by=owner.strip())
    path = new_assessment_path(assessments_dir(folder), assessment)
    with edit_lock(path):
        save_assessment(assessment, path)
    print(path)


def show_assessment(path: Path, console: Console) -> None:
    file, q = open_assessment(path)
    a = file.assessment
    facts = build_facts(a, q)
    visible = {question.id for question in visible_questions(a, q)}
    console.print(f"[bold]{escape(a.title)}[/bold]  ({a.status})  id {a.id}")
    if file.migrated_from:
        console.print(f"(read from an older file format, version {file.migrated_from}; it is upgraded when next saved)")
    unanswered = []
    for step in q.steps:
        console.print(f"\n[bold]Step {step.number}: {escape(step.title)}[/bold]")
        shown = 0
        for section in step.sections:
            for question in section.questions:
                if question.id not in visible:
                    continue
                value = a.get_answer(question.id)
                text = answer_text(question, value, q)
                label = f"Q{question.number}. " if question.number else ""
                console.print(f"  {label}{escape(question.text)}\n    → {escape(text)}", highlight=False)
                shown += 1
                if question.required and not is_answered(question, facts):
                    unanswered.append(question)
        if not shown:
            console.print("  (nothing to ask in this step yet)")
    console.print()
    if unanswered:
        console.print(f"[bold]Still to answer ({len(unanswered)} required):[/bold]")
        for question in unanswered:
            console.print(f"  - {question.id}: {escape(question.text)}", highlight=False)
    else:
        console.print("Every required question is answered.")


@app.command()
def show(path: Path = typer.Argument(..., help="Assessment file.")) -> None:
    """Show an assessment's answers by step and what is still unanswered."""
    show_assessment(path, Console(highlight=False))


