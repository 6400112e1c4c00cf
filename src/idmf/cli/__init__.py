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
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

app.command("new", epilog=new.EXAMPLES)(new.new)
app.command("show", epilog=show.EXAMPLES)(show.show)
app.command("wizard", epilog=wizard.EXAMPLES)(wizard.wizard)
app.command("check", epilog=check.EXAMPLES)(check.check)
app.command("report", epilog=report.EXAMPLES)(report.report)
app.command("submit", epilog=submit.EXAMPLES)(submit.submit)
app.add_typer(review.app, name="review")
app.command("verify", epilog=verify.EXAMPLES)(verify.verify)
app.add_typer(keys.app, name="keys")
app.command("list", epilog=list_command.EXAMPLES)(list_command.list_)
app.command("import", epilog=import_command.EXAMPLES)(import_command.import_)
app.command("audit", epilog=audit.EXAMPLES)(audit.audit)
app.add_typer(rules.app, name="rules")
app.add_typer(questionnaire.app, name="questionnaire")



def _plain_metavars(typer_app: typer.Typer) -> None:
    """Name every value in help as a user would (FILE, TEXT), never as a Python type (``<list[Path]>``).

    Done here once, for every command, so a command added later gets it too.
    """
    import inspect
    import typing

    from typer.models import ArgumentInfo, ParameterInfo

    def plain(annotation, name: str, argument: bool) -> str | None:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner = args[0] if args else annotation
        if typing.get_origin(inner) in (list, tuple):
            inner = typing.get_args(inner)[0]
        if inner is Path:
            return name.upper() if argument else ("DIR" if name in ("folder", "dir") else "PATH")
        if inner in (str, int, float):
            return name.upper() if argument else {str: "TEXT", int: "NUMBER", float: "NUMBER"}[inner]
        return None  # choices (enums) and flags read well as they are

    groups = [typer_app] + [group.typer_instance for group in typer_app.registered_groups]
    for group in groups:
        for command in group.registered_commands:
            hints = typing.get_type_hints(command.callback)
            for name, parameter in inspect.signature(command.callback).parameters.items():
                info = parameter.default
                if isinstance(info, ParameterInfo) and info.metavar is None and name in hints:
                    info.metavar = plain(hints[name], name, isinstance(info, ArgumentInfo))

    # Typer shows an argument's Python type beside its name even when it has a
    # metavar (``PATHS <list[Path]>``); the metavar already says it.
    from typer.core import TyperArgument

    shown = getattr(TyperArgument, "display_type_rich", None)
    if shown is not None and not getattr(shown, "_idmf", False):
        def display_type_rich(self, ctx):
            return None if self.metavar else shown(self, ctx)
        display_type_rich._idmf = True
        TyperArgument.display_type_rich = display_type_rich


_plain_metavars(app)


def plain_option_error(message: str) -> str:
    """A wrong value for an option said in plain words, whichever Typer and Click made it.

    ``Invalid value for '--format': Value error, 'xml' is not one of 'table', 'json'.``
    becomes ``--format 'xml' is not available: choose table or json.`` ("Value error, "
    is the wording of the library underneath, not the user's concern.)
    """
    import re

    message = message.replace("Value error, ", "")
    found = re.fullmatch(r"Invalid value for '?(?P<option>[^':]+?)'?: '(?P<value>[^']*)' is not one of (?P<choices>.+?)\.?",
                         message.strip(), re.S)
    if not found:
        return message
    choices = re.findall(r"'([^']*)'", found["choices"]) or [found["choices"]]
    listed = choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]
    option = found["option"].split("/")[0].strip()
    return f"{option} {found['value']!r} is not available: choose {listed}."


def _plain_option_errors() -> None:
    bad = typer.BadParameter  # Click's, or the copy of Click inside newer Typer
    shown = bad.format_message
    if getattr(shown, "_idmf", False):
        return

    def format_message(self) -> str:
        return plain_option_error(shown(self))
    format_message._idmf = True
    bad.format_message = format_message


_plain_option_errors()


def _version(value: bool) -> None:
    if value:
        from ..console import version_text

        print(version_text())
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
    isolated: bool = typer.Option(
        False, "--isolated",
        help="Ignore all configuration (IDMF_* variables and idmf.toml): the shipped sets, or only those named by options."),
) -> None:
    from .. import paths

    paths.isolate(isolated)
    if ctx.invoked_subcommand is None and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # The wizard needs a terminal; in a pipe or a CI job it would write
        # screen codes and wait for keys forever. Say what idmf can do instead.
        print(ctx.get_help(), file=sys.stderr)
        print("\nidmf without a command opens the wizard, which needs a terminal.", file=sys.stderr)
        raise typer.Exit(2)

    for kind, chosen in (("questionnaires", questionnaires), ("rules", rules), ("templates", templates)):
        paths.choose(kind, chosen)
    if ctx.invoked_subcommand is None:
        wizard.run_wizard()


def _degrade_output() -> None:
    """A terminal that cannot show a character (PYTHONIOENCODING=ascii, a Latin-1 console) gets a
    replacement for it, never a crash: titles and answers may hold any Unicode."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if getattr(stream, "errors", "strict") == "strict":
                stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass  # not a text stream we can reconfigure (a test's capture, say): left as it is


def _os_error_message(exc: OSError) -> str | None:
    """What an OSError from writing means to a user, when it is the machine's state and not a bug."""
    import errno

    where = f"{exc.filename}: " if exc.filename else ""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
        return (f"{where}cannot write: the disk is full (or a disk quota or file-size limit was reached); "
                "files idmf was saving were left as they were\n"
                "  What to do: free some space (or ask for a bigger quota) and run the command again")
    if exc.errno == errno.EROFS:
        return f"{where}cannot write: the disk is read-only\n  What to do: work on a copy in a folder you can write to"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{where}permission denied\n  What to do: check the file's and its folder's permissions"
    return None


def main() -> None:
    from ..errors import IdmfError

    _degrade_output()
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
    except BrokenPipeError:
        raise  # the reader closed the pipe (| head): idmf.console ends quietly, not a bug
    except OSError as exc:
        message = _os_error_message(exc)
        if message is None or os.environ.get("IDMF_DEBUG"):
            _internal_error(exc)
        err(f"error: {message}")
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - last resort: a bug, not bad input
        _internal_error(exc)


def _internal_error(exc: BaseException) -> None:
    if os.environ.get("IDMF_DEBUG"):
        raise exc
    err(f"internal error: {type(exc).__name__}: {exc}\n  This is a bug in idmf; rerun with IDMF_DEBUG=1 for details and report it.")
    sys.exit(70)
