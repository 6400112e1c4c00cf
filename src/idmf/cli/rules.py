"""`idmf check` and `idmf rules validate|test|docs`."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..checking import expand, iter_checked
from ..errors import EXIT_BAD_INPUT, EXIT_PROBLEMS, InputError, ValidationProblems
from ..questionnaire import load_questionnaire
from ..rules import RulesEngine, load_rules
from ..rules.docs import catalogue
from ..rules.model import SEVERITY_RANK, CATEGORY_LABELS, Findings
from ..rules.testing import coverage, run_examples
from . import app, err
from .check_output import PRETTY_JSON_UP_TO, stream_json, to_github, to_json, to_junit, to_sarif

rules_app = typer.Typer(help="Validate, test and document the rule files.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class Format(str, Enum):
    table = "table"
    json = "json"
    junit = "junit"
    github = "github"
    sarif = "sarif"


class FailOn(str, Enum):
    blocking = "blocking"
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"
    never = "never"


def _fails(findings: Findings, fail_on: FailOn) -> bool:
    if fail_on == FailOn.never:
        return False
    if fail_on == FailOn.blocking:
        return bool(findings.blocking)
    return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on.value] for f in findings)


RAG_TEXT = {"red": "RED", "amber": "AMBER", "green": "GREEN"}
RAG_STYLE = {"red": "bold red", "amber": "bold yellow", "green": "bold green"}


def print_findings(console: Console, path: Path, findings: Findings) -> None:
    rag = findings.rag
    console.print(f"\n[bold]{escape(str(path))}[/bold]  RAG: [{RAG_STYLE[rag]}]{RAG_TEXT[rag]}[/]  ·  {findings.readiness}")
    if not len(findings):
        console.print("  No findings.")
        return
    table = Table(show_lines=False, expand=False, pad_edge=False)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Category")
    table.add_column("Finding")
    for f in findings:
        triggered = "; ".join(f"{t.question if t.question_id.startswith('derived.') else t.question_id}: {t.answer}"
                              for t in f.triggered_by[:3])
        table.add_row(
            f.rule_id, f.severity + (" (blocking)" if f.blocking else ""), CATEGORY_LABELS[f.category],
            escape(f"{f.title}\n{f.message}\nWhat to do: {f.guidance}" + (f"\nBecause: {triggered}" if triggered else "")),
        )
    console.print(table)
    counts = ", ".join(f"{n} {s}" for s, n in findings.counts_by_severity.items() if n)
    console.print(f"  {len(findings)} finding(s): {counts}")


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="Assessment files or folders."),
    output_format: Format = typer.Option(Format.table, "--format", help="table, json, junit, github or sarif."),
    fail_on: FailOn = typer.Option(FailOn.blocking, "--fail-on", help="Exit 1 when a finding is at or above this severity (default: any blocking finding)."),
) -> None:
    """Check assessments against the rules. Exit 0 clean, 1 findings at/above --fail-on, 2 unreadable input."""
    questionnaire = load_questionnaire()
    ruleset = load_rules(questionnaire=questionnaire)
    files = expand(paths)
    if not files:
        raise InputError("no assessment files found", where=", ".join(map(str, paths)),
                         hint="pass .yaml assessment files or a folder that holds them")
    bad: list[tuple[Path, str]] = []
    failing = []

    def checked():
        # Results in file order as the workers finish them, so output starts at
        # once and memory stays flat however big the folder; unreadable files
        # are collected for the end.
        for r in iter_checked(files):
            if r.error is not None:
                bad.append((r.path, r.error))
                continue
            if _fails(r.findings, fail_on):
                failing.append(r.path)
            yield r

    if output_format == Format.table:
        console = Console(highlight=False)
        read = 0
        for result in checked():
            read += 1
            print_findings(console, result.path, result.findings)
            if result.integrity:
                console.print(f"  [bold]{escape(result.integrity)}[/bold]")
        for path, message in bad:
            err(f"error: {message}")
        if len(files) > 1:
            console.print(f"\nChecked {len(files)} file(s): {read} read, {len(bad)} unreadable.")
    elif output_format == Format.json and len(files) > PRETTY_JSON_UP_TO:
        stream_json(((r.path, r.findings, r.integrity) for r in checked()), bad, sys.stdout.write)
    elif output_format == Format.github:
        for result in checked():
            text = to_github([(result.path, result.findings)], [])
            if text:
                print(text)
        if bad:
            print(to_github([], bad))
    else:
        results = list(checked())
        good = [(r.path, r.findings) for r in results]
        if output_format == Format.json:
            print(to_json(good, bad, {r.path: r.integrity for r in results if r.integrity}))
        elif output_format == Format.junit:
            print(to_junit(good, bad))
        else:
            print(to_sarif(good, bad, ruleset.rules))
    if bad:
        raise typer.Exit(EXIT_BAD_INPUT)
    if failing:
        raise typer.Exit(EXIT_PROBLEMS)


def _problems(exc: ValidationProblems, what: str) -> None:
    for problem in exc.problems:
        err(problem)
    err(f"{what}: {len(exc.problems)} problem(s)")
    raise typer.Exit(EXIT_PROBLEMS)


@rules_app.command("validate")
def validate(path: Optional[Path] = typer.Argument(None, help="Rules folder or file (default: rules/).")) -> None:
    """Check rule files: schema, unique ids, question ids and values, and examples both ways."""
    questionnaire = load_questionnaire()
    try:
        ruleset = load_rules(path, questionnaire)
        RulesEngine(ruleset, questionnaire)  # the C engine has its own limits: compile to be sure
    except ValidationProblems as exc:
        _problems(exc, "rules invalid")
    by_category = {}
    for rule in ruleset.rules:
        by_category[rule.category] = by_category.get(rule.category, 0) + 1
    print(f"rules OK: {len(ruleset.rules)} rules in {len(ruleset.files)} file(s), {len(by_category)} categories; "
          f"version {ruleset.version[:12]}")


@rules_app.command("test")
def test(
    path: Optional[Path] = typer.Argument(None, help="Rules folder or file (default: rules/)."),
    show_coverage: bool = typer.Option(False, "--coverage", help="List condition branches no example exercised."),
) -> None:
    """Run every rule's examples through the real (durable-rules) engine."""
    questionnaire = load_questionnaire()
    try:
        ruleset = load_rules(path, questionnaire)
    except ValidationProblems as exc:
        _problems(exc, "rules invalid")
    results, facts_by_rule = run_examples(ruleset, questionnaire)
    failed = [r for r in results if not r.passed]
    for result in failed:
        err(result.describe())
    if show_coverage:
        report = coverage(ruleset, facts_by_rule)
        print(f"coverage: {report.branches} condition branches; "
              f"{len(report.never_true)} never true, {len(report.never_false)} never false in their rule's examples")
        for label in report.never_true:
            print(f"  never true:  {label}")
        for label in report.never_false:
            print(f"  never false: {label}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)


@rules_app.command("docs")
def docs(path: Optional[Path] = typer.Argument(None, help="Rules folder or file (default: rules/)."),
         output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of printing.")) -> None:
    """Print a Markdown catalogue of the rules for the equality team."""
    try:
        ruleset = load_rules(path, load_questionnaire())
    except ValidationProblems as exc:
        _problems(exc, "rules invalid")
    text = catalogue(ruleset)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {output}")
    else:
        sys.stdout.write(text + "\n")
