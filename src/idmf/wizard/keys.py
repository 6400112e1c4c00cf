"""Keys typed ahead: what is typed straight after Enter belongs to the next question.

Without holding them, what was typed straight after Enter (a fast typist, a slow machine) went
into the box being saved, so "Priya Shah⏎NHS Example ICB⏎" saved the two answers as one. From
``hold()`` until ``release()`` (the next question's box has the cursor) keys and pastes wait
here, then go, in order, to the box focused by then.

A piece of its own with a typed handle (``KeyHolder.of(app)``), not methods looked up on the app
by name: a screen or widget asks for the holder of the app it is in, and gets None in an app
that holds no keys (a widget tested on its own).
"""

from __future__ import annotations

import weakref
from typing import Awaitable, Callable, Optional

from textual import events
from textual.app import App

HOLD_SECONDS = 2.0  # the longest keys typed after Enter wait for the next question to open

_HOLDERS: "weakref.WeakKeyDictionary[App, KeyHolder]" = weakref.WeakKeyDictionary()


class KeyHolder:
    def __init__(self, app: App, deliver: Callable[[events.Event], Awaitable[None]]):
        """``deliver`` hands a held event on as if it had just arrived (the app's own on_event)."""
        self.app = app
        self._deliver = deliver
        self._held: Optional[list[events.Event]] = None
        self._timer = None
        _HOLDERS[app] = self

    @staticmethod
    def of(app: App) -> Optional["KeyHolder"]:
        return _HOLDERS.get(app)

    @property
    def holding(self) -> bool:
        return self._held is not None

    def take(self, event: events.Event) -> bool:
        """Keep ``event`` if keys are being held (True); else it goes on as usual (False)."""
        if self._held is not None and isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._held.append(event)
            return True
        return False

    def hold(self) -> None:
        """Hold keys and pastes from now until ``release`` (never longer than HOLD_SECONDS)."""
        if self._held is None:
            self._held = []
            self._timer = self.app.set_timer(HOLD_SECONDS, self.release)

    def release(self) -> None:
        if self._held is not None:
            self.app.call_later(self._release)  # behind the focus given to the next question's box

    async def _release(self) -> None:
        held, self._held = self._held, None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for index, event in enumerate(held or []):
            await self._deliver(event)
            if self._held is not None:  # that key (Enter again) started another save: the rest wait for it
                self._held[:0] = held[index + 1:]
                return
