"""Answering the wizard's current question through its widgets, as a person would."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, OptionList, Select, SelectionList, TextArea

from idmf.wizard.app import AssessmentScreen
from idmf.wizard.widgets.editors import (
    ActionsEditor, ChoiceEditor, DateEditor, GroupImpactsEditor, LongTextEditor, MultiChoiceEditor, PersonEditor, TextEditor, YesNoEditor,
)


def new_assessment(folder, questionnaire, title: str, answers: dict | None = None):
    """A new assessment file in ``folder`` holding ``answers`` (question id -> saved value); its path."""
    from idmf.wizard.session import Session

    session = Session.create(folder, title, questionnaire)
    for question_id, value in (answers or {}).items():
        session.give(questionnaire.question(question_id), value)
        session.flush()
    path = session.path
    session.close()
    return path


async def question_open(pilot) -> AssessmentScreen:
    """Wait until the assessment is open at a question and its first check has finished."""
    app = pilot.app
    while not (isinstance(app.screen, AssessmentScreen) and app.screen.question is not None):
        await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


async def answer_current(pilot, value: Any) -> None:
    """Give ``value`` (in the assessment file's shape) to the question on screen, then save it."""
    screen: AssessmentScreen = pilot.app.screen
    editor = screen.editor()
    if isinstance(editor, YesNoEditor):
        if editor.choice is None:
            await pilot.press("y" if value["answer"] == "yes" else "n")  # focus starts on the Yes button
        else:  # reopened: focus is in the rationale, so choose with the mouse
            await pilot.click(f"#{value['answer']}")
        rationale = editor.query_one("#rationale")
        rationale.value = value.get("rationale", "")
        await pilot.press("enter")
    elif isinstance(editor, (TextEditor, DateEditor)):
        editor.query_one("#text", Input).value = str(value)
        await pilot.press("enter")
    elif isinstance(editor, LongTextEditor):
        editor.query_one("#long", TextArea).text = str(value)
        await pilot.press("ctrl+s")
    elif isinstance(editor, ChoiceEditor):
        options = editor.query_one("#choices", OptionList)
        values = editor.question.choice_values(editor.questionnaire)
        options.focus()
        options.highlighted = 0
        for _ in range(values.index(value)):
            await pilot.press("down")
        await pilot.press("enter")
    elif isinstance(editor, MultiChoiceEditor):
        selection = editor.query_one("#multi", SelectionList)
        selection.focus()
        values = editor.question.choice_values(editor.questionnaire)
        selection.highlighted = 0
        position = 0
        for target in sorted(values.index(v) for v in value):
            for _ in range(target - position):
                await pilot.press("down")
            position = target
            await pilot.press("space")
        await pilot.press("ctrl+s")
    elif isinstance(editor, GroupImpactsEditor):
        for row in value:
            group = row["group"]
            editor.query_one(f"#impact-{group}", Select).value = row.get("impact") or Select.NULL
            editor.query_one(f"#evidence-{group}").value = row.get("evidence", "")
            editor.query_one(f"#mitigation-{group}").value = row.get("mitigation", "")
            editor.query_one(f"#kind-{group}", Select).value = row.get("mitigation_type") or Select.NULL
        await pilot.press("ctrl+s")
    elif isinstance(editor, ActionsEditor):
        for i, row in enumerate(value, start=1):
            if i > editor.count:
                await pilot.press("ctrl+a")
                await pilot.pause()
            editor.query_one(f"#action-{i}", Input).value = row["action"]
            editor.query_one(f"#owner-{i}", Input).value = row.get("owner", "")
            editor.query_one(f"#due-{i}", Input).value = row.get("due") or ""
            editor.query_one(f"#status-{i}", Select).value = row.get("status", "not_started")
        await pilot.press("ctrl+s")
    elif isinstance(editor, PersonEditor):
        editor.query_one("#name", Input).value = value.get("name", "")
        editor.query_one("#role", Input).value = value.get("role", "")
        editor.query_one("#date", Input).value = value.get("date") or ""
        await pilot.press("ctrl+s")
    else:  # pragma: no cover
        raise AssertionError(f"no driver for {type(editor).__name__}")
    await pilot.pause()


def killed_just_after_giving(path, question_id: str, text: str) -> None:
    """A wizard process gives ``text`` to a question of the assessment at ``path`` and is
    killed (kill -9) straight after, before its save can land (the disk is held up, as a
    slow or busy one would be)."""
    import signal
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(f"""
        import time
        from pathlib import Path
        import idmf.wizard.session as module
        from idmf.questionnaire import load_questionnaire
        def held_up(*args, **kwargs):
            time.sleep(60)
        module.save_checked = held_up
        questionnaire = load_questionnaire()
        session = module.Session.open(Path({str(path)!r}), questionnaire)
        session.give(questionnaire.question({question_id!r}), {text!r})
        print("given", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        given = proc.stdout.readline().strip()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert given == "given", proc.stderr.read()
    finally:
        proc.kill()
        proc.stdout.close()
        proc.stderr.close()


def killed_after_saving(path, saved: dict, question_id: str, text: str) -> list[str]:
    """A wizard process gives ``saved`` (question id -> answer) and waits until they are on disk,
    then gives ``text`` to ``question_id`` while the disk is held up, and is killed (kill -9) at
    that moment: every run kills a session that has saved answers and one still being saved.
    Returns what the process said, in order ("saved", then "given")."""
    import signal
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(f"""
        import time
        from pathlib import Path
        import idmf.wizard.session as module
        from idmf.questionnaire import load_questionnaire
        questionnaire = load_questionnaire()
        session = module.Session.open(Path({str(path)!r}), questionnaire)
        for question_id, value in {saved!r}.items():
            session.give(questionnaire.question(question_id), value)
        assert session.flush(timeout=30) and session.failure is None
        print("saved", flush=True)
        def held_up(*args, **kwargs):
            time.sleep(60)
        module.save_checked = held_up
        session.give(questionnaire.question({question_id!r}), {text!r})
        print("given", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        said = [proc.stdout.readline().strip(), proc.stdout.readline().strip()]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert said == ["saved", "given"], proc.stderr.read()
        return said
    finally:
        proc.kill()
        proc.stdout.close()
        proc.stderr.close()
