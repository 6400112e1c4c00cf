"""Reading a completed stage 1 EHIIRA form: from blocks of text to what it says.

The result, ``ScreeningForm``, is what the form says in the form's terms
(question numbers, header labels, the approval box); ``build.py`` turns it
into an idmf assessment. The reader walks the blocks once, in order:

* page furniture (running headers and footers, page numbers) is dropped, so a
  question broken across a page break joins up again;
* a header label ("Title of assessment:", "Service area") starts a field,
  with its value on the same line, in the next table cell or on the next line;
* a numbered, bulleted or table-row question starts a question, recognised by
  its number and words (``matching.py``); what follows it, up to the next
  question, label or heading, is its answer and rationale (``reading.py``);
* the approval box (E&I business partner) collects name, role, date, comments;
* whatever fits none of these is reported as text that could not be placed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Optional

from ..questionnaire.dates import DateError, parse_uk_date
from .documents import Block
from .matching import Anchor, QuestionMatcher, bare_number, words
from .reading import Reading, is_mark, read_answer, starts_with_answer, strip_marks

FURTHER_COMMENTS = 28
MIN_QUESTIONS = 5  # fewer recognised questions than this and it is not a stage 1 form


@dataclass
class FormAnswer:
    number: int
    answer: Optional[str]   # "yes", "no", or None (unanswered)
    rationale: str
    where: str
    reason: str = ""        # why it was left unanswered
    form_number: Optional[int] = None
    wording: str = ""       # the question as the form words it
    written: str = ""       # what was written for it on the form, as found (for the review page)


@dataclass
class FormApproval:
    name: str = ""
    role: str = ""
    date: Optional[dt.date] = None
    date_text: str = ""
    comments: str = ""
    where: str = ""


@dataclass
class FormPerson:
    """Who drafted the form, as its header block or sign-off table says."""
    name: str = ""
    role: str = ""
    date: Optional[dt.date] = None
    where: str = ""


@dataclass
class ScreeningForm:
    title: str = ""
    person_responsible: str = ""
    drafted_by: Optional[FormPerson] = None
    decision_date: Optional[dt.date] = None
    service_area: str = ""
    organisation: str = ""
    overview: str = ""
    screening_date: Optional[dt.date] = None
    answers: dict[int, FormAnswer] = field(default_factory=dict)
    further_comments: str = ""
    approval: Optional[FormApproval] = None
    unplaced: list[tuple[str, str]] = field(default_factory=list)   # (where, text)
    notes: list[str] = field(default_factory=list)                  # things the reader chose not to do, and why
    found: dict[str, str] = field(default_factory=dict)             # header field -> where it was read


# --- labels, headings and page furniture ------------------------------------------

_NOISE = re.compile(
    r"^(page\s*\d+(\s*(of|/)\s*\d+)?|\d+\s*(of|/)\s*\d+|-\s*\d+\s*-|\d+\s*\|\s*page|page\s*\|\s*\d+"
    r"|official(\s*[-:]?\s*sensitive)?|nhs\s+official|classification\s*:.*|not protectively marked)$", re.I)
_CSU = re.compile(r"commissioning support unit", re.I)

_HEADING = re.compile(
    r"^(section\s+(one|two|three|four|1|2|3|4)\b.*|(equality|health inequalit\w*)( impact| risk)?s?"
    r"|human rights|comments|stage\s*(1|one|2|two)\b.*|.*impact and risk assessment.*|.*\behiira\b.*"
    r"|(initial )?screening( assessment| questions)?|questions?|(part|section) [a-d]\b.*)$", re.I)

_COLUMN_WORDS = re.compile(r"^((no\.|number|#|question|yes\s*/\s*no|yes|no|answer|response|(brief )?rationale"
                           r"|comments?|reason)\s*)+$", re.I)


def _is_heading(text: str) -> bool:
    text = re.sub(r"^[#>\s*_-]+", "", strip_marks(text)).strip().rstrip(":")
    # A table's header row flattened into one line (PDF text) is a heading too.
    return bool(_HEADING.match(text)) or (len(text.split()) >= 2 and bool(_COLUMN_WORDS.match(text)))


_THINGS = (r"(assessment|proposal|policy|project|service change|decision|ehiira|document|paper|strategy|programme"
           r"|scheme|activity)")
_LABELS = [
    ("approval_name", re.compile(r"(approved|signed(\s+off)?|reviewed)\s+by|name of (the )?(e\s*&\s*i |equality (and|&)"
                                 r" inclusion )?(business partner|reviewer|approver)|(e\s*&\s*i )?business partner'?s? name")),
    ("drafted_by", re.compile(r"(drafted|prepared|completed|written|authored) by|drafted|author|name of (the )?author")),
    ("decision_date", re.compile(r"(decision date|date of (the )?decision)( \(.{0,40}\))?")),
    ("approval", re.compile(r".{0,60}\b(approval|business partner|sign[- ]?off|(e\s*&\s*i|equality (and|&) inclusion)"
                            r" (review|comments?))\b.{0,60}")),
    ("screening_date", re.compile(
        r"date of (screening|assessment|completion|ehiira|stage (1|one)( screening)?)|(screening|assessment|completion"
        r"|stage (1|one)) date|date (completed|screened|assessed|of stage (1|one) screening)")),
    ("title", re.compile(
        rf"(title|name) of( the)? {_THINGS}((\s*,\s*|\s+or\s+|\s+and\s+|\s*/\s*)(the )?{_THINGS})*|title"
        r"|(assessment|proposal|project|policy|ehiira) (title|name)")),
    ("person_responsible", re.compile(
        r"(name(\(s\)|s)? of )?(the )?person(\(s\)|s)? responsible( for (the |this )?(assessment|ehiira|proposal"
        r"|policy|service))?|responsible (person|people|officer|lead|manager)(\(s\)|s)?|lead officer|assessment lead")),
    ("service_area", re.compile(r"service area(\s*(/|and|or)\s*directorate)?|directorate(\s*/\s*service area)?"
                                r"|department|business area|team\s*/\s*service area")),
    ("organisation", re.compile(r"(name of (the )?)?organi[sz]ation( name)?")),
    ("overview", re.compile(r"(a |brief |short )?(overview|summary|description)\b.{0,120}")),
    ("further_comments", re.compile(r"(any )?(further|additional|other) comments\b.{0,120}")),
    ("date", re.compile(r"date(\s+(approved|of approval|signed|of review))?|approval date")),
    ("name", re.compile(r"(full )?name|name of (reviewer|approver|business partner)|reviewer|approver|signature|signed")),
    ("role", re.compile(r"role|job title|position|designation")),
    ("comments", re.compile(r"(approval |reviewer'?s? |e&i )?comments?|notes")),
]
_SINGLE_LINE = {"title", "person_responsible", "service_area", "organisation", "screening_date", "drafted_by",
                "decision_date"}


def _label(text: str) -> Optional[tuple[str, str]]:
    """(field, value on the same line) when the line is a header or approval label."""
    plain = strip_marks(text)
    if ":" in plain[:160]:
        head, value = plain.split(":", 1)
    else:
        head, value = plain, ""
    key = re.sub(r"\s+", " ", head.strip().lower()).rstrip(" .?*")
    key = re.sub(r"^\W+", "", key)
    if not key or len(key) > 160:
        return None
    for name, pattern in _LABELS:
        if pattern.fullmatch(key):
            return name, value.strip()
    # A label table flattened into lines (PDF text): "Service area Diagnostics".
    m = _PREFIX_LABEL.match(plain)
    if m:
        for name, pattern in _LABELS:
            if pattern.fullmatch(m.group(1).lower()):
                return name, m.group(2).strip()
    return None


# Only labels long and particular enough that no answer starts with them.
_PREFIX_LABEL = re.compile(
    r"^(title of (?:the )?assessment|person(?:\(s\)|s)? responsible|service area|date of screening|screening date)"
    r"\s+(\S.*)$", re.I)
_APPROVAL_PREFIX = re.compile(r"^(name|role|date)\s+(\S.{0,80})$", re.I)


_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


def parse_form_date(text: str) -> Optional[dt.date]:
    """A date as written on a UK form (day first), or None when there is none or it is not a real date.

    A cell that is only a date is read by the same reader as a date typed in the wizard
    (15/03/2027, 15 Mar 27, Monday 15 March 2027 ...); otherwise the date is found in the
    text around it ("Signed 15/03/2027 by ...")."""
    text = strip_marks(text).strip()
    try:
        return parse_uk_date(text.rstrip(".,;"))
    except DateError:
        pass
    try:
        m = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.search(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\b", text)
        if m:
            year = int(m.group(3))
            year += 2000 if year < 100 else 0
            return dt.date(year, int(m.group(2)), int(m.group(1)))
        m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})\b", text, re.I)
        if m and m.group(2)[:3].lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
        m = re.search(r"\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", text, re.I)
        if m and m.group(1)[:3].lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
    except ValueError:
        return None
    return None


# --- table header rows ---------------------------------------------------------------

def _column_roles(cells: list[str]) -> Optional[dict[str, int]]:
    """Which column holds what, when ``cells`` is a question table's header row."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = strip_marks(cell).strip().lower().rstrip(":")
        if key in ("no.", "no", "number", "#", "ref", "ref.", "q", "q.", "q no", "q no.", "question number", "item") \
                and i == 0 and "no" not in [strip_marks(c).strip().lower() for c in cells[1:]]:
            roles["number"] = i
        elif key == "yes":
            roles["yes"] = i
        elif key == "no":
            roles["no"] = i
        elif key in ("yes/no", "yes / no", "y/n", "answer", "response", "yes or no"):
            roles["answer"] = i
        elif re.search(r"rationale|reason|comment|evidence|explanation|why|details", key):
            roles.setdefault("rationale", i)
        elif re.search(r"question|screening", key):
            roles.setdefault("question", i)
    marks = {"yes", "no"} <= roles.keys() or "answer" in roles
    if marks and ("question" in roles or "rationale" in roles):
        return roles
    return None


