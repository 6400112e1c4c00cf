"""A corpus of completed stage 1 EHIIRA forms, generated, with the answers each must import to.

Each form (``FORMS``) is written in each layout (``LAYOUTS``) seen on real
forms, and each layout is saved as Word, Markdown/text and PDF. A layout
first builds a neutral list of paragraphs and tables, so the three file
types carry the same content; the expected assessment is the form itself.

Unanswered questions appear the ways people leave them: blank, both boxes
ticked, "N/A", "Not sure yet", or "Yes / No" left as on the template.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

# --- forms ----------------------------------------------------------------------

@dataclass
class Q:
    answer: Optional[str]          # "yes", "no", or None for unanswered
    rationale: str = ""
    shown: str = ""                # for unanswered: blank | both | na | unsure | template


@dataclass
class Form:
    slug: str
    title: str
    person: str
    service_area: str
    overview: str
    screening_date: Optional[dt.date]
    answers: dict[int, Q]
    comments: str = ""
    approver: Optional[tuple[str, str, dt.date, str]] = None  # name, role, date, comments
    organisation: str = "NHS Midlands and Lancashire CSU"
    drafted_by: tuple[str, str, dt.date] = ("Jo Bloggs", "Programme Manager", dt.date(2024, 3, 1))
    decision_date: Optional[dt.date] = None

    def expected_answers(self) -> dict[str, object]:
        """What the assessment's answers must be after import."""
        out: dict[str, object] = {"purpose.overview": self.overview}
        for n, q in self.answers.items():
            if q.answer is None and not q.rationale:
                continue  # nothing written that could be kept
            value: dict[str, object] = {"answer": q.answer}
            if q.rationale:
                value["rationale"] = q.rationale
            out[f"ehiira.q{n:02d}"] = value
        if self.comments:
            out["ehiira.q28"] = self.comments
        return out


def _all(answers: dict[int, Q]) -> dict[int, Q]:
    assert sorted(answers) == list(range(1, 28)), sorted(answers)
    return answers


DIABETES = Form(
    "diabetes", "Community diabetes service redesign", "Jo Bloggs, Programme Manager", "Long-term conditions",
    "Moving diabetes clinics from the hospital into three community hubs so patients are seen closer to home.",
    dt.date(2024, 3, 12),
    _all({
        1: Q("yes", "About 4,000 patients and 30 staff use the clinics."),
        2: Q("yes", "Part of the long-term conditions transformation programme."),
        3: Q("yes", "Clinics move from the hospital to three hubs."),
        4: Q("no", "The same number of appointments is offered."),
        5: Q("no", "It is a service change, not a policy review."),
        6: Q("yes", "Hubs are closer to the most deprived estates."),
        7: Q("no", "The equity audit found no group worse off; bus routes checked."),
        8: Q("yes", "Nurses change base; they were consulted in January."),
        9: Q("yes", "Attendance is lowest in Eastgate, where one hub opens."),
        10: Q("no", "No group loses access."),
        11: Q("yes", "JSNA, clinic attendance by ward and the 2023 equity audit."),
        12: Q("yes", "Patient panel, two drop-in sessions and a staff survey."),
        13: Q("yes", "Public health and the E&I team advised."),
        14: Q("yes", "Interpreters booked at every hub."),
        15: Q("yes", "Evening sessions for people who work."),
        16: Q("yes", "Hubs share space with community groups."),
        17: Q("yes", "Transport help for people who cannot reach a hub."),
        18: Q("yes", "Papers go to the public board meeting."),
        19: Q("no", "No concern identified."),
        20: Q("no", "No concern identified."),
        21: Q("no", "Nobody is detained or restricted."),
        22: Q("no", "No eligibility decisions change."),
        23: Q("no", "Records stay with the same provider."),
        24: Q("no", "No concern identified."),
        25: Q("no", "No concern identified."),
        26: Q("no", "No group enjoys a right less than others."),
        27: Q("no", "Complaints and attendance by group are monitored monthly."),
    }),
    comments="The first hub opens in May; the others follow in the autumn.",
    approver=("Sam Patel", "E&I Business Partner", dt.date(2024, 3, 20), "Approved. No stage 2 needed."),
)

