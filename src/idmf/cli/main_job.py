"""What bare `idmf` (and `make run`) does: open the wizard."""

from __future__ import annotations


def main_job() -> None:
    from .wizard import run_wizard

    run_wizard()
