"""`idmf check --format github`: workflow commands that annotate the assessment files in a pull request.

Escaped exactly as GitHub's Actions toolkit escapes them (@actions/core
``escapeData`` and ``escapeProperty``), once, so the runner's unescaping gives
back the text as written: a title reads "Article 3, right to life", and a file
name or an answer holding a line break and ``::error::`` stays inside its own
annotation instead of starting a command. Each file's annotations sit in a
collapsible group; a summary line ends the log.
"""

from __future__ import annotations

from . import CheckOutput
from .lines import first_question, question_line, repository_path

# The annotation level says whether the finding fails this run (--fail-on): an "error"
# that leaves the job green, or a "warning" that turns it red, would mislead.
BELOW_THRESHOLD = {"critical": "warning", "high": "warning", "medium": "warning", "low": "notice", "info": "notice"}


def _clean(text: object) -> str:
    """The text without escape sequences or control characters; CR and LF kept for escaping."""
    from ..textsafety import strip_controls

    return "\r".join(strip_controls(part) for part in str(text).split("\r"))


def escape_data(text: object) -> str:
    """A command's message, as the toolkit's escapeData: % then CR then LF."""
    return _clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: object) -> str:
    """A property value (file=, title=), as the toolkit's escapeProperty: also : and , that would end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: object = "", **properties: object) -> str:
    """One workflow command line: ``::name key=value,...::message``."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}\n"


def log_line(text: str) -> str:
    """Plain log text on one line that cannot be read as a command (the runner reads a command
    from any line that starts with ``::`` once leading spaces are trimmed)."""
    text = " ".join(_clean(text).split("\r")).replace("\n", " ")
    return ("- " + text if text.lstrip().startswith("::") else text) + "\n"


class Output(CheckOutput):
    def begin(self) -> None:
        from ..threshold import CheckTally

        self.tally = CheckTally(self.run.fail_on)
        self.levels = {"error": 0, "warning": 0, "notice": 0}

    def add(self, result) -> None:
        from ..threshold import counts_against

        self.tally.add(result)
        path = result.path
        name = repository_path(path) or str(path)
        if result.error is not None:
            self.write(command("group", f"{name}: unreadable"))
            self.write(command("error", result.error, file=name, line=1, title="idmf: unreadable assessment"))
            self.levels["error"] += 1
            self.write(command("endgroup"))
            return
        findings = list(result.findings)
        failing = sum(counts_against(f, self.run.fail_on) for f in findings)
        self.write(command("group", f"{name}: {_count(len(findings), 'finding')}, {failing} at or above "
                                    f"--fail-on {self.run.fail_on.value}"))
        for f in findings:
            qid = first_question(f)
            level = "error" if counts_against(f, self.run.fail_on) else BELOW_THRESHOLD[f.severity]
            self.levels[level] += 1
            where = f" ({qid})" if qid else ""
            also = f" {f.consequence_text}" if f.consequences else ""
            self.write(command(level, f"{f.message}{where} — What to do: {f.guidance}{also}", file=name,
                               line=question_line(path, qid), title=f"{f.rule_id} {f.title} [{f.severity}]"))
        self.write(command("endgroup"))

    def end(self) -> None:
        tally = self.tally
        self.write(log_line(
            f"idmf check: {_count(tally.checked + len(tally.unreadable), 'file')}, "
            f"{len(tally.failing)} failing (--fail-on {self.run.fail_on.value}), {len(tally.unreadable)} unreadable; "
            f"annotations: {self.levels['error']} error, {self.levels['warning']} warning, "
            f"{self.levels['notice']} notice"))
        for statement in self.run.statements:
            self.write(log_line(statement))


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
