"""`idmf check --format sarif`: SARIF 2.1.0 for code scanning (e.g. GitHub's security tab)."""

from __future__ import annotations

import json

from .. import __version__
from . import CheckOutput
from .lines import first_question, question_line

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


class Output(CheckOutput):
    def begin(self) -> None:
        self.results: list[dict] = []
        self.errors: list = []

    def add(self, result) -> None:
        if result.error is not None:
            self.errors.append(result)
            return
        path = result.path
        for f in result.findings:
            qid = first_question(f)
            self.results.append({
                "ruleId": f.rule_id, "level": LEVEL[f.severity],
                "message": {"text": f"{f.message} What to do: {f.guidance}"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": str(path)},
                    "region": {"startLine": question_line(path, qid)},
                }, "logicalLocations": [{"name": qid}] if qid else []}],
            })

    def end(self) -> None:
        for result in self.errors:
            self.results.append({"ruleId": "unreadable", "level": "error", "message": {"text": result.error},
                                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": str(result.path)}}}]})
        rules = [{
            "id": r.id, "name": r.id, "shortDescription": {"text": r.title},
            "fullDescription": {"text": " ".join(r.message.split())},
            "help": {"text": " ".join(r.guidance.split())},
            "properties": {"category": r.category, "severity": r.severity, "blocking": r.blocking},
        } for r in self.run.rules]
        self.write(json.dumps({
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [{"tool": {"driver": {"name": "idmf", "version": __version__, "rules": rules}},
                      "properties": {"sources": self.run.sources_dict},
                      "results": self.results}],
        }, indent=2, ensure_ascii=False) + "\n")
