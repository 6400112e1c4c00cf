"""Importing completed stage 1 EHIIRA forms (Word, PDF, text, Markdown) as
screening assessments, and auditing a folder of them.

Domain only: no printing. ``import_form`` reads one file and returns the
assessment and a report of what it mapped, left unanswered and could not
place; the command line decides where to save and what to print.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import InputError
from ..yamlio import read_bytes
from ..model.assessment import Assessment
from ..model.questionnaire import Questionnaire, QuestionType
from .build import ImportReport, build_assessment, stage1_questions
from .documents import MAX_SOURCE_BYTES, SUFFIXES, read_document
from .form import MIN_QUESTIONS, FormReader, ScreeningForm

__all__ = ["ImportedForm", "ImportReport", "SUFFIXES", "import_form", "read_form", "sha256_of"]


@dataclass
class ImportedForm:
    path: Path
    assessment: Assessment
    report: ImportReport
    form: ScreeningForm


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_form(path: Path, data: bytes, questionnaire: Questionnaire) -> ScreeningForm:
    """What the form in ``data`` says; refuses (InputError) anything that is not a stage 1 form."""
    document = read_document(path, data)
    questions = stage1_questions(questionnaire)
    reader = FormReader({n: q.text for n, q in questions.items()},
                        {n for n, q in questions.items() if q.type == QuestionType.yes_no})
    form = reader.read(document.blocks)
    found = len(form.answers)
    if found < MIN_QUESTIONS:
        raise InputError(
            f"does not look like a stage 1 EHIIRA form: {found} of its {len(questions)} questions were recognised",
            where=str(path),
            hint="import completed stage 1 screening forms only; if this is one, check its questions are "
                 "numbered or worded as on the form")
    return form


def import_form(path: Path | str, questionnaire: Questionnaire, *,
                imported_on: Optional[dt.datetime] = None) -> ImportedForm:
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder", where=str(path), hint="pass a form file, or the folder on its own")
    # Only a regular file is read, and never more than the cap: a link to /dev/zero or a FIFO is
    # refused from its stat, before it is opened (reading them ran out of memory or hung).
    data = read_bytes(path, limit=MAX_SOURCE_BYTES, expected="a completed form (.docx, .pdf, .txt, .md)")
    form = read_form(path, data, questionnaire)
    assessment, report = build_assessment(form, questionnaire, source_file=path.name, sha256=sha256_of(data),
                                          imported_on=imported_on)
    return ImportedForm(path, assessment, report, form)
