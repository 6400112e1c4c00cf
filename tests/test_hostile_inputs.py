"""Every command against generated hostile files: never exit 70, never hang,
a read never changes a file, and one bad file never hides the others.

The fast version of what scripts/reliability-report.sh runs by the thousand
(IDMF_HOSTILE_COUNT sets how many files are generated).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from idmf.errors import InputError
from idmf.yamlio import parse_data

from .conftest import EXAMPLES
from .hostile import (
    FOLDER_COMMANDS, READ_COMMANDS, WRITE_COMMANDS, big_title_file, generate, run_commands, snapshot,
    special_files,
)

COUNT = int(os.environ.get("IDMF_HOSTILE_COUNT", "60"))
EXIT_CODES = {0, 1, 2, 3}


def _log(category: str, n: int) -> None:
    out = os.environ.get("IDMF_RELIABILITY_LOG")
    if out:
        with open(out, "a", encoding="utf-8") as handle:
            handle.write(f"{category}\n" * n)


def _fill(folder: Path) -> Path:
    folder.mkdir()
    for name, data in generate(COUNT):
        (folder / f"{name}.yaml").write_bytes(data)
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, folder / f"good-{example.name}")
    special_files(folder)
    return folder


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> Path:
    return _fill(tmp_path_factory.mktemp("hostile") / "register")


def _bad(results: list[dict]) -> list[str]:
    return [f"{r['argv']} -> {r['code']}: {r['stderr'][-300:]}" for r in results if r["code"] not in EXIT_CODES]


@pytest.mark.slow
def test_every_read_command_on_every_hostile_file_exits_0_to_3_and_changes_nothing(hostile_folder, tmp_path):
    files = sorted(hostile_folder.iterdir())
    before = snapshot(hostile_folder)
    jobs = [[part.format(f=str(f), out=str(tmp_path / f"r{i}")) for part in command]
            for i, f in enumerate(files) for command in READ_COMMANDS]
    results = run_commands(jobs, cwd=tmp_path)
    _log("hostile input: read command runs", len(results))
    assert _bad(results) == []
    assert snapshot(hostile_folder) == before, "a read command changed a file"
    good = [r for r in results if "good-" in r["argv"][1] and r["argv"][0] in ("show", "verify")]
    assert good and all(r["code"] == 0 for r in good), good[:1]


@pytest.mark.slow
def test_every_write_command_on_hostile_files_exits_0_to_3_and_changes_only_on_success(tmp_path):
    copy = _fill(tmp_path / "copy")
    files = sorted(p for p in copy.iterdir())
    jobs = [[part.format(f=str(f)) for part in command] for f in files for command in WRITE_COMMANDS]
    before = snapshot(copy)
    results = run_commands(jobs, cwd=tmp_path)
    _log("hostile input: write command runs", len(results))
    assert _bad(results) == []
    after = snapshot(copy)
    succeeded = {r["argv"][-3] if r["argv"][0] == "submit" else r["argv"][2] for r in results if r["code"] == 0}
    changed = {name for name in before if before[name][0] != after.get(name, (None,))[0]}
    assert changed <= succeeded


def test_register_and_check_of_a_folder_list_every_good_file_and_each_bad_one(hostile_folder, tmp_path):
    results = run_commands([[part.format(d=str(hostile_folder)) for part in c] for c in FOLDER_COMMANDS], cwd=tmp_path)
    _log("hostile input: folder command runs", len(results))
    assert _bad(results) == []
    by_command = {" ".join(r["argv"][:1] + r["argv"][2:]): r for r in results}
    rows = json.loads(by_command["list --format json"]["stdout"])
    listed = {Path(row["file"]).name: row for row in rows}
    # A name that is not UTF-8 is listed with U+FFFD where its odd byte was, so the JSON stays valid UTF-8.
    names = {os.fsencode(p.name).decode("utf-8", "replace") for p in hostile_folder.iterdir() if p.name.endswith(".yaml")}
    assert set(listed) == names, "every file has a row"
    for example in EXAMPLES.glob("*.yaml"):
        assert listed[f"good-{example.name}"]["status"] != "error"
    for name in ("fifo.yaml", "zero.yaml", "loop-a.yaml", "a-folder.yaml", "dangling.yaml"):
        assert listed[name]["status"] == "error" and listed[name]["note"], name
    checked = json.loads(by_command["check --format json"]["stdout"])
    assert len(checked["assessments"]) + len(checked["errors"]) == len(names)
    assert {Path(e["file"]).name for e in checked["errors"]} == {n for n, row in listed.items() if row["status"] == "error"}
    assert f"{len(names)} assessment(s)" in by_command["list"]["stdout"]


@pytest.mark.parametrize("value, message", [
    ("2026-02-30", "not a real date"), ("0000-00-00", "not a real date"),
    ("2026-01-01T25:00:00", "not a real date or time"), ("!!int abc", "tag !!int"),
    ("!!bool maybe", "tag !!bool"), ("9" * 5000, "more than 30 digits"),
    ("9223372036854775808", "too large"), ("!!python/name:os.system", "tag !!python/name:os.system"),
])
def test_scalar_idmf_will_not_read_is_an_error_with_its_line(value, message):
    with pytest.raises(InputError) as info:
        parse_data(f"title: x\nstatus: draft\ncreated: {value}\n", "a.yaml")
    assert info.value.where == "a.yaml:3" and message in info.value.message


def test_duplicate_key_names_both_lines():
    with pytest.raises(InputError) as info:
        parse_data("title: x\nstatus: draft\nanswers: {}\nstatus: approved\n", "a.yaml")
    assert info.value.where == "a.yaml:4" and "first on line 2" in info.value.message


def test_times_are_read_in_utc_whether_or_not_they_carry_a_zone(tmp_path, questionnaire):
    from idmf.store import load_assessment

    text = EXAMPLES.joinpath("green-pharmacy-extended-hours.yaml").read_text()
    text = text.replace("created: '2026-02-02T09:15:00+00:00'", "created: 2026-02-02 09:15:00")
    text = text.replace("updated: '2026-03-10T16:40:00+00:00'", "updated: '2026-03-10T18:40:00+02:00'")
    path = tmp_path / "a.yaml"
    path.write_text(text)
    a = load_assessment(path, questionnaire).assessment
    assert a.created.utcoffset().total_seconds() == 0 and a.created.hour == 9
    assert a.updated.utcoffset().total_seconds() == 0 and a.updated.hour == 16
    assert a.last_changed >= a.created  # comparing the two no longer fails


def test_special_files_are_refused_by_what_they_are_without_opening(tmp_path):
    from idmf.yamlio import read_text

    made = {p.name: p for p in special_files(tmp_path)}
    expected = {"fifo.yaml": "named pipe", "zero.yaml": "device", "null.yaml": "device", "loop-a.yaml": "cannot read",
                "self.yaml": "cannot read", "dangling.yaml": "not found", "a-folder.yaml": "folder"}
    for name, words in expected.items():
        with pytest.raises(InputError) as info:
            read_text(made[name])
        assert words in info.value.message, (name, info.value.message)


def test_size_limit_is_enforced_on_what_is_read_not_what_stat_says(tmp_path, monkeypatch):
    import idmf.yamlio as yamlio

    path = tmp_path / "growing.yaml"
    path.write_bytes(b"title: " + b"a" * 2000 + b"\n")
    real_stat = os.stat
    monkeypatch.setattr(yamlio.os, "stat", lambda p, *a, **k: os.stat_result(
        tuple(real_stat(p))[:6] + (10,) + tuple(real_stat(p))[7:]))  # claims 10 bytes
    with pytest.raises(InputError) as info:
        yamlio.read_text(path, limit=1000)
    assert "over the 1,000 byte limit" in info.value.message


def test_unreadable_folder_is_listed_with_its_reason_beside_the_good_files(tmp_path, monkeypatch):
    from idmf import checking

    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(next(EXAMPLES.glob("green-*.yaml")), good / "a.yaml")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_listdir = os.listdir

    def listdir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr("idmf.store.files.os.listdir", listdir)
    results = checking.check_files(checking.expand([good, locked]))
    assert [r.error is None for r in results] == [True, False]
    assert "cannot list the folder (Permission denied)" in results[1].error


@pytest.mark.slow
def test_a_title_just_under_the_size_limit_is_shown_listed_and_checked(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(big_title_file())
    results = run_commands([["show", str(path)], ["check", str(path)], ["list", str(tmp_path)],
                            ["verify", str(path)]], cwd=tmp_path)
    _log("hostile input: 4.9 MB title", len(results))
    assert [r["code"] for r in results] == [0, 0, 0, 0] or _bad(results) == []
    # Shown, but not 4.9 MB of it: the terminal gets the start and a note of how much more is in the file.
    assert results[0]["stdout_len"] < 200_000 and "more characters" in results[0]["stdout"]
