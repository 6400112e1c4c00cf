"""Saving off the screen's thread (issue 11, speed): the wizard's answers are written by the
session's one writer thread, in the order given. Nothing is called saved before it is on disk,
every answer given reaches the disk before the wizard ends (quit, crash, plain exit), and a save
that fails keeps the reply as a draft and is told."""

from __future__ import annotations

import asyncio
import errno
import json
import subprocess
import sys
import textwrap

import pytest

from idmf.errors import AssessmentChangedOnDisk
from idmf.store import load_assessment, save_assessment
from idmf.wizard.app import WizardApp
from idmf.wizard.session import Session

from .wizard_driver import killed_just_after_giving, new_assessment, question_open

SIZE = (100, 34)
AIMS = "purpose.aims"


@pytest.fixture
def session(tmp_path, questionnaire):
    session = Session.create(tmp_path, "Saving", questionnaire)
    yield session
    session.close()


def _q(questionnaire, qid):
    return questionnaire.question(qid)


def _drafts(session) -> dict:
    return json.loads(session.draft_path.read_text(encoding="utf-8"))["replies"] if session.draft_path.exists() else {}


def test_answers_given_in_a_burst_are_all_on_disk_in_order_once_flushed(session, questionnaire):
    texts = [f"Aim number {i}" for i in range(25)]
    for text in texts:
        session.give(_q(questionnaire, AIMS), text)
    session.give(_q(questionnaire, "meta.organisation"), "Northfield ICB")
    assert session.flush(timeout=30)
    assert not session.saving and session.saved_at is not None and session.failure is None
    saved = load_assessment(session.path, questionnaire).assessment
    assert saved.get_answer(AIMS) == texts[-1]  # the last given, not an earlier one written late
    assert saved.metadata.organisation == "Northfield ICB"
    # The session's idea of the file is the file: the next save is not refused as a change on disk.
    session.give(_q(questionnaire, AIMS), "Saved at once")
    session.flush()
    assert load_assessment(session.path, questionnaire).assessment.get_answer(AIMS) == "Saved at once"


def test_closing_writes_every_answer_given_first(tmp_path, questionnaire):
    session = Session.create(tmp_path, "Closing", questionnaire)
    session.give(_q(questionnaire, AIMS), "Given just before closing")
    session.close()
    assert load_assessment(session.path, questionnaire).assessment.get_answer(AIMS) == "Given just before closing"
    assert not any(p.name.endswith((".lock", ".tmp")) for p in tmp_path.iterdir())


