"""The Word report, built on the organisation's Word template (templates/report-template.docx).

The template carries the styles, letterhead and page set-up (an organisation
restyles it in Word); this fills it with headings in Word's heading styles,
so the navigation pane works, tables whose header rows are marked as headers
(repeated on each page, read as headers by screen readers), spacing set on
paragraphs rather than made of blank ones, and core properties a records
system can read. User text goes in as plain runs: never markup, never a template.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from ..paths import templates_dir
from ..textsafety import document_text, property_text
from .context import ReportContext

def _run(paragraph, text: object):
    """Every piece of text goes into the document here: control characters shown as visible
    replacements, so any text an assessment can hold makes a valid Word file."""
    return paragraph.add_run(document_text(text))


_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "List Number", "List Bullet", "Table Grid")


class _Builder:
    def __init__(self, c: ReportContext):
        from docx import Document

        template = templates_dir() / "report-template.docx"
        self.doc = Document(str(template)) if template.is_file() else Document()
        self.c = c
        # python-docx looks a style up by name on every use, scanning the whole
        # styles part each time (most of the Word render time); resolve each once.
        self.style_ids: dict[str, str | None] = {}
        for name in _STYLES:
            try:
                self.style_ids[name] = self.doc.styles[name].style_id
            except KeyError:
                self.style_ids[name] = None
        self.after_table = False
        self.page_break = False

    # --- building blocks ---------------------------------------------------

    def paragraph(self, text: str = "", style: str | None = None, *, bold: bool = False, size: float | None = None):
        from docx.shared import Pt

        p = self.doc.add_paragraph()
        if text:
            run = _run(p, text)
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
        if style and self.style_ids.get(style):
            p._p.get_or_add_pPr().style = self.style_ids[style]
        if self.after_table:
            # Space after a table, set on the paragraph that follows it (Word
            # has no space-after for tables); never an empty spacer paragraph.
            p.paragraph_format.space_before = Pt(9)
            self.after_table = False
        if self.page_break:
            p.paragraph_format.page_break_before = True
            self.page_break = False
        return p

    def heading(self, text: str, level: int, *, new_page: bool = False):
        self.page_break = self.page_break or new_page
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def labelled(self, label: str, text: str):
        p = self.paragraph()
        _run(p, label).bold = True
        _run(p, " " + text)
        return p

    def table(self, headers: list[str], rows: list[list], flags: list[bool] | None = None,
              widths: tuple[float, ...] | None = None, bold_first_column: bool = False,
              flag_column: int | None = None, size: float | None = None):
        """A table whose first row is a header row (repeated on every page it
        crosses); widths in cm, so narrow columns (No., Yes/No) stay narrow.
        A flagged row is bold in ``flag_column`` (every cell if None); a cell
        given as (bold lead, rest) starts with its lead in bold."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        t = self.doc.add_table(rows=0, cols=len(headers))
        if self.style_ids["Table Grid"]:
            t._tbl.tblPr.style = self.style_ids["Table Grid"]
        if widths:
            t.autofit = False
            for column, w in zip(t.columns, widths):
                column.width = Cm(w)

        def sized(cells):
            if widths:
                for cell, w in zip(cells, widths):
                    cell.width = Cm(w)
            return cells

        cells = sized(t.add_row().cells)
        for cell, text in zip(cells, headers):
            _run(cell.paragraphs[0], text).bold = True
        tr_pr = t.rows[0]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)
        for i, row in enumerate(rows):
            cells = sized(t.add_row().cells)
            for j, (cell, value) in enumerate(zip(cells, row)):
                paragraph = cell.paragraphs[0]
                runs = []
                if isinstance(value, tuple):
                    lead, value = value
                    lead_run = _run(paragraph, lead)
                    lead_run.bold = True
                    runs.append(lead_run)
                run = _run(paragraph, value)
                runs.append(run)
                flagged = flags and flags[i] and flag_column in (None, j)
                if flagged or (bold_first_column and j == 0):
                    run.bold = True
                if size:
                    for r in runs:
                        r.font.size = Pt(size)
        self.after_table = True
        return t

    def finish(self) -> bytes:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        c = self.c
        props = self.doc.core_properties
        props.title = property_text(c.properties["title"])
        props.author = property_text(c.properties["author"])
        props.subject = property_text(c.properties["subject"])
        props.keywords = property_text(c.properties["keywords"])
        props.comments = property_text(c.properties.get("integrity", c.integrity_line))
        props.language = c.properties["language"]
        props.last_modified_by = property_text(c.properties["author"])
        props.category = "EHIIRA"
        props.revision = 1
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
        props.created = props.modified = now
        # The document's language for spelling and for screen readers: British English.
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles.insert(0, defaults)
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attr), "en-GB")
        # Page footer: the title and the page number; the hashes live once, at the end.
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.text = ""
        run = _run(footer, f"EHIIRA: {c.title}    Page ")
        run.font.size = Pt(8)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        number = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        number.append(text)
        field.append(number)
        footer._p.append(field)
        buffer = BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _form_tables(b: _Builder, c: ReportContext, level: int) -> None:
    for section in c.stage1:
        b.heading(section.title, level)
        b.table(["No.", "Question", "Yes/No", "Rationale"],
                [[row.number, row.question, (row.answer or "—") + (" (concern)" if row.concern else ""), row.rationale]
                 for row in section.rows],
                [row.concern for row in section.rows], widths=(1.1, 7.4, 2.3, 6.2), flag_column=2)


