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
    from docx.shared import Cm, Pt

    template = templates_dir() / "report-template.docx"
    doc = Document(str(template)) if template.is_file() else Document()

    # python-docx looks a style up by name on every use, scanning the whole
    # styles part each time (most of the Word render time); resolve each once.
    style_ids: dict[str, str | None] = {}
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "List Number", "List Bullet", "Table Grid"):
        try:
            style_ids[name] = doc.styles[name].style_id
        except KeyError:
            style_ids[name] = None

    def paragraph(text: str = "", style: str | None = None):
        p = doc.add_paragraph(text)
        if style and style_ids.get(style):
            p._p.get_or_add_pPr().style = style_ids[style]
        return p

    def heading(text: str, level: int):
        return paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def table(headers: list[str] | None, rows: list[list[str]], flags: list[bool] | None = None,
              widths: tuple[float, ...] | None = None):
        """A table; widths in cm, so narrow columns (No., Yes/No) do not take a quarter of the page."""
        width = len(headers) if headers else len(rows[0])
        t = doc.add_table(rows=0, cols=width)
        if style_ids["Table Grid"]:
            t._tbl.tblPr.style = style_ids["Table Grid"]
        if widths:
            t.autofit = False
            for column, w in zip(t.columns, widths):
                column.width = Cm(w)

        def sized(cells):
            if widths:
                for cell, w in zip(cells, widths):
                    cell.width = Cm(w)
            return cells

        if headers:
            cells = sized(t.add_row().cells)
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
            cells = sized(t.add_row().cells)
            for cell, text in zip(cells, row):
                cell.text = str(text)
                if flags and flags[i]:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        doc.add_paragraph()
        return t

    paragraph("Equality, Health Inequalities Impact and Risk Assessment (EHIIRA)")
    heading(c.title, level=0)
    table(["Field", "Value"], [[label, value] for label, value in c.fields], widths=(4.5, 12.5))
    if c.integrity_note:
        p = paragraph()
        p.add_run(c.integrity_note).bold = True

    heading("Summary", level=1)
    p = paragraph()
    p.add_run(f"RAG: {c.rag_label}").bold = True
    p.add_run(f"    Decision readiness: {c.readiness}")
    table([name.capitalize() for name, _ in c.counts], [[str(n) for _, n in c.counts]])
    heading("Blocking findings", level=2)
    if c.blocking:
        for f in c.blocking:
            paragraph(f"{f.rule_id} {f.title} ({f.severity}): {f.guidance}", "List Number")
    else:
        paragraph("None. Nothing prevents submission.")

    heading("Findings", level=1)
    if not c.finding_groups:
        paragraph("No findings.")
    for group in c.finding_groups:
        heading(group.label, level=2)
        for f in group.findings:
            heading(f"{f.rule_id}: {f.title}", level=3)
            paragraph(f"Severity: {f.severity}" + (" · blocking" if f.blocking else ""))
            paragraph(f.message)
            p = paragraph()
            p.add_run("What to do: ").bold = True
            p.add_run(f.guidance)
            for t in f.triggered_by:
                # Derived facts ("derived.…") are the rules' own names, not the form's.
                cited = "" if t.question_id.startswith("derived.") else f"{t.question_id} "
                paragraph(f"{cited}{t.question}: {t.answer}", "List Bullet")
            paragraph("References: " + "; ".join(f.references))

    heading("The six steps", level=1)
    for step in c.steps:
        heading(f"Step {step.number}: {step.title}", level=2)
        if not step.sections:
            paragraph("Nothing was asked in this step.")
        for section in step.sections:
            heading(section.title, level=3)
            table(["Question", "Answer"], [[(f"{q.label}. " if q.label else "") + q.question, q.answer] for q in section.questions])

    heading("EHIIRA stage 1 screening", level=1)
    for title, t in c.stage1:
        heading(title, level=2)
        table(t.headers, [r.cells for r in t.rows], [r.flag for r in t.rows], widths=(1.2, 7.3, 2.5, 6.0))

    heading("EHIIRA stage 2: impact by group", level=1)
    if not c.stage2_required:
        paragraph("Screening did not call for a stage 2 assessment.")
    table(c.stage2.headers, [r.cells for r in c.stage2.rows], [r.flag for r in c.stage2.rows],
          widths=(3.0, 2.9, 2.0, 3.35, 3.35, 2.4))
    heading("Human rights", level=2)
    table(c.human_rights.headers, [r.cells for r in c.human_rights.rows], [r.flag for r in c.human_rights.rows],
          widths=(4.5, 2.5, 5.0, 5.0))

    heading("Action plan", level=1)
    if c.actions.rows:
        table(c.actions.headers, [r.cells for r in c.actions.rows], widths=(8.5, 3.5, 2.5, 2.5))
    else:
        paragraph("Not answered: no actions recorded.")
    heading("Monitoring and review", level=2)
    table(["Item", "Answer"], [[label, value] for label, value in c.monitoring])
    heading("Sign-off", level=2)
    table(["Item", "Answer"], [[label, value] for label, value in c.signoff])

    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = f"EHIIRA {c.assessment_id} · content {c.content_hash[:16]} · rules {c.ruleset_version[:12]} · generated {c.generated_at} · idmf {c.idmf_version}"
    for run in footer.runs:
        run.font.size = Pt(7)
    heading("Provenance", level=1)
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
