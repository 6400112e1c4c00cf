"""Rendering the report context to HTML, Markdown, Word and PDF.

User text is data in every format: Jinja autoescapes HTML, the ``md``
filter escapes Markdown's control characters, Word and PDF receive plain
text runs. No answer is ever compiled as a template.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import jinja2

from ..paths import templates_dir
from .context import ReportContext

FORMATS = ("html", "md", "docx", "pdf")

# Characters that are markup anywhere in a line. Brackets are escaped, so
# "(...)" and "!" can never form a link or an image.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^&$])")
# Markup only at the start of a line: list items, numbered lists, quotes, rules.
_MD_LEADING = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))")


def md_escape(value: object) -> str:
    """Make text literal in Markdown, and safe inside a table cell."""
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    text = _MD_LEADING.sub(
        lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text)
    # A table row must stay on one line; <br> is the one tag we add, after escaping.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


_ENV: jinja2.Environment | None = None


def env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


def render_html(c: ReportContext) -> str:
    return env().get_template("report.html.j2").render(c=c)


def render_md(c: ReportContext) -> str:
    text = env().get_template("report.md.j2").render(c=c)
    return re.sub(r"\n{3,}", "\n\n", text)


def render_pdf(c: ReportContext, html: str | None = None) -> bytes:
    from weasyprint import HTML  # imported late: it is the slowest import

    return HTML(string=html or render_html(c), base_url=str(templates_dir())).write_pdf()


def render_docx(c: ReportContext) -> bytes:
    """A Word document built from the Word template (templates/report-template.docx).

    The template carries the styles (an organisation restyles it in Word,
    letterhead included); this fills it with headings in Word's heading
    styles, so the navigation pane works, and tables whose header rows repeat
    on each page.
    """
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    template = templates_dir() / "report-template.docx"
    doc = Document(str(template)) if template.is_file() else Document()

    def table(headers: list[str] | None, rows: list[list[str]], flags: list[bool] | None = None):
        width = len(headers) if headers else len(rows[0])
        t = doc.add_table(rows=0, cols=width)
        try:
            t.style = "Table Grid"
        except KeyError:
            pass
        if headers:
            cells = t.add_row().cells
            for cell, text in zip(cells, headers):
                cell.text = ""
                run = cell.paragraphs[0].add_run(text)
                run.bold = True
            # Repeat the header row at the top of every page the table crosses.
            tr_pr = t.rows[0]._tr.get_or_add_trPr()
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            tr_pr.append(header)
        for i, row in enumerate(rows):
            cells = t.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = str(text)
                if flags and flags[i]:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        doc.add_paragraph()
        return t

    doc.add_paragraph("Equality, Health Inequalities Impact and Risk Assessment (EHIIRA)")
    doc.add_heading(c.title, level=0)
    table(["Field", "Value"], [[label, value] for label, value in c.fields])
    if c.integrity_note:
        p = doc.add_paragraph()
        p.add_run(c.integrity_note).bold = True

    doc.add_heading("Summary", level=1)
    p = doc.add_paragraph()
    p.add_run(f"RAG: {c.rag_label}").bold = True
    p.add_run(f"    Decision readiness: {c.readiness}")
    table([name.capitalize() for name, _ in c.counts], [[str(n) for _, n in c.counts]])
    doc.add_heading("Blocking findings", level=2)
    if c.blocking:
        for f in c.blocking:
            doc.add_paragraph(f"{f.rule_id} {f.title} ({f.severity}): {f.guidance}", style="List Number")
    else:
        doc.add_paragraph("None. Nothing prevents submission.")

    doc.add_heading("Findings", level=1)
    if not c.finding_groups:
        doc.add_paragraph("No findings.")
    for group in c.finding_groups:
        doc.add_heading(group.label, level=2)
        for f in group.findings:
            doc.add_heading(f"{f.rule_id}: {f.title}", level=3)
            doc.add_paragraph(f"Severity: {f.severity}" + (" · blocking" if f.blocking else ""))
            doc.add_paragraph(f.message)
            p = doc.add_paragraph()
            p.add_run("What to do: ").bold = True
            p.add_run(f.guidance)
            for t in f.triggered_by:
                doc.add_paragraph(f"{t.question_id} {t.question}: {t.answer}", style="List Bullet")
            doc.add_paragraph("References: " + "; ".join(f.references))

    doc.add_heading("The six steps", level=1)
    for step in c.steps:
        doc.add_heading(f"Step {step.number}: {step.title}", level=2)
        if not step.sections:
            doc.add_paragraph("Nothing was asked in this step.")
        for section in step.sections:
            doc.add_heading(section.title, level=3)
            table(["Question", "Answer"], [[(f"{q.label}. " if q.label else "") + q.question, q.answer] for q in section.questions])

    doc.add_heading("EHIIRA stage 1 screening", level=1)
    for title, t in c.stage1:
        doc.add_heading(title, level=2)
        table(t.headers, [r.cells for r in t.rows], [r.flag for r in t.rows])

    doc.add_heading("EHIIRA stage 2: impact by group", level=1)
    if not c.stage2_required:
        doc.add_paragraph("Screening did not call for a stage 2 assessment.")
    table(c.stage2.headers, [r.cells for r in c.stage2.rows], [r.flag for r in c.stage2.rows])
    doc.add_heading("Human rights", level=2)
    table(c.human_rights.headers, [r.cells for r in c.human_rights.rows], [r.flag for r in c.human_rights.rows])

    doc.add_heading("Action plan", level=1)
    if c.actions.rows:
        table(c.actions.headers, [r.cells for r in c.actions.rows])
    else:
        doc.add_paragraph("Not answered: no actions recorded.")
    doc.add_heading("Monitoring and review", level=2)
    table(["Item", "Answer"], [[label, value] for label, value in c.monitoring])
    doc.add_heading("Sign-off", level=2)
    table(["Item", "Answer"], [[label, value] for label, value in c.signoff])

    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = f"EHIIRA {c.assessment_id} · content {c.content_hash[:16]} · rules {c.ruleset_version[:12]} · generated {c.generated_at} · idmf {c.idmf_version}"
    for run in footer.runs:
        run.font.size = Pt(7)
    doc.add_heading("Provenance", level=1)
    table(["Item", "Value"], [[label, value] for label, value in c.footer])
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render(c: ReportContext, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(c).encode("utf-8")
    if fmt == "md":
        return render_md(c).encode("utf-8")
    if fmt == "docx":
        return render_docx(c)
    if fmt == "pdf":
        return render_pdf(c)
    raise ValueError(f"unknown report format {fmt!r}")


def write(path: Path, data: bytes) -> None:
    """Write atomically, so a reader never sees half a report."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