def render_board(c: ReportContext) -> bytes:
    b = _Builder(c)
    b.paragraph("Equality, Health Inequalities Impact and Risk Assessment (EHIIRA)", bold=True, size=9)
    b.heading(c.title or "Untitled assessment", 0)
    b.table(["Field", "Value"], [[label, value] for label, value in c.fields if value != c.title]
            + [["Overview of the proposal", c.overview]], widths=(4.5, 12.5), bold_first_column=True)
    if c.integrity_note:
        b.paragraph(c.integrity_note, bold=True)

    b.heading("Rating and readiness", 1)
    p = b.paragraph()
    _run(p, f"RAG: {c.rag_label}").bold = True
    _run(p, f"  {c.rag_words}")
    b.labelled("Decision readiness:", c.readiness_words)
    b.labelled("Full assessment (stage 2):", c.stage2_note)
    b.labelled("Recommended outcome:", c.outcome + (f" — {c.justification}" if c.justification else ""))
    b.labelled("Approval:", c.approval.statement)
    b.heading("Risks and what is being done", 1)
    if c.must_see:
        b.table(["What could go wrong, for whom, and what is being done"],
                [[(f.title, f" ({f.severity}). {f.what}" + (f"\nFor whom: {f.who}" if f.who else "")
                   + (f"\nBecause: {f.because}" if f.because else "")
                   + (f"\nThe same gap also means: {'; '.join(f.also)}." if f.also else "")
                   + "\nWhat is being done: " + ("\n".join(f.done) if f.done else "nothing is recorded yet."))]
                 for f in c.must_see], widths=(17.0,), size=9)
    else:
        b.paragraph("The checks found nothing blocking and nothing of high severity.")
    if c.others:
        b.paragraph(f"The checks also found {c.others_count} {'finding' if len(c.others) == 1 else 'findings'} of "
                    "lower severity, listed under “Other findings” at the end of this appendix.")
    if c.risks:
        if c.must_see:
            b.heading("Also recorded in the answers", 2)
        b.table(["What could go wrong, and for whom", "What is being done"],
                [[(f"{r.what}. ", r.detail + (f"\nFor whom: {r.who}" if r.who else "")),
                  r.done + "".join(f"\nAction: {a}" for a in r.actions)] for r in c.risks],
                widths=(9.5, 7.5), size=9)
    elif not c.statements.negative_recorded:
        b.paragraph("The assessment records no negative impact on any group and no human-rights concern.")
    if c.story:
        b.heading("The story of the decision", 1)
        b.table(["Item", "Answer"], [[label, value] for label, value in c.story], widths=(4.5, 12.5), bold_first_column=True)
    b.heading("EHIIRA stage 1 screening", 1, new_page=True)
    _form_tables(b, c, 2)
    if not c.stage2_shown:
        b.paragraph(c.stage2_note)
    else:
        b.heading("EHIIRA stage 2: full assessment", 1, new_page=True)
        b.paragraph(c.stage2_note)
        if c.stage2_impacts.rows:
            b.heading("Likely impact on each group assessed", 2)
            b.table(c.stage2_impacts.headers, [r.cells for r in c.stage2_impacts.rows],
                    [r.flag for r in c.stage2_impacts.rows], widths=(3.4, 2.0, 6.6, 5.0), flag_column=1)
        elif not c.stage2_neutral:
            b.paragraph("No impact on any group is recorded yet.")
        if c.stage2_neutral:
            b.labelled("Neutral impact, no more said:", ", ".join(c.stage2_neutral) + ".")
        if c.stage2_unassessed:
            b.labelled("No impact recorded for:", ", ".join(c.stage2_unassessed) + ".")
        for section in c.stage2_answers:
            b.heading(section.title, 2)
            b.table(["Question", "Answer"], [[q.question, q.answer] for q in section.questions], widths=(6.0, 11.0))

    b.heading("Action plan and monitoring", 1, new_page=True)
    if c.plan_note:
        b.paragraph(c.plan_note)
    else:
        b.heading("Action plan", 2)
        if c.actions.rows:
            b.table(c.actions.headers, [r.cells for r in c.actions.rows], widths=(8.5, 3.5, 2.7, 2.3))
        else:
            b.paragraph("No actions are recorded.")
        if c.monitoring:
            b.heading("Monitoring and review", 2)
            b.table(["Item", "Answer"], [[label, value] for label, value in c.monitoring], widths=(5.5, 11.5),
                    bold_first_column=True)

    b.heading("Sign-off", 1)
    b.heading("Drafted by", 2)
    b.table(["Item", "Answer"], [[label, value] for label, value in c.drafted_by], widths=(5.5, 11.5), bold_first_column=True)
    b.heading("Stage 1 approval by the Equality and Inclusion business partner", 2)
    rows = [["Approval", c.approval.statement]]
    if c.approval.kind != "none":
        rows += [["Name", c.approval.name], ["Role", c.approval.role or "Not recorded"], ["Date", c.approval.date],
                 ["Approval comments", c.approval.comments or "None recorded"]]
    if c.returned:
        rows.append(["Last returned with comments", c.returned])
    b.table(["Item", "Answer"], rows, widths=(5.5, 11.5), bold_first_column=True)
    if c.others:
        b.heading("Other findings", 1)
        b.table(["Finding", "Severity", "What it means"], [[f.title, f.severity, f.what] for f in c.others],
                widths=(5.5, 2.0, 9.5), size=9)
    b.heading("About this record", 1)
    b.paragraph(c.integrity_words)
    return b.finish()


