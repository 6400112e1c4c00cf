"""The idmf command line: parse, call the domain, print, exit with a documented code.

Exit codes (README, "Exit codes"): 0 ok; 1 problems found; 2 bad input or
usage; 3 assessment locked by another session.
"""

from __future__ import annotations

import os
import sys

import typer

from .. import __version__
from ..errors import IdmfError

app = typer.Typer(
    name="idmf",
    help="Inclusive Decision-Making Framework and EHIIRA: assess, check and report on a decision.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
questionnaire_app = typer.Typer(help="Validate the questionnaire files.", no_args_is_help=True)
app.add_typer(questionnaire_app, name="questionnaire")


def _version(value: bool) -> None:
    if value:
        print(f"idmf {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    if ctx.invoked_subcommand is None:
        from .main_job import main_job

        main_job()


def err(message: str) -> None:
    print(message, file=sys.stderr)


def main() -> None:
    # Import the command modules so they register on `app`.
    from . import assessments, questionnaire  # noqa: F401
    for optional in ("rules", "report", "review", "wizard"):
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{optional}":
                raise
    try:
        # Typer handles usage errors itself (message, exit 2); idmf's own
        # errors and anything unexpected are turned into messages here.
        app(prog_name="idmf")
    except IdmfError as exc:
        err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last resort: a bug, not bad input
        if os.environ.get("IDMF_DEBUG"):
            raise
        err(f"internal error: {type(exc).__name__}: {exc}\n  This is a bug in idmf; rerun with IDMF_DEBUG=1 for details and report it.")
        sys.exit(70)
