"""The reliability figures, per class of failure, as a table (run by scripts/reliability-report.sh).

Not part of make test (which runs the fast version of each class): this runs
thousands of hostile inputs, hundreds of kill -9s, races over links and hand
edits, every tampering, and injection into every output format, and counts
what went wrong. Sizes: IDMF_RELIABILITY_FILES (2000), IDMF_RELIABILITY_KILLS (200).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile import (  # noqa: E402
    FOLDER_COMMANDS, READ_COMMANDS, WRITE_COMMANDS, big_title_file, generate, run_commands, snapshot, special_files,
)

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ROWS: list[tuple[str, str, str]] = []


def row(klass: str, tried: str, result: str, clean: bool = True) -> None:
    result = f"{result}  [{'OK' if clean else 'PROBLEMS'}]"
    ROWS.append((klass, tried, result))
    print(f"  {klass}: {tried} -> {result}", file=sys.stderr, flush=True)


# --- 1. hostile inputs through every command ------------------------------------------

def hostile_inputs(work: Path, count: int) -> None:
    folder = work / "hostile"
    folder.mkdir()
    for name, data in generate(count, seed=2026):
        (folder / f"{name}.yaml").write_bytes(data)
    for example in EXAMPLES:
        shutil.copy(example, folder / f"good-{example.name}")
    special_files(folder)
    (folder / "big-title.yaml").write_bytes(big_title_file())
    files = sorted(folder.iterdir())
    reads, writes = [], []
    for i, f in enumerate(files):
        for command in READ_COMMANDS[:3] + [READ_COMMANDS[4]]:  # show, check, check json, verify: every file
            reads.append([part.format(f=f, out=work / f"r{i}") for part in command])
        if i % 6 == 0 or "big-title" in f.name or not f.name[0].isdigit():  # the slower ones on a share of files
            for command in READ_COMMANDS[3:4] + READ_COMMANDS[5:]:
                reads.append([part.format(f=f, out=work / f"r{i}") for part in command])
    reads += [[part.format(d=folder) for part in command] for command in FOLDER_COMMANDS]
    before = snapshot(folder)
    half = len(reads) // 2
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:
        results = [r for part in pool.map(lambda jobs: run_commands(jobs, cwd=work, timeout=7200),
                                          [reads[:half], reads[half:]]) for r in part]
    modified = sum(1 for name, state in before.items() if snapshot(folder).get(name) != state)
    copy = work / "hostile-writes"
    copy.mkdir()
    for name, data in generate(count // 4, seed=2027):
        (copy / f"{name}.yaml").write_bytes(data)
    special_files(copy)
    for f in sorted(copy.iterdir()):
        for command in WRITE_COMMANDS:
            writes.append([part.format(f=f) for part in command])
    results += run_commands(writes, cwd=work, timeout=7200)
    bad = [r for r in results if r["code"] not in (0, 1, 2, 3)]
    hangs = sum(1 for r in results if r["code"] == "hang")
    bugs = sum(1 for r in results if r["code"] == 70)
    commands = {r["argv"][0] + (" " + r["argv"][1] if r["argv"][0] in ("review",) else "") for r in results}
    slowest = max((r["seconds"], r["argv"][0]) for r in results if r["argv"][0] in ("show", "check", "verify")
                  and not Path(r["argv"][1]).is_dir())
    inputs = count + count // 4 + len(EXAMPLES) + 2 * len(special_files_names()) + 1
    row("hostile inputs", f"{inputs:,} generated/special files; {len(results):,} runs of {len(commands)} commands",
        f"{bugs} exit 70, {hangs} hangs, {len(bad) - bugs - hangs} other, {modified} files modified by a read; "
        f"slowest single-file command {slowest[0]:.2f} s ({slowest[1]})", not bad and not modified)
    for r in bad[:5]:
        print(f"    {r['argv']} -> {r['code']}: {r['stderr'][-200:]}", file=sys.stderr)


def special_files_names() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        return [p.name for p in special_files(Path(tmp))]


# --- 2. kill -9 while saving ---------------------------------------------------------------

def kills(work: Path, rounds: int) -> None:
    from idmf.questionnaire import load_questionnaire
    from idmf.store import edit_lock, load_assessment, save_checked

    questionnaire = load_questionnaire()
    path = work / "killed.yaml"
    path.write_bytes(EXAMPLES[0].read_bytes())
    torn = lost = stale_locks = orphans = 0
    rng = random.Random(9)
    for i in range(rounds):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer: saves again and again, saying after each save which it was
            os.close(read_fd)
            n = 0
            try:
                while True:
                    n += 1
                    with edit_lock(path):
                        file = load_assessment(path, questionnaire)
                        file.assessment.set_answer("purpose.aims", f"save {i}-{n} " + "x" * rng.randint(0, 19_000))
                        save_checked(file.assessment, path, expected=file.fingerprint)
                    os.write(write_fd, f"{n}\n".encode())
            finally:
                os._exit(0)
        os.close(write_fd)
        time.sleep(rng.uniform(0.02, 0.4))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        confirmed = 0
        with os.fdopen(read_fd) as pipe:
            for line in pipe.read().split():
                confirmed = int(line)
        try:
            aims = load_assessment(path, questionnaire).assessment.answers.get("purpose.aims", "")
        except Exception as exc:  # noqa: BLE001 - a torn file is exactly what is counted
            torn += 1
            print(f"    torn after kill {i}: {exc}", file=sys.stderr)
            path.write_bytes(EXAMPLES[0].read_bytes())
            continue
        if confirmed and not (aims.startswith(f"save {i}-") and int(aims.split()[1].split("-")[1]) >= confirmed):
            lost += 1
        try:
            with edit_lock(path):
                file = load_assessment(path, questionnaire)
                save_checked(file.assessment, path, expected=file.fingerprint)
        except Exception:  # noqa: BLE001
            stale_locks += 1
        orphans += sum(1 for p in work.iterdir() if p.name.startswith(".killed.yaml.") and p.name.endswith(".tmp"))
    leftover_lock = (work / ".killed.yaml.lock").exists()
    row("kill -9 while saving", f"{rounds} kill -9s at random moments of lock-load-save",
        f"{torn} torn, {lost} lost confirmed saves, {stale_locks} stale locks, "
        f"{orphans} temp files left after the next save, lock file left: {'yes' if leftover_lock else 'no'}",
        not (torn or lost or stale_locks or orphans or leftover_lock))


# --- 3. concurrency: links, hand edits, two writers ----------------------------------------

def concurrency(work: Path, rounds: int = 20) -> None:
    from idmf.errors import AssessmentChangedOnDisk, AssessmentLocked, InputError
    from idmf.questionnaire import load_questionnaire
    from idmf.store import edit_lock, load_assessment, save_checked

    questionnaire = load_questionnaire()
    lost = tried = 0
    folder = work / "shared"
    folder.mkdir()
    target = folder / "a.yaml"
    link = folder / "link.yaml"
    link.symlink_to(target)
    for i in range(rounds):
        target.write_bytes(EXAMPLES[0].read_bytes())
        # two writers through two names, each adding its own answers as fast as it can
        pids = []
        for name, who in ((target, "target"), (link, "link")):
            pid = os.fork()
            if pid == 0:
                saved = 0
                end = time.time() + 0.6
                while time.time() < end:
                    try:
                        with edit_lock(name):
                            file = load_assessment(name, questionnaire)
                            a = file.assessment
                            mine = a.answers.get("purpose.overview", "")
                            a.set_answer("purpose.overview", (mine + f" {who}{saved}").strip())
                            save_checked(a, name, expected=file.fingerprint)
                            saved += 1
                    except (AssessmentLocked, InputError):
                        time.sleep(0.001)
                os._exit(min(saved, 255))
            pids.append(pid)
        confirmed = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        text = load_assessment(target, questionnaire).assessment.answers.get("purpose.overview", "")
        present = [sum(1 for word in text.split() if word.startswith(who)) for who in ("target", "link")]
        tried += 1
        lost += sum(max(0, c - p) for c, p in zip(confirmed, present))
    # a hard link: refused for editing
    hard = folder / "hard.yaml"
    os.link(target, hard)
    refused_hard = 0
    for _ in range(rounds):
        try:
            with edit_lock(hard):
                pass
        except InputError:
            refused_hard += 1
    hard.unlink()
    # a hand edit made while idmf had the file loaded: never saved over
    overwritten = 0
    for i in range(rounds):
        file = load_assessment(target, questionnaire)
        edited = target.read_text().replace("purpose.scale:", "# hand edit " + str(i) + "\n  purpose.scale:", 1)
        target.write_text(edited)
        file.assessment.title = "saved by idmf"
        try:
            with edit_lock(target):
                save_checked(file.assessment, target, expected=file.fingerprint)
        except AssessmentChangedOnDisk:
            pass
        overwritten += target.read_text() != edited
    row("concurrency", f"{tried} races of two writers via a symlink and its target; {rounds} hard-link edits; "
        f"{rounds} hand edits while loaded", f"{lost} lost updates; {rounds - refused_hard} hard-link edits allowed; "
        f"{overwritten} hand edits overwritten", not (lost or rounds - refused_hard or overwritten))


# --- 4. tampering with signed approvals ----------------------------------------------------

def tampering(work: Path) -> None:
    import yaml

    from idmf import lifecycle, signing
    from idmf.questionnaire import load_questionnaire
    from idmf.rules import default_engine
    from idmf.store import load_assessment, save_assessment
    from tests.test_signing import RESEALED, TAMPERINGS, _reformatted, _reseal

    questionnaire = load_questionnaire()
    engine = default_engine(questionnaire)
    base = work / "config"
    _, public = signing.new_key("Alex Morgan", base=base)
    detected = tried = false_alarms = formats = 0
    missed = []
    folder = work / "signed"
    folder.mkdir()
    (folder / signing.TRUSTED_FILE).write_text(signing.trusted_entry("Alex Morgan", "E&I BP", public, dt.date(2020, 1, 1)))
    os.environ["XDG_CONFIG_HOME"] = str(base)
    for example in EXAMPLES:
        original = folder / example.name
        original.write_bytes(example.read_bytes())
        a = load_assessment(original, questionnaire).assessment
        a.status = "submitted"
        lifecycle.approve(a, reviewer="Alex Morgan", role="E&I BP", comment="ok")
        signing.sign(a, "Alex Morgan")
        save_assessment(a, original)
        signed_text = original.read_text()
        cases = [(name, TAMPERINGS[name], False) for name in TAMPERINGS] + \
                [(name + " (resealed)", TAMPERINGS[name], True) for name in RESEALED]
        for name, change, reseal in cases:
            data = yaml.safe_load(signed_text)
            try:
                change(data)
            except (KeyError, IndexError):
                continue  # this example has no such field
            if reseal:
                try:
                    _reseal(data)
                except Exception:  # noqa: BLE001
                    continue
            original.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
            tried += 1
            try:
                ok = lifecycle.integrity(load_assessment(original, questionnaire).assessment).ok
            except Exception:  # noqa: BLE001 - refused outright: detected
                ok = False
            detected += not ok
            if ok:
                missed.append(f"{example.stem}: {name}")
        for how in ("flow", "quoted", "sorted and commented", "wide lines", "defaults written out"):
            original.write_text(_reformatted(yaml.safe_load(signed_text), how))
            formats += 1
            false_alarms += not lifecycle.integrity(load_assessment(original, questionnaire).assessment).ok
    del engine
    row("tampering", f"{tried} changes to signed approvals (incl. re-sealed hashes); {formats} reformattings",
        f"{detected / tried:.0%} detected ({tried - detected} missed{': ' + '; '.join(missed[:3]) if missed else ''}); "
        f"{false_alarms} false alarms", detected == tried and not false_alarms)


# --- 5. injection into every output format ------------------------------------------------

PAYLOADS = {
    "title": '=HYPERLINK("http://x","y") <script>alert(1)</script> \x1b]0;owned\x07\x1b[2J {{ 7*7 }}',
    "organisation": "+cmd|' /C calc'!A0 \x9b2J \x0b",
    "person_responsible": "@SUM(1+1) ](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "aims": "\x1b[2J\x0bWord break\x0b<b onmouseover=alert(1)>x</b> [a](javascript:alert(1)) {% raw %}",
}


def _live_terminal(text: str) -> bool:
    return "\x1b" in text or "\x07" in text or any(0x80 <= ord(c) <= 0x9f for c in text)


def injection(work: Path) -> None:
    import csv
    import io
    from xml.etree import ElementTree as ET

    import yaml

    folder = work / "injection"
    folder.mkdir()
    data = yaml.safe_load(EXAMPLES[0].read_text())
    data["title"] = PAYLOADS["title"]
    data["metadata"]["organisation"] = PAYLOADS["organisation"]
    data["metadata"]["person_responsible"] = PAYLOADS["person_responsible"]
    data["answers"]["purpose.aims"] = PAYLOADS["aims"]
    path = folder / "hostile \x1b]0;name\x07.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    out = work / "out"
    jobs = {
        "terminal: show": ["show", str(path)], "terminal: check": ["check", str(folder)],
        "terminal: list": ["list", str(folder)], "terminal: verify": ["verify", str(path)],
        "json: list": ["list", str(folder), "--format", "json"], "csv: list": ["list", str(folder), "--format", "csv"],
        "json: check": ["check", str(folder), "--format", "json"], "junit: check": ["check", str(folder), "--format", "junit"],
        "github: check": ["check", str(folder), "--format", "github"], "sarif: check": ["check", str(folder), "--format", "sarif"],
        "report: all formats": ["report", str(path), "--format", "all", "--output", str(out)],
    }
    results = dict(zip(jobs, run_commands(list(jobs.values()), cwd=work)))
    live = []

    def check(name: str, is_live: bool) -> None:
        if is_live:
            live.append(name)

    for name in ("terminal: show", "terminal: check", "terminal: list", "terminal: verify"):
        check(name, _live_terminal(results[name]["stdout"] + results[name]["stderr"]))
    for name in ("json: list", "json: check", "sarif: check"):
        text = results[name]["stdout"]
        check(name, _live_terminal(text))
        json.loads(text)
    rows = list(csv.reader(io.StringIO(results["csv: list"]["stdout"].lstrip("\ufeff"))))
    check("csv: list", any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r))
    try:
        ET.fromstring(results["junit: check"]["stdout"].encode())
    except ET.ParseError:
        live.append("junit: check")
    github = [line for line in results["github: check"]["stdout"].splitlines() if line]
    # Each line is a workflow command or one of idmf's own log lines (a finding or read error in
    # its file's group, the summary, what ran); anything else would be text from the file that
    # escaped its line.
    own_lines = ("idmf check:", "questionnaires:", "rules:", "error: ", "warning: ", "notice: ")
    check("github: check", any(not line.startswith(("::", *own_lines)) or _live_terminal(line) for line in github))
    reports = sorted(out.glob("*")) if out.exists() else []
    for report in reports:
        if report.suffix == ".html":
            import html5lib

            doc = html5lib.parse(report.read_text(), namespaceHTMLElements=False)
            scripts = [e for e in doc.iter() if e.tag == "script" and "alert" in (e.text or "")]
            handlers = [e for e in doc.iter() if any(k.startswith("on") for k in e.attrib)]
            js = [e for e in doc.iter() if e.attrib.get("href", "").startswith("javascript:")]
            check("report: html", bool(scripts or handlers or js) or "49" in report.read_text().split("{{")[0][-3:])
        elif report.suffix == ".md":
            text = report.read_text()
            check("report: md", bool(re.search(r"(?<!\\)<(script|img|b )|(?<!\\)\]\(javascript:", text))
                  or _live_terminal(text))
        elif report.suffix == ".docx":
            from docx import Document

            Document(str(report))  # opens: valid
        elif report.suffix == ".pdf":
            from pypdf import PdfReader

            check("report: pdf", len(PdfReader(str(report)).pages) == 0)
    from idmf.rules.docs import _cell

    docs = _cell(PAYLOADS["person_responsible"]) + _cell(PAYLOADS["aims"])
    check("rules docs", "<" in docs or bool(re.search(r"(?<!\\)\]\(javascript", docs)))
    formats = len(jobs) - 1 + len(reports) + 1
    bad = [name for name, r in results.items() if r["code"] not in (0, 1, 2, 3)]
    row("injection", f"4 hostile payloads into {formats} outputs (terminal, JSON, CSV, JUnit, GitHub, SARIF, "
        f"{len(reports)} report formats, rules docs)", f"{len(live)} live{': ' + ', '.join(live) if live else ''}; "
        f"{len(bad)} commands failed{': ' + ', '.join(bad) if bad else ''}", not live and not bad)



# --- 6. round 2: slow and odd input, every field of every output, files idmf writes, signing ----

def _variant(folder: Path, name: str, change) -> Path:
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "red-day-centre-consolidation.yaml").read_text(encoding="utf-8"))
    change(data)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")
    return path


def _run(argv: list[str], cwd: Path, env: dict | None = None, timeout: float = 30) -> tuple[object, str]:
    """One real `idmf` process: (exit code or "hang", stderr)."""
    import subprocess

    full = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    full.pop("IDMF_DEBUG", None)
    try:
        done = subprocess.run([sys.executable, "-m", "idmf", *argv], cwd=cwd, env=full, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hang", ""
    return done.returncode, done.stderr


def slow_and_odd_input(work: Path) -> None:
    """The reproductions of issues 30/31 that gave exit 70 or ran on: each must end within 30 s with 0-3."""
    import io

    folder = work / "odd"
    folder.mkdir()
    cases: dict[str, tuple[list[str], dict]] = {}
    titles = {"248 characters": "T" * 248, "1 MB": "A" * 1_000_000, "emoji": "\U0001F600" * 300,
              "combining": "a" + "\u0301" * 5000}
    for name, title in titles.items():
        path = _variant(folder, f"title-{len(cases)}.yaml", lambda d, t=title: d.__setitem__("title", t))
        cases[f"Word report, title {name}"] = (["report", str(path), "--format", "docx", "-o", str(folder / f"t{len(cases)}.docx")], {})
    vt = _variant(folder, "vt.yaml", lambda d: d["answers"]["signoff.drafted_by"].__setitem__("name", "Dan\x0bOkafor"))
    cases["Word report, vertical tab in sign-off"] = (["report", str(vt), "--format", "docx", "-o", str(folder / "vt.docx")], {})
    many = _variant(folder, "many.yaml", lambda d: d["answers"].__setitem__(
        "decide.actions", [{"action": f"Action {i}", "status": "not_started"} for i in range(5000)]))
    cases["PDF report, 5,000 actions"] = (["report", str(many), "--format", "pdf", "-o", str(folder / "many.pdf")], {})
    big = _variant(folder, "big.yaml", lambda d: d.__setitem__("title", "T " * 2_450_000))
    cases["PDF report, 4.9 MB title"] = (["report", str(big), "--format", "pdf", "-o", str(folder / "big.pdf")], {})
    (folder / "zero.docx").symlink_to("/dev/zero")
    cases["import of a link to /dev/zero"] = (["import", str(folder / "zero.docx"), "--dir", str(work / "imp")], {})
    os.mkfifo(folder / "fifo.md")
    cases["import of a FIFO"] = (["import", str(folder / "fifo.md"), "--dir", str(work / "imp")], {})
    (folder / "q1.md").write_text("Q1. " * 30_000, encoding="utf-8")
    cases["import of a 124 KB line of 'Q1. '"] = (["import", str(folder / "q1.md"), "--dir", str(work / "imp")], {})
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=1)
    for i in range(60):
        table.cell(0, 0).text = f"Q{i % 27 + 1}. Is there a concern? Yes. " + "Words. " * 8
        table = table.cell(0, 0).add_table(rows=1, cols=1)
    buffer = io.BytesIO()
    document.save(buffer)
    (folder / "nested.docx").write_bytes(buffer.getvalue())
    cases["import of Word tables nested 60 deep"] = (["import", str(folder / "nested.docx"), "--dir", str(work / "imp")], {})
    rules = work / "big-in" / "rules"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "examples", rules.parent / "examples")
    values = ", ".join(f"v{i}" for i in range(450))
    (rules / "zz.yaml").write_text(
        "rules:\n  - id: ZZ-001\n    title: t\n    severity: low\n    category: access\n"
        f"    when:\n      in: {{review.reviewer: [{values}]}}\n    message: m\n    guidance: g\n    references: [r]\n"
        "    examples:\n      fires:\n        - {name: a, answers: {review.reviewer: v1}}\n"
        "      quiet:\n        - {name: b, answers: {review.reviewer: zzz}}\n",
        encoding="utf-8")
    cases["a rule with 'in:' of 450 values"] = (["--rules", str(rules), "check", str(EXAMPLES[0])], {})
    cases["show on an ASCII terminal"] = (["show", str(_variant(folder, "astral.yaml", lambda d: d.__setitem__(
        "title", "Caf\u00e9 \U0001F600")))], {"PYTHONIOENCODING": "ascii"})
    markup = folder / "lm[" / "x]"
    markup.mkdir(parents=True)
    shutil.copy(EXAMPLES[0], markup / "a.yaml")
    cases["list of a folder named 'lm[/x]'"] = (["list", str(markup)], {})
    results = {name: _run(argv, work, env) for name, (argv, env) in cases.items()}
    # a full disk during submit: the file-size limit, in the one process
    import subprocess

    target = folder / "submit.yaml"
    shutil.copy(EXAMPLES[1], target)
    script = ("import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048)); "
              "sys.argv = ['idmf', 'submit', sys.argv[1], '--by', 'P']; from idmf.console import main; main()")
    done = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, text=True, timeout=60)
    results["submit on a full disk"] = (done.returncode, done.stderr)
    bugs = [name for name, (code, _) in results.items() if code == 70]
    hangs = [name for name, (code, _) in results.items() if code == "hang"]
    other = [name for name, (code, _) in results.items() if code not in (0, 1, 2, 3, 70, "hang")]
    row("slow and odd input", f"{len(results)} reproductions (Word titles, huge reports, special files to import, "
        "quadratic inputs, a 450-value rule, ASCII terminal, markup folder, full disk)",
        f"{len(bugs)} exit 70, {len(hangs)} hangs (30 s), {len(other)} other"
        + (": " + ", ".join(bugs + hangs + other) if bugs or hangs or other else ""), not (bugs or hangs or other))


def every_field_injection(work: Path) -> None:
    """Every payload class into every field of every output (tests/injection.py)."""
    from tests import injection

    live, outputs, runs = [], 0, 0
    for kind, path in injection.build(work / "fields").items():
        out = work / "fields-out" / kind.replace(" ", "-")
        jobs = injection.jobs(kind, path, out, pdf=True)
        form = injection.form_named(work / "fields-forms" / kind.replace(" ", "-"), injection.PAYLOADS[kind])
        jobs["terminal: import"] = ["import", str(form), "--dir", str(work / "fields-imported")]
        copy = injection.copy_for_writes(path, work / "fields-writes" / kind.replace(" ", "-"))
        jobs["terminal: submit"] = ["submit", str(copy), "--by", injection.PAYLOADS[kind]]
        results = dict(zip(jobs, run_commands(list(jobs.values()), cwd=work)))
        runs += len(results)
        outputs += len(results) + sum(1 for p in out.rglob("*") if p.is_file())
        live += [f"{kind}: {name}" for name in injection.live(results, out)]
    row("injection, every field", f"{len(injection.PAYLOADS)} payload classes x {len(injection.FIELDS)} fields and the "
        f"file name; {runs} command runs, {outputs} outputs checked",
        f"{len(live)} live" + (": " + "; ".join(live[:6]) if live else ""), not live)


def unasked_overwrites(work: Path) -> None:
    """Each way an output could replace what it should not; counts the files changed."""
    folder = work / "writes"
    folder.mkdir()
    assessment = folder / "a.yaml"
    shutil.copy(EXAMPLES[0], assessment)
    mine = folder / "notes.txt"
    tries: list[tuple[str, list[str], Path]] = []
    for option in ("--html", "--csv"):
        link = folder / f"link{option}"
        link.symlink_to(assessment)
        tries.append((f"audit {option} to a link to an assessment", ["audit", str(folder), option, str(link), "--force"], assessment))
        tries.append((f"audit {option} over my file", ["audit", str(folder), option, str(mine)], mine))
    tries.append(("rules docs -o over my file", ["rules", "docs", "-o", str(mine)], mine))
    tries.append(("rules docs -o over an assessment (--force)", ["rules", "docs", "-o", str(assessment), "--force"], assessment))
    tries.append(("report -o over my file", ["report", str(assessment), "--format", "md", "-o", str(mine)], mine))
    tries.append(("report -o over the assessment (--force)", ["report", str(assessment), "--format", "md", "-o",
                                                              str(assessment), "--force"], assessment))
    changed = []
    for name, argv, guarded in tries:
        mine.write_text("my own notes\n")
        before = guarded.read_bytes()
        _run(argv, work)
        if guarded.read_bytes() != before:
            changed.append(name)
    # planted links at temporary names: the guarded writer and the wizard's draft
    from idmf.questionnaire import load_questionnaire
    from idmf.safe_write import atomic_write
    from idmf.store import load_assessment
    from idmf.wizard.session import Session

    victim = folder / "victim.txt"
    victim.write_text("precious")
    target = folder / "out.txt"
    for pid in range(os.getpid() - 3, os.getpid() + 3):
        (folder / f".{target.name}.{pid}.tmp").symlink_to(victim)
        (folder / f"{target.name}.{pid}.tmp").symlink_to(victim)
    atomic_write(target, b"new")
    session = Session(assessment, load_assessment(assessment, load_questionnaire()).assessment, load_questionnaire())
    draft = assessment.with_name(f".{assessment.name}.draft")
    draft.with_name(f"{draft.name}.{os.getpid()}.tmp").symlink_to(victim)
    os.chmod(assessment, 0o600)
    session.keep_draft("purpose.aims", "half typed")
    if victim.read_text() != "precious":
        changed.append("a planted temporary link")
    readable = os.stat(draft).st_mode & 0o077
    row("unasked overwrites", f"{len(tries)} outputs aimed at links, assessments and other files; planted "
        "temporary-name links", f"{len(changed)} overwritten{': ' + ', '.join(changed) if changed else ''}; "
        f"draft readable by others: {'yes' if readable else 'no'}", not changed and not readable)


def trust_round_2(work: Path) -> None:
    """The signing attacks of round 2 (each must be detected) and its false alarms (each must verify)."""
    import datetime as dt
    import unicodedata

    import yaml

    from idmf import lifecycle, signing
    from idmf.questionnaire import load_questionnaire
    from idmf.rules import default_engine
    from idmf.store import load_assessment, save_assessment

    questionnaire = load_questionnaire()
    engine = default_engine(questionnaire)
    os.environ["XDG_CONFIG_HOME"] = str(work / "trust-config")
    os.environ.pop("IDMF_TRUSTED_REVIEWERS", None)
    name = "Zoé Martin"
    _, public = signing.new_key(name)

    def approved(tag: str, trusted_name: str = name, bom: bool = False) -> Path:
        folder = work / f"trust-{tag}"
        folder.mkdir()
        path = folder / "a.yaml"
        shutil.copy(EXAMPLES[1], path)
        a = load_assessment(path, questionnaire).assessment
        lifecycle.submit(a, by="P", findings=engine.check(a))
        lifecycle.approve(a, reviewer=name, role="E&I")
        signing.sign(a, name)
        save_assessment(a, path)
        entry = signing.trusted_entry(trusted_name, "E&I", public, dt.date(2020, 1, 1)).encode()
        (folder / signing.TRUSTED_FILE).write_bytes((b"\xef\xbb\xbf" if bom else b"") + entry)
        return path

    def resign(path: Path, change) -> None:
        from idmf.model.assessment import Assessment

        data = yaml.safe_load(path.read_text())
        change(data)
        a = Assessment.model_validate(data)
        a.approval.content_hash = a.content_hash()
        prev = ""
        for entry in a.history:
            entry.prev = prev
            if entry.event == "approved":
                entry.content_hash = a.content_hash()
            entry.hash = entry.compute_hash()
            prev = entry.hash
        a.signature = None
        signing.sign(a, name)
        save_assessment(a, path)

    def verified(path: Path) -> bool:
        signing._trust_cache.clear()
        return lifecycle.integrity(load_assessment(path, questionnaire).assessment).approval_verified

    attacks = {}
    p = approved("key-id")
    data = yaml.safe_load(p.read_text())
    data["signature"]["key_id"] = "0" * 16
    p.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    attacks["key_id edited"] = p
    p = approved("backdated")
    resign(p, lambda d: d["approval"].__setitem__("date", "2020-06-01"))
    attacks["approval backdated before the file existed"] = p
    p = approved("before-submission")

    def before_submission(d):
        d["created"] = "2020-01-01T09:00:00+00:00"
        d["approval"]["date"] = "2021-01-01"
    resign(p, before_submission)
    attacks["approval dated before its submission"] = p
    p = approved("out-of-order")
    resign(p, lambda d: d["history"][0].__setitem__("at", "2099-01-01T00:00:00+00:00"))
    attacks["history out of order"] = p
    p = approved("linked")
    (work / "trust-org").mkdir()
    (work / "trust-org" / "team").symlink_to(p.parent)
    attacks["trusted file through a folder link out of its tree"] = work / "trust-org" / "team" / p.name
    undetected = [what for what, path in attacks.items() if verified(path)]
    alarms = {"trusted file with a BOM": approved("bom", bom=True),
              "name in another normal form and case": approved("nfd", unicodedata.normalize("NFD", name).upper())}
    false_alarms = [what for what, path in alarms.items() if not verified(path)]
    row("tamper and trust, round 2", f"{len(attacks)} signing attacks, {len(alarms)} honest variants",
        f"{len(undetected)} undetected{': ' + ', '.join(undetected) if undetected else ''}; "
        f"{len(false_alarms)} false alarms{': ' + ', '.join(false_alarms) if false_alarms else ''} "
        "(not detectable without an outside timestamp, as the README says: a backdate inside the history's order)",
        not undetected and not false_alarms)


def main() -> int:
    files = int(os.environ.get("IDMF_RELIABILITY_FILES", "2000"))
    kill_rounds = int(os.environ.get("IDMF_RELIABILITY_KILLS", "200"))
    start = time.time()
    with tempfile.TemporaryDirectory(prefix="idmf-reliability-") as tmp:
        work = Path(tmp)
        for name, step in (("kill -9", lambda: kills(work, kill_rounds)), ("concurrency", lambda: concurrency(work)),
                           ("tampering", lambda: tampering(work)), ("injection", lambda: injection(work)),
                           ("slow and odd input", lambda: slow_and_odd_input(work)),
                           ("injection, every field", lambda: every_field_injection(work)),
                           ("unasked overwrites", lambda: unasked_overwrites(work)),
                           ("tamper and trust, round 2", lambda: trust_round_2(work)),
                           ("hostile inputs", lambda: hostile_inputs(work, files))):
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - a class that crashed is a failed class, shown as such
                row(name, "did not finish", f"{type(exc).__name__}: {exc}", False)
    width = max(len(k) for k, _, _ in ROWS)
    print(f"{'class':<{width}}  what was tried  =>  what went wrong")
    for klass, tried, result in ROWS:
        print(f"{klass:<{width}}  {tried}\n{'':<{width}}    => {result}")
    print(f"({time.time() - start:.0f} s)")
    return 1 if any(result.endswith("[PROBLEMS]") for _, _, result in ROWS) else 0


if __name__ == "__main__":
    sys.exit(main())