PHLEBOTOMY = Form(
    "phlebotomy", "Online booking for blood tests", "Alex Moore", "Diagnostics",
    "Blood test appointments will be booked online, with a phone line kept for people who need it.",
    dt.date(2023, 11, 2),
    _all({
        1: Q("yes", "Everyone who needs a blood test."),
        2: Q("no", ""),                                  # answered, no rationale
        3: Q("yes", "Booking moves online."),
        4: Q(None, "", "blank"),                         # nothing written
        5: Q("no", "Not a policy review."),
        6: Q("yes", "Fewer queues at the hospital."),
        7: Q(None, "Older people may find the website hard to use.", "both"),
        8: Q("yes", "Reception staff take fewer calls."),
        9: Q(None, "", "template"),                      # "Yes / No" left as printed
        10: Q(None, "Waiting for the equity audit.", "unsure"),
        11: Q("yes", "Booking data by age and postcode."),
        12: Q("no", ""),                                 # answered, no rationale
        13: Q("yes", "Digital inclusion lead advised."),
        14: Q(None, "Not relevant to booking.", "na"),
        15: Q("yes", "Phone line kept."),
        16: Q("no", "Not considered."),
        17: Q("yes", "Help desk at each site."),
        18: Q("yes", "Published with the board papers."),
        19: Q("no", "No concern."),
        20: Q("no", "No concern."),
        21: Q("no", "No concern."),
        22: Q(None, "", "blank"),
        23: Q("no", "Booking data is held securely."),
        24: Q("no", "No concern."),
        25: Q("no", "No concern."),
        26: Q("no", "No concern."),
        27: Q("no", "Complaints are monitored."),
    }),
)

DAY_CENTRE = Form(
    "daycentre", "Day centre consolidation", "Priya Shah, Head of Community Services", "Adult social care",
    "Two day centres close and their users move to one larger centre in the town.",
    None,
    _all({
        1: Q("yes", "About 120 older and disabled people use the centres."),
        2: Q("yes", "Part of the community services review."),
        3: Q("yes", "One centre instead of two."),
        4: Q("yes", "Two centres close."),
        5: Q("no", "Not a policy review."),
        6: Q("no", "It reduces sites."),
        7: Q("yes", "Disabled and older people travel further."),
        8: Q("yes", "Staff move to the new centre."),
        9: Q("no", "It does not reduce inequalities."),
        10: Q("yes", "Eastgate loses its only centre."),
        11: Q("yes", "Attendance data and a travel survey."),
        12: Q("yes", "Meetings with users and carers."),
        13: Q("no", "None taken yet."),
        14: Q("yes", "Transport will be accessible."),
        15: Q("yes", "A minibus service is planned."),
        16: Q("no", "Not considered."),
        17: Q("yes", "Minibus and a review after six months."),
        18: Q("yes", "Board papers are public."),
        19: Q("no", "No concern."),
        20: Q("yes", "People may be left isolated at home."),
        21: Q("no", "No concern."),
        22: Q("no", "No concern."),
        23: Q("yes", "Family routines change."),
        24: Q("no", "No concern."),
        25: Q("no", "No concern."),
        26: Q("no", "No concern."),
        27: Q("no", "Incidents are reported."),
    }),
    comments="Carers asked for a trial of the minibus before the closure.",
    approver=("Chris Lee", "Equality and Inclusion Business Partner", dt.date(2024, 6, 3),
              "Stage 2 required before the decision."),
    organisation="Northshire Integrated Care Board",
    drafted_by=("Priya Shah", "Head of Community Services", dt.date(2024, 5, 20)),
    decision_date=dt.date(2024, 7, 1),
)

FORMS = [DIABETES, PHLEBOTOMY, DAY_CENTRE]

# The questions as an older form words them (close to, but not, idmf's wording).
FORM_WORDING = {
    1: "Will the decision, proposal or change affect people in any way (population, patients, carers, staff)?",
    2: "Is it part of a transformation programme, or a commissioning or decommissioning review?",
    3: "May it change how a service or activity is delivered, or introduce a charge?",
    4: "Could it reduce the availability of a service, activity or product (for example prescriptions)?",
    5: "Is it a review of a policy, procedure, protocol or strategy?",
    6: "Is it about improving access to, or delivery of, a service?",
    7: "Could it negatively affect groups protected by the Equality Act, or other vulnerable groups?",
    8: "Will it affect employees, or the training of those who deliver the service?",
    9: "Will it have a positive effect in reducing health inequalities?",
    10: "Will it have a negative effect on health inequalities?",
    11: "Have you considered information and supporting documents (evidence) to reach the decision?",
    12: "Have you engaged or consulted people, stakeholders or staff who may be affected?",
    13: "Have you taken specialist advice on the impacts?",
    14: "Have you considered how it can help eliminate discrimination, harassment and victimisation?",
    15: "Have you considered how it can help address inequality so that all groups can access services?",
    16: "Have you considered how it can help foster good relations and community cohesion?",
    17: "Can you address or minimise any negative impacts that represent an equality risk?",
    18: "Will the decision reports be available to the public?",
    19: "Article 2 - right to life",
    20: "Article 3 - right not to be treated in an inhuman or degrading way",
    21: "Article 5 - right to liberty",
    22: "Article 6 - right to a fair trial or hearing (including fair assessment, interview or investigation)",
    23: "Article 8 - right to respect for private and family life",
    24: "Article 9 - freedom of thought, conscience and religion",
    25: "Article 10 - freedom of expression",
    26: "Article 14 - right not to be discriminated against in relation to any human right",
    27: "The obligation to protect human rights: would your systems, processes and monitoring identify a breach?",
    28: "Further comments from the person or team drafting the assessment",
}
SECTIONS = [("Section one: equality impact", range(1, 11)), ("Section two: equality risk", range(11, 19)),
            ("Section three: human rights", range(19, 28))]


