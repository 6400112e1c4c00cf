"""The wizard never loses what a person typed and never ends in a traceback (issue 11), driven
with the keys a person would press (Textual's Pilot), checked against the files on disk."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from idmf.store import load_assessment
from idmf.wizard.app import AssessmentScreen, WizardApp
from idmf.wizard.session import Session

from .conftest import EXAMPLES

SIZE = (100, 34)


def _run(coro):
    return asyncio.run(coro)


def _copy_example(prefix: str, folder: Path) -> Path:
    source = next(EXAMPLES.glob(f"{prefix}-*.yaml"))
    path = folder / source.name
    shutil.copy(source, path)
    return path


async def _type(pilot, text: str) -> None:
    await pilot.press(*text)


def _transcript(screen) -> str:
    return "\n".join(str(b.render()) for b in screen.query("Bubble"))


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_ctrl_o_writes_the_report_in_every_format_beside_the_assessment(tmp_path, questionnaire):
    path = _copy_example("green", tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await pilot.press("ctrl+o")
            await _settle(app, pilot)
            return isinstance(app.screen, AssessmentScreen), _transcript(app.screen)

    still_open, transcript = _run(scenario())
    assert still_open and "Report written" in transcript, transcript
    for fmt in ("html", "md", "docx", "pdf"):
        report = path.with_name(f"{path.stem}.report.{fmt}")
        assert report.is_file() and report.stat().st_size > 0, fmt
    title = load_assessment(path, questionnaire).assessment.title
    assert title in path.with_name(f"{path.stem}.report.md").read_text(encoding="utf-8")


def test_the_palettes_write_the_report_writes_it_too(tmp_path, questionnaire):
    path = _copy_example("green", tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await pilot.press("ctrl+p")
            await pilot.pause()
            await _type(pilot, "Write the report")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await _settle(app, pilot)
            return _transcript(app.screen)

    transcript = _run(scenario())
    assert "Report written" in transcript, transcript
    assert path.with_name(f"{path.stem}.report.html").is_file()


def test_a_report_that_cannot_be_written_is_said_and_the_session_goes_on(tmp_path, questionnaire):
    path = _copy_example("green", tmp_path)
    path.with_name(f"{path.stem}.report.md").mkdir()  # a folder where the Markdown report should go

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await pilot.press("ctrl+o")
            await _settle(app, pilot)
            return isinstance(app.screen, AssessmentScreen), _transcript(app.screen), app.return_code

    still_open, transcript, code = _run(scenario())
    assert still_open and code in (None, 0)
    assert "report" in transcript.lower() and ("not written" in transcript or "could not be written" in transcript), transcript


def test_ctrl_a_adds_a_second_action_and_both_typed_actions_are_saved(tmp_path, questionnaire):
    session = Session.create(tmp_path, "Two actions", questionnaire)
    path = session.path
    session.close()

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            app.screen.ask("decide.actions")
            await pilot.pause()
            await pilot.pause()
            await _type(pilot, "Book interpreters for every clinic")  # the cursor starts in the first action
            await pilot.press("tab")
            await _type(pilot, "Clinic manager")
            await pilot.press("tab")
            await _type(pilot, "2027-01-31")
            await pilot.press("ctrl+a")
            await pilot.pause()
            await _type(pilot, "Print large-type letters")
            await pilot.press("tab")
            await _type(pilot, "Patient services")
            await pilot.press("ctrl+a")  # a third, left blank: not saved
            await pilot.pause()
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
            return app.return_code

    assert _run(scenario()) in (None, 0)
    actions = load_assessment(path, questionnaire).assessment.get_answer("decide.actions")
    assert [(a["action"], a["owner"]) for a in actions] == [
        ("Book interpreters for every clinic", "Clinic manager"), ("Print large-type letters", "Patient services")]
    assert str(actions[0]["due"]) == "2027-01-31"


def test_bad_files_in_the_folder_are_listed_with_their_reason_and_the_good_ones_still_open(tmp_path, questionnaire):
    import os

    good = _copy_example("green", tmp_path)
    text = good.read_text(encoding="utf-8")
    (tmp_path / "impossible-date.yaml").write_text(text.replace("decision_date: '2026-05-20'", "decision_date: 2026-02-30"),
                                                  encoding="utf-8")
    (tmp_path / "naive-time.yaml").write_text(text.replace("updated: '2026-03-10T16:40:00+00:00'",
                                                           "updated: 2026-03-10 16:40:00"), encoding="utf-8")
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")  # opened for reading, it would wait for a writer forever

    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=(100, 34)) as pilot:
            await asyncio.wait_for(app.workers.wait_for_complete(), 60)
            await pilot.pause()
            table = app.screen.query_one("#recent")
            rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
            # Choosing the good one still opens it.
            row = next(i for i, r in enumerate(rows) if r[0] != "unreadable")
            table.focus()
            table.move_cursor(row=row)
            await pilot.press("enter")
            await pilot.pause()
            return rows, type(app.screen).__name__

    rows, screen = _run(scenario())
    by_name = {r[3].split(":")[0]: r for r in rows if r[0] == "unreadable"}
    assert set(by_name) >= {"impossible-date.yaml", "dangling.yaml", "pipe.yaml"}, rows
    assert "named pipe" in by_name["pipe.yaml"][3]
    assert any(r[0] == "draft" and "pharmac" in r[3].lower() for r in rows), rows
    assert len(rows) == 5
    assert screen == "AssessmentScreen"


def test_text_typed_then_skipped_is_kept_as_a_draft_and_is_back_when_the_question_is(tmp_path, questionnaire):
    session = Session.create(tmp_path, "Skip keeps typing", questionnaire)
    path, draft = session.path, session.draft_path
    session.close()

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            app.screen.ask("purpose.aims")
            await pilot.pause()
            await pilot.pause()
            await _type(pilot, "Half a thought")
            await pilot.press("ctrl+k")  # skip for now, mid-sentence
            await pilot.pause()
            kept = draft.read_text(encoding="utf-8")
            app.screen.ask("purpose.aims")
            await pilot.pause()
            await pilot.pause()
            await _type(pilot, ", finished")
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
            return kept

    kept = _run(scenario())
    assert "Half a thought" in kept
    assert load_assessment(path, questionnaire).assessment.get_answer("purpose.aims") == "Half a thought, finished"
    assert not draft.exists()


def test_a_file_changed_on_disk_is_read_again_the_change_kept_and_the_reply_kept_as_a_draft(tmp_path, questionnaire):
    from idmf.store import save_assessment

    session = Session.create(tmp_path, "Changed on disk", questionnaire)
    path, draft = session.path, session.draft_path
    session.close()

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            # A colleague (or a text editor) changes the file while the wizard has it open.
            edited = load_assessment(path, questionnaire).assessment
            edited.metadata.organisation = "Southfield Trust"
            save_assessment(edited, path)
            await _type(pilot, "Priya Shah")
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
            first = (isinstance(app.screen, AssessmentScreen), _transcript(app.screen), app.screen.editor().value(),
                     draft.read_text(encoding="utf-8"))
            await pilot.press("ctrl+s")  # save again, now over the version read back
            await _settle(app, pilot)
            return first

    still_open, transcript, in_box, kept = _run(scenario())
    assert still_open
    flat = " ".join(transcript.split())
    assert "changed outside the wizard" in flat and "Which organisation" in flat, flat
    assert in_box == "Priya Shah" and "Priya Shah" in kept
    saved = load_assessment(path, questionnaire).assessment
    assert saved.metadata.organisation == "Southfield Trust"  # the outside change is not lost
    assert saved.metadata.person_responsible == "Priya Shah"  # nor the reply
    assert not draft.exists()


def test_escape_sequences_in_a_file_never_reach_the_screen_as_markup_or_controls(tmp_path, questionnaire):
    from idmf.store import save_assessment

    session = Session.create(tmp_path, "Escapes", questionnaire)
    path = session.path
    session.close()
    a = load_assessment(path, questionnaire).assessment
    a.title = "Day centre \x1b]2;PWNED\x07[bold]review[/] \x1b[2J"
    a.answers["purpose.aims"] = "Aims \x1b[31mred\x1b[0m [/nonsense] \x9b2J end"
    save_assessment(a, path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            title = app.screen.title
            app.screen.ask("purpose.aims")
            await pilot.pause()
            await pilot.pause()
            in_box = app.screen.editor().value()
            await pilot.press("ctrl+r")
            await pilot.pause()
            review = " ".join(str(label.render()) for label in app.screen.query("Label"))
            return title, in_box, review, _transcript(app._assessment_screen())

    title, in_box, review, transcript = _run(scenario())
    for shown in (title, in_box, review, transcript):
        assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown
    assert "[bold]review[/]" in transcript  # shown as written, not read as markup
    assert "[/nonsense]" in review and "Aims red" in review
