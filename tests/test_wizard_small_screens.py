"""80x24 is first-class (issue 11, item 10): every editor field is on screen when it has the
focus, the help scrolls and closes from the keyboard, the "saved" status is never cut off, and
ticked boxes differ from unticked ones by their glyph, not by colour (NO_COLOR).

Driven with the keys a person would press (Textual's Pilot) on the green example, checked
against what is drawn on the screen and the saved file.
"""

from __future__ import annotations

import asyncio
import re
import shutil

import pytest
from rich.cells import cell_len
from textual.widgets import Input

from idmf.store import load_assessment
from idmf.wizard.app import AssessmentScreen, HelpScreen, WizardApp
from idmf.wizard.session import Session
from idmf.wizard.widgets.editors import Editor

from .conftest import EXAMPLES
from .wizard_driver import new_assessment, question_open

SMALL, USUAL = (80, 24), (100, 34)

# One question of every type the questionnaire has (test_every_question_type_is_covered keeps it so).
EDITOR_QUESTIONS = {
    "text": "meta.person_responsible",
    "long_text": "purpose.aims",
    "yes_no": "ehiira.q07",
    "single_choice": "meta.decision_type",
    "multi_choice": "purpose.affected_people",
    "date": "review.review_date",
    "group_impacts": "stage2.protected_characteristics",
    "actions": "decide.actions",
    "person": "signoff.approval",
}


def _green(tmp_path):
    path = tmp_path / "green.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)
    return path