# --- a neutral document: paragraphs and tables -------------------------------------------

@dataclass
class Para:
    runs: list[tuple[str, str]]     # (text, "" | "b" | "i")
    listed: bool = False            # a Word list paragraph (numbered by Word, not in the text)
    noise: bool = False             # page furniture a converted document carries in its text


@dataclass
class Table:
    rows: list[list[str]]
    widths: Optional[list[int]] = None  # relative column widths, as a person sets them in Word


@dataclass
class Doc:
    items: list = field(default_factory=list)

    def p(self, *runs, listed=False, noise=False):
        self.items.append(Para([r if isinstance(r, tuple) else (r, "") for r in runs], listed, noise))

    def table(self, rows, widths=None):
        self.items.append(Table(rows, widths))


def _words(q: Q) -> str:
    """How an unanswered question's answer looks when written out in words."""
    return {"both": "Yes / No", "template": "Yes / No", "na": "N/A", "unsure": "Not sure yet"}.get(q.shown, "")


def _header_paragraphs(doc: Doc, form: Form) -> None:
    doc.p(("Equality, Health Inequalities Impact and Risk Assessment (EHIIRA) - Stage 1", "b"))
    doc.p("Title of assessment: " + form.title)
    doc.p("Person(s) responsible: " + form.person)
    doc.p("Service area: " + form.service_area)
    if form.screening_date:
        doc.p("Date of screening: " + form.screening_date.strftime("%d/%m/%Y"))
    doc.p("Overview of the proposal, policy or service:")
    doc.p(form.overview)


def _approval_paragraphs(doc: Doc, form: Form) -> None:
    doc.p(("Stage 1 approval comments from the E&I business partner", "b"))
    if form.approver:
        name, role, date, comments = form.approver
        doc.p("Name: " + name)
        doc.p("Role: " + role)
        doc.p("Date: " + date.strftime("%d %B %Y"))
        doc.p("Comments: " + comments)


def layout_columns(form: Form) -> Doc:
    """Header in a two-column table; each section a table with Yes and No columns marked X."""
    doc = Doc()
    doc.p(("Equality, Health Inequalities Impact and Risk Assessment", "b"))
    header = [["Title of assessment", form.title], ["Person(s) responsible", form.person],
              ["Service area", form.service_area]]
    if form.screening_date:
        header.append(["Date of screening", form.screening_date.strftime("%d/%m/%Y")])
    header.append(["Overview of the proposal, policy or service", form.overview])
    doc.table(header)
    for title, numbers in SECTIONS:
        rows = [["No.", "Question", "Yes", "No", "Brief rationale"]]
        for n in numbers:
            q = form.answers[n]
            yes = "X" if q.answer == "yes" or q.shown == "both" else ""
            no = "X" if q.answer == "no" or q.shown == "both" else ""
            rationale = q.rationale if q.shown not in ("na", "unsure") else f"{_words(q)} - {q.rationale}"
            rows.append([str(n), FORM_WORDING[n], yes, no, rationale])
        doc.p((title, "b"))
        doc.table(rows)
    doc.p(("Section four: comments", "b"))
    doc.table([["28", FORM_WORDING[28], form.comments]])
    if form.approver:
        name, role, date, comments = form.approver
        doc.table([["Stage 1 approval comments from the E&I business partner", comments],
                   ["Name", name], ["Role", role], ["Date", date.strftime("%d/%m/%Y")]])
    return doc


