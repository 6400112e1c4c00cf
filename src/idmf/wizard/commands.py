"""The command palette (Ctrl+P) on the assessment screen: a question by a bare number or words.

The README and the help say "type the number": typing 14 or "review date" into the palette lists
the questions it names, to open with Enter, beside the wizard's other commands (no "Go to
question…" to choose first). The questions are found by the session's own search, the one
"Go to question…" uses, so the two always agree.
"""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider

from ..textsafety import for_terminal

SHOWN_AT_MOST = 12


class QuestionCommands(Provider):
    async def search(self, query: str) -> Hits:
        screen = self.screen
        session = getattr(screen, "session", None)  # only the assessment screen lists this provider
        if session is None or not query.strip():
            return
        questions = session.find_questions(query)[:SHOWN_AT_MOST]
        for rank, question in enumerate(questions):
            number = f"Q{question.number}. " if question.number else ""
            text = for_terminal(f"Go to {number}{question.text}", limit=300)
            # Above the fuzzy matches of command names: the user typed a question's number or words.
            yield Hit(1.0 - rank / 1000, text, partial(screen.go_to, question.id),
                      help=for_terminal(session.answer_shown(question) or "not answered yet", limit=200))
