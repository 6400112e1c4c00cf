"""Step definitions for features/wizard.feature (the wizard driven by Textual's Pilot)."""

from __future__ import annotations

import asyncio
import shutil

from pytest_bdd import given, parsers, scenarios, then, when

from idmf.facts import build_facts
from idmf.store import list_assessment_files, load_assessment
from idmf.wizard.app import WizardApp
from idmf.wizard.terminal_input import PASTE_END, PASTE_START, paste_safe_input

from .conftest import EXAMPLES
from .wizard_driver import answer_current, killed_just_after_giving

scenarios("wizard.feature")


class Run:
    """Collects pilot steps, then plays them in one app session."""

    def __init__(self, folder, path=None, size=(110, 36)):
        self.folder, self.path, self.steps, self.result, self.size = folder, path, [], {}, size

    def play(self, questionnaire):
        async def main():
            app = WizardApp(self.folder, self.path, questionnaire=questionnaire)
            async with app.run_test(size=self.size) as pilot:
                await pilot.pause()
                for step in self.steps:
                    await step(app, pilot)
                    await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                screen = app.screen
                self.result["question"] = getattr(getattr(screen, "question", None), "text", None)
                self.result["question_id"] = getattr(getattr(screen, "question", None), "id", None)
                self.result["warnings"] = " ".join(str(b.render()) for b in screen.query(".warning"))
                findings = getattr(screen, "findings", None)
                self.result["findings"] = {f.rule_id for f in findings.findings} if findings else set()
                message = screen.query("#review-message")
                self.result["review"] = str(message.first().render()) if message else ""
                error = screen.query("#error")
                self.result["error"] = str(error.first().render()) if error else ""
                self.result["replies"] = [str(b.render()) for b in screen.query(".reply")]
                self.result["said"] = [str(b.render()) for b in screen.query(".bubble")]
                self.result["bottom line"] = [strip.text for strip in screen._compositor.render_strips()][-1]
                transcript = screen.query("#transcript")
                if transcript:
                    shown = [b for b in transcript.first().children if b.display]
                    self.result["last message below the fold"] = (
                        shown[-1].region.bottom - transcript.first().content_region.bottom if shown else 0)
                editor = screen.editor() if hasattr(screen, "editor") else None
                self.result["box"] = editor.value() if editor is not None else None
                session = getattr(screen, "session", None)
                self.result["title"] = session.assessment.title if session is not None else None
                panel = screen.query("#findings")
                self.result["panel rows"] = ([str(panel.first().get_option_at_index(i).prompt)
                                              for i in range(panel.first().option_count)] if panel else [])
        asyncio.run(main())
        return self.result


@given("I open the wizard on an empty folder", target_fixture="run")
def empty(tmp_path):
    return Run(tmp_path)


@given(parsers.parse("I open the wizard on an empty folder in a {width:d}x{height:d} terminal"), target_fixture="run")
def empty_sized(tmp_path, width, height):
    return Run(tmp_path, size=(width, height))


@given("I open the wizard on a folder that already holds the green example", target_fixture="run")
def folder_with_green(tmp_path):
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), tmp_path / "green.yaml")

    async def listed(app, pilot):  # the start screen, once the assessment there is listed
        while not app.screen.query("#recent") or app.screen.query_one("#recent").row_count == 0:
            await pilot.pause()
    run = Run(tmp_path)
    run.steps.append(listed)
    return run


@given("I open the wizard on the red example", target_fixture="run")
def red(tmp_path):
    source = next(EXAMPLES.glob("red-*.yaml"))
    shutil.copy(source, tmp_path / source.name)
    return Run(tmp_path, tmp_path / source.name)


@given(parsers.parse('I gave "{text}" for "{qid}" in the {title} and the wizard was killed before it was saved'),
       target_fixture="run")
def killed_after_giving(tmp_path, text, qid, title):
    source = next(EXAMPLES.glob("green-*.yaml"))
    path = tmp_path / source.name
    shutil.copy(source, path)
    killed_just_after_giving(path, qid, text)
    return Run(tmp_path, path)


@when("I open the wizard on it again")
def open_again(run):
    pass  # the run opens it: nothing to do before the screens are read


@when(parsers.parse('I start a new assessment called "{title}"'))
def start(run, title):
    async def step(app, pilot):
        app.screen.query_one("#new-title").value = title
        await pilot.click("#new-title")
        await pilot.press("enter")
    run.steps.append(step)


@when(parsers.parse('I answer the first question with "{text}"'))
def first_answer(run, text):
    async def step(app, pilot):
        await answer_current(pilot, text)
    run.steps.append(step)