def layout_tickboxes(form: Form) -> Doc:
    """Header as labelled paragraphs; one table, the question numbered in its cell, an answer cell of tick boxes."""
    doc = Doc()
    _header_paragraphs(doc, form)
    rows = [["Question", "Yes/No", "Rationale"]]
    for n in range(1, 28):
        q = form.answers[n]
        boxes = {"yes": "☒ Yes ☐ No", "no": "☐ Yes ☒ No"}.get(q.answer or "", "☐ Yes ☐ No")
        if q.shown == "both":
            boxes = "☒ Yes ☒ No"
        rationale = q.rationale if q.shown not in ("na", "unsure") else f"{_words(q)} - {q.rationale}"
        if q.shown in ("na", "unsure"):
            boxes = "☐ Yes ☐ No"
        rows.append([f"{n}. {FORM_WORDING[n]}", boxes, rationale])
    doc.table(rows)
    doc.p(f"28. {FORM_WORDING[28]}")
    if form.comments:
        doc.p(form.comments)
    _approval_paragraphs(doc, form)
    return doc


def _written(q: Q, bold: bool) -> list:
    """The answer runs for a paragraph layout: "Yes – rationale", emphasised when ``bold``."""
    if q.answer is None:
        if q.shown == "blank":
            return []
        if q.shown == "both":
            return [("Yes - " + q.rationale, "")], [("No.", "")]
        text = _words(q) + (f" - {q.rationale}" if q.rationale else "")
        return [(text, "")]
    word = q.answer.capitalize()
    runs = [(word, "b" if bold else "")]
    if q.rationale:
        runs.append((" - " + q.rationale, ""))
    return runs


def layout_same_line(form: Form) -> Doc:
    """Numbered paragraphs with the answer after the question on the same line."""
    doc = Doc()
    _header_paragraphs(doc, form)
    for title, numbers in SECTIONS:
        doc.p((title, "b"))
        for n in numbers:
            q = form.answers[n]
            written = _written(q, bold=False)
            wording = FORM_WORDING[n] if FORM_WORDING[n].endswith("?") else FORM_WORDING[n] + ":"
            if isinstance(written, tuple):  # both Yes and No written
                doc.p(f"{n}. {wording} ", *written[0])
                doc.p(*written[1])
            else:
                doc.p(f"{n}. {wording} ", *written)
    doc.p(("Section four: comments", "b"))
    doc.p(f"28. {FORM_WORDING[28]}: {form.comments}" if form.comments else f"28. {FORM_WORDING[28]}:")
    _approval_paragraphs(doc, form)
    return doc


def layout_next_line(form: Form) -> Doc:
    """Word list paragraphs (numbered by Word, so no number in the text); the answer
    in bold on the next line; section three in italics."""
    doc = Doc()
    _header_paragraphs(doc, form)
    for title, numbers in SECTIONS:
        doc.p((title, "b"))
        for n in numbers:
            q = form.answers[n]
            doc.p(FORM_WORDING[n], listed=True)
            written = _written(q, bold=True)
            if isinstance(written, tuple):
                doc.p(*written[0])
                doc.p(*written[1])
            elif written:
                if n >= 19 and q.answer:
                    written = [(written[0][0], "i")] + written[1:]
                doc.p(*written)
    doc.p(("Section four: comments", "b"))
    doc.p("Any further comments:")
    if form.comments:
        doc.p(form.comments)
    _approval_paragraphs(doc, form)
    return doc


# Older wording still seen on forms, for the layout with broken numbering.
OLD_WORDING = {
    1: "Does the proposal affect people (the population, patients, carers or staff) in any way?",
    7: "Could the change have a negative impact on people protected by the Equality Act 2010 or on other "
       "vulnerable groups?",
    12: "Have you consulted or engaged the people, stakeholders and staff who may be affected?",
}


