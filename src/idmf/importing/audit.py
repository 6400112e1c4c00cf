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
import html
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
            return [f.path.name for f in self.forms if test(f)]

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


def audit_folder(folder: Path, questionnaire: Questionnaire) -> BacklogAudit:
    from ..facts import build_facts
    from ..rules import default_engine
    from ..store import list_assessment_files, load_assessment

    engine = default_engine(questionnaire)
    numbers = {q.id: q.number for q in questionnaire.questions() if q.number}
    wording = {q.id: q.text for q in questionnaire.questions()}
    audit = BacklogAudit(str(folder))
    for path in list_assessment_files(folder):
        try:
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
            path, assessment.title,
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
        lines.append(f"  {form.gaps:>3}  {form.title or '(no title)'}  [{form.path.name}]")
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
    return out.getvalue()


def render_html(audit: BacklogAudit) -> str:
    from ..textsafety import strip_controls

    def e(value) -> str:
        return html.escape(strip_controls(str(value)))
    total = len(audit.forms)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Backlog audit: {e(audit.folder)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;width:100%;margin-bottom:2em}th,td{border:1px solid #bbb;padding:.3em .5em;"
        "text-align:left;vertical-align:top}td.n{text-align:right}.bar{background:#b3261e;height:.8em}"
        "caption{text-align:left;font-weight:bold;padding:.4em 0}</style></head><body>",
        f"<h1>Backlog audit</h1><p>{e(audit.folder)}: {total} assessment(s)"
        + (f", {len(audit.unreadable)} unreadable" if audit.unreadable else "")
        + f". Produced {audit.generated.isoformat()} by idmf.</p>",
        "<table><caption>Blocking gaps by kind, across all assessments</caption>"
        "<thead><tr><th>Kind</th><th>Detail</th><th>Assessments</th><th>Share</th><th></th><th>Files</th></tr></thead><tbody>",
    ]
    for kind, detail, count, files in audit.rows():
        width = round(100 * count / total) if total else 0
        parts.append(f"<tr><td>{e(kind)}</td><td>{e(detail)}</td><td class='n'>{count}</td>"
                     f"<td class='n'>{_share(count, total)}</td>"
                     f"<td style='width:8em'><div class='bar' style='width:{width}%'></div></td>"
                     f"<td>{e(', '.join(files))}</td></tr>")
    parts.append("</tbody></table>")
    parts.append("<table><caption>Each assessment</caption><thead><tr><th>Assessment</th><th>File</th>"
                 "<th>Imported from</th><th>Unanswered</th><th>No rationale</th><th>Contradictions</th>"
                 "<th>Stage 2 needed</th><th>Approved</th></tr></thead><tbody>")
    for form in sorted(audit.forms, key=lambda f: -f.gaps):
        parts.append(
            f"<tr><td>{e(form.title or '(no title)')}</td><td>{e(form.path.name)}</td><td>{e(form.imported_from)}</td>"
            f"<td>{e(', '.join(map(str, form.unanswered + form.header_missing + form.other_missing)) or '-')}</td>"
            f"<td>{e(', '.join(map(str, form.missing_rationale)) or '-')}</td>"
            f"<td>{e('; '.join(form.contradictions) or '-')}</td><td>{'yes' if form.stage2_needed else 'no'}</td>"
            f"<td>{'yes' if form.approved else 'no'}</td></tr>")
    parts.append("</tbody></table>")
    if audit.unreadable:
        parts.append("<h2>Unreadable files</h2><ul>")
        parts.extend(f"<li>{e(message)}</li>" for _, message in audit.unreadable)
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)

