"""Text from files is inert wherever it goes: terminal, spreadsheet, stored answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idmf.textsafety import for_terminal, normalise_answer, spreadsheet_cell, strip_controls

ATTACKS = {
    "retitle the window": "\x1b]0;owned\x07",
    "retitle, ST-terminated": "\x1b]2;owned\x1b\\",
    "clear the screen": "\x1b[2J\x1b[H",
    "colour": "\x1b[31;1m",
    "C1 CSI": "\x9b2J",
    "C1 OSC": "\x9d0;owned\x07",
    "device control": "\x1bP+q544e\x1b\\",
    "backspace over text": "safe\x08\x08\x08\x08evil",
    "carriage return overwrite": "approved\rdraft",
    "bell": "\x07",
    "right-to-left override": "report\u202eexe.txt",
    "lone surrogate (undecodable file name)": "name-\udcff.yaml",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_nothing_reaching_the_terminal_can_act_on_it(name):
    shown = for_terminal(f"before {ATTACKS[name]} after")
    assert "\x1b" not in shown and not any(0x80 <= ord(c) <= 0x9f for c in shown)
    assert all(c in "\n\t" or c.isprintable() for c in shown), repr(shown)
    assert shown.startswith("before ") and shown.endswith(" after")
    shown.encode("utf-8")  # writable to a UTF-8 terminal


@given(st.text())
def test_terminal_text_never_holds_a_control_character(text):
    shown = for_terminal(text, limit=None)
    for c in shown:
        code = ord(c)
        assert c in "\n\t" or not (code < 0x20 or 0x7f <= code <= 0x9f or 0xd800 <= code <= 0xdfff
                                     or 0x202a <= code <= 0x202e or 0x2066 <= code <= 0x2069), repr(c)


def test_plain_text_with_newlines_and_tabs_is_unchanged():
    text = "Line one\n\tindented – with ünïcode and emoji 🙂"
    assert for_terminal(text) == text and normalise_answer(text) == text


def test_long_values_are_cut_for_the_terminal_saying_how_much_more_there_is():
    shown = for_terminal("a" * 50_000, limit=1000)
    assert shown.startswith("a" * 1000) and "49,000 more characters in the file" in shown


@pytest.mark.parametrize("pasted, stored", [
    ("first\x0bsecond", "first\nsecond"),  # Word's manual line break
    ("a\r\nb\rc", "a\nb\nc"),
    ("a\u2028b\u2029c\x85d\x0ce", "a\nb\nc\nd\ne"),
    ("tab\tkept", "tab\tkept"),
    ("bell\x07 escape\x1b[2J gone\x00", "bell escape gone"),
])
def test_answers_are_normalised_when_given(pasted, stored):
    assert normalise_answer(pasted) == stored


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx",
                                  "=1+1", "-", "+"])
def test_spreadsheet_cells_that_could_be_formulas_are_text(cell):
    assert spreadsheet_cell(cell).startswith("'")


@pytest.mark.parametrize("value, expected", [(True, "Yes"), (False, "No"), (3, 3), ("Plain title", "Plain title"),
                                             ("", "")])
def test_other_spreadsheet_cells_are_left_as_they_are(value, expected):
    assert spreadsheet_cell(value) == expected


def test_strip_controls_keeps_what_is_printable():
    assert strip_controls("Café – naïve") == "Café – naïve"
