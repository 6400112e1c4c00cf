"""The wizard for a first-time user (issue 26): nothing typed goes nowhere, and every message on
the screen is true now. Each test is something a newcomer met, driven with the keys they pressed
(Textual's Pilot) and checked against what is drawn and what is saved."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, Label, OptionList

from idmf.store import load_assessment
from idmf.wizard.app import StartScreen, WizardApp

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


# One question of every type (tests/test_wizard_small_screens.py checks that list covers every type).
from .test_wizard_small_screens import EDITOR_QUESTIONS  # noqa: E402

EDITORS = {kind: (question_id,) for kind, question_id in EDITOR_QUESTIONS.items()}

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
    _answered(tmp_path, questionnaire, {})

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


# --- (2) every message on screen is true now ---------------------------------------------------

def _error_line(screen) -> str:
    label = screen.query_one("#error", Label)
    return str(label.render()) if label.display else ""


def test_a_corrected_date_loses_the_not_saved_message_about_the_wrong_one(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            screen.ask("review.review_date")
            await _settle(app, pilot)
            await pilot.press(*"31/02/2027", "enter")
            await _settle(app, pilot)
            wrong = _error_line(screen)
            await pilot.press(*["backspace"] * 10, *"28/02/2027")
            await _settle(app, pilot)
            return wrong, _error_line(screen), "\n".join(screen_lines(app))

    wrong, after, shown = asyncio.run(scenario())
    assert "Not saved" in wrong
    # Was: "That is Sunday 28 February 2027." above the old "Not saved: ... not a real date".
    assert after == "" and "Not saved" not in shown and "28 February 2027" in shown


def test_the_unsaved_draft_message_goes_once_the_draft_is_saved(tmp_path, questionnaire):
    import shutil

    from idmf.wizard.session import Session

    from .conftest import EXAMPLES

    path = tmp_path / "green.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)
    session = Session.open(path, questionnaire)
    for question in session.visible():  # every question answered, so the draft is the last one asked
        if session.next_question() is None:
            break
        if question.id != "signoff.approval" and not session.is_answered(question):
            session.skip(question)
    optional = [q.id for q in session.visible() if not q.required and not session.is_answered(q)]
    session.close()

    async def scenario():
        session = Session.open(path, questionnaire)
        session.keep_draft("meta.service_area", "Primary care, evenings")
        session.close()
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            for qid in optional:  # passed over already: nothing after the draft to ask
                screen.session.skip(questionnaire.question(qid))
            before = _error_line(screen)
            await pilot.press("enter")
            await _settle(app, pilot)
            return before, _error_line(screen), screen.question

    before, after, question = asyncio.run(scenario())
    assert "Unsaved reply" in before
    # Was: still "Unsaved reply from before, kept as a draft" under "Every question has an answer".
    assert question is None and "Unsaved" not in after
    assert load_assessment(path, questionnaire).assessment.get_answer("meta.service_area") == "Primary care, evenings"


def test_add_a_sentence_to_each_listed_answer_comes_with_the_list(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {"meta.person_responsible": "Sam Jones"})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q01")
            await _settle(app, pilot)
            await pilot.press("y", "enter")
            await _settle(app, pilot)
            return [str(b.render()) for b in screen.query(".warning")]

    warnings = asyncio.run(scenario())
    told = [w for w in warnings if "each listed answer" in w]
    # Was: "Add one or two sentences to each listed answer" with no list in sight.
    assert told and all("Listed: Q1" in w for w in told)


# --- (3) findings follow the flow --------------------------------------------------------------

def _findings_title(screen) -> str:
    return str(screen.query_one("#findings-title", Label).render())


def test_a_new_decision_is_not_started_never_green_before_the_screening(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {"meta.decision_type": "decommissioning",
                                               "meta.decision_date": "2027-03-01"})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        titles = []
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            titles.append(_findings_title(screen))
            for answer in ("Sam Jones", "NHS Example ICB", "Community services"):
                screen.ask(("meta.person_responsible", "meta.organisation", "meta.service_area")[len(titles) - 1])
                await _settle(app, pilot)
                await pilot.press(*answer, "enter")
                await _settle(app, pilot)
                titles.append(_findings_title(screen))
        return titles

    titles = asyncio.run(scenario())
    # Was: "Findings: GREEN · 0 blocking" once the header was answered, before any screening answer.
    assert all("GREEN" not in t and "AMBER" not in t and "not started" in t for t in titles), titles


def test_stage_2_required_is_to_come_not_blocking_straight_after_the_screening_answer(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {"meta.person_responsible": "Sam Jones"})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q04")
            await _settle(app, pilot)
            await pilot.press("y", *"Two sites close", "enter")
            await _settle(app, pilot)
            live, later = screen.session.live_findings()
            panel = screen.query_one("#findings", OptionList)
            rows = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
            warnings = [str(b.render()) for b in screen.query(".warning")]
            return [f.rule_id for f in live.blocking], [f.rule_id for f in later], rows, warnings

    blocking, later, rows, warnings = asyncio.run(scenario())
    # Was: "[HIGH BLOCKING] CMP-003 Stage 2 assessment required but not done", long before stage 2.
    assert "CMP-003" not in blocking and "CMP-003" in later
    assert not any("CMP-003" in row and "BLOCKING" in row for row in rows)
    assert any("(to come) CMP-003" in row for row in rows)
    assert any("full stage 2 assessment is needed" in w for w in warnings)  # the news is still told at once


def test_one_gap_gives_one_blocking_finding(tmp_path, questionnaire):
    import shutil

    from idmf.wizard.session import Session

    from .conftest import EXAMPLES

    path = tmp_path / "green.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)
    session = Session.open(path, questionnaire)
    try:
        session.give(questionnaire.question("decide.outcome"), "continue_with_justification")
        session.flush()
        session.visit("decide.justification")
        session.skip(questionnaire.question("decide.justification"))
        session.visit("decide.adverse_impact_remains")
        live, _ = session.live_findings()
    finally:
        session.close()
    # Was: CMP-001 (a required question unanswered) and EQ-006 (no justification written), both blocking.
    assert [f.rule_id for f in live.blocking] == ["EQ-006"]


# --- (4) progress a person can trust -----------------------------------------------------------

def test_step_totals_do_not_move_as_the_answers_add_questions(tmp_path, questionnaire):
    from idmf.wizard.session import Session
    from idmf.wizard.widgets.steps import step_text

    session = Session.create(tmp_path, "Totals", questionnaire)
    try:
        def totals():
            return [step_text(p).split()[1].split("/")[1] for p in session.progress()]

        seen = [totals()]
        for qid, value in [("ehiira.q10", {"answer": "yes", "rationale": "Longer journeys"}),
                           ("ehiira.q19", {"answer": "yes", "rationale": "Risk to life"}),
                           ("engagement.held", {"answer": "no", "rationale": "Not yet"}),
                           ("evidence.health_equity_audit_done", {"answer": "yes", "rationale": "2025"})]:
            session.give(questionnaire.question(qid), value)
            seen.append(totals())
        session.flush()
    finally:
        session.close()
    # Was: 33 -> 38 for step 4 as a Yes brought stage 2 in, 3 -> 6 for step 3 and back.
    assert all(t == seen[0] for t in seen), seen
    assert any(t.endswith("+") for t in seen[0])  # "at least": answers can add questions


def test_a_whole_walk_every_status_line_says_what_the_session_holds(tmp_path, questionnaire):
    """A whole assessment answered as the wizard asks it (the green example's answers; a wrong date
    first where a date is asked), and after each step every status line is checked against the
    session: the saved state, the line under the box, the findings heading, the steps."""
    import shutil

    from idmf.wizard.widgets.steps import step_text

    from .conftest import EXAMPLES
    from .wizard_driver import answer_current

    green = tmp_path / "green" / "green.yaml"
    green.parent.mkdir()
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), green)
    answers = load_assessment(green, questionnaire).assessment
    path = _answered(tmp_path, questionnaire, {})

    def expected_title(session) -> str:
        live, later = session.live_findings()
        if session.screening_started():
            rating = f"{live.rag.upper()} · {len(live.blocking)} blocking"
        else:
            rating = "not started" + (f" · {len(live.blocking)} blocking" if live.blocking else "")
        return f"Findings: {rating}" + (f" · {len(later)} to come" if later else "")

    async def scenario():
        wrong = []
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            session = screen.session
            steps = 0
            while screen.question is not None and steps < 150:
                steps += 1
                question = screen.question
                value = answers.get_answer(question.id)
                if question.type.value == "date" and value is not None:
                    await pilot.press(*"31/02/2027", "enter")  # not a real date: said under the box
                    await _settle(app, pilot, 2)
                    if "Not saved" not in _error_line(screen):
                        wrong.append((question.id, "no message for a wrong date", _error_line(screen)))
                    screen.editor().query_one("#text", Input).value = ""
                    await _settle(app, pilot, 2)
                    if _error_line(screen):  # about a date no longer in the box
                        wrong.append((question.id, "stale line under the box", _error_line(screen)))
                if value is None:
                    await pilot.press("ctrl+k")
                else:
                    await answer_current(pilot, value)
                await _settle(app, pilot, 2)
                session.flush()
                await _settle(app, pilot, 2)
                where = question.id
                saved = session.saved_at
                state = f"saved {saved:%H:%M:%S}" if saved else "all answers saved"
                if screen.sub_title != f"{session.assessment.status} · {state}":
                    wrong.append((where, "saved state", screen.sub_title))
                if _error_line(screen):
                    wrong.append((where, "line under the box", _error_line(screen)))
                if _findings_title(screen) != expected_title(session):
                    wrong.append((where, "findings heading", _findings_title(screen), expected_title(session)))
                shown = [item.text for item in screen.query_one("#steps").children]
                if shown != [step_text(p) for p in session.progress()]:
                    wrong.append((where, "steps", shown))
            done = screen.question is None
        return wrong, done, steps

    wrong, done, steps = asyncio.run(scenario())
    assert done and steps > 60
    assert wrong == []


def test_reopening_does_not_ask_again_an_optional_question_left_blank_before(tmp_path, questionnaire):
    import shutil

    from idmf.wizard.session import Session

    from .conftest import EXAMPLES

    path = tmp_path / "green.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)
    session = Session.open(path, questionnaire)
    try:
        blank_optional = [q.id for q in session.visible() if not q.required and not session.is_answered(q)]
        first = session.next_question()
    finally:
        session.close()
    assert "meta.screening_date" in blank_optional  # left blank in the example, the screening done
    # Was: a finished assessment reopened at "When was the stage 1 screening done?", every time.
    # Now: the one blank question after every answer given (the approver's sign-off, still to come).
    assert first is not None and first.id == "signoff.approval"


# --- (5) room to type, and dates in words everywhere --------------------------------------------

@pytest.mark.parametrize("question_id, field", [("decide.actions", "#due-1"), ("signoff.drafted_by", "#date")])
def test_a_date_typed_in_a_table_or_a_sign_off_is_read_back_in_words(tmp_path, questionnaire, question_id, field):
    path = _answered(tmp_path, questionnaire, {})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            screen = await question_open(pilot)
            screen.ask(question_id)
            await _settle(app, pilot)
            box = screen.editor().query_one(field, Input)
            screen.set_focus(box)
            await pilot.pause()
            await pilot.press(*"1/2/27")
            await _settle(app, pilot)
            return "\n".join(screen_lines(app))

    shown = asyncio.run(scenario())
    # Was: only the date question echoed a date; 1/2/27 in an action's due date was not read back.
    assert "Monday 1 February 2027" in shown


@pytest.mark.parametrize("size", [SMALL, USUAL])
def test_the_footer_keeps_report_at_every_size(tmp_path, questionnaire, size):
    path = _answered(tmp_path, questionnaire, {})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            await question_open(pilot)
            await _settle(app, pilot)
            return screen_lines(app)[-1]

    footer = asyncio.run(scenario())
    # Was: "^o Report" fell off the end of the footer at 80 columns.
    assert "^o Report" in footer and "f1 Help" in footer and "^q Quit" in footer


@pytest.mark.parametrize("size", [SMALL, USUAL])
def test_a_several_sentence_reason_stays_in_sight_as_it_is_typed(tmp_path, questionnaire, size):
    path = _answered(tmp_path, questionnaire, {})
    reason = ("Older people use the evening slot most. Two bus routes stop at six. "
              "Carers told us the later hours are the only ones they can use.")

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            screen = await question_open(pilot)
            screen.ask("ehiira.q07")
            await _settle(app, pilot)
            await pilot.press("y", *reason)
            await _settle(app, pilot)
            box = screen.editor().query_one("#rationale").region  # what is drawn in the box, line by line
            lines = screen_lines(app)[box.y:box.bottom]
            shown = " ".join(" ".join(line[box.x:box.right].strip("▊▎▔▁ ").split()) for line in lines).strip()
            await pilot.press("enter")
            await _settle(app, pilot)
            screen.session.flush()
            return shown

    shown = asyncio.run(scenario())
    # Was: a one-line box; the start of the reason scrolled sideways out of sight.
    assert "Older people use the evening slot" in shown and "the only ones they can use." in shown
    assert load_assessment(path, questionnaire).assessment.get_answer("ehiira.q07") == {"answer": "yes", "rationale": reason}


@pytest.mark.parametrize("size", [SMALL, USUAL])
def test_stage_2_is_answered_one_group_at_a_time_with_room_for_evidence(tmp_path, questionnaire, size):
    from textual.widgets import Select

    path = _answered(tmp_path, questionnaire, {})
    evidence = "Older people use the evening slot most; two bus routes stop at six."

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=size) as pilot:
            screen = await question_open(pilot)
            screen.ask("stage2.protected_characteristics")
            await _settle(app, pilot)
            editor = screen.editor()
            editor.query_one("#impact-age", Select).value = "negative"
            editor.query_one("#kind-age", Select).value = "change_proposal"
            await pilot.press("tab", "tab", *evidence, "tab", *"Keep one late site")
            await _settle(app, pilot)
            box = editor.query_one("#evidence-age").region
            seen = " ".join(" ".join(line[box.x:box.right].strip("▊▎▔▁ ").split())
                            for line in screen_lines(app)[box.y:box.bottom]).strip()
            kind = "\n".join(screen_lines(app))
            await pilot.press("ctrl+n")
            await _settle(app, pilot)
            second = app.focused.id, "\n".join(screen_lines(app))
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
            screen.session.flush()
            return seen, kind, second

    seen, kind, (focused, second) = asyncio.run(scenario())
    # Was: a grid of every group, evidence cells 18-28 characters wide, the text out of sight.
    assert seen == evidence
    assert "Change to the proposal" in kind  # the kind of mitigation read whole, not cut
    assert focused == "impact-disability" and "Disability" in second and "Group 2 of 9" in second
    saved = load_assessment(path, questionnaire).assessment.get_answer("stage2.protected_characteristics")
    assert saved[0]["group"] == "age" and saved[0]["evidence"] == evidence and saved[0]["mitigation"] == "Keep one late site"


async def _type_all_at_once(app, pilot, text: str) -> None:
    """Every key posted before the wizard has handled the first, as a terminal delivers a fast
    typist's keys (what a real terminal showed: only the first letter of a title landed)."""
    from textual import events

    for character in text:
        app.post_message(events.Key(character if character != " " else "space", character))
    for _ in range(10):
        await pilot.pause(0.05)


