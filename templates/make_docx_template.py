"""Regenerate templates/report-template.docx, the Word template reports are built on.

An organisation can instead open report-template.docx in Word, change its
styles (Heading 1-3, Normal, Table Grid), header and letterhead, and save it:
`idmf report --format docx` uses whatever styles and header it finds there.

    .venv/bin/python templates/make_docx_template.py
"""

from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt, RGBColor

doc = Document()
body = doc.element.body
for child in list(body):
    if child.tag.endswith("}p"):
        body.remove(child)
normal = doc.styles["Normal"]
normal.font.name = "Arial"
normal.font.size = Pt(10.5)
for level, size in ((1, 16), (2, 13), (3, 11)):
    style = doc.styles[f"Heading {level}"]
    style.font.name = "Arial"
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
title = doc.styles["Title"]
title.font.name = "Arial"
title.font.size = Pt(22)
# A4 with 2 cm margins: 17 cm of text width, which the report's table widths assume.
section = doc.sections[0]
section.page_width, section.page_height = Cm(21.0), Cm(29.7)
section.left_margin = section.right_margin = Cm(2.0)
section.top_margin = section.bottom_margin = Cm(2.0)
header = section.header.paragraphs[0]
header.text = "Equality, Health Inequalities Impact and Risk Assessment"
header.runs[0].font.size = Pt(8)
doc.save(Path(__file__).with_name("report-template.docx"))
print("wrote report-template.docx")