# A person's name as written in a sign-off box: two to four capitalised words ("Sam Patel",
# "Dr Priya Shah", "Mary-Jane O'Neil").
_PERSON = re.compile(r"(?:(?:Dr|Mr|Mrs|Ms|Miss|Prof)\.?\s+)?[A-Z][a-zA-Z'’\-]+(?:\s+[A-Z][a-zA-Z'’\-]+){1,3}")


def _signoff_roles(cells: list[str]) -> Optional[dict[str, int]]:
    """Which column holds what, when ``cells`` is a sign-off table's header row (Name | Role | Date)."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = strip_marks(cell).strip().lower().rstrip(":")
        if i == 0:
            continue
        if key in ("name", "full name", "print name", "name (print)"):
            roles["name"] = i
        elif key in ("role", "job title", "position", "designation", "title"):
            roles["role"] = i
        elif key in ("date", "date signed", "date approved"):
            roles["date"] = i
    if "name" in roles and ("role" in roles or "date" in roles):
        roles["signoff"] = 0
        return roles
    return None


# --- the reader ----------------------------------------------------------------------

@dataclass
class _Question:
    number: int
    where: str
    form_number: Optional[int]
    text: str = ""                        # the question as worded on the form
    complete: bool = False                # its wording has ended (a "?" or an answer seen)
    answer_lines: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # after unfinished wording: more wording if an answer follows
    reading: Optional[Reading] = None     # already read from a table row's columns
    written: str = ""                     # a table row's cells after the question, as found


_UNGLUE_TAIL = 2_000  # characters: longer than any question's wording with a rationale after it
_UNGLUE_TRIES = 50  # sentence ends tried per line


class FormReader:
    def __init__(self, questions: dict[int, str], yes_no: set[int]):
        self.matcher = QuestionMatcher(questions)
        self.yes_no = yes_no
        self.form = ScreeningForm()
        self.region = "header"
        self.question: Optional[_Question] = None
        self.field: Optional[str] = None          # a header or approval field taking following lines
        self.field_lines: list[str] = []
        self.field_where = ""
        self.roles: dict[object, dict[str, int]] = {}
        self.expected = 1
        self.dropped: set[int] = set()            # duplicate question numbers whose text went to unplaced

    # --- entry point -----------------------------------------------------------
    def read(self, blocks: list[Block]) -> ScreeningForm:
        kept: list[Block] = []
        bullet = False
        for b in blocks:
            if b.cells is None and re.fullmatch(r"\s*[-*•▪◦·●○■➢➤►‣⁃]\s*", b.text):
                bullet = True  # a list marker on its own line (PDF text): the next line is the item
                continue
            if self._furniture(b):
                continue
            if bullet:
                b = Block(b.text, b.where, b.cells, b.table, listed=True)
                bullet = False
            kept.extend(self._unglue(b))
        blocks = kept
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.cells is not None:
                self._row(block)
            else:
                n = bare_number(block.text)
                if n is not None:
                    # A number on a line of its own: the question on the next line, or a stray page number.
                    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                    if nxt is not None and nxt.cells is None and self.matcher.score(n, nxt.text) >= 0.22:
                        self._line(Block(f"{n}. {nxt.text}", block.where, listed=nxt.listed))
                        i += 2
                        continue
                    i += 1
                    continue
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                joined = self._broken_question(block, nxt)
                if joined is not None:
                    self._line(joined)
                    i += 2
                    continue
                self._line(block)
            i += 1
        self._finish()
        return self.form

    def _unglue(self, block: Block) -> list[Block]:
        """PDF text sometimes runs a question onto the end of the line before it
        ("Yes - audit done. Have you engaged ...?"): split it off when the tail is
        plainly a question's wording."""
        if block.cells is not None:
            return [block]
        # Linear in the line (a 124 KB line of "Q1. " took 40 s when every sentence end re-read
        # the whole line): the words before a split are counted once, and only a tail short enough
        # to be a question's wording (with its answer) is matched, at most _UNGLUE_TRIES of them.
        text = block.text
        second_word = [w.end() for _, w in zip(range(2), re.finditer(r"[A-Za-z]{2,}", text))]
        tries = 0
        for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", text):
            if len(second_word) < 2 or m.start() < second_word[1]:
                continue  # "1. Have you ...": a number, not a line before
            if len(text) - m.end() > _UNGLUE_TAIL:
                continue
            tail = text[m.end():]
            tries += 1
            if tries > _UNGLUE_TRIES:
                break
            if len(words(tail)) >= 4 and self.matcher.unnumbered(tail) is not None:
                head = block.text[:m.start()]
                return [Block(head, block.where, listed=block.listed), Block(tail, block.where)]
        return [block]

    def _broken_question(self, block: Block, nxt: Optional[Block]) -> Optional[Block]:
        """A numbered or bulleted line that is only the start of a question (the rest
        is on the next line, often after a page break): the two lines joined, when
        together they are a question and alone the first is not."""
        text = block.text.strip()
        if nxt is None or nxt.cells is not None or text.endswith("?") or starts_with_answer(nxt.text) \
                or starts_with_answer(text):
            return None
        if not (block.listed or re.match(r"^\s*((q(uestion)?\s*)?\d{1,2}\s*[.):\-–]|[-*•▪◦·●○■➢➤►‣⁃]\s)", text, re.I)):
            return None
        if _label(nxt.text) is not None or self.matcher.anchor(text, listed=block.listed, expected=self.expected):
            return None
        if self.matcher.anchor(nxt.text, listed=nxt.listed, expected=self.expected):
            return None
        joined = Block(f"{text} {nxt.text.strip()}", block.where, listed=block.listed)
        if self.matcher.anchor(joined.text, listed=joined.listed, expected=self.expected) is None:
            return None
        return joined

    def _furniture(self, block: Block) -> bool:
        text = strip_marks(block.text).strip()
        if block.cells is None and (_NOISE.match(text) or (_CSU.search(text) and len(text) < 90)
                                    or re.fullmatch(r"[-*•▪◦·●○■➢➤►‣⁃]", text)):
            return True
        return False

    # --- lines -------------------------------------------------------------------
    def _line(self, block: Block) -> None:
        text = block.text.strip()
        if self.question is not None and starts_with_answer(text):
            self._question_line(text)
            return
        anchor = None
        if not starts_with_answer(text):
            anchor = self.matcher.anchor(text, listed=block.listed, expected=self.expected)
            if anchor is None and self.field is None and _label(text) is None:
                # Numbers lost (a PDF of a Word list): a line that is plainly a question's wording.
                anchor = self.matcher.unnumbered(text, self.expected)
                if anchor is not None and self.question is not None and anchor.number == self.question.number:
                    anchor = None
        if anchor is not None:
            self._start_question(anchor, block.where)
            if self.question is not None:  # else a repeat, whose text is being kept as not placed
                self._question_line(anchor.text, first=True)
            return
        label = _label(text)
        if label is None and self.region == "approval":
            m = _APPROVAL_PREFIX.match(strip_marks(text))
            label = (m.group(1).lower(), m.group(2)) if m else None
        if label is not None and self._take_label(label, block.where):
            return
        if _is_heading(text):
            self._close()
            return
        self._content(text, block.where)

    def _open_question_wording(self) -> bool:
        return self.question is not None and not self.question.complete

    def _start_question(self, anchor: Anchor, where: str) -> None:
        self._close()
        n = anchor.number
        if n in self.form.answers or (self.question and self.question.number == n):
            self.form.notes.append(f"question {n} appears a second time ({where}); the first one is kept "
                                   "and this one's text is listed as not placed")
            self.field, self.field_lines, self.field_where = "unplaced", [], where
            self.field_lines.append(anchor.text)
            return
        self.region = "questions"
        self.question = _Question(n, where, anchor.form_number)
        if anchor.form_number is not None and anchor.form_number != n:
            self.form.notes.append(f"{where}: numbered {anchor.form_number} on the form, read as question {n} "
                                   "by its wording")
        self.expected = n + 1

    def _question_line(self, text: str, first: bool = False) -> None:
        q = self.question
        assert q is not None
        if first:
            wording, rest = _split_wording(text)
            if q.number == FURTHER_COMMENTS and not rest and ":" in wording:
                wording, rest = (part.strip() for part in wording.split(":", 1))
            q.text = wording
            q.complete = bool(rest) or wording.rstrip("*_ ").endswith("?")
            if rest:
                q.answer_lines.append(rest)
            return
        if not q.complete:
            if not starts_with_answer(text):
                wording, rest = _split_wording(text)
                before = self.matcher.score(q.number, q.text)
                after = self.matcher.score(q.number, f"{q.text} {wording}")
                if not q.pending and (wording.rstrip("*_ ").endswith("?") or rest or after > before + 0.02):
                    q.text = f"{q.text} {wording}".strip()
                    q.complete = bool(rest) or wording.rstrip("*_ ").endswith("?")
                    if rest:
                        q.answer_lines.append(rest)
                    return
                if q.number != FURTHER_COMMENTS and len(q.pending) < 3:
                    q.pending.append(text)
                    return
            else:
                # Lines between unfinished wording and the answer were the rest of the wording.
                q.text = " ".join([q.text] + q.pending)
                q.pending = []
            q.complete = True
        q.answer_lines.append(text)

    # --- table rows ------------------------------------------------------------------
    def _row(self, block: Block) -> None:
        cells = block.cells or []
        roles = _column_roles(cells) or _signoff_roles(cells)
        if roles is not None:
            self._close()
            self.roles[block.table] = roles
            return
        roles = self.roles.get(block.table, {})
        if "signoff" in roles:
            self._signoff_row(cells, roles, block.where)
            return
        anchor, rest_from = self._row_anchor(cells, roles)
        if anchor is not None:
            self._start_question(anchor, block.where)
            if self.question is None:  # a duplicate: its cells are not placed
                self.field_lines.extend(c for c in cells if c)
                return
            self.question.text = anchor.text
            self.question.complete = True
            if sum(1 for c in cells if c.strip()) == 1:
                return  # a question on a row of its own ("Further comments"): its answer is in the rows below
            self._row_answer(cells, roles, rest_from)
            self._close()
            return
        # Label rows: "Title of assessment | ..." or "Name | Jo | Date | 1/2/24".
        filled = [c for c in cells if c.strip()]
        first = _label(filled[0]) if len(filled) >= 3 else None
        if first is not None and first[0] in ("approval", "approval_name", "drafted_by") and not first[1]:
            # "E&I business partner | Sam Patel | E&I Business Partner | 20/03/2024", no header row.
            if self._person_row(first[0], [strip_marks(c).strip() for c in filled[1:]], block.where):
                return
        i = 0
        took = False
        while i < len(filled):
            label = _label(filled[i])
            if label is None:
                break
            name, value = label
            step = 1
            if not value and i + 1 < len(filled):
                # In a label row the cell after a label is its value, whatever it says.
                value, step = filled[i + 1], 2
            if not self._take_label((name, value), block.where):
                break
            took = True
            i += step
        if took and i >= len(filled):
            return
        if not took and len(filled) == 1 and _is_heading(filled[0]):
            self._close()
            return
        for cell in filled[i:]:
            self._content(cell, block.where)

    def _person_row(self, kind: str, cells: list[str], where: str) -> bool:
        """A sign-off row without a header row: its date is the cell that is a date, its name
        the first cell shaped like a person's name, its role the other short cell. Read only
        when each of these is plain; otherwise the row is left to the label reading."""
        dates = [c for c in cells if len(c) <= 40 and parse_form_date(c) is not None]
        rest = [c for c in cells if c not in dates]
        names = [c for c in rest if _PERSON.fullmatch(c)]
        if len(dates) > 1 or not names or len(rest) > 3:
            return False
        name = names[0]
        others = [c for c in rest if c != name]
        role = next((c for c in others if len(c) <= 80), "")
        comments = "\n".join(c for c in others if c != role)
        date_text = dates[0] if dates else ""
        self._close()
        if kind == "drafted_by":
            if self.form.drafted_by is None:
                self.form.drafted_by = FormPerson(name, role, parse_form_date(date_text) if date_text else None, where)
                self.form.found["drafted by"] = where
            return True
        self.region = "approval"
        approval = self._approval()
        approval.where = approval.where or where
        approval.name, approval.role = approval.name or name, approval.role or role
        if date_text:
            approval.date_text, approval.date = date_text, parse_form_date(date_text)
        if comments:
            approval.comments = f"{approval.comments}\n{comments}".strip()
        return True

    def _signoff_row(self, cells: list[str], roles: dict[str, int], where: str) -> None:
        """A row of a sign-off table (Name | Role | Date columns): the author's or the E&I
        business partner's, by its first cell; anything else is reported as not placed."""
        def cell(role: str) -> str:
            i = roles.get(role)
            return strip_marks(cells[i]).strip() if i is not None and i < len(cells) else ""

        self._close()
        who = strip_marks(cells[0]).strip().rstrip(":").lower() if cells else ""
        label = _label(cells[0]) if cells else None
        others = [strip_marks(c).strip() for c in cells[1:] if c.strip()]
        partner = bool(re.search(r"business partner|\be\s*&\s*i\b|equality (and|&) inclusion|approv|reviewer", who))
        if "comment" in who and (partner or self.form.approval is not None):
            if others:
                approval = self._approval()
                approval.comments = "\n".join(x for x in [approval.comments] + others if x).strip()
            return
        date_text = cell("date")
        if label is not None and label[0] == "drafted_by":
            if self.form.drafted_by is None:
                self.form.drafted_by = FormPerson(cell("name"), cell("role"), parse_form_date(date_text) if date_text
                                                  else None, where)
                self.form.found["drafted by"] = where
            if date_text and parse_form_date(date_text) is None:
                self.form.notes.append(f"{where}: the author's date '{date_text}' is not a date idmf can read; "
                                       "not recorded")
            return
        if partner:
            approval = self._approval()
            approval.where = approval.where or where
            approval.name = approval.name or cell("name")
            approval.role = approval.role or cell("role")
            if date_text:
                approval.date_text, approval.date = date_text, parse_form_date(date_text)
            return
        if others:
            self.form.unplaced.append((where, " | ".join(strip_marks(c).strip() for c in cells if c.strip())))

    def _row_anchor(self, cells: list[str], roles: dict[str, int]) -> tuple[Optional[Anchor], int]:
        if "question" in roles and roles["question"] < len(cells):
            qi = roles["question"]
            text = cells[qi]
            number = cells[roles["number"]].strip() if "number" in roles and roles["number"] < len(cells) else ""
            if re.fullmatch(r"(q(uestion)?\s*)?\d{1,2}\.?", number, re.I):
                text = f"{re.sub(r'[^0-9]', '', number)}. {text}"
            anchor = self.matcher.anchor(text, listed=True, expected=self.expected)
            return anchor, qi + 1
        for i, cell in enumerate(cells):
            if not cell.strip():
                continue
            if bare_number(cell) is not None and i + 1 < len(cells):
                anchor = self.matcher.anchor(f"{bare_number(cell)}. {cells[i + 1]}", expected=self.expected)
                if anchor is not None:
                    return anchor, i + 2
            anchor = self.matcher.anchor(cell, listed=True, expected=self.expected)
            if anchor is not None:
                return anchor, i + 1
            if starts_with_answer(cell):
                break
        return None, 0

    def _row_answer(self, cells: list[str], roles: dict[str, int], rest_from: int) -> None:
        q = self.question
        assert q is not None

        def cell(role: str) -> str:
            i = roles.get(role)
            return cells[i] if i is not None and i < len(cells) else ""

        q.written = " | ".join(c for c in cells[rest_from:] if c.strip())
        used = {i for r, i in roles.items()}
        others = [c for i, c in enumerate(cells) if i >= rest_from and i not in used and c.strip()]
        rationale = "\n".join(x for x in [cell("rationale")] + others if x.strip())
        if q.number == FURTHER_COMMENTS:
            q.answer_lines = [x for x in [cell("answer"), rationale] if x.strip()]
            return
        if "yes" in roles and "no" in roles:
            q.written = " | ".join(x for x in [f"Yes column: {cell('yes').strip() or '(blank)'}",
                                               f"No column: {cell('no').strip() or '(blank)'}", rationale] if x)
            yes, no = is_mark(cell("yes")), is_mark(cell("no"))
            if yes is None or no is None:
                text = "\n".join(x for x in [cell("yes"), cell("no"), rationale] if x.strip())
                q.reading = Reading(None, strip_marks(text), "the Yes and No columns hold words, not a tick")
            elif yes and no:
                q.reading = Reading(None, strip_marks(rationale), "both Yes and No are ticked")
            elif yes or no:
                q.reading = Reading("yes" if yes else "no", strip_marks(rationale))
            else:
                q.reading = Reading(None, strip_marks(rationale), "neither Yes nor No is ticked" if rationale else "no answer given")
            return
        if "answer" in roles:
            reading = read_answer(cell("answer"))
            q.reading = Reading(reading.answer, "\n".join(x for x in [reading.rationale, strip_marks(rationale)] if x),
                                reading.reason)
            return
        q.answer_lines = [" – ".join(c for c in cells[rest_from:] if c.strip())]

    # --- labels, fields and loose text -------------------------------------------------
    def _take_label(self, label: tuple[str, str], where: str) -> bool:
        name, value = label
        if name in ("drafted_by", "decision_date"):
            if self.region == "approval":
                self.region = "header"  # the author's line ends the business partner's box
            self._open(name, where, value)
            return True
        if name == "approval_name":
            self._close()
            self.region = "approval"
            name = "name"
        elif name == "approval":
            self._close()
            self.region = "approval"
            self._approval().where = self._approval().where or where
            if value:
                self._open("comments", where, value)
            return True
        elif name == "further_comments":
            if self.region == "approval":
                name = "comments"
            else:
                self._start_question(Anchor(FURTHER_COMMENTS, value, 1.0), where)
                if self.question is not None:
                    self.question.complete = True
                    if value:
                        self.question.answer_lines.append(value)
                return True
        if self.region == "approval":
            if name == "title":
                name = "role"
            if name not in ("name", "role", "date", "comments", "screening_date"):
                return False
        elif name in ("name", "role", "comments"):
            return False  # outside the approval box these words are too common to be labels
        elif name == "date":
            name = "screening_date"
        self._open(name, where, value)
        return True

    def _approval(self) -> FormApproval:
        if self.form.approval is None:
            self.form.approval = FormApproval()
        return self.form.approval

    def _open(self, name: str, where: str, value: str) -> None:
        self._close()
        self.field, self.field_lines, self.field_where = name, [], where
        if value:
            self.field_lines.append(value)
            if name in _SINGLE_LINE or name in ("name", "role", "date"):
                self._close()

    def _content(self, text: str, where: str) -> None:
        if self.field is not None:
            self.field_lines.append(text)
            if self.field in _SINGLE_LINE or self.field in ("name", "role", "date"):
                self._close()
            return
        if self.question is not None:
            self._question_line(text)
            return
        if self.region == "approval" and self.form.approval is not None:
            self._open("comments", where, text)
            return
        self.form.unplaced.append((where, strip_marks(text)))

    def _close(self) -> None:
        if self.question is not None:
            self._finish_question()
        if self.field is not None:
            self._finish_field()

    def _finish_field(self) -> None:
        name, lines, where = self.field, self.field_lines, self.field_where
        self.field, self.field_lines = None, []
        text = strip_marks("\n".join(lines)).strip()
        if name == "unplaced":
            if text:
                self.form.unplaced.append((where, text))
            return
        if not text:
            return
        form = self.form
        if name in ("name", "role", "comments", "date") and self.region == "approval":
            approval = self._approval()
            if name == "date":
                approval.date_text = text
                approval.date = parse_form_date(text)
            elif name == "comments":
                approval.comments = f"{approval.comments}\n{text}".strip()
            else:
                setattr(approval, name, getattr(approval, name) or text)
            return
        if name == "drafted_by":
            if form.drafted_by is None:
                person_name, _, role = (part.strip() for part in text.partition(","))
                form.drafted_by = FormPerson(person_name, role, None, where)
                form.found["drafted by"] = where
            return
        if name in ("decision_date", "screening_date"):
            label = name.replace("_", " ")
            date = parse_form_date(text)
            if date is None:
                form.notes.append(f"{where}: the {label} '{text}' is not a date idmf can read; not recorded")
                form.unplaced.append((where, text))
            elif getattr(form, name) is None:
                setattr(form, name, date)
                form.found[label] = where
            return
        if getattr(form, name):
            form.notes.append(f"{where}: a second '{name.replace('_', ' ')}' was found; the first one is kept")
            form.unplaced.append((where, text))
            return
        setattr(form, name, text)
        form.found[name.replace("_", " ")] = where

    def _finish_question(self) -> None:
        q = self.question
        self.question = None
        assert q is not None
        text = "\n".join(q.pending + q.answer_lines)  # no answer after them: they were what was written
        written = q.written or text
        guided = _after_guidance(text)
        if guided is not None:  # "E.g. older people. *No*": the example belongs to the question
            q.text = f"{q.text} {guided[0]}".strip()
            text = guided[1]
        if q.number == FURTHER_COMMENTS or q.number not in self.yes_no:
            comments = strip_marks(text)
            self.form.answers[q.number] = FormAnswer(q.number, None, comments, q.where, "", q.form_number,
                                                     strip_marks(q.text), written)
            if q.number == FURTHER_COMMENTS:
                self.form.further_comments = comments
            return
        reading = q.reading or read_answer(text)
        self.form.answers[q.number] = FormAnswer(q.number, reading.answer, reading.rationale, q.where,
                                                 reading.reason if reading.answer is None else "", q.form_number,
                                                 strip_marks(q.text), written)

    def _finish(self) -> None:
        self._close()