def test_a_title_typed_all_at_once_with_the_list_focused_lands_whole(tmp_path, questionnaire):
    new_assessment(tmp_path, questionnaire, "Old assessment")

    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            screen = await _start_with_one_listed(app, pilot)
            await _type_all_at_once(app, pilot, "Bus pass review")
            return screen.query_one("#new-title", Input).value

    # Was (in tmux): "B" only; the rest were taken by the list as the cursor moved to the box.
    assert asyncio.run(scenario()) == "Bus pass review"


def test_letters_typed_all_at_once_on_a_reply_land_whole_in_the_first_box(tmp_path, questionnaire):
    path = _answered(tmp_path, questionnaire, {"meta.person_responsible": "Sam Jones"})

    async def scenario():
        app = WizardApp(tmp_path, path, questionnaire=questionnaire)
        async with app.run_test(size=USUAL) as pilot:
            screen = await question_open(pilot)
            screen.ask("signoff.drafted_by")
            await _settle(app, pilot)
            screen.set_focus(screen.query_one("#steps"))
            await pilot.pause()
            await _type_all_at_once(app, pilot, "Priya Shah")
            editor = screen.editor()
            return editor.query_one("#name", Input).value, editor.query_one("#role", Input).value

    # Not split between the name and the boxes after it as the cursor moved.
    assert asyncio.run(scenario()) == ("Priya Shah", "")