def layout_broken(form: Form) -> Doc:
    """Text taken from a board paper: numbering restarts in each section, page headers and
    footers land in the middle of questions, some wording differs, section three is bulleted."""
    doc = Doc()
    _header_paragraphs(doc, form)
    page = 1
    for title, numbers in SECTIONS:
        doc.p(title)
        for i, n in enumerate(numbers, start=1):
            q = form.answers[n]
            wording = OLD_WORDING.get(n, FORM_WORDING[n])
            lead = f"{i}. " if n < 19 else "• "
            written = _written(q, bold=False)
            if n in (7, 15, 24):  # a page break in the middle of the question
                words = wording.split()
                half = len(words) // 2
                doc.p(lead + " ".join(words[:half]))
                doc.p("NHS Midlands and Lancashire Commissioning Support Unit", noise=True)
                page += 1
                doc.p(f"Page {page} of 6", noise=True)
                doc.p(" ".join(words[half:]) + ("" if wording.endswith("?") else ":"))
            else:
                doc.p(lead + wording + ("" if wording.endswith("?") else ":"))
            if isinstance(written, tuple):
                doc.p(*written[0])
                doc.p(*written[1])
            elif written:
                doc.p(*written)
    doc.p("Section four: comments")
    doc.p(f"{FORM_WORDING[28]}:")
    if form.comments:
        doc.p(form.comments)
    _approval_paragraphs(doc, form)
    return doc


# Guidance people leave in a question's line, with the answer typed after it.
EXAMPLE = {
    1: "E.g. patients, carers, staff.", 4: "E.g. fewer clinics or prescriptions.",
    7: "E.g. older people, disabled people.", 8: "E.g. a change of base or shifts.",
    11: "E.g. JSNA, audits, surveys.", 12: "E.g. patient groups, staff side.",
    13: "E.g. public health, the E&I team.", 18: "E.g. board papers on the website.",
    21: "E.g. care homes, secure wards.", 27: "E.g. complaints, incidents.",
}


def _answer_word(q: Q) -> str:
    """What a one-column answer cell holds."""
    if q.answer:
        return q.answer.capitalize()
    return {"both": "Yes / No", "template": "Yes / No", "na": "N/A", "unsure": "Not sure yet"}.get(q.shown, "")


def _header_block(form: Form, *, drafted_role: bool = True) -> list[list[str]]:
    name, role, _date = form.drafted_by
    rows = [["Title of decision, proposal or policy", form.title],
            ["Organisation", form.organisation],
            ["Person responsible", form.person],
            ["Drafted by", f"{name}, {role}" if drafted_role else name],
            ["Service area", form.service_area]]
    if form.screening_date:
        rows.append(["Date of screening", form.screening_date.strftime("%d/%m/%Y")])
    if form.decision_date:
        rows.append(["Decision date", form.decision_date.strftime("%d/%m/%Y")])
    rows.append(["Brief overview of the decision, proposal or policy", form.overview])
    return rows


def layout_answer_column(form: Form) -> Doc:
    """As many trusts send the form: a header block of label | value rows, one question table
    No. | Question | Yes/No | Rationale, a comments table for question 28, and the E&I
    business partner's sign-off as a table of its own."""
    doc = Doc()
    doc.p(("Equality, Health Inequalities Impact and Risk Assessment (EHIIRA) - Stage 1 screening", "b"))
    doc.table(_header_block(form), widths=[2, 5])
    rows = [["No.", "Question", "Yes/No", "Rationale"]]
    for n in range(1, 28):
        q = form.answers[n]
        rows.append([str(n), FORM_WORDING[n], _answer_word(q), q.rationale])
    doc.table(rows, widths=[1, 7, 2, 6])
    doc.table([["28", FORM_WORDING[28], form.comments]], widths=[1, 7, 8])
    if form.approver:
        name, role, date, comments = form.approver
        doc.table([["Sign-off by the E&I business partner", ""], ["Name of E&I business partner", name],
                   ["Job title", role], ["Date", date.strftime("%d/%m/%Y")], ["Comments", comments]],
                  widths=[2, 5])
    return doc


def layout_signoff(form: Form) -> Doc:
    """A header block, numbered questions with the answer on the next line run straight
    into its reason ("Yes All decision makers ..."), a comments table, and a sign-off
    table of Name | Role | Date for the author and the E&I business partner."""
    doc = Doc()
    doc.p(("EHIIRA stage 1", "b"))
    doc.table(_header_block(form, drafted_role=False), widths=[2, 5])
    for title, numbers in SECTIONS:
        doc.p((title, "b"))
        for n in numbers:
            q = form.answers[n]
            doc.p(f"{n}. {FORM_WORDING[n]}")
            if q.answer:
                doc.p(q.answer.capitalize() + (f" {q.rationale}" if q.rationale else ""))
            else:
                written = _written(q, bold=False)
                if isinstance(written, tuple):
                    doc.p(*written[0])
                    doc.p(*written[1])
                elif written:
                    doc.p(*written)
    doc.table([["Further comments (question 28)"], [form.comments]])
    name, role, date = form.drafted_by
    rows = [["Sign-off", "Name", "Role", "Date"], ["Drafted by", name, role, date.strftime("%d/%m/%Y")]]
    if form.approver:
        a_name, a_role, a_date, a_comments = form.approver
        rows += [["E&I business partner", a_name, a_role, a_date.strftime("%d/%m/%Y")],
                 ["E&I business partner comments", a_comments, "", ""]]
    doc.table(rows, widths=[3, 3, 3, 2])
    return doc


