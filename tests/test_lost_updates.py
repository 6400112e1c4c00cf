"""No lost updates: links, hand edits, report outputs, file modes, leftovers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from idmf.errors import EXIT_LOCKED, AssessmentChangedOnDisk, AssessmentLocked, InputError
from idmf.store import edit_lock, load_assessment, save_assessment, save_checked

from .conftest import EXAMPLES, run_idmf

GREEN = next(EXAMPLES.glob("green-*.yaml"))


@pytest.fixture
def green(tmp_path) -> Path:
    path = tmp_path / "green.yaml"
    path.write_bytes(GREEN.read_bytes())
    return path


def _hold_lock(path: Path):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from idmf.store import edit_lock
        with edit_lock({str(path)!r}):
            print("holding", flush=True)
            sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_symlink_and_its_target_share_one_lock(green, tmp_path):
    link = tmp_path / "link.yaml"
    link.symlink_to(green)
    holder = _hold_lock(green)
    try:
        with pytest.raises(AssessmentLocked):
            with edit_lock(link):
                pass
    finally:
        holder.communicate("")


def test_saving_through_a_symlink_writes_the_target_and_keeps_the_link(green, tmp_path, questionnaire):
    link = tmp_path / "link.yaml"
    link.symlink_to(green)
    file = load_assessment(link, questionnaire)
    file.assessment.title = "Changed through the link"
    with edit_lock(link):
        save_assessment(file.assessment, link, expected=file.fingerprint)
    assert link.is_symlink()
    assert load_assessment(green, questionnaire).assessment.title == "Changed through the link"


def test_a_file_with_a_hard_link_is_refused_for_editing(green, tmp_path):
    os.link(green, tmp_path / "second-name.yaml")
    before = green.read_bytes()
    result = run_idmf("submit", str(tmp_path / "second-name.yaml"), "--by", "Priya Shah")
    assert result.returncode == 2, result.stderr
    assert "hard link" in result.stderr and "Traceback" not in result.stderr
    assert green.read_bytes() == before


def test_a_hand_edit_made_after_loading_is_never_overwritten(green, questionnaire):
    file = load_assessment(green, questionnaire)
    hand_edited = green.read_text().replace("Northfield Integrated Care Board", "Edited by hand")
    green.write_text(hand_edited)
    file.assessment.title = "Saved by idmf"
    with pytest.raises(AssessmentChangedOnDisk) as info:
        with edit_lock(green):
            save_assessment(file.assessment, green, expected=file.fingerprint)
    assert info.value.exit_code == EXIT_LOCKED and "changed on disk" in info.value.message
    assert green.read_text() == hand_edited


def test_a_file_deleted_after_loading_is_not_silently_recreated(green, questionnaire):
    file = load_assessment(green, questionnaire)
    green.unlink()
    with pytest.raises(AssessmentChangedOnDisk):
        save_assessment(file.assessment, green, expected=file.fingerprint)
    assert not green.exists()


def test_saving_what_was_loaded_succeeds_and_the_next_save_checks_against_it(green, questionnaire):
    file = load_assessment(green, questionnaire)
    file.assessment.title = "First"
    first = save_checked(file.assessment, green, expected=file.fingerprint)
    file.assessment.title = "Second"
    save_checked(file.assessment, green, expected=first)
    assert load_assessment(green, questionnaire).assessment.title == "Second"


def test_report_output_onto_the_assessment_itself_is_refused(green):
    before = green.read_bytes()
    result = run_idmf("report", str(green), "--format", "md", "--output", str(green))
    assert result.returncode == 2 and "assessment" in result.stderr, result.stderr
    assert green.read_bytes() == before


def test_report_output_onto_another_existing_file_needs_force(green, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# my own notes\n")
    refused = run_idmf("report", str(green), "--format", "md", "--output", str(notes))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert notes.read_text() == "# my own notes\n"
    forced = run_idmf("report", str(green), "--format", "md", "--output", str(notes), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "my own notes" not in notes.read_text()


def test_report_output_over_an_earlier_report_needs_no_force(green, tmp_path):
    target = tmp_path / "green.report.md"
    first = run_idmf("report", str(green), "--format", "md", "--output", str(target))
    assert first.returncode == 0, first.stderr
    again = run_idmf("report", str(green), "--format", "md", "--output", str(target))
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("target", ["/proc/version", "/proc/no-such-folder/report.md", "/dev/full",
                                    "{green}/under-a-file.md"])
def test_report_output_to_an_unwritable_place_is_exit_2(green, target):
    result = run_idmf("report", str(green), "--format", "md", "--output", target.format(green=green), "--force")
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_new_files_follow_the_umask_and_existing_files_keep_their_mode(tmp_path, questionnaire):
    code = textwrap.dedent(f"""
        import os, sys
        os.umask(0o002)
        sys.argv = ["idmf", "new", "--title", "Shared", "--dir", {str(tmp_path)!r}]
        from idmf.cli import main
        main()
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    os.chmod(path, 0o640)
    result = run_idmf("submit", str(path), "--by", "Someone")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640, result.stderr


def test_no_temporary_or_lock_files_are_left_after_commands(green, tmp_path):
    run_idmf("submit", str(green), "--by", "Priya Shah")
    run_idmf("review", "approve", str(green), "--reviewer", "Sam", "--role", "E&I BP")
    run_idmf("report", str(green), "--format", "md")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_stale_temporary_files_are_cleaned_on_the_next_save(green, tmp_path, questionnaire):
    stale = tmp_path / f".{green.name}.999999999.abcd.tmp"  # left by a writer killed mid-save
    stale.write_text("half a file")
    older = tmp_path / f".{green.name}.x1y2z3.tmp"  # the name an older idmf used
    older.write_text("half a file")
    os.utime(older, (0, 0))
    file = load_assessment(green, questionnaire)
    with edit_lock(green):
        save_assessment(file.assessment, green, expected=file.fingerprint)
    assert not stale.exists() and not older.exists()


def test_an_unreadable_file_is_never_written(tmp_path, questionnaire):
    path = tmp_path / "bad.yaml"
    path.write_text("title: x\nstatus: draft\nstatus: approved\n")
    result = run_idmf("submit", str(path), "--by", "X")
    assert result.returncode == 2 and "duplicate key" in result.stderr
    assert path.read_text() == "title: x\nstatus: draft\nstatus: approved\n"
    with pytest.raises(InputError):
        load_assessment(path, questionnaire)


def test_wizard_session_refuses_to_save_over_a_hand_edit_made_while_it_was_open(green, questionnaire):
    from idmf.wizard.session import Session

    session = Session.open(green, questionnaire)
    try:
        question = questionnaire.question("purpose.aims") if hasattr(questionnaire, "question") else \
            next(q for s in questionnaire.steps for sec in s.sections for q in sec.questions if q.id == "purpose.aims")
        session.give(question, "Answered in the wizard")  # saves: the session's own change is fine
        session.flush()
        assert session.failure is None
        hand_edited = green.read_text().replace("Northfield Integrated Care Board", "Edited by hand")
        green.write_text(hand_edited)
        session.give(question, "Answered again in the wizard")
        session.flush()
        assert isinstance(session.failure, AssessmentChangedOnDisk)  # refused, the reply kept as a draft
        assert session.drafts[question.id] == "Answered again in the wizard"
        assert green.read_text() == hand_edited
    finally:
        session.close()
    assert not any(p.name.endswith(".lock") for p in green.parent.iterdir())
