"""`idmf new`: start a draft assessment."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import examples, questionnaire, say

EXAMPLES = examples(
    'idmf new --title "Extended pharmacy hours" --owner "Priya Shah"',
    'idmf new --title "Clinic move" --scope screening --dir assessments/north',
)



def new(
    title: str = typer.Option(..., "--title", help="What the decision is, in a few words."),
    owner: str = typer.Option("", "--owner", help="Person responsible."),
    organisation: str = typer.Option("", "--organisation", help="Organisation making the decision, e.g. an ICB or trust."),
    service_area: str = typer.Option("", "--service-area", help="Service or directorate the decision is about."),
    scope: str = typer.Option("full", "--scope", help="'screening' (the stage 1 form only) or 'full' (the six-step IDMF and stage 2)."),
    folder: Optional[Path] = typer.Option(None, "--dir", help="Folder for assessments (default: $IDMF_HOME or ./assessments)."),
) -> None:
    """Start a new draft assessment and print its path."""
    from ..model.assessment import Assessment, QuestionnaireRef
    from ..paths import assessments_dir
    from ..errors import InputError
    from ..scope import parse_scope
    from ..store import edit_lock, new_assessment_path, save_assessment

    q = questionnaire()
    if not title.strip():
        raise typer.BadParameter("the title cannot be blank", param_hint="--title")
    try:
        chosen = parse_scope(scope)
    except InputError as exc:
        raise typer.BadParameter(f"{exc.message}; {exc.hint}", param_hint="--scope") from None
    assessment = Assessment(title=title.strip(), questionnaire=QuestionnaireRef(id=q.id, version=q.version), scope=chosen)
    assessment.metadata.person_responsible = owner.strip()
    assessment.metadata.organisation = organisation.strip()
    assessment.metadata.service_area = service_area.strip()
    assessment.record("created", by=owner.strip())
    path = new_assessment_path(assessments_dir(folder), assessment)
    with edit_lock(path):
        save_assessment(assessment, path)
    say(str(path))
