"""The idmf command line: parse, call the domain, print, exit with a documented code.

Each command lives in the module named after it and is composed here, in the
order `idmf --help` lists them. Command modules import the domain inside
their functions, so start-up pays only for the command that runs.

Exit codes (README, "Exit codes"): 0 ok; 1 problems found; 2 bad input or
usage; 3 assessment locked by another session; 70 a bug in idmf.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from .. import __version__
from . import audit, check, keys, new, questionnaire, report, review, rules, show, submit, verify, wizard
from . import list as list_command
from .common import err

# `import` is a Python keyword, so its module (import.py, named after the command
# like every other) is loaded by name.
import_command = importlib.import_module(f"{__name__}.import")

app = typer.Typer(
    name="idmf",
    help="Inclusive Decision-Making Framework and EHIIRA: assess, check and report on a decision.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

app.command("new")(new.new)
app.command("show")(show.show)
app.command("wizard")(wizard.wizard)
app.command("check")(check.check)
app.command("report")(report.report)
app.command("submit")(submit.submit)
app.add_typer(review.app, name="review")
app.command("verify")(verify.verify)
app.add_typer(keys.app, name="keys")
app.command("list")(list_command.list_)
app.command("import")(import_command.import_)
app.command("audit")(audit.audit)
app.add_typer(rules.app, name="rules")
app.add_typer(questionnaire.app, name="questionnaire")


def _version(value: bool) -> None:
    if value:
        import platform

        from ..rules import engine_name

        print(f"idmf {__version__}\nrules engine: {engine_name()}\nPython {platform.python_version()}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    questionnaires: Optional[Path] = typer.Option(
        None, "--questionnaires", metavar="DIR",
        help="Use your organisation's questionnaire in DIR instead of the shipped one (or set IDMF_QUESTIONNAIRES, or idmf.toml)."),
    rules: Optional[Path] = typer.Option(
        None, "--rules", metavar="DIR",
        help="Use your organisation's rules in DIR instead of the shipped ones (or set IDMF_RULES, or idmf.toml)."),
    templates: Optional[Path] = typer.Option(
        None, "--templates", metavar="DIR",
        help="Use your organisation's report templates in DIR instead of the shipped ones (or set IDMF_TEMPLATES, or idmf.toml)."),
) -> None:
    from .. import paths

    for kind, chosen in (("questionnaires", questionnaires), ("rules", rules), ("templates", templates)):
        paths.choose(kind, chosen)
    if ctx.invoked_subcommand is None:
        wizard.run_wizard()


def main() -> None:
    from ..errors import IdmfError

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
