"""`idmf import` (import.py: the command's name, a Python keyword): completed stage 1 EHIIRA forms in, screening assessments out."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import err, examples, say

EXAMPLES = examples(
    "idmf import forms/ --dir assessments/imported",
    'idmf import "Stage 1 form.docx"',
    "idmf import forms/ --review review.html",
)



def _forms_in(paths: List[Path]) -> list[Path]:
    from ..errors import InputError
    from ..importing import SUFFIXES

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$")))
            if not found:
                raise InputError("holds no forms to import", where=str(path),
                                 hint="put the completed forms (.docx, .pdf, .txt, .md) in the folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError("no such file or folder", where=str(path), hint="check the path")
    return files


def _print_report(path: Path, saved: Path, report) -> None:
    # Every name and quoted text comes from a file: printed inert (textsafety), as elsewhere.
    say(f"Imported {path} -> {saved}")
    say("  Mapped: " + ("; ".join(report.mapped) if report.mapped else "nothing"))
    if report.unanswered:
        say(f"  Left unanswered ({len(report.unanswered)}):")
        for line in report.unanswered:
            say(f"    {line}")
    else:
        say("  Left unanswered: none")
    if report.unplaced:
        say(f"  Text not placed ({len(report.unplaced)}):")
        for line in report.unplaced:
            say(f"    {line}")
    for note in report.notes:
        say(f"  Note: {note}")


def import_(paths: List[Path] = typer.Argument(..., help="Completed stage 1 forms (.docx, .pdf, .txt, .md) or folders of them."),
            folder: Optional[Path] = typer.Option(None, "--dir", help="Folder to save the assessments in (default: $IDMF_HOME or ./assessments)."),
            review: Optional[Path] = typer.Option(None, "--review", help="Also write a review page (HTML): for each form, question by question, the text found beside the answer read or why none was.")) -> None:
    """Import completed stage 1 EHIIRA forms as screening assessments, saying what was mapped,
    what was left unanswered and what text could not be placed. Exit 0 when every form was
    imported (or had been already), 2 when any was refused (or the review page could not be written)."""
    from ..errors import EXIT_BAD_INPUT, IdmfError
    from ..importing import import_form
    from ..importing.review import review_form
    from ..paths import assessments_dir
    from ..store import edit_lock, new_assessment_path, save_assessment
    from ..store.imports import imported_sources
    from .common import questionnaire

    files = _forms_in(paths)
    target = assessments_dir(folder)
    if review is not None:
        _check_review_path(review)
    q = questionnaire()
    pages = []
    seen = imported_sources(target) if target.is_dir() else {}
    imported = skipped = 0
    refused: list[str] = []
    for path in files:
        try:
            result = import_form(path, q)
        except IdmfError as exc:
            refused.append(str(exc))
            err(f"error: {exc}")
            pages.append(review_form(path.name, f"refused: {exc}", None, q))
            continue
        sha = result.assessment.provenance.source_sha256
        if sha in seen:
            say(f"Skipped {path}: already imported as {seen[sha]}")
            pages.append(review_form(path.name, f"already imported as {seen[sha]}", result, q))
            skipped += 1
            continue
        saved = new_assessment_path(target, result.assessment)
        with edit_lock(saved):
            save_assessment(result.assessment, saved)
        seen[sha] = saved
        imported += 1
        _print_report(path, saved, result.report)
        pages.append(review_form(path.name, f"imported as {saved}", result, q))
    if len(files) > 1:
        say(f"\n{imported} form(s) imported, {skipped} already imported, {len(refused)} refused.")
    if imported:
        say(f"Next: `idmf check {target}` for the findings, `idmf audit {target}` for the backlog summary.")
    if review is not None:
        _write_review(review, pages)
        say(f"Review page: {review}")
    if refused:
        raise typer.Exit(EXIT_BAD_INPUT)


def _check_review_path(review: Path) -> None:
    """Refuse a review page that cannot be written before any form is imported."""
    from ..errors import InputError

    if review.is_dir() or not review.parent.is_dir():
        raise InputError("is not a file idmf can write the review page to", where=str(review),
                         hint="give a file name in an existing folder, e.g. --review review.html")


def _write_review(review: Path, pages) -> None:
    import os
    import tempfile

    from ..importing.review import render_review

    html = render_review(pages)
    handle, temporary = tempfile.mkstemp(prefix=".review-", suffix=".html", dir=review.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(html)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # as an ordinary file, not mkstemp's owner-only
        os.replace(temporary, review)
    except BaseException:
        os.unlink(temporary)
        raise