def _split_wording(text: str) -> tuple[str, str]:
    """Split a question line into its wording and any answer written after it."""
    marks = [m.end() for m in re.finditer(r"\?(\*{1,2}|_{1,2})?", text)]
    for end in marks:
        rest = text[end:].strip()
        if not rest or starts_with_answer(rest):
            return text[:end].strip(), rest
    if marks:
        return text[:marks[0]].strip(), text[marks[0]:].strip()
    # No question mark (section three is often "Article 2 - right to life: No").
    for m in re.finditer(r"(\s[-–—:|]\s*|\t|\s{2,}|:\s*|\s)(?=\S)", text):
        rest = text[m.end():].strip()
        if len(words(text[:m.start()])) >= 1 and starts_with_answer(rest) and not re.match(r"^(yes|no)\s+\w", rest, re.I) \
                or (len(words(text[:m.start()])) >= 2 and re.match(r"^(☒|☐|☑|\[\s*[xX ]?\s*\]|[xX✓✔](\s|$))", rest)):
            return text[:m.start()].strip(" -–—:|"), rest
    return text.strip(), ""


_GUIDANCE = re.compile(r"^\W{0,3}(e\.?\s?g\.?|for example|for instance|such as|i\.?\s?e\.?)[\s,:]", re.I)


def _after_guidance(text: str) -> Optional[tuple[str, str]]:
    """(guidance, what follows it) when ``text`` opens with the form's example text ("E.g.
    older people, disabled people.") rather than an answer; the answer, if any, is what
    follows the first sentence end that an answer comes straight after."""
    if not _GUIDANCE.match(text.strip()) or starts_with_answer(text):
        return None
    for m in re.finditer(r"[.):;?](\*{1,2}|_{1,2})?\s+", text):
        tail = text[m.end():]
        if starts_with_answer(tail):
            return text[:m.end()].strip(), tail.strip()
    first, _, rest = text.partition("\n")
    return first.strip(), rest.strip()