@when(parsers.parse('I go to question "{qid}" and answer Yes because "{why}"'))
def go_and_answer(run, qid, why):
    async def step(app, pilot):
        app.screen.ask(qid)
        await pilot.pause()
        await answer_current(pilot, {"answer": "yes", "rationale": why})
    run.steps.append(step)


@when(parsers.parse('I go to question "{qid}" and press "{key}" without choosing anything'))
def go_and_press(run, qid, key):
    async def step(app, pilot):
        app.screen.ask(qid)
        await pilot.pause()
        await pilot.press(key)
    run.steps.append(step)


@when(parsers.parse('I go to question "{qid}" and press "{key}" {count:d} times, then Enter'))
def go_and_press_times(run, qid, key, count):
    async def step(app, pilot):
        app.screen.ask(qid)
        await pilot.pause()
        await pilot.press(*[key] * count, "enter")
    run.steps.append(step)


@when(parsers.parse('I go to question "{qid}" and type "{text}", then Enter'))
def go_and_type(run, qid, text):
    async def step(app, pilot):
        app.screen.ask(qid)
        await pilot.pause()
        await pilot.press(*text, "enter")
    run.steps.append(step)


@when(parsers.parse('I type "{text}", then Enter'))
def type_enter(run, text):
    async def step(app, pilot):
        await pilot.press(*text, "enter")
    run.steps.append(step)


@when(parsers.parse('my terminal pastes "{pasted}" and I type "{typed}", then Enter'))
def terminal_paste(run, pasted, typed):
    """What a terminal sends for a paste (<ESC> and <BEL> standing for those characters), the
    typing and the Enter after it, read by the input parser the wizard uses in a real terminal."""
    from textual.drivers import linux_driver

    raw = pasted.replace("<ESC>", "\x1b").replace("<BEL>", "\x07")

    async def step(app, pilot):
        with paste_safe_input():
            parser = linux_driver.XTermParser()
        for event in parser.feed(PASTE_START + raw + PASTE_END + typed + "\r"):
            app.post_message(event)
            await pilot.pause()
    run.steps.append(step)


@when(parsers.parse('I type "{typed}" all at once, faster than the screen keeps up'))
def type_ahead(run, typed):
    """Every key posted before the wizard has handled the first (<ENTER> stands for Enter and
    <CTRL+S> for Ctrl+S), as a terminal delivers a fast typist's keys on a slow machine."""
    from textual.drivers import linux_driver

    async def step(app, pilot):
        with paste_safe_input():
            parser = linux_driver.XTermParser()
        for event in list(parser.feed(typed.replace("<ENTER>", "\r").replace("<CTRL+S>", "\x13"))):
            app.post_message(event)
        for _ in range(20):
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
    run.steps.append(step)


@when(parsers.parse('I go back with Shift+Tab and Up to my reply "{text}"'))
def back_to_reply(run, text):
    from idmf.wizard.widgets.chat import Reply

    async def step(app, pilot):
        for _ in range(12):
            if isinstance(app.focused, Reply):
                break
            await pilot.press("shift+tab")
            await pilot.pause()
        for _ in range(16):
            if isinstance(app.focused, Reply) and str(app.focused.render()).startswith(text):
                return
            await pilot.press("up")
            await pilot.pause()
        raise AssertionError(f"no reply starting {text!r} reached; focus on {app.focused!r}")
    run.steps.append(step)


@when(parsers.parse('I press {keys}'))
def press_keys(run, keys):
    names = [name.strip().strip('"') for name in keys.replace(" and ", ", ").split(",")]

    async def step(app, pilot):
        for name in names:
            await pilot.press(name)
            await pilot.pause()
    run.steps.append(step)


@when(parsers.parse('I clear the box and type "{text}", then Enter'))
def clear_and_type(run, text):
    async def step(app, pilot):
        await pilot.press("end", *["backspace"] * 60, *text, "enter")
    run.steps.append(step)


@when(parsers.parse('I choose "{command}" in the command palette and type "{text}", then Enter'))
def palette(run, command, text):
    async def step(app, pilot):
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*command.rstrip("…"))
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*text, "enter")
    run.steps.append(step)


@when(parsers.parse('I select the finding "{rule_id}" in the findings panel'))
def select_finding(run, rule_id):
    async def step(app, pilot):
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one("#findings")
        ids = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        panel.focus()
        panel.highlighted = ids.index(rule_id)
        await pilot.press("enter")
        run.result["finding"] = next(f for f in app.screen.findings.findings if f.rule_id == rule_id)
        run.result["facts"] = build_facts(app.screen.session.assessment, app.screen.session.questionnaire)
    run.steps.append(step)


@when(parsers.parse('I type "{text}" in the command palette, then Enter'))
def palette_typed(run, text):
    async def step(app, pilot):
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*text)
        await pilot.pause(0.5)
        await pilot.press("enter")
    run.steps.append(step)


