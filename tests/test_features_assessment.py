"""Step definitions for features/assessment.feature."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from pytest_bdd import given, parsers, scenarios, then, when

from idmf.model.assessment import Assessment
from idmf.store import load_assessment, save_assessment

from .conftest import ROOT, run_idmf

scenarios("assessment.feature")


@given("an empty assessments folder", target_fixture="folder")
def empty_folder(tmp_path):
    return tmp_path / "assessments"


@when(parsers.parse('I start a new assessment called "{title}"'), target_fixture="result")
def start_new(folder, title):
    return run_idmf("new", "--title", title, "--dir", str(folder))


@then("a draft assessment file is created in that folder")
def draft_created(result, folder):
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == folder and path.exists()


@then(parsers.parse('showing it lists "{title}" as a draft'))
def shows_draft(result, title):
    shown = run_idmf("show", result.stdout.strip())
    assert shown.returncode == 0, shown.stderr
    assert title in shown.stdout and "(draft)" in shown.stdout


@then("it tells me which required questions are still to answer")
def tells_unanswered(result):
    shown = run_idmf("show", result.stdout.strip())
    assert "Still to answer" in shown.stdout and "ehiira.q01" in shown.stdout


@given(parsers.parse('an assessment with an answer to question "{qid}"'), target_fixture="path")
def assessment_with_answer(tmp_path, qid):
    a = Assessment(title="Crash test")
    a.set_answer(qid, "Reduce waiting times fairly")
    return save_assessment(a, tmp_path / "crash.yaml")


@when("the program saving it is killed part-way through a save")
def kill_mid_save(path, tmp_path):
    script = tmp_path / "saver.py"
    script.write_text(
        "import sys\nfrom idmf.store import load_assessment, save_assessment\n"
        "a = load_assessment(sys.argv[1]).assessment\n"
        "i = 0\nwhile True:\n    i += 1\n    for n in range(1, 11):\n        a.set_answer(f'ehiira.q{n:02d}', {'answer': 'yes', 'rationale': ('%05d' % i) * 3000})\n    save_assessment(a, sys.argv[1])\n    print(i, flush=True)\n"
    )
    proc = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True)
    # Killed once its first save is on disk, part-way through the next (a fixed delay from the
    # start could fire before any save landed, and then tested nothing).
    first = int(proc.stdout.readline())
    time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    saved = load_assessment(path).assessment.answers["ehiira.q01"]["rationale"]
    assert int(saved[:5]) >= first and saved == saved[:5] * 3000  # a whole save, the first or a later one


@then(parsers.parse('the assessment still opens with the answer to "{qid}"'))
def still_opens(path, qid, questionnaire):
    assert load_assessment(path, questionnaire).assessment.answers[qid] == "Reduce waiting times fairly"


@given("a file holding a photo instead of an assessment", target_fixture="path")
def photo(tmp_path):
    path = tmp_path / "photo.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return path


@when("I ask idmf to show it", target_fixture="result")
def show_it(path):
    return run_idmf("show", str(path))


@then("I am told the file is binary and where it is")
def told_binary(result, path):
    assert "binary" in result.stderr and str(path) in result.stderr


@then(parsers.parse("idmf exits with code {code:d} without a traceback"))
def exits_cleanly(result, code):
    assert result.returncode == code
    assert "Traceback" not in result.stderr


@given(parsers.parse('a copy of the questionnaires where a show_if names question "{qid}"'), target_fixture="copy")
def broken_copy(tmp_path, qid):
    copy = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", copy)
    target = copy / "4-ehiira-stage2.yaml"
    text = target.read_text(encoding="utf-8")
    assert "ehiira.q19" in text
    target.write_text(text.replace("ehiira.q19", qid, 1), encoding="utf-8")
    return copy


@when("I validate that copy", target_fixture="result")
def validate_copy(copy):
    return run_idmf("questionnaire", "validate", str(copy))


@then(parsers.parse("validation fails with exit code {code:d}"))
def fails_with(result, code):
    assert result.returncode == code, result.stdout + result.stderr


@then(parsers.parse('the message names the file and line and "{qid}"'))
def names_file_line(result, copy, qid):
    import re

    assert re.search(rf"{re.escape(str(copy))}/4-ehiira-stage2\.yaml:\d+: unknown question id '{re.escape(qid)}'", result.stderr), result.stderr
