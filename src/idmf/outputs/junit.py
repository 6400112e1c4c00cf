"""`idmf check --format junit`: one test suite per assessment file, for CI test reports (GitLab, Jenkins, Azure).

Every rule is a test case in every file's suite, so a report shows what was
checked as well as what failed: a finding at or above ``--fail-on`` is a
failure; a finding below it is skipped with the finding as its message (GitLab
shows a skipped case's message, and shows ``system-out`` only for failures, so
a passed case would hide it); a rule that does not apply to the file's scope
(a full-IDMF rule on a screening) is skipped, saying so; a consequence listed
inside its root cause passes and says where it is in ``system-out``; an
unreadable file is an error. Counts and times are on every suite and on the
whole run, as CI report readers expect.

Valid against the JUnit schema of Jenkins' xUnit plugin (tests/schemas/junit-10.xsd):
properties only on suites, no ``timestamp`` or ``skipped`` on ``testsuites``.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from xml.etree import ElementTree as ET

from . import CheckOutput

# XML 1.0 allows only these characters; anything else (a control character from a
# hand-edited file, a lone surrogate from an undecodable file name) makes the report unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    from ..textsafety import strip_controls

    return _NOT_XML.sub("", strip_controls(str(value)))


def _seconds(value: float) -> str:
    return f"{value:.3f}"


class Output(CheckOutput):
    needs_rules = True

    def begin(self) -> None:
        self.started = time.perf_counter()
        # Local time without an offset, as JUnit writers (Ant, Maven, pytest) write it.
        self.timestamp = dt.datetime.now().replace(microsecond=0).isoformat()
        self.suites: list[ET.Element] = []
        self.totals = {"tests": 0, "failures": 0, "errors": 0}

    def _suite(self, result, **counts: int) -> ET.Element:
        suite = ET.Element("testsuite", name=xml_text(result.path), tests=str(counts["tests"]),
                           failures=str(counts["failures"]), errors=str(counts["errors"]),
                           skipped=str(counts["skipped"]), time=_seconds(result.seconds), timestamp=self.timestamp)
        for key in self.totals:
            self.totals[key] += counts[key]
        properties = ET.SubElement(suite, "properties")
        for name, value in [(source.kind, source.statement(version)) for source, version in self.run.sources] + [
                ("fail-on", self.run.fail_on.value)] + ([("scope", result.scope)] if result.scope else []):
            ET.SubElement(properties, "property", name=name, value=xml_text(value))
        self.suites.append(suite)
        return suite

    def show(self, result) -> None:
        from ..threshold import counts_against

        if result.error is not None:
            suite = self._suite(result, tests=1, failures=0, errors=1, skipped=0)
            case = ET.SubElement(suite, "testcase", classname=xml_text(result.path), name="readable", time="0.000")
            error = ET.SubElement(case, "error", message=xml_text(result.error), type="unreadable")
            error.text = xml_text(result.error)
            return
        found = {f.rule_id: f for f in result.findings}
        # A consequence is reported inside its root cause's test case; its own test case says so.
        grouped = {c.rule_id: f for f in result.findings for c in f.consequences}
        cases = []
        failures = skipped = 0
        for rule in self.run.rules or [_RuleLike(f) for f in result.findings]:
            case = ET.Element("testcase", classname=xml_text(result.path), name=xml_text(f"{rule.id} {rule.title}"))
            finding = found.get(rule.id)
            if result.scope and result.scope not in rule.scopes:
                skipped += 1
                ET.SubElement(case, "skipped", message=f"applies to {' and '.join(rule.scopes)} assessments; "
                                                       f"this one is {result.scope}")
            elif finding is not None and counts_against(finding, self.run.fail_on):
                failures += 1
                failure = ET.SubElement(case, "failure", message=xml_text(finding.message), type=finding.severity)
                failure.text = xml_text("\n".join(
                    [finding.message, f"What to do: {finding.guidance}", f"Severity: {finding.severity}"
                     + (" (blocking)" if finding.blocking else "")]
                    + [f"{t.question_id}: {t.answer}" for t in finding.triggered_by]
                    + [f"Also (same gap): {c.rule_id} {c.title} ({c.severity})" for c in finding.consequences]))
            elif finding is not None:
                # Found, but below --fail-on: skipped with the finding as its message, so nobody
                # takes it for a clean result.
                skipped += 1
                below = ET.SubElement(case, "skipped", message=xml_text(
                    f"below --fail-on {self.run.fail_on.value}: [{finding.severity}] {finding.message}"))
                below.text = xml_text("\n".join(
                    [finding.message, f"What to do: {finding.guidance}", f"Severity: {finding.severity}"]
                    + [f"{t.question_id}: {t.answer}" for t in finding.triggered_by]
                    + [f"Also (same gap): {c.rule_id} {c.title} ({c.severity})" for c in finding.consequences]))
            elif rule.id in grouped:
                out = ET.SubElement(case, "system-out")
                out.text = xml_text(f"Grouped under {grouped[rule.id].rule_id} {grouped[rule.id].title} "
                                    "(the same gap): reported in that test case.")
            cases.append(case)
        suite = self._suite(result, tests=len(cases), failures=failures, errors=0, skipped=skipped)
        suite.extend(cases)

    def end(self) -> None:
        root = ET.Element("testsuites", {"name": "idmf check", **{key: str(value) for key, value in self.totals.items()},
                                         "time": _seconds(time.perf_counter() - self.started)})
        root.extend(self.suites)
        self.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")


class _RuleLike:
    """A rule as far as a finding tells it, for a run that was not given the rule set."""

    def __init__(self, finding):
        self.id, self.title, self.scopes = finding.rule_id, finding.title, ("screening", "full")
