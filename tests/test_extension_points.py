"""Each extension point is one registry, and adding to it cannot half-work.

A test here walks each registry (check formats, CLI commands, condition
operators) and fails when one step of adding an entry is forgotten: a format
module with no entry, an entry with no module or no words in --help, a command
module not composed into the CLI or not in the README, an operator that the
reference checker, the durable-rules compiler or the property tests' strategy
does not know.
"""

from __future__ import annotations

import re

import ast
import importlib
import json
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT, run_idmf

SRC = ROOT / "src" / "idmf"
README = (ROOT / "README.md").read_text(encoding="utf-8")
RED = next(EXAMPLES.glob("red-*.yaml"))


def _click_group():
    import typer.main

    from idmf.cli import app

    return typer.main.get_command(app)


# --- check formats -----------------------------------------------------------------------------

def _modules_defining(folder: Path, class_name: str) -> set[str]:
    found = set()
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.ClassDef) and node.name == class_name for node in tree.body):
            found.add(path.stem)
    return found


def test_every_check_format_module_is_registered_and_every_entry_has_a_module():
    from idmf.outputs import FORMATS, CheckOutput

    assert _modules_defining(SRC / "outputs", "Output") == set(FORMATS)
    for name, about in FORMATS.items():
        output = importlib.import_module(f"idmf.outputs.{name}").Output
        assert issubclass(output, CheckOutput), name
        assert output.show is not CheckOutput.show, f"{name} does not show results"
        assert about.strip(), f"{name} has no words for --help"


def test_the_cli_offers_every_format_and_its_help_says_what_each_is_for():
    from idmf.outputs import FORMATS

    from idmf.cli.check import Format

    assert [f.value for f in Format] == list(FORMATS)
    help_text = " ".join(run_idmf("check", "-h").stdout.split())
    assert f"--format <{'|'.join(FORMATS)}>" in help_text
    for name, about in FORMATS.items():
        assert f"{name}: {' '.join(about.split())}" in help_text, name
    table = next(line for line in README.splitlines() if line.startswith("| `idmf check"))
    assert f"[--format {'|'.join(FORMATS)}]".replace("|", "\\|") in table


