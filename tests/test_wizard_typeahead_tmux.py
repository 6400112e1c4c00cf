"""Typing ahead in a real terminal (tmux): answers typed one after another without waiting for
the screen, each ended with Enter, are saved each to its own question, as typed."""

from __future__ import annotations

import pytest

from idmf.store import load_assessment

from .test_wizard_terminal import _assessment_at
from .tmux_driver import HAVE_TMUX, Terminal

pytestmark = pytest.mark.skipif(not HAVE_TMUX, reason="tmux is installed by `make test`; run it through make")


def test_three_answers_typed_ahead_are_each_saved_to_their_own_question(tmp_path, questionnaire):
    path = _assessment_at(tmp_path, questionnaire, "meta.person_responsible")
    with Terminal(["wizard", str(path)], width=80, height=24) as term:
        term.wait_for("Save answer", settle=1.0)
        # Was: "Priya ShahNorthfield ICB" saved as the person responsible, the organisation blank,
        # and the service area typed into a box that was then thrown away.
        term.type("Priya Shah\rNorthfield ICB\rPrimary care\r")
        term.wait_for("What kind of decision is it?", timeout=30, settle=0.5)
        term.keys("C-q")
        assert term.exit_code() == 0
    saved = load_assessment(path, questionnaire).assessment
    assert [saved.get_answer(q) for q in ("meta.person_responsible", "meta.organisation", "meta.service_area")] == \
        ["Priya Shah", "Northfield ICB", "Primary care"]
