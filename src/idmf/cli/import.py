"""`idmf import` (import.py: the command's name, a Python keyword): completed stage 1 EHIIRA forms in, screening assessments out."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional

import typer

from .common import err, examples, say

EXAMPLES = examples(
    "idmf import forms/ --dir assessments/imported",
    'idmf import "Stage 1 form.docx"',
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


_SHA = re.compile(r"^\s*source_sha256:\s*['\"]?([0-9a-f]{64})", re.M)


def _already_imported(folder: Path) -> dict[str, Path]:
    """Source hashes of forms already imported into ``folder``, so importing a folder twice adds nothing."""
    from ..store import list_assessment_files

    seen: dict[str, Path] = {}
    for path in list_assessment_files(folder):
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                text = handle.read(200_000)
        except OSError:
            continue
        m = _SHA.search(text)
        if m:
            seen.setdefault(m.group(1), path)
    return seen


def _print_report(path: Path, saved: Path, report) -> None:
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
            folder: Optional[Path] = typer.Option(None, "--dir", help="Folder to save the assessments in (default: $IDMF_HOME or ./assessments).")) -> None:
    """Import completed stage 1 EHIIRA forms as screening assessments, saying what was mapped,
    what was left unanswered and what text could not be placed. Exit 0 when every form was
    imported (or had been already), 2 when any was refused."""
    from ..errors import EXIT_BAD_INPUT, IdmfError
    from ..importing import import_form
    from ..paths import assessments_dir
    from ..store import edit_lock, new_assessment_path, save_assessment
    from .common import questionnaire

    files = _forms_in(paths)
    target = assessments_dir(folder)
    q = questionnaire()
    seen = _already_imported(target) if target.is_dir() else {}
    imported = skipped = 0
    refused: list[str] = []
    for path in files:
        try:
            result = import_form(path, q)
        except IdmfError as exc:
            refused.append(str(exc))
            err(f"error: {exc}")
            continue
        sha = result.assessment.provenance.source_sha256
        if sha in seen:
            say(f"Skipped {path}: already imported as {seen[sha]}")
            skipped += 1
            continue
        saved = new_assessment_path(target, result.assessment)
        with edit_lock(saved):
            save_assessment(result.assessment, saved)
        seen[sha] = saved
        imported += 1
        _print_report(path, saved, result.report)
    if len(files) > 1:
        say(f"\n{imported} form(s) imported, {skipped} already imported, {len(refused)} refused.")
    if imported:
        say(f"Next: `idmf check {target}` for the findings, `idmf audit {target}` for the backlog summary.")
    if refused:
        raise typer.Exit(EXIT_BAD_INPUT)
