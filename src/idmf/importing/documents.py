"""Reading a completed form's text out of Word, PDF, plain text or Markdown.

Every format becomes the same thing: a list of ``Block``s in reading order,
each a line of text or a table row, with where it came from. Emphasis is
kept as Markdown marks (``**bold**``, ``*italic*``) because people mark the
answer they chose that way ("Yes / **No**").

Forms come from outside, so each reader is defensive: size limits before
reading, a Word file's zip is inspected before it is opened (zip bombs),
and any failure of the underlying library becomes one clear InputError.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..errors import InputError

MAX_SOURCE_BYTES = 20 * 1024 * 1024      # a form, even with pictures, is far below this
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024   # all parts of a .docx together, once unzipped
MAX_DOCUMENT_XML_BYTES = 30 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_RATIO = 200                          # unzipped / zipped for one part; real Word XML is ~10-30
MAX_PDF_PAGES = 200
MAX_CONTENT_BYTES = 30 * 1024 * 1024     # what a PDF's pages draw, unpacked
MAX_TEXT_CHARS = 2_000_000               # text taken from any one form
MAX_BLOCKS = 50_000

WORD_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
SUFFIXES = WORD_SUFFIXES + PDF_SUFFIXES + TEXT_SUFFIXES

# C0 controls other than tab and newline (and DEL, and C1) never belong in an
# answer; they could also drive a terminal when the import report is printed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")


SOFT_BREAK = "\u00ad"  # a cell's line break that may have been inside one word


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return _CONTROL.sub("", text)


@dataclass
class Block:
    """One line of a form, or one table row (``cells``), and where it was."""

    text: str
    where: str
    cells: Optional[list[str]] = None
    table: Optional[int] = None   # which table a row belongs to, so its header row applies
    listed: bool = False          # a Word list paragraph: numbered or bulleted by Word, not in its text


@dataclass
class Document:
    name: str
    kind: str  # "Word", "PDF", "text"
    blocks: list[Block] = field(default_factory=list)


def _refuse(path: Path, message: str, hint: str) -> InputError:
    return InputError(message, where=str(path), hint=hint)


def read_document(path: Path, data: bytes) -> Document:
    """Blocks of the form in ``data`` (the bytes of ``path``), by its file type."""
    suffix = path.suffix.lower()
    if len(data) > MAX_SOURCE_BYTES:
        raise _refuse(path, f"is {len(data):,} bytes; forms over {MAX_SOURCE_BYTES:,} bytes are not imported",
                      "save the form without embedded pictures or attachments, or import its text instead")
    if suffix in WORD_SUFFIXES:
        doc = Document(path.name, "Word", _word_blocks(path, data))
    elif suffix in PDF_SUFFIXES:
        doc = Document(path.name, "PDF", _pdf_blocks(path, data))
    elif suffix in TEXT_SUFFIXES:
        doc = Document(path.name, "text", text_blocks(_decode(path, data)))
    else:
        raise _refuse(path, f"is not a form idmf can import ({suffix or 'no file type'})",
                      "import a Word (.docx), PDF (.pdf), text (.txt) or Markdown (.md) file")
    if len(doc.blocks) > MAX_BLOCKS:
        raise _refuse(path, f"has {len(doc.blocks):,} lines; a stage 1 form has a few hundred",
                      "import the form itself, not a document it is part of")
    return doc


# --- plain text and Markdown ------------------------------------------------

def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise _refuse(path, "is not a text file (it contains binary data)",
                      "import the original Word or PDF form, or save it as plain text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything; latin-1 decodes everything
        text = data.decode("latin-1")
    if len(text) > MAX_TEXT_CHARS:
        raise _refuse(path, f"has {len(text):,} characters of text; too long to be one form",
                      "import the form itself, not a document it is part of")
    return clean(text)


_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def text_blocks(text: str, where_prefix: str = "line ") -> list[Block]:
    """Lines of text; Markdown table rows (``| a | b |``) and tab-separated lines become cells."""
    blocks: list[Block] = []
    table = None
    tables = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            table = None
            continue
        where = f"{where_prefix}{number}"
        if _MD_RULE.match(stripped):
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if table is None or table >= 2000:
                tables += 1
                table = tables
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            blocks.append(Block(" | ".join(cells), where, cells, table=1000 + table))
            continue
        if "\t" in stripped:
            # Consecutive tab-separated lines are one table (a header row applies to its own rows only).
            if table is None or table < 2000:
                tables += 1
                table = 2000 + tables
            cells = [c.strip() for c in stripped.split("\t")]
            blocks.append(Block(" ".join(c for c in cells if c), where, cells, table=table))
            continue
        table = None
        blocks.append(Block(stripped, where))
    return blocks


# --- Word ---------------------------------------------------------------------

def _check_zip(path: Path, data: bytes) -> None:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise _refuse(path, f"is not a valid Word document ({exc})",
                      "open it in Word and save it again as .docx, or import a PDF or text copy")
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise _refuse(path, f"holds {len(entries):,} parts; a Word form has a few dozen",
                          "this is not an ordinary Word form; save the form again from Word")
        total = 0
        names = set()
        for entry in entries:
            names.add(entry.filename)
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > 1_000_000 and ratio > MAX_RATIO:
                raise _refuse(path, f"part {entry.filename} unpacks {ratio:,.0f} times larger than it is stored "
                              "(a zip bomb, or a damaged file); not opened",
                              "save the form again from Word, or import a PDF or text copy")
            if entry.filename == "word/document.xml" and entry.file_size > MAX_DOCUMENT_XML_BYTES:
                raise _refuse(path, f"its text part is {entry.file_size:,} bytes unpacked; too big to be one form",
                              "import the form itself, not a document it is part of")
        if total > MAX_UNZIPPED_BYTES:
            raise _refuse(path, f"unpacks to {total:,} bytes; over the {MAX_UNZIPPED_BYTES:,} byte limit",
                          "save the form without embedded pictures, or import a PDF or text copy")
        if "word/document.xml" not in names:
            raise _refuse(path, "is a zip file but not a Word document (no word/document.xml)",
                          "import a Word (.docx), PDF or text copy of the form")


def _word_blocks(path: Path, data: bytes) -> list[Block]:
    _check_zip(path, data)
    import io

    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # noqa: BLE001 - any failure of a damaged file is bad input
        raise _refuse(path, f"could not be read as a Word document ({type(exc).__name__}: {exc})",
                      "open it in Word and save it again as .docx, or import a PDF or text copy")
    depth = _table_depth(body)
    if depth > MAX_TABLE_DEPTH:
        # Each row of a table is read with every table inside it, so the work grows with the square
        # of the nesting (tables 60 deep in a 48 KB file took 100 s). A stage 1 form nests at most one
        # or two deep.
        raise _refuse(path, f"has tables nested more than {MAX_TABLE_DEPTH} deep; a stage 1 form is not built so",
                      "save the form as PDF or text and import that, or remove the nested tables")
    return list(_body_blocks(body))


MAX_TABLE_DEPTH = 6


def _table_depth(body) -> int:
    """How deep tables nest in ``body`` (1: tables, none inside another), in one pass; stops counting
    once past the limit."""
    deepest = 0
    stack = [(body, 0)]
    while stack:
        element, depth = stack.pop()
        for child in element:
            inner = depth + 1 if child.tag == f"{_W}tbl" else depth
            if inner > MAX_TABLE_DEPTH:
                return inner
            deepest = max(deepest, inner)
            stack.append((child, inner))
    return deepest


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
TICKED, UNTICKED = "\u2612", "\u2610"


def _on(prop) -> bool:
    """Whether a run property such as <w:b/> is switched on (w:val may turn it off)."""
    if prop is None:
        return False
    return prop.get(f"{_W}val", "true") not in ("0", "false", "off", "none")


def _run_text(run) -> str:
    parts = []
    for child in run:
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}sym":
            # Symbol-font tick boxes (Wingdings 0xFE ticked, 0xA8 empty; 0x78/0xFD crosses).
            char = (child.get(f"{_W}char") or "").upper()
            parts.append(TICKED if char[-2:] in ("FE", "FD", "78", "FB") else UNTICKED if char[-2:] in ("A8", "6F") else "")
        elif tag == f"{_W}fldChar":
            box = child.find(f"{_W}ffData/{_W}checkBox")
            if box is not None:  # a legacy form-field check box
                checked = box.find(f"{_W}checked")
                default = box.find(f"{_W}default")
                on = _on(checked) if checked is not None else _on(default) if default is not None else False
                parts.append(TICKED if on else UNTICKED)
    return "".join(parts)


def _paragraph_text(p) -> str:
    """A paragraph's text with bold and italic kept as Markdown marks.

    Runs are read wherever they sit (content controls, hyperlinks, tracked
    insertions), since forms keep tick boxes and answers in content controls.
    """
    pieces: list[tuple[str, bool, bool]] = []
    for run in p.iter(f"{_W}r"):
        # Runs inside a deletion are not the text that was kept.
        if any(a.tag == f"{_W}del" for a in run.iterancestors()):
            continue
        text = _run_text(run)
        if not text:
            continue
        rpr = run.find(f"{_W}rPr")
        bold = italic = False
        if rpr is not None:
            bold = _on(rpr.find(f"{_W}b"))
            italic = _on(rpr.find(f"{_W}i"))
        if pieces and pieces[-1][1:] == (bold, italic):
            pieces[-1] = (pieces[-1][0] + text, bold, italic)
        else:
            pieces.append((text, bold, italic))
    # Content-control check boxes (w14:checkbox) show their state as a glyph
    # in the run text already; nothing more to do for them.
    out = []
    for text, bold, italic in pieces:
        core = text.strip()
        if not core or not (bold or italic):
            out.append(text)
            continue
        mark = "**" if bold else "*"
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()):]
        out.append(f"{lead}{mark}{core}{mark}{tail}")
    return clean("".join(out))


def _is_listed(p) -> bool:
    ppr = p.find(f"{_W}pPr")
    if ppr is None:
        return False
    if ppr.find(f"{_W}numPr") is not None:
        return True
    style = ppr.find(f"{_W}pStyle")
    return style is not None and "list" in (style.get(f"{_W}val") or "").lower()


def _cell_text(tc) -> str:
    lines = [_paragraph_text(p) for p in tc.iter(f"{_W}p")]
    return "\n".join(line for line in lines if line.strip())


def _body_blocks(body) -> Iterable[Block]:
    paragraph = table = 0

    def walk(parent):
        nonlocal paragraph, table
        for child in parent:
            if child.tag == f"{_W}p":
                paragraph += 1
                text = _paragraph_text(child)
                for line in text.split("\n"):
                    if line.strip():
                        yield Block(line.strip(), f"paragraph {paragraph}", listed=_is_listed(child))
            elif child.tag == f"{_W}tbl":
                table += 1
                this = table
                for r, tr in enumerate(child.iter(f"{_W}tr"), start=1):
                    cells = []
                    for tc in tr.findall(f"{_W}tc"):
                        cells.append(_cell_text(tc).strip())
                    if any(cells):
                        yield Block(" | ".join(c for c in cells if c), f"table {this} row {r}", cells, table=this)
            elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
                yield from walk(child)

    yield from walk(body)


# --- PDF ----------------------------------------------------------------------

def _pdf_blocks(path: Path, data: bytes) -> list[Block]:
    import io
    import logging

    if not data.startswith(b"%PDF"):
        raise _refuse(path, "is not a PDF file (it does not start with %PDF)",
                      "import the original Word or PDF form")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported once, by us
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse(path, "is a password-protected PDF", "save an unprotected copy of the form and import that")
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            raise _refuse(path, f"has {pages} pages; a stage 1 form has a few",
                          "import the form itself, not the board pack it is appended to")
        # What each page draws, unpacked (pypdf stops a decompression bomb), before any
        # reading: a form's pages hold kilobytes, not tens of megabytes.
        drawn = 0
        for page in reader.pages:
            contents = page.get_contents()
            drawn += len(contents.get_data()) if contents is not None else 0
            if drawn > MAX_CONTENT_BYTES:
                raise _refuse(path, "draws too much on its pages to be one form",
                              "import the form itself, not the board pack it is appended to")
        laid_out = _laid_out_blocks(path, data)
        if laid_out:
            return laid_out
        # Nothing pdfplumber could place: the plain text reading, with its column ticks.
        texts = []
        total = 0
        for page in reader.pages:
            text = clean(page.extract_text() or "")
            total += len(text)
            if total > MAX_TEXT_CHARS:
                raise _refuse(path, "has too much text to be one form",
                              "import the form itself, not the board pack it is appended to")
            texts.append(text)
        if any(_MARKS.search(text) for text in texts) and any(_YES_NO_HEADER.search(t) for t in texts):
            try:
                texts = ticks_in_columns(texts, column_ticks(data))
            except Exception:  # noqa: BLE001 - placing ticks is extra: without it they stay unanswered
                pass
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise _refuse(path, f"could not be read as a PDF ({type(exc).__name__}: {exc})",
                      "open it and save or print it to PDF again, or import a Word or text copy")
    return pdf_page_blocks(texts)


# A tick standing alone. Plain extraction puts a row's Yes/No cells before
# its rationale, so there the ticks lead a line ("X About 4,000 patients").
_MARK = r"(?:X|x|✓|✔|☒|☑)"
# Anywhere on a line: a short question keeps its tick on its own line ("... impacts? X Advised").
_MARKS = re.compile(rf"(?<!\S)((?:{_MARK}[ \t]+)*{_MARK})(?!\S)")
_YES_NO_HEADER = re.compile(r"(?<!\S)(Yes[ \t]+No|No[ \t]+Yes)(?!\S)")
_QUESTION_LINE = re.compile(r"^(\d{1,2})[.)]?[ \t]+[A-Z]")
_NUMBER_WORD = re.compile(r"^(\d{1,2})[.)]?$")


@dataclass
class ColumnTick:
    question: int   # the number in the row's first column
    answer: str     # "yes" or "no": the column the tick sits in


def column_ticks(data: bytes) -> list[list[ColumnTick]]:
    """Per page, the ticks in a table's separate Yes and No columns, top to bottom.

    Plain text extraction loses which column a tick sat in, so this reads the
    words' positions (pdfplumber): a header row holding "Yes" and "No" gives
    the columns, and a tick takes its question from the nearest number above
    it in the first column. A tick in neither column or with no number above
    it ends the reading for the page (its questions stay unanswered).
    """
    import io

    import pdfplumber

    pages: list[list[ColumnTick]] = []
    columns = None  # (yes word, no word) of the latest header; a table may run onto the next page
    numbers: list[tuple[float, int]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            ticks: list[ColumnTick] = []
            words = sorted(page.extract_words(), key=lambda w: (round(w["top"]), w["x0"]))
            # A row broken across pages keeps the number it started with.
            numbers = [(float("-inf"), numbers[-1][1])] if numbers else []
            by_top: dict[int, list] = {}
            for w in words:
                by_top.setdefault(int(w["top"]), []).append(w)
            for word in words:
                near = int(word["top"])
                row = [w for t in (near - 2, near - 1, near, near + 1, near + 2) for w in by_top.get(t, ())
                       if abs(w["top"] - word["top"]) < 2]
                if word["text"] in ("Yes", "No"):
                    partner = "No" if word["text"] == "Yes" else "Yes"
                    other = next((w for w in row if w["text"] == partner
                                  and min(abs(w["x0"] - word["x1"]), abs(word["x0"] - w["x1"])) < 40), None)
                    if other is not None:
                        yes, no = (word, other) if word["text"] == "Yes" else (other, word)
                        columns = (yes, no)
                        numbers = []
                        continue
                if columns is None:
                    continue
                yes, no = columns
                number = _NUMBER_WORD.match(word["text"])
                if number and word["x1"] < yes["x0"] / 3 and not any(w["x0"] < word["x0"] for w in row):
                    numbers.append((word["top"], int(number.group(1))))
                    continue
                if not re.fullmatch(_MARK, word["text"]) or any(w["x1"] <= word["x0"] < w["x1"] + 4 for w in row if w is not word):
                    continue
                centre = (word["x0"] + word["x1"]) / 2
                answer = ("yes" if yes["x0"] - 3 <= centre <= yes["x1"] + 3 else
                          "no" if no["x0"] - 3 <= centre <= no["x1"] + 3 else None)
                above = [n for top, n in numbers if top <= word["top"] + 2]
                if answer is None or not above:
                    break
                ticks.append(ColumnTick(above[-1], answer))
            pages.append(ticks)
    return pages


def ticks_in_columns(texts: list[str], ticks: list[list[ColumnTick]]) -> list[str]:
    """Plain page texts with each tick that leads a line written out as
    "☒ Yes" or "☒ No", from where it sat on the page.

    Changed only where the two readings agree: the same number of ticks on
    the page, each under the same question number. Otherwise the page is
    left as it was and its questions stay unanswered, never guessed.
    """
    out = []
    question = None  # a row broken across pages keeps the number it started with
    for text, page in zip(texts, ticks):
        runs = []
        for line_start, line in _lines_with_offsets(text):
            numbered = _QUESTION_LINE.match(line)
            if numbered and int(numbered.group(1)) <= 28:
                question = int(numbered.group(1))
            for run in _MARKS.finditer(line):
                runs.append((line_start + run.start(), line_start + run.end(), len(run.group(1).split()), question))
        if sum(count for *_, count, _ in runs) != len(page) or not runs:
            out.append(text)
            continue
        pieces, last, i, agree = [], 0, 0, True
        for start, end, count, question in runs:
            mine = page[i:i + count]
            agree = agree and all(t.question == question for t in mine)
            pieces += [text[last:start], " ".join(f"☒ {t.answer.capitalize()}" for t in mine)]
            i, last = i + count, end
        pieces.append(text[last:])
        out.append("".join(pieces) if agree else text)
    return out


def _lines_with_offsets(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def pdf_page_blocks(texts: list[str]) -> list[Block]:
    """Lines of each page, without the running header and footer lines that
    repeat at the top or bottom of most pages."""
    pages = [[line.strip() for line in text.split("\n") if line.strip()] for text in texts]
    edges: dict[str, int] = {}
    for lines in pages:
        for line in set(lines[:2] + lines[-2:]):
            edges[line] = edges.get(line, 0) + 1
    running = {line for line, n in edges.items() if len(pages) >= 3 and n >= max(3, len(pages) * 2 // 3)
               and not re.match(r"^\W*(yes|no)\b", line, re.I)}
    blocks = []
    for number, lines in enumerate(pages, start=1):
        for index, line in enumerate(lines, start=1):
            if line in running:
                continue
            blocks.append(Block(line, f"page {number} line {index}"))
    return blocks



# --- PDF by layout: tables as tables, paragraphs as paragraphs ---------------------------
#
# A PDF saved from a Word form keeps its tables as ruled cells. Plain text extraction runs
# a row's cells together ("21 Article 5 ... No Nobody is detained ...") and cuts each cell
# at its hard line breaks, so a row's answer and reason cannot be told apart. pdfplumber
# finds the ruled cells; a cell's lines are joined back into its text, a row cut by a page
# break is joined to its start, and the text outside tables is read line by line with
# lines wrapped within a paragraph joined and bold or italic kept as Markdown marks.

def _join_lines(lines: list[str]) -> str:
    """A cell's or paragraph's lines, as the text that was typed (no hard breaks)."""
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return ""
    if len(lines) > 1 and all(len(line) <= 2 for line in lines):
        return "".join(lines)  # a column too narrow for its word: "1\n0" is 10, "N\no\n." is No.
    out = lines[0]
    for line in lines[1:]:
        if re.match(r"[.,;:!?)]", line):
            out += line  # punctuation that wrapped onto a line of its own
        elif re.search(r"[A-Za-z]-$|/$", out) or (out[-1:].isdigit() and len(out) <= 2 and line[:1].isdigit()) \
                or (re.search(r"\d[/.\-]\d{1,2}[/.\-]\d{1,3}$", out) and re.match(r"\d{1,3}\b", line)):
            out += line
        else:
            out += " " + line
    return out


def _styled(word: dict) -> str:
    font = (word.get("fontname") or "").lower()
    return "b" if "bold" in font or "black" in font or "heavy" in font else \
        "i" if "italic" in font or "oblique" in font else ""


def _line_text(words: list[dict]) -> str:
    """Words of one line, with runs of bold or italic words marked as Markdown emphasis."""
    out: list[str] = []
    run: list[str] = []
    style = ""
    for word in words + [None]:
        this = _styled(word) if word is not None else None
        if word is None or this != style:
            if run:
                mark = {"b": "**", "i": "*"}.get(style, "")
                out.append(f"{mark}{' '.join(run)}{mark}")
            run, style = [], this or ""
        if word is not None:
            run.append(word["text"])
    return clean(" ".join(out))


def _inside(word: dict, boxes: list) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in boxes)


def _page_lines(words: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < max(2.0, 0.35 * (word["bottom"] - word["top"])):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _pdf_cell_text(box: tuple, words: list[dict]) -> str:
    """A table cell's text: its lines joined (the PDF's line breaks are where the cell was
    too narrow, not where the person pressed Enter), and a word LibreOffice broke across
    lines because it could not fit the cell (its first part alone on a line, reaching the
    cell's right edge) put back together."""
    x0, top, x1, bottom = box
    mine = [w for w in words if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom]
    if not mine:
        return ""
    lines = _page_lines(mine)
    pad = max(1.0, min(w["x0"] for w in mine) - x0)
    text = _line_text(lines[0])
    for before, line in zip(lines, lines[1:]):
        this = _line_text(line)
        broken = len(before) == 1 and before[0]["x1"] >= x1 - pad - 15 and line[0]["text"][:1].islower() \
            and len(before[0]["text"]) >= 3 and before[0]["text"][-1:].isalpha()
        # Geometry cannot tell "appointm|ents" (a word too long for the cell) from "Transport|help"
        # (two words), so a possible break is marked with a soft hyphen: question wording is
        # matched with the word whole, and the text kept shows the two parts as printed.
        text = f"{text}{SOFT_BREAK} {this}" if broken else _join_lines([text, this])
    return clean(text)


def _cut_row(words: list[dict], table, side: str, body_top: float, body_bottom: float):
    """(top, cells, words) of a row cut by a page break whose ruling was lost, from the
    words just above (``side`` "above") or below the table: only when every word sits
    inside one of the table's columns and they fill more than its first column."""
    columns = max(([c for c in row.cells if c is not None] for row in table.rows), key=len)
    if len(columns) < 2:
        return None
    x0, top, x1, bottom = table.bbox
    if side == "below":
        region = [w for w in words if w["top"] >= bottom - 1 and w["bottom"] <= body_bottom]
        if not region or min(w["top"] for w in region) - bottom > 12:
            return None
    else:
        region = [w for w in words if w["top"] >= body_top and w["bottom"] <= top + 1]
        if not region or top - max(w["bottom"] for w in region) > 12:
            return None
    used = set()
    for w in region:
        home = [i for i, c in enumerate(columns) if c[0] - 1 <= w["x0"] and w["x1"] <= c[2] + 1]
        if not home:
            return None
        used.add(home[0])
    if used == {0}:
        return None
    # A paragraph under the table can happen to have every word inside a column; but its words
    # run on with a space's gap where a row's cells are kept apart by their padding.
    for line in _page_lines(region):
        for a, b in zip(line, line[1:]):
            home_a = next(i for i, c in enumerate(columns) if c[0] - 1 <= a["x0"] and a["x1"] <= c[2] + 1)
            home_b = next(i for i, c in enumerate(columns) if c[0] - 1 <= b["x0"] and b["x1"] <= c[2] + 1)
            if home_a != home_b and b["x0"] - a["x1"] < 5:
                return None
    lo, hi = min(w["top"] for w in region) - 1, max(w["bottom"] for w in region) + 1
    cells = [_pdf_cell_text((c[0], lo, c[2], hi), region) for c in columns]
    return lo, cells, region


def _continues(previous: list[str], cells: list[str]) -> bool:
    """Whether a table's first row on a page is the rest of the row the last page ended with:
    its first cell is empty, or every cell with text carries on a sentence (no capital, no
    number, no tick box to start it), or its number is the last digit of the row's number."""
    if len(previous) != len(cells) or len(cells) < 2:
        return False
    if not cells[0].strip():
        return True
    filled = [c.strip() for c in cells if c.strip()]
    if all(c[:1].islower() or c[:1] in "(,;:.-–)" for c in filled):
        return True
    rest = [c.strip() for c in cells[1:] if c.strip()]
    return cells[0].strip().isdigit() and previous[0].strip().isdigit() and \
        all(c[:1].islower() or c[:1] in "(,;:.-–)" for c in rest)


def _laid_out_blocks(path: Path, data: bytes) -> Optional[list[Block]]:
    """The form's blocks read by position, or None when it has no ruled tables (the plain
    text reading then keeps its own handling of such PDFs)."""
    import io

    import pdfplumber

    pages: list[list[tuple[float, Block]]] = []
    tables = 0
    rows_seen = 0
    last_row: Optional[Block] = None  # the last table row of the page before, while it is the page's last item
    total = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            items: list[tuple[float, Block]] = []
            found = page.find_tables()
            boxes = [t.bbox for t in found]
            page_words = page.extract_words(extra_attrs=["fontname", "size"])
            in_tables = [w for w in page_words if _inside(w, boxes)]
            # Running headers and footers sit in the page's top and bottom margins; a table
            # carries on from the page before when nothing but them comes between.
            body_top, body_bottom = page.height * 0.05, page.height * 0.95
            first_top = min((w["top"] for w in page_words if not _inside(w, boxes) and w["top"] > body_top),
                            default=page.height)
            ordered = sorted(found, key=lambda t: t.bbox[1])
            outside = [w for w in page_words if not _inside(w, boxes)]
            # A row cut by the page break may have lost its ruling (no cell found): its words sit
            # in the table's columns just above the first table or just below the last one.
            cut: dict[tuple[int, str], tuple[float, list[str], list[dict]]] = {}
            if ordered:
                for key, table, side in ((0, ordered[0], "above"), (len(ordered) - 1, ordered[-1], "below")):
                    part = _cut_row(outside, table, side, body_top, body_bottom)
                    if part is not None:
                        cut[(key, side)] = part
                        taken = {id(w) for w in part[2]}
                        outside = [w for w in outside if id(w) not in taken]
                if cut and first_top < page.height:
                    first_top = min((w["top"] for w in outside if w["top"] > body_top), default=page.height)
            for k, t in enumerate(ordered):
                rows = [(row.bbox[1], [_pdf_cell_text(cell, in_tables) if cell is not None else None
                                       for cell in row.cells]) for row in t.rows]
                if (k, "above") in cut:
                    top, cells, _ = cut[(k, "above")]
                    rows.insert(0, (top, cells))
                if (k, "below") in cut:
                    top, cells, _ = cut[(k, "below")]
                    rows.append((top, cells))
                continuing = last_row is not None and first_top > t.bbox[1] and k == 0
                tables += 1
                table_id = last_row.table if continuing and last_row is not None else tables
                for r, (row_top, row) in enumerate(rows, start=1):
                    cells = [c for c in row if c is not None]
                    total += sum(len(c) for c in cells)
                    if not any(cells):
                        continue
                    rows_seen += 1
                    if r == 1 and continuing and last_row is not None and _continues(last_row.cells, cells):
                        last_row.cells = [_join_lines([a, b]) if i or not (a.isdigit() and b.isdigit()) else a + b
                                          for i, (a, b) in enumerate(zip(last_row.cells, cells))]
                        last_row.text = " | ".join(c for c in last_row.cells if c)
                        continue
                    block = Block(" | ".join(c for c in cells if c), f"page {number} table row {r}", cells,
                                  table=table_id)
                    items.append((row_top, block))
            words = outside
            paragraph: list[list[dict]] = []
            start = 0  # the line the paragraph being read began on
            lines = _page_lines(words)
            right = max((w["x1"] for w in words), default=0)
            for index, line in enumerate(lines, start=1):
                text = _line_text(line)
                total += len(text)
                if paragraph:
                    before = paragraph[-1]
                    height = max(w["bottom"] - w["top"] for w in before)
                    gap = line[0]["top"] - before[0]["top"]
                    wrapped = before[-1]["x1"] > right - 0.2 * (right - before[0]["x0"]) and \
                        abs(line[0]["x0"] - paragraph[0][0]["x0"]) < 30
                    if wrapped and gap < 1.6 * height and not _boxed(text):
                        paragraph.append(line)
                        continue
                    items.append(_paragraph_item(paragraph, number, start))
                paragraph, start = [line], index
            if paragraph:
                items.append(_paragraph_item(paragraph, number, start))
            if total > MAX_TEXT_CHARS:
                raise _refuse(path, "has too much text to be one form",
                              "import the form itself, not the board pack it is appended to")
            items.sort(key=lambda item: item[0])
            pages.append(items)
            body = [(top, b) for top, b in items if b.cells is not None or top < body_bottom]
            last_row = body[-1][1] if body and body[-1][1].cells is not None else None
    return _without_running_lines(pages)


def _boxed(text: str) -> bool:
    return bool(re.match(r"^\W*(yes|no)\b\W*$", text, re.I))


def _paragraph_item(lines: list[list[dict]], page: int, start: int) -> tuple[float, Block]:
    text = _join_lines([_line_text(line) for line in lines])
    text = re.sub(r"(\*{1,2}) \1", " ", text)  # emphasis carried over a wrapped line is one run
    where = f"page {page} line {start}" if len(lines) == 1 else f"page {page} lines {start}-{start + len(lines) - 1}"
    return lines[0][0]["top"], Block(text, where)


def _without_running_lines(pages: list[list[tuple[float, Block]]]) -> list[Block]:
    counts: dict[str, int] = {}
    for items in pages:
        lines = [b.text for _, b in items if b.cells is None]
        for text in set(lines[:2] + lines[-2:]):
            counts[text] = counts.get(text, 0) + 1
    running = {t for t, n in counts.items() if len(pages) >= 3 and n >= max(3, len(pages) * 2 // 3)
               and not re.match(r"^\W*(yes|no)\b", t, re.I)}
    return [b for items in pages for _, b in items if b.cells is not None or b.text not in running]
