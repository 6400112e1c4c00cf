"""`idmf check --format junit`: one test suite per assessment file, for CI test reports."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from . import CheckOutput


class Output(CheckOutput):
    def begin(self) -> None:
        self.suites = ET.Element("testsuites", name="idmf check")
        self.errors: list = []

    def add(self, result) -> None:
        if result.error is not None:
            self.errors.append(result)
            return
        path, findings = result.path, result.findings
        suite = ET.SubElement(self.suites, "testsuite", name=str(path), tests=str(max(len(findings), 1)),
                              failures=str(len(findings)))
        self._properties(suite)
        if not len(findings):
            ET.SubElement(suite, "testcase", classname=str(path), name="no findings")
        for f in findings:
            case = ET.SubElement(suite, "testcase", classname=str(path), name=f"{f.rule_id} {f.title}")
            failure = ET.SubElement(case, "failure", message=f.message, type=f.severity)
            failure.text = "\n".join([f.message, f"What to do: {f.guidance}"] +
                                     [f"{t.question_id}: {t.answer}" for t in f.triggered_by])

    def _properties(self, suite) -> None:
        properties = ET.SubElement(suite, "properties")
        for source, version in self.run.sources:
            ET.SubElement(properties, "property", name=source.kind, value=source.statement(version))

    def end(self) -> None:
        for result in self.errors:
            suite = ET.SubElement(self.suites, "testsuite", name=str(result.path), tests="1", errors="1")
            self._properties(suite)
            case = ET.SubElement(suite, "testcase", classname=str(result.path), name="readable")
            ET.SubElement(case, "error", message=result.error)
        from ..textsafety import strip_controls

        # Control characters from a hand-edited file are not allowed in XML 1.0 at all.
        self.write(strip_controls(ET.tostring(self.suites, encoding="unicode", xml_declaration=True)) + "\n")