@pytest.mark.parametrize("name", ["table", "json", "junit", "github", "sarif"])
def test_every_format_runs_from_the_cli_with_the_run_s_exit_code(name, tmp_path):
    from idmf.outputs import FORMATS

    assert name in FORMATS  # the list above is the registry's (checked next)
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: [unclosed\n")
    assert run_idmf("check", str(RED), "--format", name).returncode == 1
    assert run_idmf("check", str(RED), "--format", name, "--fail-on", "never").returncode == 0
    assert run_idmf("check", str(RED), str(broken), "--format", name).returncode == 2


def test_the_parametrised_format_tests_cover_the_registry():
    from idmf.outputs import FORMATS

    from . import test_cli_structure

    marks = {m.args[0]: m.args[1] for m in test_every_format_runs_from_the_cli_with_the_run_s_exit_code.pytestmark}
    assert list(marks["name"]) == list(FORMATS)
    marks = {m.args[0]: m.args[1] for m in test_cli_structure.test_every_check_format_streams_through_one_interface.pytestmark}
    assert list(marks["name"]) == list(FORMATS)


def test_the_exit_code_is_tallied_once_for_the_cli_and_every_format():
    # CheckTally is made in one place (CheckOutput) and read by the CLI, SARIF and GitHub alike;
    # a second tally somewhere could disagree with the exit code.
    makers = []
    for path in [*(SRC / "outputs").glob("*.py"), *(SRC / "cli").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "CheckTally":
                makers.append(path.relative_to(SRC).as_posix())
    assert makers == ["outputs/__init__.py"]
    sarif = json.loads(run_idmf("check", str(RED), "--format", "sarif").stdout)
    assert sarif["runs"][0]["invocations"][0]["exitCode"] == 1


# --- CLI commands ------------------------------------------------------------------------------

NOT_COMMANDS = {"__init__", "common", "register_table"}  # shared helpers of the command modules


def test_every_command_module_is_composed_into_the_cli():
    group = _click_group()
    modules = {p.stem for p in (SRC / "cli").glob("*.py")} - NOT_COMMANDS
    assert modules == set(group.commands), "a module in cli/ is not a command, or a command has no module"


@pytest.mark.parametrize("name", sorted({p.stem for p in (SRC / "cli").glob("*.py")} - NOT_COMMANDS))
def test_every_command_has_examples_and_a_readme_entry(name):
    command = _click_group().commands[name]
    leaves = list(command.commands.values()) if hasattr(command, "commands") else [command]
    for leaf in leaves:
        assert leaf.epilog and "Examples:" in leaf.epilog, (name, leaf.name)
        shown = f"idmf {name}" + (f" {leaf.name}" if leaf is not command else "")
        assert f"| `{shown}" in README or f"`{shown} " in README, f"README's Commands table lacks {shown}"


# --- condition operators -----------------------------------------------------------------------

# One condition per operator, each naming questions that do not exist ("nope.*"), so the
# reference check must report them.
OPERATOR_EXAMPLES = {
    "all": {"all": [{"answered": "nope.a"}]},
    "any": {"any": [{"answered": "nope.a"}]},
    "not": {"not": {"answered": "nope.a"}},
    "answered": {"answered": "nope.a"},
    "unanswered": {"unanswered": "nope.a"},
    "equals": {"equals": {"nope.a": "yes"}},
    "in": {"in": {"nope.a": ["yes", "no"]}},
    "contains": {"contains": {"nope.a": "x"}},
    "greater_than": {"greater_than": {"nope.a": 3}},
    "less_than": {"less_than": {"nope.a": 3}},
    "at_least": {"at_least": {"nope.a": 3}},
    "at_most": {"at_most": {"nope.a": 3}},
    "date_gap": {"date_gap": {"from": "nope.a", "to": "nope.b", "more_than_months": 12}},
    "any_row": {"any_row": {"question": "nope.a", "where": {"equals": {"impact": "negative"}}}},
}


def test_every_operator_has_an_example_here():
    from idmf import conditions as C

    assert list(OPERATOR_EXAMPLES) == list(C.OPERATORS)


@pytest.mark.parametrize("op", list(OPERATOR_EXAMPLES))
def test_every_operator_parses_evaluates_compiles_and_has_its_references_checked(op, questionnaire):
    from idmf import conditions as C
    from idmf.questionnaire.refs import check_condition

    cond = C.parse(OPERATOR_EXAMPLES[op], "rules/x.yaml", line=3)
    assert type(cond) is C.OPERATOR_NODES[op]
    assert C.references(cond) and all(ref.startswith("nope.") for ref in C.references(cond))
    assert C.evaluate(cond, {}) in (True, False)
    assert C.to_durable(cond)["$and"]
    problems = check_condition(cond, questionnaire, "rules/x.yaml")
    for ref in C.references(cond):
        assert any(f"unknown question id {ref!r}" in p for p in problems), (op, ref, problems)


def _operators_in(data) -> set[str]:
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in OPERATOR_EXAMPLES:
                found.add(key)
            found |= _operators_in(value)
    elif isinstance(data, list):
        for item in data:
            found |= _operators_in(item)
    return found


@pytest.mark.parametrize("op", list(OPERATOR_EXAMPLES))
def test_the_property_tests_generate_every_operator(op):
    # The durable-rules compiler is held equal to the evaluator only for what the strategy makes.
    from hypothesis import HealthCheck, Phase, find, settings

    from .test_conditions import conditions

    found = find(conditions, lambda data: op in _operators_in(data),
                 settings=settings(max_examples=3000, database=None, phases=[Phase.generate],
                                   suppress_health_check=list(HealthCheck)))
    assert op in _operators_in(found)


# --- report fields -----------------------------------------------------------------------------

def _leaves(value) -> list[str]:
    """Every piece of text a report field holds, however it is nested."""
    import dataclasses

    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [str(value)]
    if dataclasses.is_dataclass(value):
        return [text for f in dataclasses.fields(value) for text in _leaves(getattr(value, f.name))]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _leaves(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _leaves(item)]
    return [str(value)]


def _squeezed(text: str) -> str:
    # PDF text extraction drops or moves spaces and breaks lines; compare without any.
    return "".join(text.split())


@pytest.fixture(scope="module", params=["red example", "every question answered"])
def rendered_reports(request, questionnaire):
    """A report context and its text in every format, for each audience: the red example, and a
    generated assessment with every question answered (so every field has something to show)."""
    from docx import Document
    from pypdf import PdfReader

    from idmf.report import AUDIENCES, FORMATS, build_context, render
    from idmf.rules import default_engine
    from idmf.store import load_assessment

    import html5lib

    if request.param == "red example":
        assessment = load_assessment(RED, questionnaire).assessment
    else:
        import random

        from idmf.samples import random_assessment

        assessment = random_assessment(questionnaire, random.Random(1), answer_rate=1.0)
    context = build_context(assessment, questionnaire, default_engine(questionnaire).check(assessment))
    texts = {}
    for audience in AUDIENCES:
        for fmt in FORMATS:
            data = render(context, fmt, audience)
            if fmt == "html":
                doc = html5lib.parse(data.decode(), namespaceHTMLElements=False)
                text = "".join(doc.itertext())
            elif fmt == "md":
                # A comment is Markdown's document properties (the record's hashes), not printed text.
                text = re.sub(r"<!--.*?-->", "", data.decode(), flags=re.S)
            elif fmt == "docx":
                import io

                document = Document(io.BytesIO(data))
                text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
                    cell.text for t in document.tables for row in t.rows for cell in row.cells)
            else:
                import io

                text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
            texts[audience, fmt] = _squeezed(text)
    return context, texts


def _report_field_names():
    import dataclasses

    from idmf.report import ReportContext

    return [f.name for f in dataclasses.fields(ReportContext)]


# Fields that are not printed text in any format, and why.
NOT_PRINTED = {
    "properties": "document properties (PDF metadata, Word core properties), checked in tests/test_report.py",
    "extra": "room for an organisation's own templates",
    "status": "a code; the report prints status_label",
    "rag": "a code; the report prints rag_label",
    "integrity_line": "the record's hashes and engine: document properties only (issue 25; the content hash in Word and PDF properties is checked in tests/test_report.py)",
}


@pytest.mark.parametrize("name", _report_field_names())
def test_every_report_field_reaches_every_format_of_an_audience_that_shows_it(name, rendered_reports):
    """A field an audience shows is in all four of its formats: a field left out of Word (built in
    Python, not from the templates) or out of the Markdown template fails here."""
    from idmf.report import AUDIENCES, FORMATS
    from idmf.report.render import md_escape

    context, texts = rendered_reports
    if name in NOT_PRINTED:
        return
    # Distinctive text only: a short value ("Yes", "High") is also printed by other fields, in
    # words that differ by format ("Yes (concern)" beside a concern mark), so proves nothing.
    leaves = [text for text in _leaves(getattr(context, name)) if len(_squeezed(text)) >= 16]
    shown_anywhere = False
    for audience in AUDIENCES:
        for text in leaves:
            forms = {_squeezed(text), _squeezed(md_escape(text))}
            where = {fmt for fmt in FORMATS if any(form in texts[audience, fmt] for form in forms)}
            assert where in (set(), set(FORMATS)), (name, audience, text[:60], sorted(where))
            shown_anywhere |= bool(where)
    assert shown_anywhere or not leaves, f"report field {name} is in no format of any audience"


# --- the README's map of the code --------------------------------------------------------------

def test_how_it_is_built_names_every_package_and_module():
    section = README.split("## How it is built", 1)[1].split("\n## ", 1)[0]
    for path in sorted(SRC.iterdir()):
        if path.name in ("__init__.py", "py.typed", "__pycache__", "wizard.tcss"):
            continue
        shown = f"`{path.name}/`" if path.is_dir() else f"`{path.name}`"
        assert shown in section, f"README's 'How it is built' does not name {shown}"
