"""The real `idmf wizard` in a real terminal (tmux): every keystroke and pasted character is kept,
what is in an open editor survives quitting and kill -9, and a crash ends in one line and exit 70."""

from __future__ import annotations

import pytest

from idmf.store import load_assessment
from idmf.wizard.session import Session

from .tmux_driver import HAVE_TMUX, Terminal

pytestmark = pytest.mark.skipif(not HAVE_TMUX, reason="tmux is installed by `make test`; run it through make")

# 2,000 characters that do not begin or end with a space (answers are stored trimmed).
LONG = ("Evening opening helps carers, shift workers and people who rely on public transport; " * 30)[:1999] + "."


def _assessment_at(folder, questionnaire, question_id: str):
    """A new assessment whose first unanswered question is ``question_id``."""
    session = Session.create(folder, "Terminal test", questionnaire)
    early = {"meta.person_responsible": "Priya Shah", "meta.organisation": "Northfield ICB",
             "meta.service_area": "Primary care", "meta.decision_type": "service_change",
             "meta.decision_date": "2027-03-15", "meta.screening_date": "2027-01-10"}
    try:
        for qid, value in early.items():
            if session.next_question().id == question_id:
                break
            session.answer(questionnaire.question(qid), value)
        assert session.next_question().id == question_id
        return session.path
    finally:
        session.close()


@pytest.mark.parametrize("question_id, how", [
    ("meta.person_responsible", "paste"),  # a one-line box
    ("purpose.aims", "paste"),              # a long-text box
    ("purpose.aims", "type"),               # typed faster than the screen keeps up
])
def test_ctrl_s_straight_after_a_2000_character_paste_saves_all_of_it(tmp_path, questionnaire, question_id, how):
    path = _assessment_at(tmp_path, questionnaire, question_id)
    question = questionnaire.question(question_id)
    with Terminal(["wizard", str(path)]) as term:
        term.wait_for(question.text[:30])
        term.wait_for("Save answer", settle=1.0)  # the box takes the cursor once drawn
        # Ctrl+S in the same breath: no waiting for the screen to catch up.
        (term.paste if how == "paste" else term.type)(LONG, "C-s")
        next_question = questionnaire.question({"meta.person_responsible": "meta.organisation",
                                                "purpose.aims": "purpose.overview"}[question_id])
        term.wait_for(next_question.text[:30], settle=0.5)
        term.keys("C-q")
        assert term.exit_code() == 0
    assert load_assessment(path, questionnaire).assessment.get_answer(question_id) == LONG
