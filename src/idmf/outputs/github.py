"""`idmf check --format github`: workflow commands that annotate the assessment files in a pull request.

Escaped exactly as GitHub's Actions toolkit escapes them (@actions/core
``escapeData`` and ``escapeProperty``), once, so the runner's unescaping gives
back the text as written: a title reads "Article 3, right to life", and a file
name or an answer holding a line break and ``::error::`` stays inside its own
annotation instead of starting a command.

GitHub shows at most 10 annotations of each level (error, warning, notice) per
step and silently drops the rest, so idmf chooses which: the most severe first
(unreadable files, then findings that fail the run, by severity), at most
``ANNOTATIONS_SHOWN`` of each level. Every finding is still in the log (one
collapsible group per file) and, when ``$GITHUB_STEP_SUMMARY`` is set, in the
job summary's table, which also says how many findings were not annotated.
"""

from __future__ import annotations

import os

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


ANNOTATIONS_SHOWN = 10  # per level: GitHub shows no more per step (docs, "Workflow commands")
LEVELS = ("error", "warning", "notice")


class Output(CheckOutput):
    def begin(self) -> None:
        # (sort key, level, annotation line, summary row) for every finding and unreadable file
        self.annotations: list[tuple[tuple, str, str, list[str]]] = []

    def _annotate(self, rank: tuple, level: str, message: str, name: str, line: int, title: str,
                  row: list[str]) -> None:
        self.annotations.append(((LEVELS.index(level), *rank, len(self.annotations)), level,
                                 command(level, message, file=name, line=line, title=title), row))

    def show(self, result) -> None:
        from ..rules.model import SEVERITY_RANK
        from ..threshold import counts_against

        path = result.path
        name = repository_path(path) or str(path)
        if result.error is not None:
            self.write(command("group", f"{name}: unreadable"))
            self.write(log_line(f"error: {result.error}"))
            self.write(command("endgroup"))
            # Ahead of every finding: nothing in it was checked at all.
            self._annotate((-99, 0), "error", result.error, name, 1, "idmf: unreadable assessment",
                           [name, "1", "error", "unreadable", "", result.error])
            return
        findings = list(result.findings)
        failing = sum(counts_against(f, self.run.fail_on) for f in findings)
        self.write(command("group", f"{name}: {_count(len(findings), 'finding')}, {failing} at or above "
                                    f"--fail-on {self.run.fail_on.value}"))
        for f in findings:
            qid = first_question(f)
            level = "error" if counts_against(f, self.run.fail_on) else BELOW_THRESHOLD[f.severity]
            where = f" ({qid})" if qid else ""
            also = f" {f.consequence_text}" if f.consequences else ""
            message = f"{f.message}{where} — What to do: {f.guidance}{also}"
            line = question_line(path, qid)
            title = f"{f.rule_id} {f.title} [{f.severity}]"
            self.write(log_line(f"{level}: {title} line {line}: {message}"))
            # Most severe first, blocking before not within a severity, then in file order.
            self._annotate((-SEVERITY_RANK[f.severity], not f.blocking), level, message, name, line, title,
                           [name, str(line), level, f"{f.rule_id} {f.title}", f.severity, message])
        self.write(command("endgroup"))

    def end(self) -> None:
        shown = {level: 0 for level in LEVELS}
        not_shown = 0
        for _, level, text, _ in sorted(self.annotations, key=lambda a: a[0]):
            if shown[level] < ANNOTATIONS_SHOWN:
                shown[level] += 1
                self.write(text)
            else:
                not_shown += 1
        tally = self.tally
        counts = (f"idmf check: {_count(tally.checked + len(tally.unreadable), 'file')}, "
                  f"{len(tally.failing)} failing (--fail-on {self.run.fail_on.value}), "
                  f"{len(tally.unreadable)} unreadable")
        self.write(log_line(
            f"{counts}; annotations: {shown['error']} error, {shown['warning']} warning, {shown['notice']} notice"
            + (f"; {not_shown} more not annotated (GitHub shows {ANNOTATIONS_SHOWN} of each level), "
               f"all are in the job summary and above" if not_shown else "")))
        for statement in self.run.statements:
            self.write(log_line(statement))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            self._write_summary(summary, counts, not_shown)

    def _write_summary(self, where: str, counts: str, not_shown: int) -> None:
        """The job summary: every finding in one table, most severe first, and what was not annotated."""
        lines = ["## idmf check", "", markdown_text(counts), ""]
        if not_shown:
            lines += [f"**{not_shown} of {_count(len(self.annotations), 'finding')} not annotated** "
                      f"(GitHub shows {ANNOTATIONS_SHOWN} annotations of each level per step); all are listed here.",
                      ""]
        if self.annotations:
            lines += ["| File | Line | Level | Rule | Severity | Finding |", "| --- | --- | --- | --- | --- | --- |"]
            lines += ["| " + " | ".join(markdown_text(cell) for cell in row) + " |"
                      for _, _, _, row in sorted(self.annotations, key=lambda a: a[0])]
            lines.append("")
        lines += [markdown_text(statement) for statement in self.run.statements]
        try:
            # Appended: other steps of the job write their own parts of the summary.
            with open(where, "a", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n\n")
        except OSError as exc:
            self.warn(f"warning: could not write the job summary to {where}: {exc.strerror or exc}")


_MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "&<>|\\`*_[]()#!~"})


def markdown_text(text: object) -> str:
    """Text from a file as inert Markdown on one line: no markup, links, HTML or table breaks."""
    return " ".join(_clean(text).split()).translate(_MARKDOWN_SPECIAL)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
