"""Reliability proof: hostile files, crashes while approving, two processes at once.

scripts/reliability-report.sh runs this file and prints a table of what was tried.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idmf.errors import InputError
from idmf.store import load_assessment

from .conftest import EXAMPLES, examples, reviewer_env, run_idmf

TRIED: dict[str, int] = {}


def _tried(category: str) -> None:
    TRIED[category] = TRIED.get(category, 0) + 1
    out = os.environ.get("IDMF_RELIABILITY_LOG")
    if out:
        with open(out, "a", encoding="utf-8") as handle:
            handle.write(category + "\n")


def _must_refuse_cleanly(path: Path, questionnaire) -> None:
    before = path.read_bytes()
    start = time.perf_counter()
    try:
        load_assessment(path, questionnaire)
    except InputError as exc:
        assert exc.message and exc.where
    assert time.perf_counter() - start < 5, "bounded time"
    assert path.read_bytes() == before, "file untouched"


yaml_fragments = st.sampled_from([
    "title: x\n", "answers:\n", "  ehiira.q07: {answer: 'yes'}\n", "  purpose.aims: [1, 2\n", "status: 7\n",
    "&a [1]\n", "*a\n", "- \n", "  - {group: age, impact: awful}\n", "\t\n", "? [complex key]\n: v\n",
    "schema_version: 3\n", "schema_version: -1\n", "id: not-a-uuid\n", "history: [{at: 2026-01-01}]\n",
    "!!python/object:os.system {}\n", "title: !!binary aGVsbG8=\n", "%YAML 1.1\n---\n", "...\n",
])


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(yaml_fragments, min_size=1, max_size=8))
def test_generated_malformed_yaml_is_refused_cleanly(tmp_path, questionnaire, parts):
    path = tmp_path / "fuzz.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    _tried("generated malformed YAML")
    _must_refuse_cleanly(path, questionnaire)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=1, max_size=400))
def test_generated_bytes_are_refused_cleanly(tmp_path, questionnaire, data):
    path = tmp_path / "bytes.yaml"
    path.write_bytes(data)
    _tried("generated random bytes")
    _must_refuse_cleanly(path, questionnaire)


HOSTILE = {
    # cut inside a {...} answer, as a crash of a non-atomic editor would
    "truncated YAML": lambda: (lambda b: b[: b.index(b"{answer") + 12])(next(EXAMPLES.glob("green-*.yaml")).read_bytes()),
    "alias bomb": lambda: b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n".encode() for i in range(9)) + b"title: bomb\n",
    "deep nesting": lambda: b"title: x\nanswers: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep mapping": lambda: b"title: x\n" + b"".join(b"  " * i + b"k:\n" for i in range(300)),
    "huge string": lambda: b"title: x\nanswers:\n  purpose.aims: " + b"a" * 4_000_000 + b"\n",
    "wrong types": lambda: b"title: [1, 2]\nanswers: 7\n",
    "unknown keys": lambda: b"title: x\nsecret_field: 1\n",
    "non-UTF-8": lambda: b"title: \xff\xfe\n",
    "empty": lambda: b"",
    "python object tag": lambda: b"title: !!python/object/apply:os.system ['echo hacked']\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hand_made_hostile_files_exit_2_untouched(tmp_path, name):
    path = tmp_path / "hostile.yaml"
    data = HOSTILE[name]()
    path.write_bytes(data)
    _tried(f"hand-made: {name}")
    code = textwrap.dedent(f"""
        import resource, subprocess, sys
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))  # bounded memory
        sys.argv = ["idmf", "show", {str(path)!r}]
        from idmf.cli import main
        main()
    """)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - start < 30
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert "error:" in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == data


def test_symlink_out_of_the_folder_is_listed_as_an_error(tmp_path):
    folder = tmp_path / "register"
    folder.mkdir()
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text("title: not yours\n")
    (folder / "link.yaml").symlink_to(secret)
    _tried("hand-made: symlink outside the folder")
    result = run_idmf("list", str(folder), "--format", "json")
    rows = json.loads(result.stdout)
    assert rows[0]["status"] == "error" and "outside its folder" in rows[0]["note"]


APPROVER = textwrap.dedent("""
    import sys
    from idmf import lifecycle
    from idmf.store import load_assessment, save_assessment
    path = sys.argv[1]
    i = 0
    while True:
        i += 1
        a = load_assessment(path).assessment
        a.status = "submitted"
        lifecycle.approve(a, reviewer=f"Reviewer {i}", role="E&I BP", comment="x" * 100_000)
        save_assessment(a, path)
        print(i, flush=True)
