"""Outputs are inert: nothing from a file acts on a terminal, a spreadsheet, an XML reader or Markdown."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from .conftest import EXAMPLES, run_idmf

GREEN = next(EXAMPLES.glob("green-*.yaml"))
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m"


def _hostile(folder: Path, name: str = "green.yaml") -> Path:
    import yaml

    data = yaml.safe_load(GREEN.read_text(encoding="utf-8"))
    data["title"] = '=HYPERLINK("http://x","y") \x1b]0;owned\x07\x1b[2J Extended evening opening'
    data["metadata"]["organisation"] = "+Northfield \x1b[31m ICB\x0bline two \x9b2J"
    data["metadata"]["person_responsible"] = "@Priya \x1b]2;x\x1b\\ Shah\x08\x08"
    data["answers"]["purpose.aims"] = "\x1b[2J\x0bWord line break\x0b and \x1b]0;t\x07"
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _inert(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x0b" not in text and "\x08" not in text
    assert not any(0x80 <= ord(c) <= 0x9f for c in text), repr([c for c in text if 0x80 <= ord(c) <= 0x9f])


@pytest.fixture
def hostile(tmp_path) -> Path:
    folder = tmp_path / "register"
    folder.mkdir()
    return _hostile(folder)


def test_hostile_file_reads(hostile, questionnaire):
    from idmf.store import load_assessment

    assert "\\e" in hostile.read_text() or "\\x1B" in hostile.read_text()  # the file does carry escapes
    a = load_assessment(hostile, questionnaire).assessment
    assert a.answers["purpose.aims"].startswith("Word line break")  # answers normalised when read
    assert "\x1b" not in a.title and "\x0b" not in a.metadata.organisation  # and the header too
    assert a.metadata.organisation == "+Northfield  ICB\nline two "


@pytest.mark.parametrize("command", [
    ["show", "{f}"], ["check", "{f}"], ["check", "{d}"], ["list", "{d}"], ["verify", "{f}"],
    ["submit", "{f}", "--by", "\x1b]0;me\x07"], ["review", "approve", "{f}", "--reviewer", "R", "--role", "x"],
    ["show", "{d}/\x1b]0;named\x07.yaml"],
])
def test_terminal_outputs_carry_no_escape_sequence(hostile, command):
    argv = [part.format(f=hostile, d=hostile.parent) for part in command]
    result = run_idmf(*argv)
    assert result.returncode in (0, 1, 2, 3), result.stderr
    assert "Traceback" not in result.stderr
    _inert(result.stdout)
    _inert(result.stderr)


def test_register_csv_is_for_spreadsheets_inert_bom_plain_dates_yes_no(hostile):
    result = run_idmf("list", str(hostile.parent), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert len(rows) == 1
    row = rows[0]
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert row["title"].startswith("'=HYPERLINK")
    assert row["organisation"].startswith("'+") and row["owner"].startswith("'@")
    assert row["overdue"] in ("Yes", "No")
    assert "+00:00" not in row["last_change"] and len(row["last_change"]) == 19


def test_junit_output_is_valid_xml_whatever_the_file_holds(hostile):
    text = hostile.read_text().replace("purpose.scale: moderate", 'purpose.scale: "mod\\verate"')
    hostile.write_text(text)
    result = run_idmf("check", str(hostile.parent), "--format", "junit")
    ET.fromstring(result.stdout.encode("utf-8"))  # raises on invalid XML


def test_github_annotations_cannot_be_ended_or_started_by_a_file_name(tmp_path):
    from .test_ci_outputs import parse_workflow_commands

    folder = tmp_path / "register"
    folder.mkdir()
    path = folder / "a,line=9::x%0A::error::injected.yaml"
    path.write_text("title: [broken\n")
    result = run_idmf("check", str(folder), "--format", "github")
    # Read as the Actions runner reads it: the file's group (its error as log text), then one
    # annotation for the file, named as it is.
    commands = parse_workflow_commands(result.stdout)
    assert [c["name"] for c in commands] == ["group", "endgroup", "error"]
    assert commands[2]["properties"] == {"file": str(path), "line": "1", "title": "idmf: unreadable assessment"}
    # The rest (the error in the group, summary, which rule set ran) is plain log text, one line each.
    plain = [line for line in result.stdout.splitlines() if not line.startswith("::")]
    assert plain[0].startswith("error: ") and plain[1].startswith("idmf check: 1 file,")
    assert all(line.startswith(("rules: ", "questionnaires: ")) for line in plain[2:])


def test_rules_docs_show_rule_text_as_written_never_as_markup(tmp_path):
    from idmf.rules.docs import _cell

    cell = _cell("<img src=x onerror=alert(1)> [click](javascript:alert(1)) a | b ![t](http://t/p.png)\nnext")
    assert "<" not in cell and "](" not in cell.replace("\\](", "") and " | " not in cell and "\n" not in cell


def test_json_outputs_escape_control_characters(hostile):
    result = run_idmf("list", str(hostile.parent), "--format", "json")
    _inert(result.stdout)
    assert json.loads(result.stdout)[0]["title"].startswith("=HYPERLINK")


@pytest.mark.parametrize("fmt", ["docx", "md", "html"])
def test_reports_of_a_file_with_control_characters_in_the_header_are_written(hostile, tmp_path, fmt):
    # Word's pasted line break in the organisation once made the Word report exit 70.
    target = tmp_path / f"out.report.{fmt}"
    result = run_idmf("report", str(hostile), "--format", fmt, "--output", str(target))
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    if fmt == "docx":
        from docx import Document

        text = "\n".join(p.text for p in Document(str(target)).paragraphs)
        assert "\x0b" not in text and "\x1b" not in text
    else:
        assert b"\x1b" not in data and b"\x0b" not in data
