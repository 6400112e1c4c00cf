"""Every payload class into every field of every output, and what counts as a live injection.

``build(folder)`` writes one assessment per payload class, with the payload in every field a user
or a file can fill (title, header fields, text answers, Yes/No rationales, structured answers,
actions, the sign-off, the approval, history entries) and in its file name; ``jobs(...)`` lists
every command whose output carries those fields (terminal, CSV, JSON, GitHub, JUnit, SARIF, the
audit's HTML and CSV, the reports as HTML, Markdown, Word and PDF); ``live(...)`` names the
outputs in which a payload is still live. Used by tests/test_injection_matrix.py (make test) and
scripts/reliability.py (the figures).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "examples" / "red-day-centre-consolidation.yaml"

PAYLOADS = {
    "ESC sequences": "\x1b[2J\x1b[31mred\x1b[0m\x1bc",
    "BEL": "ding\x07\x07",
    "OSC window title and hyperlink": "\x1b]0;owned\x07\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "Rich markup": "[link=https://evil.example]x[/link] lm[/x] [bold]b",
    "bidi controls": "abc\u202etxt.exe\u2066x\u2069",
    "control characters": "".join(chr(c) for c in range(1, 32) if c not in (9, 10)) + "\x7f\x85\x9b31m",
    "astral and combining": "\U0001F600\U0001D518\U0001D52B" * 40 + "a\u0301\u0301",
    "huge": "Long text " * 150,  # 1,500 characters in each of some 30 fields: near the report's 60,000 in all
}

# The fields filled, as (where, how): every kind of place a value reaches an output from.
FIELDS = [
    "title", "metadata.person_responsible", "metadata.organisation", "metadata.service_area",
    "answers.purpose.aims", "answers.purpose.overview", "answers.stage2.access", "answers.review.monitoring_plan",
    "rationale ehiira.q01", "structured stage2.protected_characteristics", "structured stage2.inclusion_groups",
    "action decide.actions", "sign-off signoff.drafted_by", "approval", "history",
]


def _file_name(payload: str) -> str:
    name = payload.replace("/", "_").replace("\x00", "")[:60]
    return f"a {name}.yaml"


def assessment_data(payload: str) -> dict:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    a = data["answers"]
    data["title"] = "Title " + payload
    for key in ("person_responsible", "organisation", "service_area"):
        data["metadata"][key] = payload
    for key in ("purpose.aims", "purpose.overview", "stage2.access", "review.monitoring_plan"):
        a[key] = payload
    a["ehiira.q01"] = {"answer": "yes", "rationale": payload}
    for key in ("stage2.protected_characteristics", "stage2.inclusion_groups"):
        for row in a[key]:
            row["evidence"] = payload
            row["mitigation"] = payload
            row.setdefault("mitigation_type", "change_proposal")
    a["decide.actions"] = [{"action": payload, "owner": payload, "status": "not_started"}]
    a["signoff.drafted_by"] = {"name": payload, "role": payload, "date": "2026-04-02"}
    data["status"] = "returned"
    data["history"] = [
        {"at": "2026-04-01T10:00:00+00:00", "event": "submitted", "by": payload, "detail": payload},
        {"at": "2026-04-02T10:00:00+00:00", "event": "returned", "by": payload, "detail": payload},
    ]
    return data


def approved_data(payload: str) -> dict:
    """The same assessment approved (the approval block's own fields carry the payload)."""
    data = assessment_data(payload)
    data["status"] = "approved"
    data["approval"] = {"reviewer": payload, "role": payload, "date": "2026-04-03", "comments": payload,
                        "content_hash": "0" * 64}
    return data


def build(folder: Path) -> dict[str, Path]:
    """One folder per payload class, holding that class's assessment (and an approved copy)."""
    made = {}
    for kind, payload in PAYLOADS.items():
        sub = folder / re.sub(r"\W+", "-", kind)
        sub.mkdir(parents=True)
        path = sub / _file_name(payload)
        path.write_text(yaml.safe_dump(assessment_data(payload), allow_unicode=True, sort_keys=False, width=10**9),
                        encoding="utf-8")
        (sub / "approved.yaml").write_text(
            yaml.safe_dump(approved_data(payload), allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")
        made[kind] = path
    return made


def form_named(folder: Path, payload: str) -> Path:
    """A real stage 1 form whose file name carries the payload (what `idmf import` prints)."""
    from tests.import_corpus import PHLEBOTOMY, write

    folder.mkdir(parents=True, exist_ok=True)
    return write(folder, PHLEBOTOMY, "same-line", "md").rename(folder / f"form {_file_name(payload)[2:-5]}.md")


def jobs(kind: str, path: Path, out: Path, *, pdf: bool = True) -> dict[str, list[str]]:
    """Every output of the file ``path`` and its folder, by name ("format: command")."""
    d, f = str(path.parent), str(path)
    approved = str(path.parent / "approved.yaml")
    for sub in ("board", "author", "approved"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    formats = "all" if pdf else "md"
    listed = {
        "terminal: show": ["show", f], "terminal: show approved": ["show", approved],
        "terminal: check": ["check", f], "terminal: check folder": ["check", d],
        "terminal: verify": ["verify", f], "terminal: verify approved": ["verify", approved],
        "terminal: list": ["list", d], "terminal: audit": ["audit", d],
        "json: check": ["check", d, "--format", "json"], "json: list": ["list", d, "--format", "json"],
        "csv: list": ["list", d, "--format", "csv"],
        "github: check": ["check", d, "--format", "github"], "junit: check": ["check", d, "--format", "junit"],
        "sarif: check": ["check", d, "--format", "sarif"],
        "csv+html: audit": ["audit", d, "--csv", str(out / "audit.csv"), "--html", str(out / "audit.html")],
        "reports: board": ["report", f, "--format", formats, "--output", str(out / "board")],
        "reports: author": ["report", f, "--format", formats, "--audience", "author", "--output", str(out / "author")],
        "reports: approved": ["report", approved, "--format", formats, "--output", str(out / "approved")],
    }
    if not pdf:  # the other report formats one by one (all = html, md, docx, pdf)
        for audience in ("board", "author"):
            for fmt in ("html", "docx"):
                listed[f"reports: {audience} {fmt}"] = ["report", f, "--format", fmt, "--audience", audience,
                                                        "--output", str(out / audience)]
    return listed


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def live_in_text(text: str) -> bool:
    """Would this text act on a terminal (or reorder what a reader sees)?"""
    return ("\x1b" in text or "\x07" in text or any(0x80 <= ord(c) <= 0x9f for c in text)
            or bool(_BIDI.search(text)) or "\x00" in text)


def live(results: dict[str, dict], out: Path) -> list[str]:
    """The outputs (by name) in which a payload is live, or that could not be read as their format."""
    found = []

    def mark(name: str, is_live: bool) -> None:
        if is_live:
            found.append(name)

    for name, r in results.items():
        mark(f"{name} (exit {r['code']})", r["code"] not in (0, 1, 2, 3))
        mark(f"{name} (stdout/stderr)", live_in_text(r["stdout"]) or live_in_text(r["stderr"]))
        if name.startswith(("json:", "sarif:")) and r["code"] in (0, 1):
            try:
                json.loads(r["stdout"])
            except ValueError:
                found.append(f"{name} (not JSON)")
        if name.startswith("junit:") and r["code"] in (0, 1):
            try:
                ET.fromstring(r["stdout"].encode("utf-8"))
            except ET.ParseError:
                found.append(f"{name} (not XML)")
        if name.startswith("csv:") and r["code"] in (0, 1):
            rows = list(csv.reader(io.StringIO(r["stdout"].lstrip("\ufeff"))))
            mark(name + " (formula)", any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row))
        if name.startswith("github:"):
            # The workflow commands idmf writes, then its plain log lines: the summary lines and, inside
            # each file's ::group:: (h29), one "level: finding" line per finding (made safe by log_line).
            own = ("::group::", "::endgroup::", "::error ", "::warning ", "::notice ", "idmf check:",
                   "questionnaires:", "rules:", "error: ", "warning: ", "notice: ")
            mark(name + " (line outside an annotation)", any(line and not line.startswith(own)
                                                              for line in r["stdout"].splitlines()))
    for written in sorted(p for p in out.rglob("*") if p.is_file()):
        name = f"file {written.relative_to(out)}"
        if written.suffix in (".html", ".md", ".csv"):
            text = written.read_text(encoding="utf-8", errors="replace")
            mark(name, live_in_text(text))
            if written.suffix == ".html":
                mark(name + " (script)", bool(re.search(r"<(script|img|iframe)\b", text.split("<body", 1)[-1])
                                          and "evil" in text))
        elif written.suffix == ".docx":
            try:
                with zipfile.ZipFile(written) as z:
                    xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
                mark(name, live_in_text(xml))
            except (zipfile.BadZipFile, UnicodeDecodeError):
                found.append(name + " (not a Word file)")
        elif written.suffix == ".pdf":
            import pdfplumber

            # pdfminer's text, not pypdf's: pypdf decodes the fallback font of the control pictures
            # (U+2400...) as pairs of bytes, inventing control characters the PDF does not hold.
            try:
                with pdfplumber.open(written) as pdf:
                    mark(name + " (no pages)", len(pdf.pages) == 0)
                    mark(name, live_in_text("".join(page.extract_text() or "" for page in pdf.pages[:3])))
            except Exception:  # noqa: BLE001 - an unreadable PDF is the finding
                found.append(name + " (not a PDF)")
    return found


def copy_for_writes(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    shutil.copy(path, target)
    return target
