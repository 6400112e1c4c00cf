"""A backlog audit: across a folder of assessments (typically imported forms),
how often each kind of blocking gap occurs, so an equality team sees its
weakest areas at a glance.

The gaps are the ones ``idmf check`` finds, counted by kind: required
questions unanswered (stage 1 by number, header fields by name), Yes/No
answers without a rationale (by number), answers contradicted elsewhere in
the same assessment (consistency findings, such as "no negative impact"
beside evidence of one), stage 2 needed but not done, and no approval at
all (neither in idmf nor recorded from the form).

Rendering to text lines, CSV and HTML is here too, as plain functions
returning strings: the command line only prints or writes them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IdmfError
from ..lifecycle import integrity
from ..model.questionnaire import Questionnaire

HEADER_FIELDS = {
    "meta.title": "title", "meta.person_responsible": "person responsible", "meta.service_area": "service area",
    "purpose.overview": "overview",
}


@dataclass
class FormGaps:
    path: Path
    title: str
    name: str = ""  # the file as the audit shows it: its path within the audited folder
    unanswered: list[int] = field(default_factory=list)
    missing_rationale: list[int] = field(default_factory=list)
    header_missing: list[str] = field(default_factory=list)
    other_missing: list[str] = field(default_factory=list)  # other required questions, by their wording
    contradictions: list[str] = field(default_factory=list)
    stage2_needed: bool = False
    approved: bool = True
    imported_from: str = ""

    @property
    def gaps(self) -> int:
        return (len(self.unanswered) + len(self.missing_rationale) + len(self.header_missing) + len(self.other_missing)
                + len(self.contradictions) + int(self.stage2_needed) + int(not self.approved))


@dataclass
class BacklogAudit:
    folder: str
    forms: list[FormGaps] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    generated: dt.date = field(default_factory=dt.date.today)

    def _count(self, attr: str) -> Counter:
        counts: Counter = Counter()
        for form in self.forms:
            counts.update(set(getattr(form, attr)))
        return counts

    @property
    def unanswered(self) -> Counter:
        return self._count("unanswered")

    @property
    def missing_rationale(self) -> Counter:
        return self._count("missing_rationale")

    @property
    def header_missing(self) -> Counter:
        return self._count("header_missing")

    @property
    def other_missing(self) -> Counter:
        return self._count("other_missing")

    @property
    def contradictions(self) -> Counter:
        return self._count("contradictions")

    @property
    def stage2_needed(self) -> int:
        return sum(form.stage2_needed for form in self.forms)

    @property
    def not_approved(self) -> int:
        return sum(not form.approved for form in self.forms)

    def rows(self) -> list[tuple[str, str, int, list[str]]]:
        """(kind, detail, how many forms, which files), most common first within each kind."""
        def files(test) -> list[str]:
            return [f.name or f.path.name for f in self.forms if test(f)]

        out = []
        for n, count in sorted(self.unanswered.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(("Unanswered question", f"question {n}", count, files(lambda f, n=n: n in f.unanswered)))
        for name, count in self.header_missing.most_common():
            out.append(("Header field missing", name, count, files(lambda f, x=name: x in f.header_missing)))
        for text, count in self.other_missing.most_common():
            out.append(("Other required question unanswered", text, count,
                        files(lambda f, t=text: t in f.other_missing)))
        for n, count in sorted(self.missing_rationale.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(("Answer without a rationale", f"question {n}", count,
                        files(lambda f, n=n: n in f.missing_rationale)))
        for title, count in self.contradictions.most_common():
            out.append(("Answer contradicted elsewhere", title, count, files(lambda f, t=title: t in f.contradictions)))
        if not self.contradictions:
            out.append(("Answer contradicted elsewhere", "none found", 0, []))
        out.append(("Stage 2 needed but absent", "screening found a possible negative impact", self.stage2_needed,
                    files(lambda f: f.stage2_needed)))
        out.append(("No approval", "no approval in idmf or on the form", self.not_approved,
                    files(lambda f: not f.approved)))
        return out


def _shown(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name


def audit_folder(folder: Path, questionnaire: Questionnaire) -> BacklogAudit:
    from ..facts import build_facts
    from ..rules import default_engine
    from ..store import load_assessment, walk_assessment_files

    engine = default_engine(questionnaire)
    numbers = {q.id: q.number for q in questionnaire.questions() if q.number}
    wording = {q.id: q.text for q in questionnaire.questions()}
    audit = BacklogAudit(str(folder))
    # The same walk as check and list: a register kept one folder per directorate is audited whole.
    for path in walk_assessment_files(folder):
        try:
            if path.is_dir():  # a subfolder that could not be listed
                from ..store import list_assessment_files

                list_assessment_files(path)  # raises with the reason
                raise IdmfError(f"{path}: cannot list the folder")
            assessment = load_assessment(path, questionnaire).assessment
        except IdmfError as exc:
            audit.unreadable.append((str(path), str(exc)))
            continue
        except RecursionError:
            audit.unreadable.append((str(path), f"{path}: nested too deeply to be an assessment"))
            continue
        facts = build_facts(assessment, questionnaire)
        findings = engine.check(assessment)
        missing = facts.get("derived.unanswered_required", [])
        gaps = FormGaps(
            path, assessment.title, _shown(path, folder),
            unanswered=sorted(numbers[q] for q in missing if q in numbers),
            missing_rationale=sorted(numbers[q] for q in facts.get("derived.missing_rationale", []) if q in numbers),
            header_missing=[label for qid, label in HEADER_FIELDS.items() if qid in missing],
            other_missing=[wording.get(q, q) for q in missing if q not in numbers and q not in HEADER_FIELDS],
            contradictions=sorted({f.title for f in findings if f.category == "consistency"}),
            stage2_needed=any(f.readiness == "stage2_required" for f in findings),
            # Approved by the same verification as `idmf verify` (an unsigned or untrusted approval
            # block is not an approval), or by the approval recorded on the imported form.
            approved=(assessment.status == "approved" and integrity(assessment).approval_verified)
            or assessment.external_approval is not None,
            imported_from=assessment.provenance.source_file if assessment.provenance else "",
        )
        audit.forms.append(gaps)
    return audit


# --- renderings ---------------------------------------------------------------------------

def _share(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "-"


def summary_lines(audit: BacklogAudit) -> list[str]:
    total = len(audit.forms)
    lines = [f"Backlog audit of {audit.folder}: {total} assessment(s)"
             + (f", {len(audit.unreadable)} unreadable" if audit.unreadable else "")]
    if not total:
        return lines
    lines.append("")
    kind = None
    for row_kind, detail, count, _ in audit.rows():
        if row_kind != kind:
            kind = row_kind
            lines.append(f"{row_kind}:")
        if count or row_kind in ("Answer contradicted elsewhere", "Stage 2 needed but absent", "No approval"):
            lines.append(f"  {detail:<44} {count:>4} of {total} ({_share(count, total)})")
    worst = sorted(audit.forms, key=lambda f: -f.gaps)[:5]
    lines.append("")
    lines.append("Most gaps:")
    for form in worst:
        lines.append(f"  {form.gaps:>3}  {form.title or '(no title)'}  [{form.name or form.path.name}]")
    for path, message in audit.unreadable:
        lines.append(f"Unreadable: {message.splitlines()[0]}")
    return lines


def _csv_cell(value) -> str:
    from ..textsafety import strip_controls

    text = strip_controls(str(value))  # a file name's ESC would act on whoever views the CSV
    # A cell starting with = + - @ is run as a formula by spreadsheets: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(audit: BacklogAudit) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    total = len(audit.forms)
    writer.writerow(["kind", "detail", "forms", "of", "share", "files"])
    for kind, detail, count, files in audit.rows():
        writer.writerow([_csv_cell(kind), _csv_cell(detail), count, total, _share(count, total),
                         _csv_cell("; ".join(files))])
    # A byte order mark, as `idmf list --format csv` writes: without it Excel and
    # LibreOffice read the UTF-8 as their local code page and garble accented names.
    return "\ufeff" + out.getvalue()


AUDIT_TEMPLATE = "audit.html.j2"


def render_html(audit: BacklogAudit) -> str:
    """The audit as a web page, from the shipped template ``audit.html.j2``.

    It has the report's accessible styles and structure: a main landmark, every
    table with a caption and a header for each column, and a layout that fits a
    320 px wide screen without scrolling sideways. What forms say is escaped.
    Always the shipped template: an organisation's report templates (``--templates``)
    restyle the reports, not this working summary.
    """
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from .. import __version__
    from ..paths import shipped_dir

    from ..textsafety import strip_controls

    # Names and words from forms are escaped, and their control characters dropped (no live
    # escape sequence reaches a reader who views the page's source in a terminal).
    environment = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(shipped_dir("templates"))),
        autoescape=True, undefined=jinja2.StrictUndefined,
        finalize=lambda value: strip_controls(value) if isinstance(value, str) else value)
    total = len(audit.forms)
    kinds: list[dict] = []
    for kind, detail, count, files in audit.rows():
        if not kinds or kinds[-1]["kind"] != kind:
            kinds.append({"kind": kind, "rows": []})
        kinds[-1]["rows"].append({"detail": detail, "count": count, "share": _share(count, total),
                                  "width": round(100 * count / total) if total else 0, "files": files})
    forms = [{
        "title": form.title or "(no title)", "file": form.name or form.path.name, "gaps": form.gaps,
        "imported_from": form.imported_from,
        "unanswered": ", ".join(map(str, form.unanswered + form.header_missing + form.other_missing)),
        "missing_rationale": ", ".join(map(str, form.missing_rationale)),
        "contradictions": form.contradictions, "stage2_needed": form.stage2_needed, "approved": form.approved,
    } for form in sorted(audit.forms, key=lambda f: -f.gaps)]
    return environment.get_template(AUDIT_TEMPLATE).render(
        folder=audit.folder, total=total, generated=audit.generated.isoformat(), version=__version__,
        kinds=kinds, forms=forms, unreadable=[message for _, message in audit.unreadable])
