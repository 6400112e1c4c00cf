"""Reading one Yes/No answer, and its rationale, out of the text a form gives.

Never guess: an answer is taken only when the text says Yes or No plainly
(a leading "Yes"/"No" followed by a break or by the reason as a new sentence,
"Yes All decision makers ...", a single ticked box, or the one emphasised
option of "Yes / No"). "No staff are affected" or "No NHS staff ..." could be
a sentence, so they are not read as No. Anything else leaves the question
unanswered with the text kept as its rationale and a reason saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

TICK = r"(?:☒|☑|✓|✔|✗|✘|■|⊠|\[\s*[xX✓]\s*\]|\(\s*[xX✓]\s*\))"
EMPTY = r"(?:☐|□|\[\s*\]|\(\s*\))"
_EMPH = r"(?:\*{1,2}|_{1,2})?"
_WORD = r"(yes|no|y|n)"

_TICK_BEFORE = re.compile(rf"({TICK}|{EMPTY})\s*{_EMPH}\s*(yes|no)\b{_EMPH}", re.I)
_TICK_AFTER = re.compile(rf"\b(yes|no)\b{_EMPH}\s*[:\-–]?\s*({TICK}|{EMPTY})", re.I)
_PAIR = re.compile(r"(\*{1,2}|_{1,2})?\b(yes)\b(\*{1,2}|_{1,2})?\s*[/|]\s*(\*{1,2}|_{1,2})?\b(no)\b(\*{1,2}|_{1,2})?", re.I)
_LABEL = re.compile(r"^\s*(?:answer|response|yes\s*/\s*no|y\s*/\s*n)\s*[:\-–—]\s*", re.I)
# A leading Yes or No counts when a break follows it (end, punctuation or a
# dash), when it is emphasised, or when "because"/"as" starts the reason.
_LEADING = re.compile(
    r"^\W*?(?P<o>\*{1,2}|_{1,2})?(?P<word>yes|no)(?P<c>\*{1,2}|_{1,2})?"
    r"(?P<rest>$|\s*[-–—:;,.)!/]|\s+(?:because|as|since|but|although|however|we|the|there|it)\b"
    # "Yes All decision makers ...": the reason typed straight after the answer, as a new sentence.
    # After Yes any capital will do ("Yes JSNA, ..."); "No NHS staff ..." could be a sentence, so after
    # No only a capitalised ordinary word.
    r"|(?<=[sS])\s+(?-i:(?=[A-Z]))|(?<=[oO])\s+(?-i:(?=[A-Z][a-z]))(?!(?i:one|body|thing|where|more|longer|doubt|way)\b))?",
    re.I)


def _leading(line: str):
    """The leading Yes/No of a line when it counts as an answer, else None."""
    m = _LEADING.match(line)
    if not m or bool(m.group("o")) != bool(m.group("c")):
        return None
    if m.group("rest") is None and not m.group("o"):
        return None  # "No staff are affected": a sentence, not an answer
    if m.group("o") is None and re.match(r"\s*/", line[m.end("word"):]):
        return None  # "Yes/No" left as on the template
    return m


# A bare "Y" or "N" (alone, or before a dash or colon) is how many forms'
# answer cells are filled in; "N/A" is caught earlier as not an answer and
# "Y/N" (the template's own prompt) has no break after the letter.
_LETTER = re.compile(r"^\W*?(?P<o>\*{1,2}|_{1,2})?(?P<word>[yn])(?P<c>\*{1,2}|_{1,2})?(?=\s*(?:$|[-–—:.]))", re.I)
_BARE_MARK = re.compile(rf"^\s*(?:{TICK}|[xX✓✔])\s*$")
_NOT_AN_ANSWER = re.compile(r"^\W*(n/?a|not applicable|unsure|not sure|don'?t know|unknown|tbc|tbd|to be confirmed|pending)\b", re.I)


@dataclass
class Reading:
    answer: Optional[str]   # "yes", "no" or None
    rationale: str
    reason: str = ""        # why it stayed unanswered (empty when answered or nothing was written)


# Short words a line of a narrow PDF cell can start with; any other one or two lower-case
# letters after a possible break inside a word ("considere|d", "Attendan|ce") are its end.
_SHORT_WORDS = frozenset("a i am an as at be by do go he if in is it me my no of on or so to up us we".split())


def _mend_break(text: str) -> str:
    """A PDF cell's possible break inside a word (see documents.SOFT_BREAK): joined when what
    follows is a fragment no word is ("d", "ce", "es"), else shown as printed, with a space."""
    def join(m: re.Match) -> str:
        return m.group(1) + m.group(2) if m.group(2) not in _SHORT_WORDS else f"{m.group(1)} {m.group(2)}"
    text = re.sub(r"(\w)\u00ad ([a-z]{1,2})(?![a-zA-Z])", join, text)
    return text.replace("\u00ad", "")


def strip_marks(text: str) -> str:
    """Text without Markdown emphasis marks, with runs of blanks folded."""
    if "\u00ad" in text:
        text = _mend_break(text)
    text = re.sub(r"(\*{1,2}|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"[ \t]+", " ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _tidy_rationale(text: str) -> str:
    text = strip_marks(text)
    return re.sub(r"^[\s\-–—:;,.)|]+", "", text).strip()


def is_mark(text: str) -> Optional[bool]:
    """A table cell used as a tick box: True ticked, False empty or an empty box, None text."""
    stripped = strip_marks(text).strip()
    if not stripped or re.fullmatch(EMPTY, stripped):
        return False
    if _BARE_MARK.match(stripped) or stripped.lower() in ("yes", "ticked", "tick"):
        return True
    return None


def read_answer(text: str) -> Reading:
    """The Yes/No answer in ``text`` (the part of a form after the question) and its rationale."""
    text = text.strip()
    if not strip_marks(text):
        return Reading(None, "", "no answer given")
    text = _LABEL.sub("", text, count=1)

    ticks = list(_TICK_BEFORE.finditer(text))
    after = list(_TICK_AFTER.finditer(text))
    # "☐ Yes ☒ No" has boxes before the words, "Yes ☐ No ☒" after: take the reading that pairs more words.
    if len(after) > len(ticks):
        ticks = []
    else:
        after = []
    if ticks or after:
        chosen = set()
        for m in ticks:
            if re.fullmatch(TICK, m.group(1)):
                chosen.add(m.group(2).lower())
        for m in after:
            if re.fullmatch(TICK, m.group(2)):
                chosen.add(m.group(1).lower())
        rest = text
        for m in reversed(ticks or after):
            rest = rest[:m.start()] + " " + rest[m.end():]
        rationale = _tidy_rationale(rest)
        if len(chosen) == 1:
            return Reading(chosen.pop(), rationale)
        return Reading(None, rationale, "both Yes and No are ticked" if chosen else "neither Yes nor No is ticked")

    pair = _PAIR.search(text)
    if pair and pair.start() <= 3:
        yes_marked = bool(pair.group(1) and pair.group(3))
        no_marked = bool(pair.group(4) and pair.group(6))
        rationale = _tidy_rationale(text[:pair.start()] + text[pair.end():])
        if yes_marked != no_marked:
            return Reading("yes" if yes_marked else "no", rationale)
        return Reading(None, rationale, "the form still shows 'Yes / No' without one chosen")

    if _NOT_AN_ANSWER.match(strip_marks(text)):
        return Reading(None, _tidy_rationale(text), "the answer is neither Yes nor No")

    lines = [line for line in text.split("\n") if line.strip()]
    first = _leading(lines[0])
    if not first:
        letter = _LETTER.match(lines[0])
        if letter and bool(letter.group("o")) == bool(letter.group("c")):
            answer = "yes" if letter.group("word").lower() == "y" else "no"
            return Reading(answer, _tidy_rationale(text[text.index(lines[0]) + letter.end():]))
        return Reading(None, _tidy_rationale(text), "the text does not start with a plain Yes or No")
    answer = first.group("word").lower()
    # A later line that starts with the other answer makes it ambiguous
    # ("Yes - ..." then "No." is two answers, not one answer and a reason).
    for line in lines[1:]:
        other = _leading(line)
        if other and other.group("word").lower() != answer and re.match(r"^\W*\w+\W*$|^\W*\w+\s*[-–—:]", line):
            return Reading(None, _tidy_rationale(text), "both Yes and No are given")
    rest = text[text.index(lines[0]) + first.end("c") if first.group("c") else text.index(lines[0]) + first.end("word"):]
    return Reading(answer, _tidy_rationale(rest))


def starts_with_answer(text: str) -> bool:
    """Whether a line begins with an answer (a plain Yes/No, a tick box, or an answer label)."""
    text = text.strip()
    if _LABEL.match(text):
        return True
    if _TICK_BEFORE.match(text) or re.match(rf"^\s*{TICK}|^\s*{EMPTY}", text):
        return True
    if _PAIR.match(text):
        return True
    if _NOT_AN_ANSWER.match(strip_marks(text)):
        return True
    if _leading(text) is not None:
        return True
    letter = _LETTER.match(text)
    return bool(letter and bool(letter.group("o")) == bool(letter.group("c")))