def test_a_process_that_exits_without_closing_still_writes_what_was_given(tmp_path, questionnaire):
    session = Session.create(tmp_path, "Exit", questionnaire)
    path = session.path
    session.close()
    code = textwrap.dedent(f"""
        from pathlib import Path
        from idmf.questionnaire import load_questionnaire
        from idmf.wizard.session import Session
        questionnaire = load_questionnaire()
        session = Session.open(Path({str(path)!r}), questionnaire)
        for i in range(5):
            session.give(questionnaire.question({AIMS!r}), f"Given {{i}} then the program ends")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert load_assessment(path, questionnaire).assessment.get_answer(AIMS) == "Given 4 then the program ends"


def test_a_draft_is_dropped_only_once_its_answer_is_on_disk(session, questionnaire):
    session.keep_draft(AIMS, "Half typed")
    assert _drafts(session) == {AIMS: "Half typed"}
    session.give(_q(questionnaire, AIMS), "Finished")
    assert AIMS not in session.drafts  # not offered back in the box: the answer is given
    assert session.flush(timeout=30)
    assert not session.draft_path.exists()


def test_a_hand_edit_while_saves_are_pending_is_kept_and_the_replies_become_drafts(session, questionnaire):
    session.give(_q(questionnaire, AIMS), "First aim")
    assert session.flush(timeout=30)
    edited = load_assessment(session.path, questionnaire).assessment
    edited.metadata.organisation = "Edited by hand"
    save_assessment(edited, session.path)
    hand_edited = session.path.read_bytes()

    session.give(_q(questionnaire, AIMS), "Second aim")
    session.give(_q(questionnaire, "meta.person_responsible"), "Priya Shah")
    assert session.flush(timeout=30)
    assert session.path.read_bytes() == hand_edited  # neither save went over the hand edit
    assert isinstance(session.failure, AssessmentChangedOnDisk)
    assert _drafts(session) == {AIMS: "Second aim", "meta.person_responsible": "Priya Shah"}
    assert session.take_unsaved() == [AIMS, "meta.person_responsible"]
    assert session.take_unsaved() == []

    changed = session.reload()
    assert "meta.organisation" in [q.id for q in changed] and session.failure is None
    assert session.assessment.metadata.organisation == "Edited by hand"
    session.give(_q(questionnaire, AIMS), "Second aim")
    assert session.flush(timeout=30) and session.failure is None
    saved = load_assessment(session.path, questionnaire).assessment
    assert (saved.metadata.organisation, saved.get_answer(AIMS)) == ("Edited by hand", "Second aim")


def test_a_save_that_fails_keeps_the_reply_as_a_draft(session, questionnaire, monkeypatch):
    import idmf.wizard.session as module

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    before = session.path.read_bytes()
    monkeypatch.setattr(module, "save_checked", full_disk)
    session.give(_q(questionnaire, AIMS), "Written on a full disk")
    assert session.flush(timeout=30)
    assert isinstance(session.failure, OSError) and session.path.read_bytes() == before
    assert _drafts(session) == {AIMS: "Written on a full disk"}
    with pytest.raises(OSError):
        session.save()  # not saved over quietly by the next save either


def test_the_status_says_saving_until_the_answer_is_on_disk_then_saved(tmp_path, questionnaire, monkeypatch):
    import threading

    import idmf.wizard.session as module

    session = Session.create(tmp_path, "Status", questionnaire)
    path = session.path
    session.close()
    release = threading.Event()
    real = module.save_checked

    def slow_disk(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            monkeypatch.setattr(module, "save_checked", slow_disk)
            await pilot.press(*"Priya Shah")
            await pilot.press("ctrl+s")
            await pilot.pause()
            during = (screen.sub_title, load_assessment(path, questionnaire).assessment.metadata.person_responsible)
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            return during, screen.sub_title

    (status, on_disk), after = asyncio.run(scenario())
    assert status.endswith("saving…") and not on_disk  # said "saving", and not on disk yet
    assert "saved " in after and "saving" not in after
    assert load_assessment(path, questionnaire).assessment.metadata.person_responsible == "Priya Shah"


def test_a_save_waiting_for_the_screen_lands_even_if_the_screen_never_says_it_drew_the_answer(session, questionnaire):
    """The wizard's saves start once the answer is drawn (the few milliseconds of writing the file
    no longer hold up drawing it). A screen that never says so delays a save, never stops it."""
    import time

    session.waits_for_screen = True
    session.give(_q(questionnaire, AIMS), "Drawn or not")
    for _ in range(500):  # up to 5 s: the wait is a tenth of a second at most
        if not session.saving:
            break
        time.sleep(0.01)
    assert not session.saving and session.failure is None
    assert load_assessment(session.path, questionnaire).assessment.get_answer(AIMS) == "Drawn or not"


def test_the_wizard_lets_each_save_start_once_its_answer_is_drawn(tmp_path, questionnaire, monkeypatch):
    """Were the screen never to say it had drawn an answer, each save would wait out its limit
    (set here to a minute): the answers are on disk long before that."""
    import idmf.wizard.session as module

    monkeypatch.setattr(module, "SAVE_WAITS_FOR_SCREEN_AT_MOST", 60)
    path = new_assessment(tmp_path, questionnaire, "Drawn")

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            for text in ("Priya Shah", "Northfield ICB"):
                await pilot.press(*text, "enter")
                await pilot.pause()
            waited = 0
            while screen.session.saving and waited < 100:  # 5 s at most, well short of the minute
                await pilot.pause(0.05)
                waited += 1
            return screen.session.saving, screen.sub_title

    still_saving, status = asyncio.run(scenario())
    assert not still_saving and "saved " in status
    metadata = load_assessment(path, questionnaire).assessment.metadata
    assert (metadata.person_responsible, metadata.organisation) == ("Priya Shah", "Northfield ICB")


def test_quitting_straight_after_an_answer_writes_it_first(tmp_path, questionnaire):
    path = new_assessment(tmp_path, questionnaire, "Quit")

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await question_open(pilot)
            await pilot.press(*"Priya Shah")
            await pilot.press("ctrl+s", "ctrl+q")
            await pilot.pause()
        return app.farewell

    farewell = asyncio.run(scenario())
    assert load_assessment(path, questionnaire).assessment.metadata.person_responsible == "Priya Shah"
    assert "could not be saved" not in farewell


def test_full_garbage_collections_wait_until_nobody_is_typing(tmp_path, questionnaire, monkeypatch):
    """A full collection paused the wizard mid-answer; it now runs while the keyboard is idle
    (or once it is far overdue), and Python's own settings are back when the wizard closes."""
    import gc
    import time

    import idmf.wizard.app as module

    before = gc.get_threshold()
    collected = []

    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.get_threshold()[2] > 1000  # no automatic full collection while the wizard runs
            monkeypatch.setattr(module.gc, "collect", lambda *a: collected.append("full"))
            monkeypatch.setattr(module.gc, "get_count", lambda: (0, 0, module.FULL_COLLECTION_DUE))
            await pilot.press("a")  # typing
            app._collect_when_idle()
            typing = list(collected)
            app.last_input = time.monotonic() - module.IDLE_SECONDS  # a second without a key
            app._collect_when_idle()
            idle = list(collected)
            monkeypatch.setattr(module.gc, "get_count", lambda: (0, 0, module.FULL_COLLECTION_OVERDUE))
            app.last_input = time.monotonic()
            app._collect_when_idle()
            overdue = list(collected)
            monkeypatch.undo()
        return typing, idle, overdue

    typing, idle, overdue = asyncio.run(scenario())
    assert (typing, idle, overdue) == ([], ["full"], ["full", "full"])
    assert gc.get_threshold() == before


