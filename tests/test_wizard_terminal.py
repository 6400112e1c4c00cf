"""The real `idmf wizard` in a real terminal (tmux): every keystroke and pasted character is kept,
what is in an open editor survives quitting and kill -9, and a crash ends in one line and exit 70."""

from __future__ import annotations

import os
import time

import pytest

from idmf.store import load_assessment
from idmf.wizard.session import Session

from .tmux_driver import HAVE_TMUX, IDMF, Terminal

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
            session.give(questionnaire.question(qid), value)
            session.flush()
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


def _draft_of(path):
    return path.with_name(f".{path.name}.draft")


def test_ctrl_q_mid_edit_keeps_the_reply_as_a_draft_offered_back_on_resume(tmp_path, questionnaire):
    path = _assessment_at(tmp_path, questionnaire, "purpose.aims")
    typed = "Keep the pharmacy open until 10pm on weekdays"
    with Terminal(["wizard", str(path)]) as term:
        term.wait_for("Save answer", settle=1.0)
        term.type(typed, "C-q")  # quit in the same breath as the last key
        assert term.exit_code() == 0
        said = term.wait_for("kept as a draft")
    assert "offered back" in " ".join(said.split())
    assert load_assessment(path, questionnaire).assessment.get_answer("purpose.aims") is None  # not saved: a draft
    assert typed in _draft_of(path).read_text(encoding="utf-8")
    with Terminal(["wizard", str(path)]) as term:
        term.wait_for("unsaved reply from last time")
        term.wait_for(typed[:30], settle=1.0)  # back in the box
        term.type(". Review in a year.", "C-s")
        term.wait_for(questionnaire.question("purpose.overview").text[:30], settle=0.5)
        term.keys("C-q")
        assert term.exit_code() == 0
    assert load_assessment(path, questionnaire).assessment.get_answer("purpose.aims") == typed + ". Review in a year."
    assert not _draft_of(path).exists()  # saved: no draft left behind


def test_kill_9_mid_edit_loses_nothing_typed_more_than_a_few_seconds_before(tmp_path, questionnaire):
    path = _assessment_at(tmp_path, questionnaire, "purpose.aims")
    typed = "Open later on Thursdays for people who work shifts"
    with Terminal(["wizard", str(path)]) as term:
        term.wait_for("Save answer", settle=1.0)
        term.type(typed)
        deadline = time.monotonic() + 15
        while not (_draft_of(path).exists() and typed in _draft_of(path).read_text(encoding="utf-8")):
            assert time.monotonic() < deadline, "the draft was never written"
            time.sleep(0.2)
        term.kill9()
        assert term.exit_code() == 137
    with Terminal(["wizard", str(path)]) as term:
        term.wait_for("unsaved reply from last time")
        term.wait_for(typed[:30], settle=1.0)
        term.keys("C-s")
        term.wait_for(questionnaire.question("purpose.overview").text[:30], settle=0.5)
        term.keys("C-q")
        assert term.exit_code() == 0
    assert load_assessment(path, questionnaire).assessment.get_answer("purpose.aims") == typed


CRASHING_WIZARD = """
import sys
from idmf.wizard.screens.assessment import AssessmentScreen
def broken(self):
    raise RuntimeError("a bug in idmf; the answer 'Ms Secret' must not be shown")
AssessmentScreen.action_why = broken   # Ctrl+G now meets a bug
from idmf.cli import main
sys.argv = ["idmf", "wizard", sys.argv[1]]
main()
"""


def test_a_bug_ends_in_one_line_naming_a_crash_log_and_exit_70_keeping_what_was_typed(tmp_path, questionnaire):
    path = _assessment_at(tmp_path, questionnaire, "purpose.aims")
    script = tmp_path / "crashing.py"
    script.write_text(CRASHING_WIZARD, encoding="utf-8")
    with Terminal([str(script), str(path)], program=str(IDMF.parent / "python")) as term:
        term.wait_for("Save answer", settle=1.0)
        term.type("Typed just before the bug")
        term.wait_for("Typed just before the bug")  # in the box: what a crash must not lose
        term.keys("C-g")
        assert term.exit_code() == 70
        shown = term.wait_for("exit 70")
    flat = " ".join(shown.split())
    logs = list(tmp_path.glob(".idmf-crash-*.log"))
    assert len(logs) == 1 and logs[0].name in flat
    assert "Traceback" not in shown and "Ms Secret" not in shown and "RuntimeError" not in shown
    assert "RuntimeError" in logs[0].read_text(encoding="utf-8")
    assert "Typed just before the bug" in _draft_of(path).read_text(encoding="utf-8")


