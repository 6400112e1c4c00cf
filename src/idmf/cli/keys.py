"""`idmf keys new`: a reviewer's signing key for approvals."""

from __future__ import annotations

import typer

from .common import examples

app = typer.Typer(help="Signing keys for reviewers' approvals.", no_args_is_help=True)


@app.command("new", epilog=examples('idmf keys new --reviewer "Sam Okafor" --role "Head of Equality"', 'idmf keys new --reviewer "Sam Okafor" --replace'))
def new(reviewer: str = typer.Option(..., "--reviewer", help="Your name, exactly as you approve with it."),
        role: str = typer.Option("", "--role", help="Your role, for the trusted-reviewers entry."),
        replace: bool = typer.Option(False, "--replace", help="Replace an existing key (e.g. one that was exposed).")) -> None:
    """Make a signing key: the private key stays in your config folder; send the printed entry to
    whoever keeps the organisation's trusted-reviewers file."""
    import datetime as dt

    from .. import signing
    from .common import say

    path, public = signing.new_key(reviewer.strip(), replace=replace)
    say(f"Private key written to {path} (readable only by you; never share it or copy it into a shared folder).")
    say(f"Public key: {public}")
    say(f"\nAsk for this entry to be added to {signing.TRUSTED_FILE} beside the assessments "
        "(under version control, with protected review):\n")
    say(signing.trusted_entry(reviewer.strip(), role.strip(), public, dt.date.today()))
