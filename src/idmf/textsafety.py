"""Text from assessment files made inert for where it goes next.

Answers, titles, names and file names are data. Written raw to a terminal,
an escape sequence in them can retitle the window, clear the screen or fake
output; in a spreadsheet cell, ``=HYPERLINK(...)`` is a live formula; in a
Word or XML file, a control character makes the file invalid. So:

* ``for_terminal`` removes every control and escape sequence (keeping
  newline and tab) and shortens very long values, for anything idmf prints;
* ``normalise_answer`` cleans an answer once, when it is given: newline and
  tab stay, Word's pasted line break (vertical tab) and the other line
  separators become newlines, every other control character goes;
* ``spreadsheet_cell`` stops a cell being read as a formula.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/PM/APC/SOS (ESC ] ... BEL or ESC \),
# and two-character escapes; plus the C1 forms (0x9b CSI, 0x9d OSC, ...).
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?          # CSI
  | \x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC, DCS, SOS, PM, APC up to their end
  | \x1b[ -/]*[0-~]?                  # other escapes
  | \x9b[0-?]*[ -/]*[@-~]?            # C1 CSI
  | [\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?  # C1 string commands
    """,
    re.VERBOSE,
)
# C0 except tab and newline, DEL, C1; bidirectional overrides and isolates (they
# reorder what is shown, so "exe.txt" can read as "txt.exe").
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Lone surrogates: the bytes of a file name that are not UTF-8, as Python decodes them. They
# cannot be written as UTF-8, so they show as U+FFFD (the name stays recognisable).
_SURROGATES = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

DISPLAY_LIMIT = 20_000  # characters of one value shown in a terminal; the file keeps all of it


def strip_controls(text: str) -> str:
    """``text`` without escape sequences or control characters (newline and tab kept)."""
    if text.isprintable():  # the common case, and fast
        return text
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", _ESCAPES.sub("", text)))


def for_terminal(value: object, limit: int | None = DISPLAY_LIMIT) -> str:
    """``value`` as text that is safe to print: nothing in it can act on the terminal.

    Values over ``limit`` characters are cut, saying how much more the file holds
    (a terminal cannot usefully show megabytes, and laying them out takes long).
    """
    text = value if isinstance(value, str) else str(value)
    text = strip_controls(_LINE_BREAKS.sub("\n", text))
    if limit is not None and len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit:,} more characters in the file)"
    return text


def normalise_answer(text: str) -> str:
    """An answer as idmf stores it: line breaks as newlines, tabs kept, other control characters removed."""
    if text.isprintable():
        return text
    return strip_controls(_LINE_BREAKS.sub("\n", text))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell a spreadsheet will show as text, never run as a formula.

    A text starting with = + - @ tab or carriage return gets a leading
    apostrophe, as OWASP advises; numbers are left as numbers.
    """
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if not isinstance(value, str):
        return value
    text = strip_controls(value.replace("\r\n", "\n")) if not value.isprintable() else value
    if value.startswith(_FORMULA_START) or text.startswith(_FORMULA_START):
        return "'" + text
    return text


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]!|~])")


def markdown_text(value: object) -> str:
    """Text for a Markdown table cell that shows as written: no HTML, link, image,
    emphasis or table break can come from it, and it stays on one line."""
    text = " ".join(strip_controls(str(value)).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE_OR_SURROGATE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_inert(text: str) -> str:
    """JSON text (or a fragment of it) with the characters ``json.dumps(ensure_ascii=False)``
    leaves raw but a terminal would act on written as \\u escapes: the data is unchanged.

    A lone surrogate (a file name's byte that is not UTF-8, as Python decodes it) becomes
    U+FFFD: written raw it would make the output invalid UTF-8, and as a \\u escape many
    JSON readers (and SARIF viewers) refuse the whole file."""
    if not _JSON_UNSAFE_OR_SURROGATE.search(text):  # the common case: one scan, nothing to change
        return text
    text = _SURROGATES.sub("\ufffd", text)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Control characters a document shows as what they are: Unicode's "control pictures" (␇ for BEL,
# ␛ for ESC, ...) for C0 and DEL, the code point in brackets for C1 and the bidirectional
# controls (they would reorder what the reader sees). A document is read, not run, so the text is
# kept visible rather than removed: the reader sees that something odd was in the answer.
_DOCUMENT_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def _control_picture(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"[U+{code:04X}]"


def document_text(value: object) -> str:
    """Text any XML-based document (Word, PDF) accepts, showing what was written.

    Newline and tab stay; carriage returns and Unicode line separators become newlines; every
    other control character shows as a visible replacement; a lone surrogate (bytes that were not
    UTF-8) shows as U+FFFD. Astral characters and combining marks pass unchanged."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _SURROGATES.sub("\ufffd", _DOCUMENT_CONTROLS.sub(_control_picture, text))


def property_text(value: object, limit: int = 255) -> str:
    """A document property (Word core properties hold at most 255 characters): one line, cut with
    an ellipsis when longer. The report's own text keeps everything."""
    text = " ".join(document_text(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