@when("I check my answers and try to submit")
def try_submit(run):
    async def step(app, pilot):
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.click("#submit")
    run.steps.append(step)


@then(parsers.parse('the assessment file already holds "{name}" as the person responsible'))
def file_holds(run, name, questionnaire):
    run.play(questionnaire)
    (path,) = list_assessment_files(run.folder)
    assert load_assessment(path, questionnaire).assessment.metadata.person_responsible == name


def _answer_in_file(run, questionnaire, qid):
    if not run.result:
        run.play(questionnaire)
    (path,) = list_assessment_files(run.folder)
    return load_assessment(path, questionnaire).assessment.get_answer(qid)


@then(parsers.parse('no answer is saved to "{qid}"'))
def nothing_saved(run, qid, questionnaire):
    assert _answer_in_file(run, questionnaire, qid) is None


@then(parsers.parse('the assessment file holds "{value}" for "{qid}"'))
def file_holds_value(run, value, qid, questionnaire):
    assert _answer_in_file(run, questionnaire, qid) == value


@then(parsers.parse('my reply shows as "{text}"'))
def reply_shows(run, text):
    assert any(reply.startswith(text) for reply in run.result["replies"]), run.result["replies"]


@then(parsers.parse('I am told "{text}"'))
def told(run, text):
    assert text in run.result["error"], run.result["error"]


@then(parsers.parse('nothing pasted acted as a key: the wizard did not say "{text}"'))
def not_said(run, text):
    assert run.result["said"] and not any(text in said for said in run.result["said"]), run.result["said"]


@then(parsers.parse('the box holds "{text}"'))
def box_holds(run, text, questionnaire):
    if not run.result:
        run.play(questionnaire)
    assert run.result["box"] == text


@then(parsers.parse('the question on screen is "{qid}"'))
def question_on_screen(run, qid, questionnaire):
    if not run.result:
        run.play(questionnaire)
    assert run.result["question_id"] == qid


@then(parsers.parse('the question on screen is one that "{rule_id}" cites'))
def question_cited(run, rule_id, questionnaire):
    run.play(questionnaire)
    finding, facts = run.result["finding"], run.result["facts"]
    cited = set()
    for trigger in finding.triggered_by:  # a completeness finding cites the questions it lists
        listed = facts.get(trigger.question_id) if trigger.question_id.startswith("derived.") else [trigger.question_id]
        cited |= set(listed or [])
    assert run.result["question_id"] in cited, (run.result["question_id"], cited)


@then("the last message in the conversation is in sight to its last line")
def last_message_whole(run, questionnaire):
    below = run.play(questionnaire)["last message below the fold"]
    assert below <= 0, f"{below} line(s) of the last message out of sight"


@then(parsers.parse('the bottom line starts with "{first}" then "{second}"'))
def bottom_line(run, first, second, questionnaire):
    run.play(questionnaire)
    words = run.result["bottom line"].split()
    assert words[:4] == first.split() + second.split(), run.result["bottom line"]


@then(parsers.parse('the next question is "{text}"'))
def next_question(run, text):
    assert run.result["question"] == text


@then("the wizard tells me a full stage 2 assessment is needed")
def told_stage2(run, questionnaire):
    result = run.play(questionnaire)
    assert "full stage 2 assessment is needed" in result["warnings"]


@then(parsers.parse('the findings panel does not list "{rule_id}"'))
def panel_does_not_list(run, rule_id):
    assert rule_id not in run.result["findings"]


@then(parsers.parse('the assessment on screen is called "{title}"'))
def called(run, title, questionnaire):
    assert run.play(questionnaire)["title"] == title


@then(parsers.parse('the answer saved to "{qid}" is "{choice}"'))
def answer_saved(run, qid, choice, questionnaire):
    result = run.play(questionnaire)
    path = run.path or next(p for p in list_assessment_files(run.folder))
    saved = load_assessment(path, questionnaire).assessment.get_answer(qid)
    assert result and saved["answer"] == choice and saved["rationale"]  # the reason kept, not "n" added to it


@then(parsers.parse('the findings panel lists "{rule_id}" as to come'))
def panel_lists_to_come(run, rule_id):
    rows = run.result["panel rows"]
    assert any(row.startswith(f"(to come) {rule_id}") for row in rows), rows
    assert not any(rule_id in row and "BLOCKING" in row for row in rows), rows


@then(parsers.parse('the findings panel lists "{rule_id}"'))
def panel_lists(run, rule_id):
    assert rule_id in run.result["findings"]


@then("I am told it was not submitted because of blocking findings")
def not_submitted(run, questionnaire):
    result = run.play(questionnaire)
    assert result["review"].startswith("Not submitted") and "blocking" in result["review"]
