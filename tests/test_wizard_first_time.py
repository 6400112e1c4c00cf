"""The wizard for a first-time user (issue 26): nothing typed goes nowhere, and every message on
the screen is true now. Each test is something a newcomer met, driven with the keys they pressed
(Textual's Pilot) and checked against what is drawn and what is saved."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, Label, OptionList

from idmf.store import load_assessment
from idmf.wizard.app import AssessmentScreen, StartScreen, WizardApp

from .test_wizard_small_screens import screen_lines
from .wizard_driver import new_assessment, question_open

SMALL, USUAL = (80, 24), (100, 34)


async def _settle(app, pilot, rounds: int = 3) -> None:
    await app.workers.wait_for_complete()
    for _ in range(rounds):
        await pilot.pause()


async def _start_with_one_listed(app, pilot):
    """The start screen once the assessment already in the folder is listed (and has the focus)."""
    while not isinstance(app.screen, StartScreen):
        await pilot.pause()
    table = app.screen.query_one("#recent")
    while table.row_count == 0:
        await pilot.pause()
    await _settle(app, pilot)
    return app.screen


# --- (1) nothing typed is dropped -------------------------------------------------------------

@pytest.mark.parametrize("size", [SMALL, USUAL])
def test_a_title_typed_on_the_start_screen_goes_into_the_title_box(tmp_path, questionnaire, size):
    old = new_assessment(tmp_path, questionnaire, "Old assessment")

    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            screen = await _start_with_one_listed(app, pilot)
            await pilot.press(*"Bus pass review")
            shown = "Bus pass review" in "\n".join(screen_lines(app))
            box = screen.query_one("#new-title", Input).value
            await pilot.press("enter")
            opened = await question_open(pilot)
            return shown, box, opened.session.assessment.title, opened.session.path

    shown, box, title, path = asyncio.run(scenario())
    # Was: the list had the focus, the letters went nowhere and Enter opened the old assessment.
    assert box == "Bus pass review" and shown
    assert title == "Bus pass review" and path != old


def _answered(tmp_path, questionnaire, answers):
    return new_assessment(tmp_path, questionnaire, "Reopened", answers)


def test_y_or_n_on_a_reopened_yes_no_question_changes_the_answer(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {"ehiira.q10": {"answer": "yes", "rationale": "Travel is harder"}})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q10")
            await _settle(app, pilot)
            hint = "\n".join(screen_lines(app))
            await pilot.press("n")
            await pilot.pause()
            chosen = screen.editor().choice
            # Typing the reason has started: y and n are letters in it from now on.
            await pilot.press(*" for many, not only y")
            await pilot.press("enter")
            await _settle(app, pilot)
            screen.session.flush()
            return hint, chosen

    hint, chosen = asyncio.run(scenario())
    # Was: "n" was added to the reason, and the answer stayed Yes.
    assert chosen == "no"
    assert "y or n" in hint.lower()
    saved = load_assessment(path, questionnaire).assessment.get_answer("ehiira.q10")
    assert saved == {"answer": "no", "rationale": "Travel is harder for many, not only y"}


def test_a_reason_beginning_with_y_after_choosing_yes_keeps_its_first_letter(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q07")
            await _settle(app, pilot)
            await pilot.press("y", *"Young carers lose the evening slot")
            await pilot.press("enter")
            await _settle(app, pilot)
            screen.session.flush()

    asyncio.run(scenario())
    saved = load_assessment(path, questionnaire).assessment.get_answer("ehiira.q07")
    assert saved == {"answer": "yes", "rationale": "Young carers lose the evening slot"}


@pytest.mark.parametrize("typed, expected", [("14", "ehiira.q14"), ("Q23", "ehiira.q23"),
                                              ("review date", "review.review_date")])
def test_the_command_palette_goes_to_a_question_by_a_bare_number_or_words(tmp_path, questionnaire, typed, expected):
    path = _answered(tmp_path, questionnaire, {})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            await pilot.press("ctrl+p")
            await _settle(app, pilot)
            await pilot.press(*typed)
            for _ in range(20):  # the palette searches in the background
                await pilot.pause(0.05)
            await pilot.press("enter")
            await _settle(app, pilot)
            return app.screen is screen, screen.question.id

    back, question = asyncio.run(scenario())
    # Was: "No matches": "Go to question…" had to be chosen first.
    assert back and question == expected


# One question of every type, as the key sweep has them (tests/test_wizard_key_sweep.py keeps that list whole).
from .test_wizard_key_sweep import EDITORS  # noqa: E402

# Letters bound to nothing in the wizard, typed as the start of a word: a different pair at each
# place, so what an earlier place left on the screen (a draft in a box) is never taken for it.
_PAIRS = iter(f"z{a}{b}" for a in "bcdfghjkmvwx" for b in "bcdfghjkmvwx")


def _visible(app, text: str) -> bool:
    return text in "\n".join(screen_lines(app))


async def _type_and_look(app, pilot, where: str) -> tuple[str, bool]:
    typed = next(_PAIRS)
    await pilot.press(*typed)
    await _settle(app, pilot, 2)
    return where, _visible(app, typed)


@pytest.mark.parametrize("kind", sorted(EDITORS))
def test_text_typed_at_every_place_of_every_editor_shows_on_screen(tmp_path, questionnaire, kind):
    """The cursor on each field of the editor, and on a reply, a step, a finding and a button:
    typed letters land where they are seen (a box, or the choice they begin, or a message)."""
    question_id = EDITORS[kind][0]
    path = _answered(tmp_path, questionnaire, {"meta.person_responsible": "Sam Jones"})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        results = []
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            screen.ask("meta.person_responsible")
            await _settle(app, pilot)
            await pilot.press("enter")  # a reply to put the cursor on
            await _settle(app, pilot)
            places = ["field"]
            screen.ask(question_id)
            await _settle(app, pilot)
            fields = [w for w in screen.focus_chain if screen.editor() in w.ancestors]
            # Each kind of field once (a stage 2 table has dozens of the same few).
            kinds = {}
            for i, field in enumerate(fields):
                kinds.setdefault(type(field), i)
            places = [f"field {i}" for i in sorted(kinds.values())] + ["reply", "steps", "findings", "why"]
            for place in places:
                screen.ask(question_id)
                await _settle(app, pilot)
                editor = screen.editor()
                if place.startswith("field"):
                    chain = [w for w in screen.focus_chain if editor in w.ancestors]
                    target = chain[int(place.split()[1])]
                elif place == "reply":
                    target = screen.query("Reply").last()
                else:
                    target = screen.query_one(f"#{place}")
                screen.set_focus(target)
                await pilot.pause()
                results.append(await _type_and_look(app, pilot, f"{place} ({type(target).__name__})"))
        return results

    results = asyncio.run(scenario())
    # Was: on a reply, a step, a finding, a button or a list the letters went nowhere, unseen.
    assert [where for where, seen in results if not seen] == []


def test_text_typed_on_every_other_screen_shows_on_screen(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {})

    async def scenario():
        seen = {}
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            await _start_with_one_listed(app, pilot)
            seen["start, list focused"] = (await _type_and_look(app, pilot, ""))[1]
            app.screen.query_one("#new-title", Input).value = ""
            app.screen.query_one("#recent").focus()
            await pilot.press("enter")
            screen = await question_open(pilot)
            await pilot.press("f1")
            await _settle(app, pilot)
            seen["help"] = (await _type_and_look(app, pilot, ""))[1]
            await pilot.press("escape")
            await _settle(app, pilot)
            await pilot.press("ctrl+r")
            await _settle(app, pilot)
            seen["check your answers"] = (await _type_and_look(app, pilot, ""))[1]
            await pilot.press("escape")
            await _settle(app, pilot)
            screen.query_one("#steps").focus()
            await pilot.press("enter")
            await _settle(app, pilot)
            seen["a step's questions"] = (await _type_and_look(app, pilot, ""))[1]
            await pilot.press("escape")
            await _settle(app, pilot)
            screen.action_go_to_question()
            await _settle(app, pilot)
            app.screen.query_one("#pick-list").focus()
            seen["go to question, list focused"] = (await _type_and_look(app, pilot, ""))[1]
        return seen

    seen = asyncio.run(scenario())
    assert [where for where, shown in seen.items() if not shown] == []
