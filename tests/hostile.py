"""Hostile inputs, generated, and a runner that puts every command through them.

``generate(count, seed)`` makes assessment files the way a hand edit, a
broken tool, a copy-paste or an attacker would: real files with one hostile
change each (impossible dates and times, explicit tags, huge numbers,
duplicate keys, zone-less times, control characters, cuts, byte damage).
``special_files(folder)`` adds what is not a regular file at all.

``run_commands(jobs)`` runs many idmf commands in ONE Python process (the
real ``idmf.cli.main``, as the installed command runs it), each under an
alarm and a memory cap, and returns each exit code, so thousands of
command runs stay affordable. make test runs a few hundred;
scripts/reliability-report.sh runs thousands.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

HOSTILE_SCALARS = [
    # impossible dates and times
    "2026-02-30", "0000-00-00", "2026-13-01", "2026-00-10", "2026-01-01T25:00:00", "2026-01-01T10:61:00",
    "2026-01-01T10:00:61", "2026-01-01 10:00:00 +25:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+05:00",
    # times without a zone, beside times with one
    "2026-01-01 10:00:00", "2026-01-01T10:00:00", "'2026-03-01T09:00:00'",
    # explicit tags
    "!!int abc", "!!bool maybe", "!!float x", "!!timestamp nope", "!!null x", "!!binary aGVsbG8=",
    "!!python/object/apply:os.system ['echo hacked']", "!!python/name:os.system", "!custom x", "!!str 5",
    "!!set {a, b}", "!!omap [a: 1]", "!<tag:yaml.org,2002:int> 12",
    # numbers beyond reason
    "9" * 5000, "-" + "9" * 400, "0x" + "f" * 300, "1_" * 200 + "1", "1" + ":59" * 200, "1e999999", "-.inf", ".nan",
    "9223372036854775808",
    # YAML oddities
    "=", "~", "<<: {a: 1}", "[]", "{}", "[[[[[[[[[[]]]]]]]]]]", "'", "\"unterminated", "*anchor", "&a x",
    "? complex\n: key", "|\n  block", ">-\n  folded",
    # text that reaches terminals, spreadsheets and documents
    "\"\\e]0;owned\\a\\e[2J\"", "\"\\x1b[31mred\\x1b[0m\"", "\"line\\vbreak\"", "\"\\x7f\\x85\\u2028\\u202e\"",
    "=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-1+1", "@SUM(A1)", "\"\\tTAB\"", "<script>alert(1)</script>",
    "{{ 7*7 }}", "{% raw %}", "\"\\uFEFF\\u200b\"",
]

FIELDS = [
    "title", "status", "schema_version", "id", "created", "updated", "metadata.decision_date",
    "metadata.person_responsible", "questionnaire.version", "answers.purpose.aims", "answers.engagement.when",
    "answers.purpose.scale", "answers.purpose.affected_groups", "answers.review.review_date", "approval.date",
    "approval.review_date", "approval.reviewer", "history.0.at", "history.0.hash", "answers",
]


def _set_field(lines: list[str], field: str, value: str) -> list[str]:
    """Put ``value`` as the YAML text of ``field`` (adding the field if absent)."""
    parts = field.split(".")
    if parts[0] == "answers" and len(parts) > 1:
        key, indent, block = ".".join(parts[1:]), "  ", "answers:"
    elif parts[0] == "history" and len(parts) == 3:
        key, indent, block = parts[2], "    ", "history:"
    elif len(parts) == 2:
        key, indent, block = parts[1], "  ", parts[0] + ":"
    else:
        key, indent, block = parts[0], "", None
    value = value.replace("\n", "\n" + indent + "  ")
    out, done, in_block = [], False, block is None
    for line in lines:
        if block is not None and line.rstrip() == block:
            in_block = True
            out.append(line)
            if parts[0] == "history":
                continue
            out.append(f"{indent}{key}: {value}")
            done = True
            continue
        if in_block and not done and line.lstrip(" -").startswith(key + ":") and \
                (len(line) - len(line.lstrip(" -"))) == len(indent):
            prefix = line[: len(line) - len(line.lstrip(" -"))]
            out.append(f"{prefix}{key}: {value}")
            done = True
            continue
        if block is not None and in_block and line and not line.startswith(" ") and line.rstrip() != block:
            in_block = False
        out.append(line)
    if not done:
        if block is None or parts[0] == "history":
            out.append(f"{key}: {value}")
        else:
            out += [block, f"{indent}{key}: {value}"]
    return out


def _approved(source: str) -> str:
    """A copy of an example that carries an approval block and history, so approval fields can be hit."""
    return source.replace("status: draft", "status: approved") + textwrap.dedent("""\
        approval:
          reviewer: Sam Reviewer
          role: E&I Business Partner
          date: '2026-03-11'
          comments: fine
          content_hash: abc
          review_date: '2026-09-11'
        history:
        - at: '2026-03-11T10:00:00+00:00'
          event: created
          hash: x
        """) if "approval:" not in source else source


def generate(count: int, seed: int = 10) -> list[tuple[str, bytes]]:
    """``count`` hostile assessment files as (name, bytes); the same for the same seed."""
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    cases: list[tuple[str, bytes]] = []
    for i in range(count):
        source = rng.choice(sources)
        if "history:" not in source:
            source = _approved(source)
        lines = source.splitlines()
        family = rng.choice(["scalar", "scalar", "scalar", "duplicate", "cut", "bytes", "indent", "control"])
        if family == "scalar":
            field, value = rng.choice(FIELDS), rng.choice(HOSTILE_SCALARS)
            text = "\n".join(_set_field(lines, field, value)) + "\n"
            label = f"{field} = {value[:40]!r}"
        elif family == "duplicate":
            field = rng.choice(["status: approved", "title: Other", "schema_version: 2", "answers: {}",
                                "  purpose.scale: major", "  reviewer: Chief Executive"])
            at = rng.randrange(1, len(lines))
            text = "\n".join(lines[:at] + [field] + lines[at:]) + "\n" + (field + "\n" if not field.startswith(" ") else "")
            label = f"duplicate {field.strip()!r}"
        elif family == "cut":
            raw = source.encode()
            at = rng.randrange(1, len(raw))
            cases.append((f"{i:05d}-cut-at-{at}", raw[:at]))
            continue
        elif family == "bytes":
            raw = bytearray(source.encode())
            for _ in range(rng.randint(1, 5)):
                raw[rng.randrange(len(raw))] = rng.choice([0x00, 0xff, 0xc3, 0x1b, 0x0b, 0x7f, 0x85, 0x0d, 0x09, 0x22, 0x27, 0x3a])
            cases.append((f"{i:05d}-bytes", bytes(raw)))
            continue
        elif family == "indent":
            at = rng.randrange(len(lines))
            lines[at] = rng.choice(["", " ", "\t", "  - ", "? "]) + lines[at]
            text = "\n".join(lines) + "\n"
            label = f"indent line {at + 1}"
        else:
            field = rng.choice(["title", "answers.purpose.aims", "metadata.organisation", "answers.engagement.summary"])
            junk = "".join(rng.choice(["\\e[2J", "\\e]0;x\\a", "\\v", "\\r", "\\b", "\\x9b", "\\u2028", "\\t", "\\f", "a", "="])
                           for _ in range(rng.randint(1, 12)))
            text = "\n".join(_set_field(lines, field, f'"{junk}"')) + "\n"
            label = f"control characters in {field}"
        cases.append((f"{i:05d}-{family}", text.encode("utf-8", "surrogatepass")))
        del label
    return cases


def big_title_file(size: int = 4_900_000) -> bytes:
    """A real assessment whose title alone is about ``size`` bytes (just under the 5 MB limit)."""
    source = EXAMPLES[0].read_text(encoding="utf-8")
    lines = [line for line in source.splitlines() if not line.startswith("title:")]
    return ("\n".join(lines) + "\ntitle: " + "word " * (size // 5) + "\n").encode()


def special_files(folder: Path) -> list[Path]:
    """What is not a regular assessment file: a FIFO, a link to /dev/zero, a link loop ..."""
    made = []

    def add(name: str, make) -> None:
        path = folder / name
        make(path)
        made.append(path)

    add("fifo.yaml", lambda p: os.mkfifo(p))
    add("zero.yaml", lambda p: p.symlink_to("/dev/zero"))
    add("null.yaml", lambda p: p.symlink_to("/dev/null"))
    add("loop-a.yaml", lambda p: p.symlink_to(folder / "loop-b.yaml"))
    add("loop-b.yaml", lambda p: p.symlink_to(folder / "loop-a.yaml"))
    add("self.yaml", lambda p: p.symlink_to(p))
    add("dangling.yaml", lambda p: p.symlink_to(folder / "nowhere.yaml"))
    add("a-folder.yaml", lambda p: p.mkdir())
    add("bad-name-\x1b]0;owned\x07.yaml", lambda p: p.write_bytes(EXAMPLES[0].read_bytes()))
    add(os.fsdecode(b"not-utf8-\xff.yaml"), lambda p: p.write_bytes(EXAMPLES[0].read_bytes()))
    return made


READ_COMMANDS = [
    ("show", "{f}"), ("check", "{f}"), ("check", "{f}", "--format", "json"), ("check", "{f}", "--format", "junit"),
    ("verify", "{f}"), ("report", "{f}", "--format", "md", "--output", "{out}.md"),
    ("report", "{f}", "--format", "html", "--output", "{out}.html"),
]
WRITE_COMMANDS = [
    ("submit", "{f}", "--by", "Tester"), ("review", "approve", "{f}", "--reviewer", "R", "--role", "E&I BP"),
    ("review", "return", "{f}", "--reviewer", "R", "--comment", "redo"),
]
FOLDER_COMMANDS = [
    ("list", "{d}"), ("list", "{d}", "--format", "json"), ("list", "{d}", "--format", "csv"),
    ("check", "{d}"), ("check", "{d}", "--format", "json"), ("check", "{d}", "--format", "sarif"),
    ("check", "{d}", "--format", "github"), ("check", "{d}", "--format", "junit"),
]

_RUNNER = textwrap.dedent("""
    import contextlib, io, json, os, resource, signal, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (3_000_000_000, 3_000_000_000))
    os.environ["NO_COLOR"] = "1"; os.environ["COLUMNS"] = "120"
    os.environ.pop("IDMF_DEBUG", None)
    from idmf.cli import main

    class Hang(BaseException):
        pass

    def on_alarm(*_):
        raise Hang()

    signal.signal(signal.SIGALRM, on_alarm)
    results = []
    for argv in json.load(sys.stdin):
        out, err = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        signal.alarm(int(os.environ.get("IDMF_HOSTILE_TIMEOUT", "30")))
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                sys.argv = ["idmf", *argv]
                main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except Hang:
            code = "hang"
        except BaseException as exc:
            code = f"escaped {type(exc).__name__}: {exc}"
        finally:
            signal.alarm(0)
        results.append({"argv": argv, "code": code, "seconds": time.perf_counter() - start, "stdout_len": len(out.getvalue()),
                        "stdout": out.getvalue()[:500_000], "stderr": err.getvalue()[-2000:]})
    json.dump(results, sys.stdout)
""")


def run_commands(jobs: list[list[str]], cwd: Path, timeout: float = 1800) -> list[dict]:
    """Run each argv through idmf's real entry point in one process; return exit codes and output."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-c", _RUNNER], input=json.dumps(jobs), capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def snapshot(folder: Path) -> dict[str, tuple]:
    """Bytes and times of every regular file (what a read must not change)."""
    state = {}
    for path in sorted(folder.rglob("*")):
        try:
            if path.is_file() and not path.is_symlink():
                info = path.stat()
                state[str(path)] = (path.read_bytes(), info.st_mtime_ns, info.st_mode)
        except OSError:
            continue
    return state