def test_escape_sequences_in_titles_and_answers_do_not_act_on_the_terminal(tmp_path, questionnaire):
    import shutil

    from idmf.store import save_assessment

    from .conftest import EXAMPLES

    path = tmp_path / "green.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)  # every answer given: check-your-answers starts with them
    a = load_assessment(path, questionnaire).assessment
    a.title = "Day centre \x1b]2;PWNED-TITLE\x07review"
    a.metadata.organisation = "Northfield \x1b]0;PWNED-ORG\x07ICB\x1b[2J"
    save_assessment(a, path)  # (the file keeps them out: answers are cleaned when read and written)
    # A file name is not cleaned by anyone: a broken file called so is listed on the start screen.
    broken = tmp_path / "broken \x1b]2;PWNED-NAME\x07[bold].yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    os.utime(broken, (1_600_000_000, 1_600_000_000))  # older, so the assessment is the first row
    with Terminal(["wizard", "--dir", str(tmp_path)]) as term:
        term._tmux("select-pane", "-t", "w", "-T", "idmf-test-pane")
        listed = term.wait_for("unreadable", settle=0.5)
        assert term._tmux("display-message", "-p", "-t", "w", "#{pane_title}").strip() == "idmf-test-pane"
        assert "broken [bold].yaml" in listed and "PWNED" not in listed
        term.wait_for("Day centre review", settle=1.0)  # the start screen's list
        term.keys("Home", "Enter")
        term.wait_for("Hello. This is the assessment", settle=0.5)
        term.keys("C-r")  # check your answers: the answers on screen
        shown = term.wait_for("Northfield ICB", settle=0.5)
        title = term._tmux("display-message", "-p", "-t", "w", "#{pane_title}").strip()
        term.keys("Escape")
        term.keys("C-q")
        assert term.exit_code() == 0
    assert title == "idmf-test-pane" and "PWNED" not in shown, title


def test_a_pasted_escape_sequence_is_saved_in_order_inert_and_no_typed_text_is_lost(tmp_path, questionnaire):
    """A paste holding raw terminal control sequences (OSC 2 "set the window title", and an ESC
    followed by BEL, which is Ctrl+G as a key) is one paste: saved in the order pasted, with the
    sequences taken out as every answer's are, never acted on, and followed by what was typed.

    Textual 8.2's own input parser turned an ESC in a paste and up to 32 characters after it into
    key presses ahead of the rest (this was saved as "^^]2;PWNED endPriya Shah", and BEL opened
    "Why we ask"); idmf.wizard.terminal_input reads pastes whole (tests/test_terminal_input.py)."""
    path = _assessment_at(tmp_path, questionnaire, "meta.person_responsible")
    with Terminal(["wizard", str(path)]) as term:
        term.wait_for("Save answer", settle=1.0)
        before = term._tmux("display-message", "-p", "-t", "w", "#{pane_title}").strip()
        term.paste("Priya \x1b\x07\x1b]2;PWNED\x07 end")
        shown = term.wait_for("Priya  end", settle=0.5)
        box = next(line for line in shown.splitlines() if "Priya" in line)
        term.type(" Shah", "C-s")
        term.wait_for(questionnaire.question("meta.organisation").text[:30], settle=0.5)
        title = term._tmux("display-message", "-p", "-t", "w", "#{pane_title}").strip()
        shown += term.screen()
        term.keys("C-q")
        assert term.exit_code() == 0
    saved = load_assessment(path, questionnaire).assessment.metadata.person_responsible
    assert "PWNED" not in title and title == before  # the sequence was never passed to the terminal
    assert "Priya  end" in box and "PWNED" not in box and "^" not in box, box  # the box: what is saved
    assert "Why we ask:" not in shown  # the pasted BEL did not act as Ctrl+G
    assert saved == "Priya  end Shah", repr(saved)  # in order, inert, and the typed text after it
