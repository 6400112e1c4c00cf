"""`idmf import --review FILE.html`, printed names, and the store's memory of imported sources."""

from __future__ import annotations

import html
import re
import shutil

from .conftest import run_idmf
from .import_corpus import PDF_FIXTURES, PHLEBOTOMY, write


def test_the_review_page_shows_each_question_with_what_was_found_and_why_not_read(tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    shutil.copy(PDF_FIXTURES / "phlebotomy-answer-column-narrow.pdf", forms / "form <script>.pdf")
    (forms / "notes.txt").write_text("Just a note, not a form.\n")
    page = tmp_path / "review.html"
    result = run_idmf("import", str(forms), "--dir", str(tmp_path / "out"), "--review", str(page))
    assert result.returncode == 2, result.stderr  # notes.txt refused
    assert f"Review page: {page}" in result.stdout
    text = page.read_text(encoding="utf-8")
    assert "<script>" not in text and "form &lt;script&gt;.pdf" in text  # names are data
    rows = re.findall(r"<tr class=\"(unread)?\">\s*<td>(\d+)</td>", text)
    assert [int(n) for _, n in rows] == list(range(1, 29))
    unread = {int(n) for cls, n in rows if cls}
    assert unread == {n for n, q in PHLEBOTOMY.answers.items() if q.answer is None}
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
    assert "Everyone who needs a blood test." in plain  # what the form says for question 1
    assert "the form still shows 'Yes / No' without one chosen" in plain  # why question 9 was not read
    assert "page 2 table row 6" in plain  # and where to look
    assert "refused:" in plain and "notes.txt" in plain


def test_a_review_page_that_cannot_be_written_is_refused_before_importing(tmp_path):
    form = write(tmp_path, PHLEBOTOMY, "same-line", "md")
    out = tmp_path / "out"
    result = run_idmf("import", str(form), "--dir", str(out), "--review", str(tmp_path / "no" / "r.html"))
    assert result.returncode == 2
    assert "review page" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_form_file_name_cannot_drive_the_terminal(tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    evil = forms / "form\x1b]0;pwned\x07\x1b[2J.md"
    evil.write_bytes(write(tmp_path, PHLEBOTOMY, "same-line", "md").read_bytes())
    result = run_idmf("import", str(forms), "--dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "Imported" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    again = run_idmf("import", str(forms), "--dir", str(tmp_path / "out"))
    assert "already imported as" in again.stdout and "\x1b" not in again.stdout