def screen_lines(app) -> list[str]:
    """The text on the terminal, line by line, as a person sees it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _fully_on_screen(screen, widget) -> bool:
    geometry = screen.find_widget(widget)
    region = geometry.region
    return (region.width > 0 and region.height > 0 and geometry.visible_region == region
            and region.right <= screen.size.width and region.bottom <= screen.size.height)


async def _open(app, pilot, question_id):
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.screen.ask(question_id)
    await pilot.pause()
    await pilot.pause()


def test_every_question_type_is_covered(questionnaire):
    types = {question.type.value for question in questionnaire.questions()}
    assert types == set(EDITOR_QUESTIONS)
    assert all(questionnaire.question(qid).type.value == kind for kind, qid in EDITOR_QUESTIONS.items())


# Every editor at both sizes, except the 14-group grid at 100x34 (15 s of Tab presses): it
# scrolls the same way at both sizes and 80x24 is the harder case.
SWEEP = [(kind, size) for kind in EDITOR_QUESTIONS for size in (SMALL, USUAL) if (kind, size) != ("group_impacts", USUAL)]


@pytest.mark.parametrize("kind,size", SWEEP, ids=[f"{kind}-{w}x{h}" for kind, (w, h) in SWEEP])
def test_every_field_of_every_editor_is_on_screen_when_tab_reaches_it(tmp_path, questionnaire, kind, size):
    path = _green(tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            await _open(app, pilot, EDITOR_QUESTIONS[kind])
            screen = app.screen
            editor = screen.query_one(Editor)
            chain = screen.focus_chain  # what Tab can reach (not a closed drop-down's list)
            fields = [w for w in editor.query("*") if w in chain]
            wanted = set(fields) | {screen.query_one("#save")}
            reached, hidden = set(), []
            for _ in range(len(chain) + 1):
                focused = app.focused
                if focused in wanted:
                    reached.add(focused)
                    if not _fully_on_screen(screen, focused):
                        hidden.append(f"{focused!r} at {screen.find_widget(focused).visible_region}")
                await pilot.press("tab")
            return fields, wanted - reached, hidden

    fields, missed, hidden = asyncio.run(scenario())
    assert fields, "the editor has no field to type in"
    assert not missed, f"Tab never reached {missed}"
    assert not hidden, f"typed into where it cannot be seen: {hidden}"


@pytest.mark.parametrize("size", [SMALL, USUAL], ids=["80x24", "100x34"])
def test_every_empty_box_of_every_editor_shows_its_whole_prompt(tmp_path, questionnaire, size):
    """The grey text in an empty box says what to type: cut short, it said "e.g. 15/03/2027 or
    15 March 2027 (Enter to sa" at 80x24."""
    path = _green(tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        cut = []
        async with app.run_test(size=size) as pilot:
            for kind, question_id in EDITOR_QUESTIONS.items():
                await _open(app, pilot, question_id)
                editor = app.screen.query_one(Editor)
                boxes = list(editor.query(Input))
                for box in boxes:
                    box.value = ""
                await pilot.pause()
                # The stage 2 editor shows one group at a time: each group's boxes are read with
                # that group shown (a hidden group's boxes are drawn in no columns at all).
                read = set()
                for _ in range(len(getattr(editor, "groups", [])) or 1):
                    for box in boxes:
                        if not all(node.display for node in box.ancestors_with_self if node is not editor.screen):
                            continue
                        read.add(box)
                        if cell_len(str(box.placeholder)) > box.content_size.width:
                            cut.append(f"{kind}: {box.placeholder!r} in {box.content_size.width} columns")
                    if hasattr(editor, "action_group"):
                        editor.action_group(1)
                        await pilot.pause()
                cut += [f"{kind}: {box.placeholder!r} never shown" for box in boxes if box not in read]
        return cut

    assert asyncio.run(scenario()) == []


@pytest.mark.parametrize("size", [SMALL, USUAL], ids=["80x24", "100x34"])
def test_the_sign_off_takes_name_role_date_and_comments_typed_one_after_another(tmp_path, questionnaire, size):
    path = _green(tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            await _open(app, pilot, "signoff.approval")
            screen = app.screen
            for box in screen.query(Input):
                box.value = ""
            screen.query_one("#name", Input).focus()
            await pilot.pause()
            seen = []
            for text in ("Sam Okafor", "E&I business partner", "15/3/27", "Proportionate"):
                seen.append(_fully_on_screen(screen, app.focused))
                await pilot.press(*text, "tab")
            await pilot.press("ctrl+s")
            await pilot.pause()
            return seen

    seen = asyncio.run(scenario())
    assert seen == [True] * 4  # each box on screen as it was typed into
    saved = load_assessment(path, questionnaire).assessment.get_answer("signoff.approval")
    assert saved == {"name": "Sam Okafor", "role": "E&I business partner", "date": "2027-03-15", "comments": "Proportionate"}


def test_saving_a_sign_off_again_keeps_its_comments(tmp_path, questionnaire):
    path = _green(tmp_path)
    session = Session.open(path, questionnaire)
    before = {"name": "Sam Okafor", "role": "E&I business partner", "date": "2027-03-15",
              "comments": "Mitigations are proportionate"}
    session.give(questionnaire.question("signoff.approval"), before)
    session.flush()
    session.close()

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            await _open(app, pilot, "signoff.approval")
            await pilot.press("ctrl+s")
            await pilot.pause()

    asyncio.run(scenario())
    assert load_assessment(path, questionnaire).assessment.get_answer("signoff.approval") == before


def test_help_scrolls_to_its_last_key_and_closes_from_the_keyboard_at_80x24(tmp_path, questionnaire):
    path = _green(tmp_path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            close = help_screen.query_one("#close-help")
            first = "\n".join(screen_lines(app))
            for _ in range(6):
                await pilot.press("pagedown")
            await pilot.pause()
            last = "\n".join(screen_lines(app))
            close_visible = _fully_on_screen(help_screen, close)
            await pilot.press("tab")
            close_focused = app.focused is close
            await pilot.press("enter")
            await pilot.pause()
            return first, last, close_visible, close_focused, isinstance(app.screen, AssessmentScreen)

    first, last, close_visible, close_focused, back = asyncio.run(scenario())
    assert "Ctrl+Q" not in first  # 80x24 is too small for every key at once...
    assert "Ctrl+Q" in last and "Quit" in last  # ...so the list scrolls to the last one
    assert close_visible and close_focused and back


@pytest.mark.parametrize("size", [SMALL, USUAL], ids=["80x24", "100x34"])
def test_the_saved_time_is_on_screen_however_long_the_title(tmp_path, questionnaire, size):
    path = _green(tmp_path)  # "Extended evening opening for community pharmacies in Northfield Place"

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            await _open(app, pilot, "purpose.aims")
            await pilot.press("ctrl+s")
            await pilot.pause()
            return screen_lines(app)[0]

    header = asyncio.run(scenario())
    assert re.search(r"draft · saved \d\d:\d\d:\d\d", header), header


@pytest.mark.parametrize("size", [SMALL, USUAL], ids=["80x24", "100x34"])
def test_every_screen_shows_help_and_quit_first_in_its_footer(tmp_path, questionnaire, size):
    """An 80-column footer has room for five or six keys: F1 Help (which lists every key) and
    Ctrl+Q Quit come first on the start screen, at a question and on check-your-answers (they
    came last, out of sight)."""
    path = _green(tmp_path)

    async def scenario():
        footers = {}
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            footers["start"] = screen_lines(app)[-1]
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            await _open(app, pilot, "purpose.aims")
            footers["question"] = screen_lines(app)[-1]
            await pilot.press("ctrl+r")
            await pilot.pause()
            footers["check your answers"] = screen_lines(app)[-1]
        return footers

    footers = asyncio.run(scenario())
    assert len(footers) == 3
    for where, footer in footers.items():
        assert re.match(r"\s*f1 Help\s+\^q Quit\s", footer), f"{where}: {footer!r}"


def test_under_no_color_ticked_and_unticked_boxes_differ_by_glyph(tmp_path, questionnaire, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    path = _green(tmp_path)  # Patients, The public, Carers and Staff ticked; Nobody not

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            await _open(app, pilot, "purpose.affected_people")
            before = screen_lines(app)
            await pilot.press("end", "space")  # tick "Nobody"
            await pilot.pause()
            return app.no_color, before, screen_lines(app)

    no_color, before, after = asyncio.run(scenario())
    assert no_color

    def box(lines, label):
        (line,) = [line for line in lines if re.search(rf"\] {label}\b", line)]
        return re.search(rf"(\[.\]) {label}", line).group(1)

    assert [box(before, label) for label in ("Patients", "Staff", "Nobody")] == ["[x]", "[x]", "[ ]"]
    assert box(after, "Nobody") == "[x]"


def _panel_text(panel) -> str:
    """Every line the findings panel draws, scrolled through top to bottom, as one text."""
    lines = []
    for row in range(panel.virtual_size.height):
        if not panel.scroll_y <= row < panel.scroll_y + panel.size.height:
            panel.scroll_to(y=row, animate=False, immediate=True)
        lines.append(panel.render_line(row - round(panel.scroll_y)).text)
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("size", [SMALL, USUAL], ids=["80x24", "100x34"])
def test_every_finding_shows_its_whole_title_after_the_findings_grow(tmp_path, questionnaire, size):
    """Seen in a real terminal: once answers turned a short list of findings (no scrollbar) into
    a long one, each title lost its last wrapped line ("PSED-001 Eliminating discrimination not"
    without "considered"): the rows were measured without the scrollbar the long list then took."""
    from idmf.rules.engine import summarise
    from idmf.rules.model import Finding, Trigger
    from idmf.wizard.widgets.findings import finding_line

    session = Session.create(tmp_path, "Panel", questionnaire)
    path = session.path
    session.close()

    def findings(count):
        titles = ["Eliminating discrimination not considered", "Advancing equality of opportunity not considered",
                  "Fostering good relations between groups not considered"]
        return summarise([Finding(f"PSED-{i:03d}", titles[i % 3], "high", "equality", False, "Why.", "What to do.", [],
                                  [Trigger("ehiira.q07", "Q7", "Yes")]) for i in range(1, count + 1)], "test", "test")

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            while not (isinstance(app.screen, AssessmentScreen) and app.screen.question is not None):
                await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            screen.session.all_findings = True
            screen.show_findings(findings(1))  # short: no scrollbar
            await pilot.pause(0.2)
            screen.show_findings(findings(12))  # long: now it scrolls
            await pilot.pause(0.2)
            panel = screen.query_one("#findings")
            shown = [" ".join(finding_line(f).plain.split()) for f in findings(12).findings]
            return shown, _panel_text(panel)

    shown, drawn = asyncio.run(scenario())
    assert [line for line in shown if line not in drawn] == []


@pytest.mark.parametrize("size", [SMALL, USUAL], ids=["80x24", "100x34"])
def test_go_to_question_shows_each_question_whole_as_the_list_grows(tmp_path, questionnaire, size):
    """The same for "Go to question…": a search that finds one question, then cleared so the
    list holds every question and scrolls; each question still reads to its last word."""
    from idmf.wizard.screens.pick import QuestionPicker, question_line

    path = tmp_path / next(EXAMPLES.glob("green-*.yaml")).name
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            while not isinstance(app.screen, AssessmentScreen):  # every question answered: none is open
                await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            screen.action_go_to_question()
            await pilot.pause(0.2)
            assert isinstance(app.screen, QuestionPicker)
            await pilot.press(*"q7")
            await pilot.pause(0.2)
            for _ in range(2):
                await pilot.press("backspace")
            await pilot.pause(0.2)
            panel = app.screen.query_one("#pick-list")
            wanted = [" ".join(question_line(q, screen.session).plain.split()) for q in screen.session.visible()]
            return wanted, _panel_text(panel)

    wanted, drawn = asyncio.run(scenario())
    assert len(wanted) > 40
    assert [line for line in wanted if line not in drawn] == []


@pytest.mark.parametrize("size", [SMALL, USUAL])
def test_the_conversation_shows_its_last_message_whole(tmp_path, questionnaire, size):
    """After each answer the conversation is scrolled to its very end: the question just asked is
    on screen to its last line (was: at 80x24 its second line was left below the fold)."""
    path = new_assessment(tmp_path, questionnaire, "Bus stop move")

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        gaps = []
        async with app.run_test(size=size) as pilot:
            screen = await question_open(pilot)
            for text in ("Sam Jones", "Northfield ICB", "Community services", "Moving the stop"):
                await pilot.press(*text)
                await pilot.press("enter")
                for _ in range(4):
                    await pilot.pause(0.05)
                transcript = screen.query_one("#transcript")
                last = [b for b in transcript.children if b.display][-1]
                gaps.append((screen.question.id if screen.question else None,
                             last.region.bottom - transcript.content_region.bottom))
        return gaps

    for question_id, below in asyncio.run(scenario()):
        assert below <= 0, f"{below} line(s) of the message asking {question_id} out of sight"