def layout_emphasis(form: Form) -> Doc:
    """Numbered paragraphs as people type them: the answer in emphasis at the end of the
    question's line after an "E.g." sentence, or on a line of its own after the question's
    continuation line; the reason on the line after."""
    doc = Doc()
    _header_paragraphs(doc, form)
    for title, numbers in SECTIONS:
        doc.p((title, "b"))
        for n in numbers:
            q = form.answers[n]
            wording = FORM_WORDING[n] if FORM_WORDING[n].endswith("?") else FORM_WORDING[n] + "."
            style = "i" if n % 2 else "b"
            if n in EXAMPLE and q.answer:
                doc.p(f"{n}. {wording} {EXAMPLE[n]} ", (q.answer.capitalize(), style))
            else:
                words = wording.split()
                half = max(2, len(words) // 2)
                doc.p(f"{n}. " + " ".join(words[:half]))
                doc.p(" ".join(words[half:]))  # the question's continuation line
                if q.answer:
                    doc.p((q.answer.capitalize(), style))
                else:
                    written = _written(q, bold=False)
                    if isinstance(written, tuple):
                        doc.p(*written[0])
                        doc.p(*written[1])
                    elif written:
                        doc.p(*written)
                    continue
            if q.rationale:
                doc.p(q.rationale)
    doc.p(("Section four: comments", "b"))
    doc.p(f"28. {FORM_WORDING[28]}:")
    if form.comments:
        doc.p(form.comments)
    _approval_paragraphs(doc, form)
    return doc


def layout_lost_numbers(form: Form) -> Doc:
    """A form whose numbering was lost in conversion: each question a plain paragraph,
    known only by its wording, the answer on the next line."""
    doc = Doc()
    _header_paragraphs(doc, form)
    for title, numbers in SECTIONS:
        doc.p((title, "b"))
        for n in numbers:
            q = form.answers[n]
            doc.p(FORM_WORDING[n] if FORM_WORDING[n].endswith("?") else FORM_WORDING[n] + ":")
            written = _written(q, bold=False)
            if isinstance(written, tuple):
                doc.p(*written[0])
                doc.p(*written[1])
            elif written:
                doc.p(*written)
    doc.p(("Section four: comments", "b"))
    doc.p(f"{FORM_WORDING[28]}:")
    if form.comments:
        doc.p(form.comments)
    _approval_paragraphs(doc, form)
    return doc


LAYOUTS = {
    "columns": layout_columns,
    "tickboxes": layout_tickboxes,
    "same-line": layout_same_line,
    "next-line": layout_next_line,
    "broken": layout_broken,
}
# The layouts added for real conversions (issue 27); kept apart so the older tests'
# HTML-printed PDFs stay as they were.
LAYOUTS_2 = {
    "answer-column": layout_answer_column,
    "signoff": layout_signoff,
    "emphasis": layout_emphasis,
    "lost-numbers": layout_lost_numbers,
}


# --- writers --------------------------------------------------------------------------

# Two page widths for the PDFs LibreOffice makes from the Word forms: the same table
# wraps its cells differently, and a narrow page breaks rows across pages more often.
PAGES = {"wide": (21.0, 29.7, 2.0), "narrow": (14.8, 21.0, 1.5)}  # width, height, margin (cm)


def to_docx(doc: Doc, page: str = "wide") -> bytes:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    width, height, margin = PAGES[page]
    section = document.sections[0]
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(margin)
    text_width = width - 2 * margin
    for item in doc.items:
        if isinstance(item, Para):
            paragraph = document.add_paragraph(style="List Number" if item.listed else None)
            for text, style in item.runs:
                run = paragraph.add_run(text)
                run.bold = style == "b" or None
                run.italic = style == "i" or None
        else:
            width = max(len(r) for r in item.rows)
            table = document.add_table(rows=len(item.rows), cols=width)
            table.style = "Table Grid"
            if item.widths:
                table.autofit = False
                cms = [text_width * w / sum(item.widths) for w in item.widths]
                for c, column in enumerate(table.columns):
                    column.width = Cm(cms[c])
                    for cell in column.cells:
                        cell.width = Cm(cms[c])
            for r, row in enumerate(item.rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _md_runs(runs) -> str:
    marks = {"b": "**", "i": "*", "": ""}
    return "".join(f"{marks[s]}{t.strip()}{marks[s]}" + (" " if t.endswith(" ") and s else "") if s else t
                   for t, s in runs)


def to_text(doc: Doc) -> str:
    """Markdown, as a board paper's text is often kept: tables as pipe tables, Word lists as bullets."""
    lines = []
    for item in doc.items:
        if isinstance(item, Para):
            text = _md_runs(item.runs)
            lines.append(("- " if item.listed else "") + text)
        else:
            lines.append("")
            for r, row in enumerate(item.rows):
                lines.append("| " + " | ".join(c.replace("\n", " ") for c in row) + " |")
                if r == 0:
                    lines.append("|" + "---|" * len(row))
            lines.append("")
    return "\n".join(lines) + "\n"


def to_plain(doc: Doc) -> str:
    """Plain text as a person types or pastes a form: no Markdown tables, a table's cells
    separated by tabs, answers emphasised with asterisks where they were emphasised."""
    lines = []
    for item in doc.items:
        if isinstance(item, Para):
            lines.append(_md_runs(item.runs))
        else:
            lines.append("")
            lines.extend("\t".join(c.replace("\n", " ") for c in row) for row in item.rows)
            lines.append("")
    return "\n".join(lines) + "\n"


def to_html(doc: Doc) -> str:
    parts = ['<!doctype html><html><head><meta charset="utf-8"><style>'
             '@page { size: A4; margin: 2cm; '
             '@top-center { content: "NHS Midlands and Lancashire Commissioning Support Unit"; } '
             '@bottom-right { content: "Page " counter(page) " of " counter(pages); } } '
             'body { font-family: DejaVu Sans, sans-serif; font-size: 10pt } '
             'table { border-collapse: collapse; width: 100%; margin: 6pt 0 } '
             'td { border: 1px solid #444; padding: 3pt; vertical-align: top }'
             '</style></head><body>']
    for item in doc.items:
        if isinstance(item, Para):
            text = "".join(f"<b>{html.escape(t)}</b>" if s == "b" else f"<i>{html.escape(t)}</i>" if s == "i"
                           else html.escape(t) for t, s in item.runs)
            parts.append(f"<ul><li>{text}</li></ul>" if item.listed else f"<p>{text}</p>")
        else:
            parts.append("<table>")
            for row in item.rows:
                parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def to_pdf(doc: Doc) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=to_html(doc)).write_pdf()


FORMATS = {"docx": to_docx, "md": lambda d: to_text(d).encode("utf-8"), "pdf": to_pdf}


def write(folder: Path, form: Form, layout: str, fmt: str) -> Path:
    path = folder / f"{form.slug}-{layout}.{fmt}"
    path.write_bytes(FORMATS[fmt](LAYOUTS[layout](form)))
    return path


def write_corpus(folder: Path, formats=("docx", "md", "pdf")) -> list[tuple[Path, Form, str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    return [(write(folder, form, layout, fmt), form, layout, fmt)
            for form in FORMS for layout in LAYOUTS for fmt in formats]


# --- PDFs saved from the Word forms by LibreOffice -------------------------------------
#
# Converting is slow (seconds a form), so the PDFs are kept under tests/fixtures/import_pdf
# with a manifest of what each was made from; a form whose content changed is converted
# again at test time when LibreOffice is installed. Regenerate the folder with
#     .venv/bin/python -m tests.import_corpus
# (needs LibreOffice: Debian's libreoffice-writer-nogui, installed by `make system-deps`).

PDF_FIXTURES = Path(__file__).parent / "fixtures" / "import_pdf"
ALL_LAYOUTS = {**LAYOUTS, **LAYOUTS_2}
LO_FORMATS = ("docx", "md", "txt", "pdf-wide", "pdf-narrow")


def content_key(doc: Doc, page: str) -> str:
    """What a PDF was made from (python-docx files carry a timestamp, so not their bytes)."""
    import hashlib

    return hashlib.sha256(repr((doc.items, page)).encode()).hexdigest()[:16]


def soffice() -> Optional[str]:
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx_files: list[Path], outdir: Path) -> None:
    """Word files to PDF with LibreOffice headless, in one run (starting it is most of the time)."""
    import subprocess
    import tempfile

    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice is not installed: apt-get install libreoffice-writer-nogui "
                           "(or `make system-deps`)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([program, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_files)],
                       check=True, capture_output=True, timeout=1800)


def _manifest() -> dict:
    import json

    path = PDF_FIXTURES / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else {}


def lo_pdfs(folder: Path, cases: list[tuple[Form, str, str]], *, refresh: bool = False) -> dict:
    """PDFs (path by (form slug, layout, page)) of the Word forms, from the committed
    fixtures where they are current, else converted now into ``folder``."""

    manifest = _manifest()
    out: dict[tuple[str, str, str], Path] = {}
    todo = []
    for form, layout, page in cases:
        doc = ALL_LAYOUTS[layout](form)
        name = f"{form.slug}-{layout}-{page}"
        cached = PDF_FIXTURES / f"{name}.pdf"
        if not refresh and cached.exists() and manifest.get(name) == content_key(doc, page):
            out[(form.slug, layout, page)] = cached
            continue
        source = folder / f"{name}.docx"
        source.write_bytes(to_docx(doc, page))
        todo.append((form, layout, page, source))
    if todo:
        convert_to_pdf([t[3] for t in todo], folder)
        for form, layout, page, source in todo:
            out[(form.slug, layout, page)] = source.with_suffix(".pdf")
    return out


def write_corpus_2(folder: Path) -> list[tuple[Path, Form, str, str]]:
    """Every form in every layout as Word, Markdown, plain text and LibreOffice PDF at two page widths."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    cases = [(form, layout, page) for form in FORMS for layout in ALL_LAYOUTS for page in PAGES]
    pdfs = lo_pdfs(folder, cases)
    for form in FORMS:
        for layout, build in ALL_LAYOUTS.items():
            doc = build(form)
            word = folder / f"{form.slug}-{layout}.docx"
            word.write_bytes(to_docx(doc))
            text = folder / f"{form.slug}-{layout}.md"
            text.write_text(to_text(doc), encoding="utf-8")
            plain = folder / f"{form.slug}-{layout}.txt"
            plain.write_text(to_plain(doc), encoding="utf-8")
            out += [(word, form, layout, "docx"), (text, form, layout, "md"), (plain, form, layout, "txt")]
            for page in PAGES:
                pdf = folder / f"{form.slug}-{layout}-{page}.pdf"
                if pdfs[(form.slug, layout, page)] != pdf:  # a cached fixture: the corpus folder holds every form
                    pdf.write_bytes(pdfs[(form.slug, layout, page)].read_bytes())
                out.append((pdf, form, layout, f"pdf-{page}"))
    return out


def regenerate_pdf_fixtures() -> None:
    import json
    import tempfile

    PDF_FIXTURES.mkdir(parents=True, exist_ok=True)
    cases = [(form, layout, page) for form in FORMS for layout in ALL_LAYOUTS for page in PAGES]
    with tempfile.TemporaryDirectory() as tmp:
        made = lo_pdfs(Path(tmp), cases, refresh=True)
        manifest = {}
        for (slug, layout, page), path in made.items():
            form = next(f for f in FORMS if f.slug == slug)
            name = f"{slug}-{layout}-{page}"
            (PDF_FIXTURES / f"{name}.pdf").write_bytes(path.read_bytes())
            manifest[name] = content_key(ALL_LAYOUTS[layout](form), page)
    (PDF_FIXTURES / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    regenerate_pdf_fixtures()


# --- scoring an import against the form ------------------------------------------------

@dataclass
class Score:
    expected: int = 0                                  # answers written on the form
    read: int = 0                                      # ... read as written
    wrong: list = field(default_factory=list)          # (question, read, written): must stay empty
    missed: list = field(default_factory=list)         # questions answered on the form, not read
    bad_rationale: list = field(default_factory=list)  # answered right, reason not as written

    @property
    def recall(self) -> float:
        return self.read / self.expected if self.expected else 1.0


def _squash(text) -> str:
    return " ".join(str(text or "").split())


def score(assessment, form: Form) -> Score:
    out = Score()
    for n, q in form.answers.items():
        have = assessment.answers.get(f"ehiira.q{n:02d}") or {}
        got = have.get("answer") if isinstance(have, dict) else None
        if q.answer is None:
            if got is not None:
                out.wrong.append((n, got, None))
            continue
        out.expected += 1
        if got is None:
            out.missed.append(n)
        elif got != q.answer:
            out.wrong.append((n, got, q.answer))
        else:
            out.read += 1
            if _squash(have.get("rationale")) != _squash(q.rationale):
                out.bad_rationale.append((n, have.get("rationale"), q.rationale))
    return out