def render_author(c: ReportContext) -> bytes:
    b = _Builder(c)
    b.paragraph("Equality, Health Inequalities Impact and Risk Assessment (EHIIRA): author's working report", bold=True, size=9)
    b.heading(c.title or "Untitled assessment", 0)
    b.table(["Field", "Value"], [[label, value] for label, value in c.fields + c.details]
            + [["Overview of the proposal", c.overview]], widths=(4.5, 12.5), bold_first_column=True)
    if c.integrity_note:
        b.paragraph(c.integrity_note, bold=True)

    b.heading("Summary", 1)
    p = b.paragraph()
    _run(p, f"RAG: {c.rag_label}").bold = True
    _run(p, f"    Decision readiness: {c.readiness}")
    b.table([name.capitalize() for name, _ in c.counts], [[str(n) for _, n in c.counts]])
    b.heading("Blocking findings", 2)
    if c.blocking:
        for f in c.blocking:
            b.paragraph(f"{f.rule_id} {f.title} ({f.severity}): {f.guidance}", "List Number")
    else:
        b.paragraph("None. Nothing prevents submission.")

    b.heading("Findings", 1)
    if not c.finding_groups:
        b.paragraph("No findings.")
    for group in c.finding_groups:
        b.heading(group.label, 2)
        for f in group.findings:
            b.heading(f"{f.rule_id}: {f.title}", 3)
            b.paragraph(f"Severity: {f.severity}" + (" · blocking" if f.blocking else ""))
            b.paragraph(f.message)
            b.labelled("What to do:", f.guidance)
            for t in f.triggered_by:
                # Derived facts ("derived.…") are the rules' own names, not the form's.
                cited = "" if t.question_id.startswith("derived.") else f"{t.question_id} "
                b.paragraph(f"{cited}{t.question}: {t.answer}", "List Bullet")
            if f.consequences:
                b.labelled("The same gap also means:", "")
                for cf in f.consequences:
                    b.paragraph(f"{cf.rule_id} {cf.title} ({cf.severity}): {cf.message}", "List Bullet")
            b.paragraph("References: " + "; ".join(f.references))

    b.heading("The six steps", 1)
    for step in c.steps:
        b.heading(f"Step {step.number}: {step.title}", 2)
        if not step.sections:
            b.paragraph("Nothing was asked in this step.")
        for section in step.sections:
            b.heading(section.title, 3)
            b.table(["Question", "Answer"], [[(f"{q.label}. " if q.label else "") + q.question, q.answer]
                                             for q in section.questions], widths=(7.0, 10.0))

    b.heading("EHIIRA stage 1 screening", 1)
    _form_tables(b, c, 2)

    b.heading("EHIIRA stage 2: impact by group", 1)
    b.paragraph(c.stage2_note)
    b.table(c.stage2_all.headers, [r.cells for r in c.stage2_all.rows], [r.flag for r in c.stage2_all.rows],
            widths=(3.0, 2.9, 2.0, 3.35, 3.35, 2.4), flag_column=2)
    b.heading("Human rights", 2)
    b.table(c.human_rights.headers, [r.cells for r in c.human_rights.rows], [r.flag for r in c.human_rights.rows],
            widths=(4.5, 2.5, 5.0, 5.0), flag_column=1)

    b.heading("Action plan", 1)
    if c.actions.rows:
        b.table(c.actions.headers, [r.cells for r in c.actions.rows], widths=(8.5, 3.5, 2.5, 2.5))
    else:
        b.paragraph("Not answered: no actions recorded.")
    b.heading("Monitoring and review", 2)
    b.table(["Item", "Answer"], [[label, value] for label, value in c.monitoring], bold_first_column=True)
    b.heading("Sign-off", 2)
    rows = [[label, value] for label, value in c.drafted_by] + [["Approval", c.approval.statement]]
    if c.approval.comments:
        rows.append(["Approval comments", c.approval.comments])
    if c.returned:
        rows.append(["Last returned with comments", c.returned])
    b.table(["Item", "Answer"], rows, bold_first_column=True)

    b.heading("Provenance", 1)
    b.table(["Item", "Value"], [[label, value] for label, value in c.footer], bold_first_column=True)
    return b.finish()


def render_docx(c: ReportContext, audience: str = "board") -> bytes:
    return render_board(c) if audience == "board" else render_author(c)
