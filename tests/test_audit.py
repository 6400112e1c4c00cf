"""`idmf audit` over a register as organisations keep one: subfolders, a CSV for Excel,
and a web page that passes axe-core and fits a 320 px screen."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from .accessibility import WIDTH, check_page
from .conftest import EXAMPLES, run_idmf

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture
def register(tmp_path) -> Path:
    """One folder per directorate, as in the register tests, with a hidden folder that is not one."""
    folder = tmp_path / "register"
    (folder / "north-icb" / "community").mkdir(parents=True)
    (folder / "south-trust").mkdir()
    (folder / ".git").mkdir()
    shutil.copy(EXAMPLE_FILES[0], folder / "top.yaml")
    shutil.copy(EXAMPLE_FILES[1], folder / "north-icb" / "community" / "deep.yaml")
    shutil.copy(EXAMPLE_FILES[2], folder / "south-trust" / "side.yaml")
    shutil.copy(EXAMPLE_FILES[2], folder / ".git" / "hidden.yaml")
    return folder


def test_audit_reads_the_subfolders_that_check_and_list_read(register):
    result = run_idmf("audit", str(register))
    assert "3 assessment(s)" in result.stdout, result.stdout
    assert result.returncode == 1  # the examples have gaps (no approval at least)
    assert "north-icb/community/deep.yaml" in result.stdout or "south-trust/side.yaml" in result.stdout
    checked = json.loads(run_idmf("check", str(register), "--format", "json", "--fail-on", "never").stdout)
    listed = json.loads(run_idmf("list", str(register), "--format", "json").stdout)
    assert len(checked["assessments"]) == len(listed) == 3


def test_one_walk_is_shared_by_check_list_and_audit(register, questionnaire):
    from idmf.checking import expand
    from idmf.importing.audit import audit_folder
    from idmf.store import walk_assessment_files

    walked = walk_assessment_files(register)
    assert [p.relative_to(register).as_posix() for p in walked] == [
        "top.yaml", "north-icb/community/deep.yaml", "south-trust/side.yaml"]
    assert expand([register]) == walked
    assert [form.path for form in audit_folder(register, questionnaire).forms] == walked


def test_audit_csv_has_a_byte_order_mark_for_excel(register, tmp_path):
    # An accented title shows in Excel only when the UTF-8 file starts with a byte order mark.
    page = (register / "top.yaml").read_text(encoding="utf-8")
    (register / "top.yaml").write_text(page.replace("Online booking", "Zoë's online booking", 1), encoding="utf-8")
    out = tmp_path / "audit.csv"
    run_idmf("audit", str(register), "--csv", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0].keys() >= {"kind", "detail", "forms", "files"}
    assert any("north-icb/community/deep.yaml" in row["files"] for row in rows)


def test_audit_page_passes_axe_and_fits_a_320_px_screen(register, tmp_path):
    # A title long enough to need wrapping, and a file name with no place to break.
    long_name = register / "south-trust" / ("x" * 90 + ".yaml")
    shutil.copy(EXAMPLE_FILES[0], long_name)
    out = tmp_path / "audit.html"
    result = run_idmf("audit", str(register), "--html", str(out))
    assert result.returncode == 1, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<main>" in page and "<th></th>" not in page
    checked = check_page(page, tmp_path)
    assert checked["violations"] == [], json.dumps(checked["violations"], indent=1)
    assert checked["scrollWidth"] <= WIDTH, f"the page is {checked['scrollWidth']} px wide at {WIDTH} px"
