"""Machine-readable outputs of `idmf check` for CI: json, junit, github, sarif."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Iterable
from xml.etree import ElementTree as ET

from ..rules.model import Findings

_GITHUB_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}
_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def _question_line(path: Path, question_id: str) -> int:
    """The line where a question's answer sits in the file (1 if absent), for annotations."""
    # Header answers (meta.*) live in the file's metadata block under their own name.
    keys = (f"{question_id.removeprefix('meta.')}:",) if question_id.startswith("meta.") else (
        f"{question_id}:", f"'{question_id}':")
    for number, line in enumerate(_stripped_lines(path), start=1):
        if line.startswith(keys):
            return number
    return 1


@functools.lru_cache(maxsize=4)
def _stripped_lines(path: Path) -> tuple[str, ...]:
    # Read once per file, not once per finding: a CI run annotates thousands of findings.
    try:
        return tuple(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    except OSError:
        return ()


PRETTY_JSON_UP_TO = 100  # assessments; beyond this, one per line as they are checked


def _json_item(path: Path, findings: Findings, note: str) -> dict:
    return {"file": str(path), "integrity": note, **findings.to_dict()}


def to_json(results: list[tuple[Path, Findings]], errors: list[tuple[Path, str]], notes: dict | None = None) -> str:
    """``notes`` maps a file to what a reviewer must know about it (e.g. changed since approval)."""
    notes = notes or {}
    return json.dumps({
        "assessments": [_json_item(path, findings, notes.get(path, "")) for path, findings in results],
        "errors": [{"file": str(path), "error": message} for path, message in errors],
    }, indent=2, ensure_ascii=False)


def stream_json(results: Iterable[tuple[Path, Findings, str]], errors: list[tuple[Path, str]], write) -> None:
    """The same document as ``to_json``, one assessment per line, written as each is checked.

    Indented JSON goes through Python's slow encoder and holding every result
    took gigabytes for a big folder. ``errors`` is read once ``results`` is
    exhausted (it may be filled while they are checked). `jq .` indents it.
    """
    write('{"assessments": [\n')
    separator = ""
    for path, findings, note in results:
        write(separator + json.dumps(_json_item(path, findings, note), ensure_ascii=False))
        separator = ",\n"
    problems = [{"file": str(path), "error": message} for path, message in errors]
    write('\n],\n"errors": ' + json.dumps(problems, ensure_ascii=False) + "}\n")


def to_github(results: list[tuple[Path, Findings]], errors: list[tuple[Path, str]]) -> str:
    def esc(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    out = []
    for path, findings in results:
        for f in findings:
            qid = f.triggered_by[0].question_id if f.triggered_by else ""
            line = _question_line(path, qid) if qid else 1
            title = esc(f"{f.rule_id} {f.title}".replace(",", "%2C").replace("::", ": :"))
            out.append(f"::{_GITHUB_LEVEL[f.severity]} file={path},line={line},title={title}::"
                       + esc(f"{f.message} ({qid}) — {f.guidance}" if qid else f"{f.message} — {f.guidance}"))
    for path, message in errors:
        out.append(f"::error file={path},line=1,title=unreadable assessment::{esc(message)}")
    return "\n".join(out)


def to_junit(results: list[tuple[Path, Findings]], errors: list[tuple[Path, str]]) -> str:
    suites = ET.Element("testsuites", name="idmf check")
    for path, findings in results:
        suite = ET.SubElement(suites, "testsuite", name=str(path), tests=str(max(len(findings), 1)),
                              failures=str(len(findings)))
        if not len(findings):
            ET.SubElement(suite, "testcase", classname=str(path), name="no findings")
        for f in findings:
            case = ET.SubElement(suite, "testcase", classname=str(path), name=f"{f.rule_id} {f.title}")
            failure = ET.SubElement(case, "failure", message=f.message, type=f.severity)
            failure.text = "\n".join([f.message, f"What to do: {f.guidance}"] +
                                     [f"{t.question_id}: {t.answer}" for t in f.triggered_by])
    for path, message in errors:
        suite = ET.SubElement(suites, "testsuite", name=str(path), tests="1", errors="1")
        case = ET.SubElement(suite, "testcase", classname=str(path), name="readable")
        ET.SubElement(case, "error", message=message)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def to_sarif(results: list[tuple[Path, Findings]], errors: list[tuple[Path, str]], rules) -> str:
    sarif_rules = [{
        "id": r.id, "name": r.id, "shortDescription": {"text": r.title},
        "fullDescription": {"text": " ".join(r.message.split())},
        "help": {"text": " ".join(r.guidance.split())},
        "properties": {"category": r.category, "severity": r.severity, "blocking": r.blocking},
    } for r in rules]
    sarif_results = []
    for path, findings in results:
        for f in findings:
            qid = f.triggered_by[0].question_id if f.triggered_by else ""
            sarif_results.append({
                "ruleId": f.rule_id, "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f"{f.message} What to do: {f.guidance}"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": str(path)},
                    "region": {"startLine": _question_line(path, qid) if qid else 1},
                }, "logicalLocations": [{"name": qid}] if qid else []}],
            })
    for path, message in errors:
        sarif_results.append({"ruleId": "unreadable", "level": "error", "message": {"text": message},
                              "locations": [{"physicalLocation": {"artifactLocation": {"uri": str(path)}}}]})
    return json.dumps({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "idmf", "rules": sarif_rules}},
                  "results": sarif_results}],
    }, indent=2, ensure_ascii=False)
