"""Benchmark the wizard: start-up to the first question, and what follows an answer.

    python benchmarks/bench_wizard.py [--answers 30] [--no-settle]

Measured in-process with Textual's headless driver (Pilot), which composes the same
frames a terminal would get. Targets (issue 11, on the shared 2-core machine): first
question <= 0.8 s after `idmf wizard` starts; findings panel updated p95 <= 50 ms after
an answer. Per answer, from Ctrl+S reaching the app:

- the first frame composed after the findings were worked out and put in the panel (the
  frame a terminal is sent), over all answers and over those that changed the panel's rows
  (an answer that leaves the findings as they were needs no update, and its first frame can
  come before the reply is drawn);
- the frame with the whole response: the reply shown and the next question's box open with
  the cursor in it (what a person waits for before typing the next answer);
- when this harness regains control after the first frame.

Before each Ctrl+S the harness waits until the screen is still (no frame for QUIET
seconds), as a person presses Ctrl+S on an answer they can see; --no-settle presses it at
once, as the figures before 29 Nov 2026 did. The load average is printed beside the
figures, since they swing with it. The first figure also runs the real command in tmux
when tmux is present.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from idmf.paths import PROJECT_ROOT

QUIET = 0.05  # seconds without a new frame: the screen has drawn everything it had to


async def in_process(folder: Path, path: Path, answers: int, settle: bool = True) -> tuple[float, dict[str, list[float]]]:
    """First question time, then per answer (ms from Ctrl+S reaching the app):

    - "first": the first frame composed after the findings were worked out and put in the panel;
    - "panel": the same, for the answers whose panel rows changed (others need no update);
    - "whole": the first frame showing the whole response: the reply, and the next question's
      box open with the cursor in it;
    - "returned": when this harness regains control after the first frame.
    """
    start = time.perf_counter()
    from idmf.questionnaire import load_questionnaire  # imports count: a user pays for them too
    from textual import events
    from textual.widgets import OptionList

    from idmf.wizard.app import AssessmentScreen, WizardApp

    app = WizardApp(folder, path, questionnaire=load_questionnaire())
    figures: dict[str, list[float]] = {"first": [], "panel": [], "whole": [], "returned": []}
    async with app.run_test(size=(100, 34)) as pilot:
        while not (isinstance(app.screen, AssessmentScreen) and app.screen.question is not None):
            await asyncio.sleep(0.005)
        first = time.perf_counter() - start
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one("#findings", OptionList)
        shown = asyncio.Event()
        frame: dict[str, float] = {}
        answered: dict[str, object] = {}
        frames = [0]
        original_show, original_display = screen.show_findings, app._display

        def rows() -> list[str]:
            return [str(option.prompt) for option in panel.options]

        def show(findings, seq=None):
            original_show(findings, seq)
            shown.set()

        def display(on_screen, renderable):
            # App._display is where Textual hands each frame to the terminal driver (which the
            # headless driver then discards): what the frame shows is what a person sees.
            original_display(on_screen, renderable)
            if renderable is None:
                return
            frames[0] += 1
            now = time.perf_counter()
            if shown.is_set():
                frame.setdefault("first", now)
                editor, focused = screen.editor(), app.focused
                if ("whole" not in frame and editor is not None and editor is not answered.get("editor")
                        and focused is not None and editor in focused.ancestors_with_self):
                    frame["whole"] = now

        async def screen_still() -> None:
            # A person presses Ctrl+S on an answer they can see: wait until no frame has been
            # drawn for QUIET seconds (the reason typed above, the last answer's "saved" note
            # and focus moves are all on the screen), at most a second.
            deadline = time.perf_counter() + 1
            while time.perf_counter() < deadline:
                before = frames[0]
                await asyncio.sleep(QUIET)
                if frames[0] == before:
                    return

        screen.show_findings = show
        app._display = display
        for i in range(answers):
            value = {"answer": "yes" if i % 2 else "no", "rationale": f"Reason {i}"}
            target = screen.session.questionnaire.question(f"ehiira.q{(i % 27) + 1:02d}")
            screen.ask(target.id)
            await pilot.pause()
            editor = screen.editor()
            editor.choose(value["answer"])
            await pilot.pause()  # the rationale box is mounted once a choice is made
            editor.query_one("#rationale").value = value["rationale"]
            if settle:
                await screen_still()
            shown.clear()
            frame.clear()
            answered["editor"] = editor
            before = rows()
            # Ctrl+S as the terminal driver delivers it: through the key bindings, and seen as
            # input (the wizard runs its full garbage collections only while nobody types).
            key = events.Key("ctrl+s", None)
            key.set_sender(app)
            t0 = time.perf_counter()
            app._driver.send_message(key)
            await asyncio.wait_for(shown.wait(), 5)
            while "first" not in frame:
                await asyncio.sleep(0.001)
            figures["returned"].append((time.perf_counter() - t0) * 1000)
            figures["first"].append((frame["first"] - t0) * 1000)
            if rows() != before:
                figures["panel"].append((frame["first"] - t0) * 1000)
            waited = time.perf_counter() + 5
            while "whole" not in frame and time.perf_counter() < waited:
                await asyncio.sleep(0.001)
            if "whole" in frame:
                figures["whole"].append((frame["whole"] - t0) * 1000)
        screen.show_findings, app._display = original_show, original_display
    return first, figures


def in_tmux(path: Path) -> float | None:
    if shutil.which("tmux") is None:
        return None
    idmf = PROJECT_ROOT / ".venv" / "bin" / "idmf"
    subprocess.run(["tmux", "kill-session", "-t", "idmf-bench"], capture_output=True)
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", "idmf-bench", "-x", "100", "-y", "32", f"{idmf} wizard '{path}'"], check=True)
    try:
        while time.perf_counter() - start < 20:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", "idmf-bench"], capture_output=True, text=True).stdout
            if "Save answer" in screen:
                return time.perf_counter() - start
            time.sleep(0.02)
        return None
    finally:
        subprocess.run(["tmux", "kill-session", "-t", "idmf-bench"], capture_output=True)


def figures(ms: list[float]) -> str:
    return (f"median {statistics.median(ms):.0f} ms, p95 {statistics.quantiles(ms, n=20)[18]:.0f} ms, "
            f"max {max(ms):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--no-settle", action="store_true",
                        help="press Ctrl+S while the typed reason may not be drawn yet (as the figures before 29 Nov 2026)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="idmf-bench-wizard-"))
    path = folder / "red.yaml"
    shutil.copy(next((PROJECT_ROOT / "examples").glob("red-*.yaml")), path)
    print("load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)")
    first, measured = asyncio.run(in_process(folder, path, args.answers, settle=not args.no_settle))
    print(f"in-process: first question on screen {first:.2f} s after start (imports included)")
    answers = len(measured["first"])
    print(f"answer -> first frame after the findings panel was updated: {figures(measured['first'])} over {answers} answers")
    if len(measured["panel"]) >= 20:  # fewer and a p95 says little (it can come out above the max)
        print(f"  of which the {len(measured['panel'])} answers that changed the panel's rows: {figures(measured['panel'])}")
    print(f"  (the harness regains control after that frame: {figures(measured['returned'])})")
    if len(measured["whole"]) >= 20:
        print(f"answer -> frame with the whole response (reply shown, next question's box open with the cursor): "
              f"{figures(measured['whole'])} over {len(measured['whole'])} answers")
    real = in_tmux(path)
    if real is not None:
        print(f"real `idmf wizard` in tmux: first question on screen {real:.2f} s after launch")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
