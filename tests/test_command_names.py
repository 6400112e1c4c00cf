"""Every `idmf ...` command a user is told to run exists, with the options it is given.

Users read command lines in rule messages and guidance (what `idmf check` and the wizard show),
report templates, --help texts and examples, error messages and hints, the README and the docs.
A finding that tells the author to run `idmf scope FILE full` when there is no such command sends
them nowhere; this test enumerates every mention and checks it against the CLI itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from idmf.cli import app

from .conftest import ROOT

# Where users read command lines.
SOURCES = [
    *sorted((ROOT / "rules").glob("*.yaml")),
    *sorted((ROOT / "questionnaires").glob("*.yaml")),
    *sorted((ROOT / "templates").glob("*.j2")),
    ROOT / "README.md",
    *sorted((ROOT / "docs").rglob("*.md")),
    *sorted((ROOT / "src" / "idmf").rglob("*.py")),
]

# A command line: inside `backticks`, inside a quoted string, or a line of a code block.
_QUOTED = re.compile(r"(?:`|\"|')(idmf [^`\"'\n]*)")
_CODE_LINE = re.compile(r"^\s*(?:\$\s+)?(idmf [^\n#]*)", re.M)
_YAML_FOLDED = re.compile(r"`(idmf [^`]*)`", re.S)  # a folded rule message may wrap a command over two lines


def _mentions(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    found: dict[tuple[int, str], None] = {}
    in_code = False
    for number, line in enumerate(text.splitlines(), start=1):
        if path.suffix == ".md" and line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        for match in _QUOTED.finditer(line):
            found[number, match.group(1)] = None
        if in_code:
            for match in _CODE_LINE.finditer(line):
                found[number, match.group(1)] = None
    if path.suffix == ".yaml":
        for match in _YAML_FOLDED.finditer(text):
            found[text.count("\n", 0, match.start()) + 1, " ".join(match.group(1).split())] = None
    return list(found)


def _root():
    return typer.main.get_command(app)


def _subcommands(command) -> dict | None:
    """A group's commands by name (typer bundles its own click), or None for a command."""
    return getattr(command, "commands", None)


def _options(command) -> set[str]:
    return {name for p in command.params for name in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}


def problem(line: str) -> str | None:
    """Why ``line`` ("idmf review approve FILE --reviewer X") is not a command idmf has, or None."""
    words = line.split()[1:]
    command = _root()
    global_options = _options(command) | {"--help", "-h"}
    path = ["idmf"]
    i = 0
    # Global options come before the command.
    while i < len(words) and words[i].startswith("-"):
        if words[i].split("=")[0] not in global_options:
            return f"idmf has no option {words[i]}"
        i += 2 if "=" not in words[i] and words[i] not in ("--help", "-h", "--version") else 1
    while _subcommands(command) is not None:
        if i >= len(words) or words[i].startswith("-"):
            return None  # `idmf rules` alone: the group's help
        name = words[i]
        if not re.fullmatch(r"[a-z][a-z-]*", name):
            return None  # a placeholder or prose ("idmf ..."), not a command name
        sub = _subcommands(command).get(name)
        if sub is None:
            return f"`{' '.join(path)}` has no command {name!r}"
        command, path, i = sub, path + [name], i + 1
    allowed = _options(command) | global_options
    for word in words[i:]:
        option = word.split("=")[0].rstrip(".,;:)")
        if re.fullmatch(r"--?[a-z][a-z-]*", option) and option not in allowed:
            return f"`{' '.join(path)}` has no option {option}"
    return None


# Prose that begins with "idmf": the tool's name in a sentence, not a command line.
_PROSE = re.compile(r"^idmf (?:is|was|and|or|has|does|did|will|would|can|cannot|stores|uses|reads|read|writes|"
                    r"takes|turns|meets|prints|crashes|stopped|approval|standard|command|without|itself|"
                    r"keeps|checks|shows|finds|gives|never|only|also|to|in|on|for|the|a|an|\d|needs|evaluator|version)\b")


def _all_mentions() -> list[tuple[str, str]]:
    out = []
    for path in SOURCES:
        for number, line in _mentions(path):
            if not _PROSE.match(line):
                out.append((f"{path.relative_to(ROOT)}:{number}", line))
    return out


MENTIONS = _all_mentions()


def test_the_scan_finds_the_command_lines_users_read():
    lines = {line for _, line in MENTIONS}
    assert len(MENTIONS) > 40
    for known in ("idmf check", "idmf report", "idmf rules validate", "idmf review approve", "idmf wizard"):
        assert any(line.startswith(known) for line in lines), known


def test_a_command_that_does_not_exist_is_caught():
    assert problem("idmf scope FILE full") == "`idmf` has no command 'scope'"
    assert problem("idmf rules frobnicate") == "`idmf rules` has no command 'frobnicate'"
    assert problem("idmf check assessments/ --fail-on high") is None
    assert problem("idmf check assessments/ --fial-on high") == "`idmf check` has no option --fial-on"


@pytest.mark.parametrize("where, line", MENTIONS, ids=[f"{w}:{l[:40]}" for w, l in MENTIONS])
def test_every_command_named_where_users_read_exists(where, line):
    assert problem(line) is None, f"{where}: {line!r}: {problem(line)}"
