"""What bare `idmf` (and `make run`) does."""

from __future__ import annotations


def main_job() -> None:
    # Until the wizard lands, the main job opens the shipped example and
    # prints its summary, so a newcomer sees what an assessment holds.
    from pathlib import Path

    from rich.console import Console

    from ..paths import PROJECT_ROOT
    from .assessments import show_assessment

    examples = sorted((PROJECT_ROOT / "examples").glob("*.yaml"))
    if not examples:
        print("No example assessments found. Start one with: idmf new --title 'My decision'")
        return
    show_assessment(Path(examples[0]), Console(highlight=False))
