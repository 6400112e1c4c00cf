"""The footer of keys: Help and Quit first, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

# The keys a newcomer needs before any other, shown first: in an 80-column terminal the footer
# has room for five or six keys, and Help and Quit (the app's own) came last, out of sight.
# Then the keys that finish the job, so at 80 columns Ctrl+O Report is not the one cut off the end.
FIRST = ("help", "quit", "save_answer", "report", "review")


class KeysFooter(Footer):
    """Textual's footer, except that Help and Quit come first and it is rebuilt only when what
    it shows changes.

    Textual rebuilds every key in the footer each time the focus moves, and the focus moves
    several times per answer (the old editor goes, the next one takes the focus) while the keys
    shown stay the same: that rebuilding was a good part of the wait after each answer.
    """

    _shown: tuple = ()

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        # Each key is a FooterKey (not exported by Textual), which knows its binding's action.
        first = sorted((key for key in keys if getattr(key, "action", None) in FIRST),
                       key=lambda key: FIRST.index(key.action))
        yield from first + [key for key in keys if key not in first]

    def _keys_shown(self, screen: Screen) -> tuple:
        bindings = screen.active_bindings
        shown = tuple((binding.key, binding.action, binding.description, enabled, tooltip)
                      for _node, binding, enabled, tooltip in bindings.values() if binding.show)
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return shown, (palette[1].key, palette[2]) if palette else None

    def bindings_changed(self, screen: Screen) -> None:
        shown = self._keys_shown(screen)
        if self._bindings_ready and shown == self._shown:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # only once it is really rebuilt with them
