"""A whole assessment finished in a real terminal (tmux) at typing speed, as a person would: typed
answers of every kind of box, Ctrl+A for a second action, Ctrl+Q mid-answer and back again, Ctrl+O
for the report; then every answer in the file is exactly what was typed."""

from __future__ import annotations

import re
import shutil
import time

import pytest
import yaml

from idmf.store import load_assessment

from .conftest import EXAMPLES
from .tmux_driver import HAVE_TMUX, Terminal

pytestmark = pytest.mark.skipif(not HAVE_TMUX, reason="tmux is installed by `make test`; run it through make")

AIMS_START = "Give working people, carers and families an evening route"
AIMS_END = " to pharmacy advice and medicines, easing pressure on urgent care."
# What is typed for each question (the rest of the green example is already answered), and the answer
# the file must then hold.
TYPED = {
    "meta.person_responsible": (["Priya Shah, Primary Care Commissioning Manager", "Enter"],
                                "Priya Shah, Primary Care Commissioning Manager"),
    "purpose.overview": (["Six pharmacies open to 9pm on weekdays; no hours are reduced.", "C-s"],
                         "Six pharmacies open to 9pm on weekdays; no hours are reduced."),
    # Question 4 (kept in the file) asks the same: its answer is offered in the box, and Enter keeps it,
    # marked as confirmed from question 4 (so it follows question 4 if that is edited later).
    "purpose.reduces_service": (["Enter"], {"answer": "no", "rationale": "No service is reduced.",
                                            "taken_from": "ehiira.q04"}),
    "evidence.health_equity_audit_date": (["2025-10-14", "Enter"], "2025-10-14"),
    "ehiira.q03": (["y", "Adds evening hours; nothing else changes.", "Enter"],
                   {"answer": "yes", "rationale": "Adds evening hours; nothing else changes."}),
    "decide.actions": (["Publish the evening rota", "Tab", "Comms lead", "Tab", "2027-01-31", "C-a",
                        "Check bus times each quarter", "Tab", "Transport officer", "C-s"],
                       [{"action": "Publish the evening rota", "owner": "Comms lead", "due": "2027-01-31",
                         "status": "not_started"},
                        {"action": "Check bus times each quarter", "owner": "Transport officer", "due": None,
                         "status": "not_started"}]),
    "review.monitoring_plan": (["Quarterly evening use by age, sex, ethnicity and IMD quintile.", "C-s"],
                               "Quarterly evening use by age, sex, ethnicity and IMD quintile."),
    "signoff.drafted_by": (["Priya Shah", "Tab", "Commissioning Manager", "Tab", "2026-03-10", "C-s"],
                           {"name": "Priya Shah", "role": "Commissioning Manager", "date": "2026-03-10"}),
}
KEYS = {"Enter", "Tab", "C-s", "C-a", "C-q", "C-o", "C-k"}


def _send(term: Terminal, parts: list[str]) -> None:
    """Each text as typed characters sent at once, each key by name, a person's pause (0.2 s) between
    them: the pace of someone who knows what to type, not a machine."""
    for part in parts:
        term.keys(part) if part in KEYS else term.type(part)
        time.sleep(0.2)


def _prompt(screen: str) -> str:
    """The question above the answer box (the line after the box's top border), without its number."""
    lines = screen.splitlines()
    for i, line in enumerate(lines):
        if "│────" in line and i + 1 < len(lines):
            # A tall answer area has a scroll bar on the right (block glyphs), and may be scrolled so the
            # first line shown is the middle of a long question: keep the words only.
            text = re.sub(r"[\u2580-\u259f\u2500-\u257f]+", " ", lines[i + 1].split("│", 1)[-1])
            return re.sub(r"^Q\d+\. ", "", " ".join(text.split()))
    return ""


def _next_question(term: Terminal, previous: str, deadline: float) -> str | None:
    """Wait for a new question (its prompt) to be on screen and ready; None once every question is done."""
    while time.monotonic() < deadline:
        screen = term.screen()
        if "Every question has an answer" in screen:
            return None
        prompt = _prompt(screen)
        if prompt and prompt != previous and "Save answer" in screen:
            time.sleep(0.3)  # the box takes the cursor once drawn
            # Read it again: on a busy machine a capture can land mid-redraw, when the line
            # above the box belongs to neither question.
            if _prompt(term.screen()) == prompt:
                return prompt
            continue
        time.sleep(0.1)
    raise AssertionError(f"stuck at:\n{term.screen()}")


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def test_a_whole_assessment_typed_in_a_real_terminal_is_saved_exactly_as_typed(tmp_path, questionnaire):
    path = tmp_path / "pharmacy.yaml"
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["metadata"]["person_responsible"]
    for qid in ["purpose.aims", *TYPED]:
        data["answers"].pop(qid, None)
    # An optional question left blank is asked on the way to the next answer only, never once a
    # later question is answered: the answers after the action plan (step 6's) are taken out too,
    # so the wizard still comes to it. Asked, they are skipped (Ctrl+K) like any question not typed.
    order = [q.id for q in questionnaire.questions()]
    for qid in order[order.index("decide.actions") + 1:]:
        data["answers"].pop(qid, None)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    started = time.monotonic()

    term = Terminal(["wizard", str(path)])
    try:
        asked: list[str] = []
        prompt: str | None = ""
        deadline = time.monotonic() + 120
        while (prompt := _next_question(term, prompt, deadline)) is not None:
            qid = next((q for q in ["purpose.aims", *TYPED] if prompt in " ".join(questionnaire.question(q).text.split())
                        or prompt.startswith(questionnaire.question(q).text)), None)
            if qid == "purpose.aims":
                asked.append(qid)
                _send(term, [AIMS_START, "C-q"])  # half an answer, then quit at once
                assert term.exit_code() == 0
                term.close()
                term = Terminal(["wizard", str(path)])
                term.wait_for("unsaved reply from last time")  # the half answer is offered back
                term.wait_for(AIMS_START[:30], settle=1.0)
                _send(term, [AIMS_END, "C-s"])
            elif qid is not None:
                asked.append(qid)
                _send(term, TYPED[qid][0])
            else:
                term.keys("C-k")  # an optional question this example leaves blank
        term.keys("C-o")
        pdf = path.with_name("pharmacy.report.pdf")  # the last one written (the list can scroll past "Report written")
        # The path is wrapped by the panel at a place that depends on the temporary folder's
        # name, so wait for the file itself, then for the screen to say where it went.
        deadline = time.monotonic() + 60
        while not pdf.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pdf.is_file(), term.screen()
        term.wait_for("pdf:", timeout=30)
        term.keys("C-q")
        assert term.exit_code() == 0
    finally:
        term.close()
    print(f"finished in {time.monotonic() - started:.1f} s")

    assert set(asked) == {"purpose.aims", *TYPED}, asked
    saved = load_assessment(path, questionnaire).assessment
    assert saved.get_answer("purpose.aims") == AIMS_START + AIMS_END
    for qid, (_, expected) in TYPED.items():
        got = _plain(saved.get_answer(qid))
        if isinstance(got, list):
            got = [{k: row.get(k) for k in expected[0]} for row in got]
        if isinstance(got, dict) and qid == "signoff.drafted_by":
            got = {k: got.get(k) for k in expected}
        assert got == expected, qid
    assert not path.with_name(f".{path.name}.draft").exists()
    for fmt in ("html", "md", "docx", "pdf"):
        assert path.with_name(f"pharmacy.report.{fmt}").stat().st_size > 0
