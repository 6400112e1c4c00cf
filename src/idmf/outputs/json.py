"""`idmf check --format json`: one document with every assessment's findings and every read error."""

from __future__ import annotations

import json

from . import CheckOutput

PRETTY_JSON_UP_TO = 100  # assessments; beyond this, one per line as they are checked


def _item(result) -> dict:
    return {"file": str(result.path), "integrity": result.integrity, **result.findings.to_dict()}


class Output(CheckOutput):
    is_json = True

    """Indented for a few files; for a big folder the same document one assessment per line,
    written as each is checked (indented JSON goes through Python's slow encoder and
    holding every result took gigabytes). `jq .` indents it."""

    def begin(self) -> None:
        self.streaming = len(self.run.files) > PRETTY_JSON_UP_TO
        self.items: list[dict] = []
        self.errors: list[dict] = []
        self.separator = ""
        if self.streaming:
            self.write('{"assessments": [\n')

    def show(self, result) -> None:
        if result.error is not None:
            self.errors.append({"file": str(result.path), "error": result.error})
        elif self.streaming:
            text = getattr(result.findings, "text", None)
            if text is not None:
                # The findings' JSON as the worker or the cache wrote it (already inert): spliced
                # in after this file's own keys, the same document without encoding it again.
                self.write(self.separator + json.dumps({"file": str(result.path), "integrity": result.integrity},
                                                       ensure_ascii=False)[:-1] + ", ")
                self.write_inert(text[1:])
            else:
                self.write(self.separator + json.dumps(_item(result), ensure_ascii=False))
            self.separator = ",\n"
        else:
            self.items.append(_item(result))

    def end(self) -> None:
        if self.streaming:
            self.write('\n],\n"errors": ' + json.dumps(self.errors, ensure_ascii=False)
                       + ', "sources": ' + json.dumps(self.run.sources_dict, ensure_ascii=False) + "}\n")
        else:
            self.write(json.dumps({"assessments": self.items, "errors": self.errors, "sources": self.run.sources_dict},
                                  indent=2, ensure_ascii=False) + "\n")
