"""`idmf review approve|return`: the reviewer's decision on a submitted assessment."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import change_assessment, examples, say

app = typer.Typer(help="Approve or return a submitted assessment.", no_args_is_help=True)


@app.command("approve", epilog=examples('idmf review approve assessments/extended-pharmacy-hours.yaml --reviewer "Sam Okafor" --role "Head of Equality"', 'idmf review approve assessments/extended-pharmacy-hours.yaml --reviewer "Sam Okafor" --role "Head of Equality" --comment "Mitigations are proportionate"'))
def approve(path: Path = typer.Argument(..., help="Assessment file."),
            reviewer: str = typer.Option(..., "--reviewer", help="Your name, as on your signing key."),
            role: str = typer.Option(..., "--role", help="Your role, e.g. Head of Equality."),
            comment: str = typer.Option("", "--comment", help="Stage 1 approval comments.")) -> None:
    """Approve a submitted assessment, recording who, when, comments and the content approved."""
    from .. import lifecycle, signing

    key = signing.load_private_key(reviewer.strip())  # no key, no approval: refused before anything changes
    name = _name_in_trusted_file(path, reviewer.strip(), key)
    holder = {}

    def action(a, q):
        holder["approval"] = lifecycle.approve(a, reviewer=name, role=role, comment=comment, questionnaire=q)
        holder["signature"] = signing.sign(a, reviewer.strip())
    change_assessment(path, action)
    approval, signature = holder["approval"], holder["signature"]
    say(f"approved by {approval.reviewer} ({approval.role}) on {approval.date.isoformat()}; "
        f"review due {approval.review_date.isoformat()}; signed with key {signature.key_id}")


def _name_in_trusted_file(path: Path, reviewer: str, key) -> str:
    """The reviewer's name as the trusted-reviewers file spells it, when the file lists this key.

    Names are matched one way everywhere (signing.same_name): 'sam okafor' signs as 'Sam Okafor'.
    A key the file gives to someone else is refused here, before anything is written (it was
    accepted, and the approval then never verified)."""
    from .. import signing
    from ..errors import InputError

    public = signing.public_key_text(key.public_key())
    trusted = signing.load_trusted(signing.trusted_file_for(path))
    holders = [r for r in trusted.reviewers if r.public_key == public]
    for holder in holders:
        if signing.same_name(holder.name) == signing.same_name(reviewer):
            return holder.name
    if holders:
        raise InputError(f"the signing key used for {reviewer} belongs to {holders[0].name} in the trusted-reviewers "
                         "file; nothing was approved", where=str(trusted.source),
                         hint="pass --reviewer with your name as the trusted-reviewers file has it")
    return reviewer


@app.command("return", epilog=examples('idmf review return assessments/extended-pharmacy-hours.yaml --reviewer "Sam Okafor" --comment "Add the breakdown by deprivation"'))
def return_(path: Path = typer.Argument(..., help="Assessment file."),
            reviewer: str = typer.Option(..., "--reviewer", help="Your name."),
            comment: str = typer.Option(..., "--comment", help="What the author should change.")) -> None:
    """Return a submitted assessment to its author with comments."""
    from .. import lifecycle

    change_assessment(path, lambda a, q: lifecycle.return_for_changes(a, reviewer=reviewer, comment=comment))
    say(f"returned to the author: {path}")