""")


def test_kill_9_while_approving_leaves_previous_or_new_version(tmp_path, questionnaire):
    source = sorted(EXAMPLES.glob("green-*.yaml"))[0]
    path = tmp_path / "approve.yaml"
    path.write_bytes(source.read_bytes())
    script = tmp_path / "approver.py"
    script.write_text(APPROVER)
    # Each kill comes once the first approval is on disk (the approver says so), at a different
    # moment of the approval after it: a fixed delay from the start often fired before any save landed.
    for delay in (0.0, 0.01, 0.02, 0.04, 0.07, 0.1):
        # Start each round from the example: every approval adds 100 KB of comment
        # to the history, and the file must stay under the size idmf reads.
        path.write_bytes(source.read_bytes())
        proc = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True)
        first = int(proc.stdout.readline())
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        _tried("kill -9 while approving")
        a = load_assessment(path, questionnaire).assessment  # loads: never torn
        assert not a.broken_history()
        # The approval saved before the kill (or a later one) is what the file holds.
        assert a.approval is not None and int(a.approval.reviewer.split()[-1]) >= first


def test_two_processes_approving_at_once_one_wins_nothing_lost(tmp_path, questionnaire):
    source = sorted(EXAMPLES.glob("green-*.yaml"))[0]
    path = tmp_path / "race.yaml"
    path.write_bytes(source.read_bytes())
    submitted = run_idmf("submit", str(path), "--by", "Priya Shah")
    assert submitted.returncode == 0, submitted.stderr
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from idmf.store import edit_lock
        with edit_lock({str(path)!r}):
            print("holding", flush=True)
            time.sleep(6)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        second = run_idmf("review", "approve", str(path), "--reviewer", "B", "--role", "E&I BP",
                          env=reviewer_env(path.parent, "A", "B"))
        _tried("two processes editing one file")
        assert second.returncode == 3 and "open in another idmf session" in second.stderr
    finally:
        holder.wait()
    first = run_idmf("review", "approve", str(path), "--reviewer", "A", "--role", "E&I BP",
                     env=reviewer_env(path.parent, "A", "B"))
    assert first.returncode == 0, first.stderr
    a = load_assessment(path, questionnaire).assessment
    assert a.approval.reviewer == "A" and [h.event for h in a.history][-2:] == ["submitted", "approved"]


def test_the_reliability_script_s_injection_and_hostile_input_classes_pass_at_a_small_size(tmp_path):
    """scripts/reliability.py prints the figures in the reliability table; run its injection class
    and a small hostile-input class here so the script cannot drift from what idmf writes (a new
    summary line once read as an injection, and a non-UTF-8 file name as exit 70)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("reliability_script", Path(__file__).parents[1] / "scripts" / "reliability.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.injection(tmp_path)
    script.hostile_inputs(tmp_path, 12)
    problems = [f"{klass}: {result}" for klass, _, result in script.ROWS if result.endswith("[PROBLEMS]")]
    assert len(script.ROWS) == 2 and not problems, problems


def test_the_reliability_script_s_round_2_classes_pass_at_a_small_size(tmp_path):
    """The round-2 rows of scripts/reliability.py that run in seconds: unasked overwrites (outputs
    aimed at links, assessments and users' files; planted temporary-name links) and the signing
    attacks and honest variants. (The slow-input and every-field classes run as
    tests/test_trust_round2.py and tests/test_injection_matrix.py.)"""
    import importlib.util

    spec = importlib.util.spec_from_file_location("reliability_script", Path(__file__).parents[1] / "scripts" / "reliability.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    old = os.environ.get("XDG_CONFIG_HOME")
    try:
        script.unasked_overwrites(tmp_path)
        script.trust_round_2(tmp_path)
    finally:
        if old is None:
            os.environ.pop("XDG_CONFIG_HOME", None)
        else:
            os.environ["XDG_CONFIG_HOME"] = old
    _tried("unasked overwrites (round 2)")
    _tried("signing attacks and honest variants (round 2)")
    problems = [f"{klass}: {result}" for klass, _, result in script.ROWS if result.endswith("[PROBLEMS]")]
    assert len(script.ROWS) == 2 and not problems, problems
