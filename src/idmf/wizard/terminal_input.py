"""A paste holding a raw escape character arrives as one paste, in order.

Why this exists: Textual 8.2's terminal input parser (``XTermParser.parse``) treats an ESC
inside a bracketed paste as the possible start of the paste's end marker. It then reads up to
32 characters without adding them to the paste and, when they turn out not to be the end
marker, hands them to the app as *key presses*, ahead of the Paste event. Text copied from a
terminal or a log (``\\x1b[31m``, a window-title sequence ``\\x1b]2;...\\x07``) was saved out of
order, and a control character after the ESC acted as its key (a pasted BEL is Ctrl+G, which
opened "Why we ask").

``PasteSafeParser`` sits in front of Textual's parser and only changes what is inside a paste.
It follows the paste start (``ESC [200~``) and end (``ESC [201~``) markers itself, across
however the terminal's reads split them. Outside a paste every character goes straight on, so
a real Escape key press is not delayed. Inside a paste the text is held until the end marker
(Textual gives nothing for a paste before its end marker anyway), cleaned as idmf stores an
answer (``normalise_answer``: escape sequences and control characters removed, line breaks as
newlines), and passed on with the end marker. Textual's parser then sees a paste with no ESC
in it and gives exactly one Paste event holding the whole text, in order; no key comes out of
a paste. Answers were already stored so cleaned; now the box shows what will be saved.

It is wired in by ``paste_safe_input()`` around the wizard's run. That replaces the parser
class the Linux driver looks up when its input thread starts (the one module attribute
reached into); if Textual's internals are not as expected the wizard runs with Textual's own
parser, unchanged, and ``tests/test_terminal_input.py`` fails on the pinned version.
"""

from __future__ import annotations

import contextlib
from typing import Iterable, Iterator

from ..textsafety import normalise_answer

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
ESC = "\x1b"

try:  # Textual's private parser module: guarded, see paste_safe_input
    from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
except ImportError:  # pragma: no cover - a Textual without it: the wizard uses Textual's own input
    XTermParser = None  # type: ignore[assignment,misc]
    BRACKETED_PASTE_START = BRACKETED_PASTE_END = None  # type: ignore[assignment]


if XTermParser is not None:

    class PasteSafeParser(XTermParser):  # type: ignore[misc,valid-type]
        """Textual's input parser with every paste passed on whole, cleaned and ESC-free."""

        def __init__(self, *args, **kwargs) -> None:
            self._in_paste = False
            self._start_seen = 0  # characters of PASTE_START passed on just now, outside a paste
            self._paste: list[str] = []  # the paste so far (inside a paste)
            self._held = ""  # the last characters of the paste while they may begin PASTE_END
            super().__init__(*args, **kwargs)

        def feed(self, data: str) -> Iterable:
            if not data:  # end of input: a paste left unfinished is dropped, as Textual does
                self._in_paste, self._paste, self._held = False, [], ""
                yield from super().feed(data)
                return
            for part in self._split(data):
                yield from super().feed(part)

        def tick(self) -> Iterable:
            for token in super().tick():
                # Textual gave up waiting for the rest of an escape sequence (an ESC, then a
                # pause) and sent what it had as keys: a paste start it was reading is not one.
                self._start_seen = 0
                yield token

        def _split(self, data: str) -> Iterator[str]:
            """What to pass on to Textual's parser for ``data``, in order."""
            pos, size = 0, len(data)
            while pos < size:
                if not self._in_paste:
                    start = pos
                    seen = self._start_seen
                    if not seen:  # typing: skip to the next ESC, if any
                        esc = data.find(ESC, pos)
                        pos = size if esc < 0 else esc
                    while pos < size and seen < len(PASTE_START):
                        char = data[pos]
                        pos += 1
                        # PASTE_START holds one ESC, at its start: a mismatch starts over.
                        seen = seen + 1 if char == PASTE_START[seen] else (1 if char == ESC else 0)
                    if seen == len(PASTE_START):
                        self._in_paste, seen = True, 0
                    self._start_seen = seen
                    yield data[start:pos]  # never held back: Escape and other keys go on at once
                    continue
                text = self._held + data[pos:]
                end = text.find(PASTE_END)
                if end >= 0:
                    self._paste.append(text[:end])
                    pasted = normalise_answer("".join(self._paste))
                    self._in_paste, self._paste, self._held = False, [], ""
                    yield pasted + PASTE_END
                    pos = size - (len(text) - end - len(PASTE_END))
                    continue
                # Not ended yet: hold back a tail that may be the start of the end marker.
                last_esc = text.rfind(ESC, max(0, len(text) - len(PASTE_END) + 1))
                if last_esc >= 0 and PASTE_END.startswith(text[last_esc:]):
                    self._paste.append(text[:last_esc])
                    self._held = text[last_esc:]
                else:
                    self._paste.append(text)
                    self._held = ""
                pos = size

else:  # pragma: no cover
    PasteSafeParser = None  # type: ignore[assignment,misc]


def _linux_driver_module():
    try:
        from textual.drivers import linux_driver
    except ImportError:  # pragma: no cover - e.g. Windows: its driver is left alone
        return None
    return linux_driver


def can_install() -> bool:
    """Whether Textual is as this was written for (8.2): its Linux driver builds its input
    parser from the module attribute ``XTermParser``, the class PasteSafeParser extends, and
    the paste markers are the ones PasteSafeParser follows."""
    driver = _linux_driver_module()
    return (
        PasteSafeParser is not None
        and driver is not None
        and getattr(driver, "XTermParser", None) is XTermParser
        and (BRACKETED_PASTE_START, BRACKETED_PASTE_END) == (PASTE_START, PASTE_END)
        and callable(getattr(XTermParser, "feed", None))
        and callable(getattr(XTermParser, "tick", None))
    )


@contextlib.contextmanager
def paste_safe_input() -> Iterator[bool]:
    """While inside, the wizard's terminal input is read by PasteSafeParser; gives whether it is
    (False: Textual is not as expected, and its own parser is used, unchanged)."""
    if not can_install():
        yield False
        return
    driver = _linux_driver_module()
    driver.XTermParser = PasteSafeParser
    try:
        yield True
    finally:
        driver.XTermParser = XTermParser
