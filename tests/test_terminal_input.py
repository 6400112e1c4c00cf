"""The wizard's terminal input: a paste arrives as one paste, in order, however the terminal's
reads split it and whatever escape or control characters it holds; keys outside a paste,
Escape among them, are read as before (idmf.wizard.terminal_input)."""

from __future__ import annotations

import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from textual import constants, events
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver

from idmf.textsafety import normalise_answer
from idmf.wizard.terminal_input import PASTE_END, PASTE_START, PasteSafeParser, can_install, paste_safe_input

from .conftest import examples

# Pastes a person could make by copying from a terminal, a log or a Word file, and what the
# wizard is given for each: the text as idmf stores an answer, in the order pasted.
PASTES = [
    ("Priya \x1b]2;PWNED\x07 end", "Priya  end"),      # window-title sequence (OSC ... BEL)
    ("\x1b[31mred\x1b[0m text", "red text"),            # colour codes (CSI)
    ("a\x1b\x07b", "ab"),                              # ESC then a control character (BEL = Ctrl+G)
    ("lone \x1b", "lone "),                            # ESC at the very end, just before the end marker
    ("x\x1b[201y z", "x z"),                           # nearly the end marker, but not
    ("in \x1b[200~nested", "in nested"),               # a start marker inside the paste
    ("line 1\rline 2\x0bline 3", "line 1\nline 2\nline 3"),  # a terminal's and Word's line breaks
    ("Ama Owusu", "Ama Owusu"),                        # nothing to clean
]


def events_for(chunks, parser_class=PasteSafeParser):
    parser = parser_class()
    out = []
    for chunk in chunks:
        out.extend(parser.feed(chunk))
    return out


def pastes_and_keys(found):
    return [(type(e).__name__, e.text if isinstance(e, events.Paste) else e.key) for e in found]


def every_split(data: str):
    """``data`` as the terminal's reads might deliver it: whole, cut once or twice anywhere, and
    one character at a time."""
    yield [data]
    for i in range(1, len(data)):
        yield [data[:i], data[i:]]
        for j in range(i + 1, len(data)):
            yield [data[:i], data[i:j], data[j:]]
    yield list(data)


@pytest.mark.parametrize("pasted, given_as", PASTES)
def test_a_paste_is_one_paste_event_in_order_however_its_reads_are_split(pasted, given_as):
    data = PASTE_START + pasted + PASTE_END + "ok"
    for chunks in every_split(data):
        assert pastes_and_keys(events_for(chunks)) == [("Paste", given_as), ("Key", "o"), ("Key", "k")], chunks


def test_textual_8_2_own_parser_turns_part_of_such_a_paste_into_keys():
    """Why PasteSafeParser exists. If this fails, Textual has fixed it and the workaround can go."""
    found = pastes_and_keys(events_for([PASTE_START + "Priya \x1b]2;PWNED\x07 end" + PASTE_END], XTermParser))
    assert ("Key", "ctrl+g") in found and found[-1] == ("Paste", "Priya ")


def test_escape_outside_a_paste_is_still_the_escape_key_and_is_not_held_back():
    parser = PasteSafeParser()
    assert list(parser.feed("\x1b")) == []  # as Textual: an ESC waits briefly for what may follow
    time.sleep(constants.ESCAPE_DELAY + 0.05)
    assert [e.key for e in parser.tick()] == ["escape"]
    assert [e.key for e in parser.feed("\x1b[A")] == ["up"]  # arrow keys are escape sequences too
    assert [e.key for e in parser.feed("\x1b[1;5C")] == ["ctrl+right"]


def test_keys_before_and_after_a_paste_are_read_as_keys_in_order():
    data = "ab" + "\x1b[B" + PASTE_START + "\x1b[31mpasted\x1b[0m" + PASTE_END + "c\x1b[A" + "\x13"
    expected = [("Key", "a"), ("Key", "b"), ("Key", "down"), ("Paste", "pasted"), ("Key", "c"), ("Key", "up"),
                ("Key", "ctrl+s")]
    for chunks in every_split(data):
        assert pastes_and_keys(events_for(chunks)) == expected, chunks


def test_two_pastes_and_an_empty_one():
    data = PASTE_START + "one\x1b" + PASTE_END + PASTE_START + PASTE_END + PASTE_START + "\x1b[2Jtwo" + PASTE_END
    assert pastes_and_keys(events_for([data])) == [("Paste", "one"), ("Paste", ""), ("Paste", "two")]
    assert pastes_and_keys(events_for(list(data))) == [("Paste", "one"), ("Paste", ""), ("Paste", "two")]


def test_an_escape_then_a_pause_then_what_looks_like_the_rest_of_a_paste_start_is_typing():
    """Textual gives up on an escape sequence after a pause and sends it as keys; the paste
    tracking must give up with it, or the keys after would be taken for a paste."""
    parser = PasteSafeParser()
    assert list(parser.feed("\x1b[20")) == []
    time.sleep(constants.ESCAPE_DELAY + 0.05)
    assert list(parser.tick())  # what was typed so far, as keys
    assert [e.key for e in parser.feed("0~ok\x1b[A")] == ["0", "tilde", "o", "k", "up"]


# Hostile pastes: any mix of escape sequences, their fragments, control characters, line
# breaks and non-ASCII text (but never the end marker itself: a terminal's paste ends there).
PIECES = st.sampled_from([
    "\x1b", "\x1b[", "\x1b]", "[", "]", "0", "2", ";", "m", "~", "\x1b[31m", "\x1b]2;t\x07", "\x1b[20", "\x1b[201",
    "\x1b[200~", "\x1bP", "\x1b\\", "\x07", "\x00", "\x08", "\x7f", "\x9b", "\x1b\x1b", "\r", "\n", "\r\n", "\t",
    "\x0b", "\u2028", "é", "東京", "👩🏽‍⚕️", "\u202e", " ", "a", "Z",
])


@settings(max_examples=examples(300), deadline=None)
@given(pieces=st.lists(PIECES, max_size=40), cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6))
def test_any_paste_is_one_paste_event_holding_it_cleaned_in_order(pieces, cuts):
    body = "".join(pieces)
    assume(PASTE_END not in body)
    data = "a" + PASTE_START + body + PASTE_END + "z"
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    chunks = [data[i:j] for i, j in zip(points, points[1:]) if j > i]
    found = pastes_and_keys(events_for(chunks))
    assert found == [("Key", "a"), ("Paste", normalise_answer(body)), ("Key", "z")]
    assert "\x1b" not in found[1][1]


@given(st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=60))
def test_a_paste_of_ordinary_text_arrives_exactly_as_pasted(text):
    assume(text.isprintable())
    data = PASTE_START + text + PASTE_END
    assert pastes_and_keys(events_for([data])) == [("Paste", text)]
    assert pastes_and_keys(events_for(list(data))) == [("Paste", text)]


def test_the_guard_finds_textual_as_pinned_and_installs_only_while_the_wizard_runs():
    assert can_install(), "Textual changed: pasted escape sequences reach the wizard as keys again"
    with paste_safe_input() as installed:
        assert installed and linux_driver.XTermParser is PasteSafeParser
    assert linux_driver.XTermParser is XTermParser


def test_a_textual_that_is_not_as_expected_is_left_alone(monkeypatch):
    class Other(XTermParser):
        pass

    monkeypatch.setattr(linux_driver, "XTermParser", Other)
    with paste_safe_input() as installed:
        assert not installed and linux_driver.XTermParser is Other
    assert linux_driver.XTermParser is Other
