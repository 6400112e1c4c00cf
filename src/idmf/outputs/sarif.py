"""`idmf check --format sarif`: SARIF 2.1.0 for code scanning (e.g. GitHub's security tab).

Written to the SARIF 2.1.0 schema (the tests validate it against the official
schema): the driver names idmf's version and the rule set's; every rule is
declared, so each result's ``ruleId`` resolves; file locations are relative to
the repository (``uriBaseId`` SRCROOT, resolved by ``originalUriBaseIds``) so
code scanning places them on the right file; ``partialFingerprints`` keep an
alert the same alert when lines move; ``invocations`` give the exit code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from . import CheckOutput
from .lines import first_question, question_line, repository_path, repository_root

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# The result level says whether the finding fails this run (--fail-on), as in the GitHub format.
BELOW_THRESHOLD = {"critical": "warning", "high": "warning", "medium": "warning", "low": "note", "info": "note"}
DEFAULT_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
UNREADABLE = "IDMF-UNREADABLE"


def _utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _location(path: Path) -> dict:
    relative = repository_path(path)
    if relative is not None:
        # The name's own bytes, percent-encoded (RFC 3986), so a name that is not UTF-8 still
        # points at its file.
        return {"uri": quote(os.fsencode(relative)), "uriBaseId": "SRCROOT"}
    return {"uri": Path(path).absolute().as_uri()}


def _fingerprint(*parts: str) -> str:
    # What makes a finding the same finding from run to run: the rule, the file and the question,
    # not the line (answers move when the file is edited).
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class Output(CheckOutput):
    needs_rules = True
    is_json = True

    def begin(self) -> None:
        self.started = _utc_now()
        self.results: list[dict] = []
        self.notifications: list[dict] = []
        self.declared = {rule.id for rule in self.run.rules}
        self.undeclared: dict = {}  # findings of rules the run was not given: declared from the finding itself

    def show(self, result) -> None:
        from ..threshold import counts_against

        path = result.path
        if result.error is not None:
            self.results.append({
                "ruleId": UNREADABLE, "level": "error",
                "message": {"text": result.error},
                "locations": [{"physicalLocation": {"artifactLocation": _location(path)}}],
                "partialFingerprints": {"idmfFinding/v1": _fingerprint(UNREADABLE, str(path))},
            })
            self.notifications.append({"level": "error", "message": {"text": result.error},
                                       "locations": [{"physicalLocation": {"artifactLocation": _location(path)}}]})
            return
        for f in result.findings:
            qid = first_question(f)
            entry = {
                "ruleId": f.rule_id,
                "level": "error" if counts_against(f, self.run.fail_on) else BELOW_THRESHOLD[f.severity],
                "message": {"text": f"{f.message} What to do: {f.guidance}"
                            + (f" {f.consequence_text}" if f.consequences else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": _location(path),
                    "region": {"startLine": question_line(path, qid)},
                }, **({"logicalLocations": [{"name": qid, "kind": "question"}]} if qid else {})}],
                "partialFingerprints": {"idmfFinding/v1": _fingerprint(
                    f.rule_id, repository_path(path) or str(path), qid)},
                "properties": {"severity": f.severity, "blocking": f.blocking, "category": f.category,
                               **({"consequences": [c.rule_id for c in f.consequences]} if f.consequences else {})},
            }
            if f.rule_id not in self.declared:
                self.undeclared.setdefault(f.rule_id, f)
            self.results.append(entry)

    def _descriptors(self) -> list[dict]:
        rules = [{
            "id": r.id, "name": r.id, "shortDescription": {"text": r.title},
            "fullDescription": {"text": " ".join(r.message.split())},
            "help": {"text": " ".join(r.guidance.split())},
            "defaultConfiguration": {"level": DEFAULT_LEVEL[r.severity]},
            "properties": {"category": r.category, "severity": r.severity, "blocking": r.blocking,
                           "scopes": list(r.scopes), "tags": [r.category]},
        } for r in self.run.rules]
        rules.append({"id": UNREADABLE, "name": "unreadable-assessment",
                      "shortDescription": {"text": "Assessment file cannot be read"},
                      "fullDescription": {"text": "The file is not an assessment idmf can read, so no rule was checked."},
                      "help": {"text": "Open the file with idmf show to see what is wrong, then fix or re-save it."},
                      "defaultConfiguration": {"level": "error"}})
        for f in self.undeclared.values():
            rules.append({"id": f.rule_id, "name": f.rule_id, "shortDescription": {"text": f.title},
                          "defaultConfiguration": {"level": DEFAULT_LEVEL[f.severity]}})
        return rules

    def end(self) -> None:
        rules = self._descriptors()
        index = {rule["id"]: position for position, rule in enumerate(rules)}
        for entry in self.results:
            entry["ruleIndex"] = index[entry["ruleId"]]  # so a reader need not search by id
        exit_code = self.tally.exit_code
        root = repository_root()
        self.write(json.dumps({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "idmf", "version": __version__, "semanticVersion": __version__,
                    "rules": rules,
                    "properties": {"rulesVersion": self.run.rules_version, "sources": self.run.sources_dict},
                }},
                "invocations": [{
                    # Findings are results, not a failed run; unreadable files or a bug in idmf are.
                    "executionSuccessful": exit_code in (0, 1), "exitCode": exit_code,
                    "startTimeUtc": self.started, "endTimeUtc": _utc_now(),
                    "toolExecutionNotifications": self.notifications,
                    "properties": {"failOn": self.run.fail_on.value},
                }],
                "originalUriBaseIds": {"SRCROOT": {"uri": root.absolute().as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "properties": {"sources": self.run.sources_dict},
                "results": self.results,
            }],
        }, indent=2, ensure_ascii=False) + "\n")
