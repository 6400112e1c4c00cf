"""A register kept as one folder per organisation or directorate: list and check look in subfolders."""

from __future__ import annotations

import json
import shutil

from .conftest import EXAMPLES, run_idmf


def test_list_and_check_find_assessments_in_subfolders(tmp_path):
    examples = sorted(EXAMPLES.glob("*.yaml"))
    (tmp_path / "north-icb" / "community").mkdir(parents=True)
    (tmp_path / "south-trust").mkdir()
    (tmp_path / ".git").mkdir()  # hidden folders are not registers
    shutil.copy(examples[0], tmp_path / "top.yaml")
    shutil.copy(examples[1], tmp_path / "north-icb" / "community" / "deep.yaml")
    shutil.copy(examples[2], tmp_path / "south-trust" / "side.yaml")
    shutil.copy(examples[2], tmp_path / ".git" / "hidden.yaml")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)  # a link back up is not followed
    rows = json.loads(run_idmf("list", str(tmp_path), "--format", "json").stdout)
    names = sorted(row["file"].removeprefix(str(tmp_path) + "/") for row in rows)
    assert names == ["north-icb/community/deep.yaml", "south-trust/side.yaml", "top.yaml"]
    checked = json.loads(run_idmf("check", str(tmp_path), "--format", "json", "--fail-on", "never").stdout)
    assert sorted(a["file"].removeprefix(str(tmp_path) + "/") for a in checked["assessments"]) == names
