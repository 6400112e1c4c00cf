"""`idmf rules validate|test|docs`: the rule files, for the people who write them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .common import err, examples

app = typer.Typer(help="Validate, test and document the rule files.", no_args_is_help=True)


def _load(path: Optional[Path]):
    """The questionnaire and the rule set, or exit 1 listing every problem in the rule files."""
    from ..errors import EXIT_PROBLEMS, ValidationProblems
    from ..questionnaire import load_questionnaire
    from ..rules import load_rules

    questionnaire = load_questionnaire()
    try:
        return questionnaire, load_rules(path, questionnaire)
    except ValidationProblems as exc:
        for problem in exc.problems:
            err(problem)
        err(f"rules invalid: {len(exc.problems)} problem(s)")
        raise typer.Exit(EXIT_PROBLEMS)


def _name(path: Optional[Path], ruleset) -> None:
    """Say which rule set this was, so nobody takes an organisation's rules for the shipped ones."""
    from ..paths import source

    print(f"rules: {path} version {ruleset.version[:12]}" if path else source("rules").statement(ruleset.version[:12]))


@app.command("validate", epilog=examples('idmf rules validate', 'idmf rules validate policy/rules'))
def validate(path: Optional[Path] = typer.Argument(None, help="Rules folder or file (default: the rules idmf is configured with, else the shipped ones).")) -> None:
    """Check rule files: schema, unique ids, question ids and values, and examples both ways."""
    from ..errors import EXIT_PROBLEMS, ValidationProblems
    from ..rules import make_engine

    questionnaire, ruleset = _load(path)
    try:
        make_engine(ruleset, questionnaire)  # the C engine has its own limits: compile to be sure
    except ValidationProblems as exc:
        for problem in exc.problems:
            err(problem)
        err(f"rules invalid: {len(exc.problems)} problem(s)")
        raise typer.Exit(EXIT_PROBLEMS)
    by_category = {}
    for rule in ruleset.rules:
        by_category[rule.category] = by_category.get(rule.category, 0) + 1
    print(f"rules OK: {len(ruleset.rules)} rules in {len(ruleset.files)} file(s), {len(by_category)} categories; "
          f"version {ruleset.version[:12]}")
    _name(path, ruleset)


@app.command("test", epilog=examples('idmf rules test', 'idmf rules test policy/rules --coverage'))
def test(
    path: Optional[Path] = typer.Argument(None, help="Rules folder or file (default: the rules idmf is configured with, else the shipped ones)."),
    show_coverage: bool = typer.Option(False, "--coverage", help="List condition branches no example exercised."),
) -> None:
    """Run every rule's examples through the engine checks use (durable-rules where it can be imported)."""
    from ..errors import EXIT_PROBLEMS
    from ..rules.testing import coverage, run_examples

    questionnaire, ruleset = _load(path)
    results, facts_by_rule = run_examples(ruleset, questionnaire)
    failed = [r for r in results if not r.passed]
    for result in failed:
        err(result.describe())
    from ..judgement.examples import run_kind_examples
    from ..rules import make_engine

    kinds = run_kind_examples(ruleset, questionnaire, make_engine(ruleset, questionnaire))
    kinds_failed = [k for k in kinds if k.problem]
    for result in kinds_failed:
        err(result.describe())
    if kinds:
        print(f"kinds of change: {len(questionnaire.changes)}, each exercised both ways "
              f"({len(kinds) - len(kinds_failed)} passed, {len(kinds_failed)} failed)")
    if show_coverage:
        report = coverage(ruleset, facts_by_rule)
        print(f"coverage: {report.branches} condition branches; "
              f"{len(report.never_true)} never true, {len(report.never_false)} never false in their rule's examples")
        for label in report.never_true:
            print(f"  never true:  {label}")
        for label in report.never_false:
            print(f"  never false: {label}")
    from ..rules import engine_name

    print(f"{len(results) - len(failed)} passed, {len(failed)} failed (engine: {engine_name()})")
    _name(path, ruleset)
    if failed or kinds_failed:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command("docs", epilog=examples('idmf rules docs -o rule-catalogue.md'))
def docs(path: Optional[Path] = typer.Argument(None, help="Rules folder or file (default: the rules idmf is configured with, else the shipped ones)."),
         output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of printing.")) -> None:
    """Print a Markdown catalogue of the rules for the equality team."""
    from ..rules.docs import catalogue

    _, ruleset = _load(path)
    text = catalogue(ruleset)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {output}")
    else:
        sys.stdout.write(text + "\n")