def test_an_answer_given_moments_before_a_kill_9_is_offered_back_on_resume(tmp_path, questionnaire):
    """kill -9 after Enter and before the save lands (held up here, as a slow disk would):
    the answer was given, so it is in the draft file, and resuming puts it back in the box."""
    session = Session.create(tmp_path, "Killed", questionnaire)
    path = session.path
    session.close()
    killed_just_after_giving(path, AIMS, "Given, then the power of kill -9")
    assert load_assessment(path, questionnaire).assessment.get_answer(AIMS) is None  # the save never landed
    resumed = Session.open(path, questionnaire)
    try:
        assert resumed.drafts == {AIMS: "Given, then the power of kill -9"}
    finally:
        resumed.close()

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            screen = await question_open(pilot)
            return screen.question.id, screen.editor().value()

    assert asyncio.run(scenario()) == (AIMS, "Given, then the power of kill -9")


def test_a_kept_reply_that_was_saved_after_all_is_not_offered_back(session, questionnaire):
    """Killed after the save landed but before the draft file was tidied: nothing is news."""
    session.give(_q(questionnaire, AIMS), "Saved before the kill")
    assert session.flush(timeout=30)
    session.draft_path.write_text(json.dumps({"assessment": str(session.assessment.id),
                                              "replies": {AIMS: "Saved before the kill", "meta.organisation": "Typed"}}))
    reopened = Session(session.path, session.assessment, questionnaire)
    assert reopened._read_drafts() == {"meta.organisation": "Typed"}


def test_kill_9_after_answers_are_saved_keeps_them_and_offers_back_the_one_being_saved(tmp_path, questionnaire):
    """The kill comes once the first answers are on disk (the process says so), while the next is
    being saved: the file holds the saved answers, the draft the one given last."""
    from .wizard_driver import killed_after_saving

    path = new_assessment(tmp_path, questionnaire, "Kill after saving")
    saved = {"meta.person_responsible": "Priya Shah", "meta.organisation": "Northfield ICB", AIMS: "Evening access"}
    killed_after_saving(path, saved, "purpose.overview", "Six pharmacies open late")
    on_disk = load_assessment(path, questionnaire).assessment
    assert {qid: on_disk.get_answer(qid) for qid in saved} == saved
    resumed = Session.open(path, questionnaire)
    try:
        assert resumed.drafts == {"purpose.overview": "Six pharmacies open late"}
    finally:
        resumed.close()
