"""Reading and writing assessment files safely: atomic, locked, versioned."""

from .files import (
    AssessmentFile,
    edit_lock,
    fingerprint,
    list_assessment_files,
    load_assessment,
    new_assessment_path,
    save_assessment,
    save_checked,
    walk_assessment_files,
)

__all__ = [
    "AssessmentFile", "edit_lock", "list_assessment_files", "load_assessment",
    "new_assessment_path", "save_assessment", "save_checked", "fingerprint", "walk_assessment_files",
]
