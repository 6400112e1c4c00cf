"""The check cache: an unchanged file is not checked again, and any change is checked again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import EXAMPLES, ROOT, run_idmf

RED = next(EXAMPLES.glob("red-*.yaml"))
GREEN = next(EXAMPLES.glob("green-*.yaml"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("IDMF_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def no_checking(monkeypatch):
    """After this, checking a file raises: what is shown must come from the cache."""
    def refuse():
        def fail(names, register=False):
            if names:
                raise AssertionError(f"checked again: {names}")
            return []
        monkeypatch.setattr("idmf.checking._check_chunk", fail)
    return refuse


def _findings(result) -> list:
    return [(a["file"], [f["rule_id"] for f in a["findings"]], a["rag"]) for a in json.loads(result.stdout)["assessments"]]


def _copy(tmp_path, *sources):
    folder = tmp_path / "assessments"
    folder.mkdir(exist_ok=True)
    for source in sources:
        shutil.copy(source, folder / source.name)
    return folder


def _age(path, seconds=60):
    # As a file saved a minute ago: the stat shortcut is recorded only for settled files.
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 10**9))


def test_a_second_check_of_unchanged_files_reads_the_cache_and_says_the_same(tmp_path, cache, no_checking):
    folder = _copy(tmp_path, RED, GREEN)
    for path in folder.iterdir():
        _age(path)
    first = {fmt: run_idmf("check", str(folder), "--format", fmt) for fmt in ("json", "table", "sarif", "junit")}
    assert first["json"].returncode == 1 and (cache / "check-cache-3.sqlite3").exists()
    listed = run_idmf("list", str(folder), "--format", "json")  # the register keeps its own results
    assert listed.returncode == 0
    no_checking()
    for fmt, before in first.items():
        again = run_idmf("check", str(folder), "--format", fmt)
        assert again.returncode == before.returncode, (fmt, again.stderr)
        if fmt in ("json", "table"):
            assert again.stdout == before.stdout, fmt
    assert run_idmf("list", str(folder), "--format", "json").stdout == listed.stdout


def test_a_changed_file_is_checked_again_even_with_the_same_size_and_time(tmp_path, cache):
    folder = _copy(tmp_path, RED)
    path = folder / RED.name
    _age(path)
    before = json.loads(run_idmf("list", str(folder), "--format", "json").stdout)
    info = os.stat(path)
    text = path.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    edited = text.replace(title, title[:-1] + ("X" if title[-1] != "X" else "Y"), 1)
    assert len(edited) == len(text)
    path.write_text(edited)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # size and time as they were
    after = json.loads(run_idmf("list", str(folder), "--format", "json").stdout)
    assert after != before
    assert after == json.loads(run_idmf("list", str(folder), "--format", "json", env={"IDMF_CACHE": "off"}).stdout)


@pytest.mark.parametrize("change", ["rules", "questionnaire", "engine", "trusted reviewers"])
def test_a_change_to_what_decides_the_result_is_checked_again(change, tmp_path, cache, no_checking):
    folder = _copy(tmp_path, RED)
    _age(folder / RED.name)
    rules, questionnaires = tmp_path / "rules", tmp_path / "questionnaires"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "questionnaires", questionnaires)
    shutil.copytree(EXAMPLES, tmp_path / "examples")  # the rules' examples name them relative to the rules
    env = {"IDMF_RULES": str(rules), "IDMF_QUESTIONNAIRES": str(questionnaires)}
    first = run_idmf("check", str(folder), "--format", "json", env=env)
    assert first.returncode == 1 and json.loads(first.stdout)["assessments"], first.stderr
    checked = []
    import idmf.checking

    original = idmf.checking._check_chunk

    def counting(names, register=False):
        checked.extend(names)
        return original(names, register)

    import pytest as _pytest

    patch = _pytest.MonkeyPatch()
    patch.setattr("idmf.checking._check_chunk", counting)
    try:
        assert run_idmf("check", str(folder), "--format", "json", env=env).returncode == 1
        assert checked == []  # nothing changed: from the cache
        if change == "rules":
            rule_file = sorted(rules.rglob("*.yaml"))[0]
            rule_file.write_text(rule_file.read_text() + "\n# a comment is a change too\n")
        elif change == "questionnaire":
            manifest = questionnaires / "questionnaire.yaml"
            manifest.write_text(manifest.read_text() + "\n# a comment is a change too\n")
        elif change == "engine":
            env["IDMF_ENGINE"] = "oracle"
        else:
            from idmf.signing import TRUSTED_FILE

            (folder / TRUSTED_FILE).write_text("# nobody yet\n")
        result = run_idmf("check", str(folder), "--format", "json", env=env)
        assert checked == [str(folder / RED.name)], (change, result.returncode, result.stderr)
    finally:
        patch.undo()


def test_the_cache_can_be_turned_off_and_a_broken_cache_is_ignored(tmp_path, cache):
    folder = _copy(tmp_path, RED)
    off = run_idmf("check", str(folder), "--format", "json", env={"IDMF_CACHE": "off"})
    assert off.returncode == 1 and not cache.exists()
    cache.mkdir()
    (cache / "check-cache-3.sqlite3").write_bytes(b"this is not a database" * 100)
    broken = run_idmf("check", str(folder), "--format", "json")
    assert broken.returncode == 1 and broken.stdout == off.stdout and not broken.stderr


def test_concurrent_runs_share_the_cache_safely(tmp_path, cache):
    folder = _copy(tmp_path, RED, GREEN)
    for path in folder.iterdir():
        _age(path)
    env = {**os.environ, "IDMF_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    runs = [subprocess.Popen([sys.executable, "-m", "idmf", "check", str(folder), "--format", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(3)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1, 1], [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1 and not any(err for _, err in outputs)
    assert run_idmf("check", str(folder), "--format", "json").stdout == outputs[0][0]


def test_the_cache_finds_the_trusted_reviewers_file_where_signing_does(tmp_path, monkeypatch):
    from idmf import signing
    from idmf import check_cache

    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "linked").symlink_to(real)
    (tmp_path / "link.yaml").symlink_to(real / "a.yaml")
    for path in (real / "a.yaml", tmp_path / "linked" / "a.yaml", tmp_path / "link.yaml"):
        assert check_cache.trusted_file_for(path) == signing.trusted_file_for(path)
    monkeypatch.setenv("IDMF_TRUSTED_REVIEWERS", str(tmp_path / "elsewhere.toml"))
    assert check_cache.trusted_file_for(real / "a.yaml") == signing.trusted_file_for(real / "a.yaml")
