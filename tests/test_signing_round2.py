"""Signing, round 2 (issues 30 and 31): what the second attack got past `verify`, and its false alarms.

Every test here failed on the code before the fix.
"""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml

from idmf import lifecycle, signing
from idmf.store import load_assessment, save_assessment

from .conftest import run_idmf
from .test_signing import GREEN, REVIEWER, ROLE, _integrity, _reseal, _trust, approved, keys  # noqa: F401 - fixtures


def _resign(path: Path, change, questionnaire, *, reseal: bool = True) -> None:
    """An edit by someone holding the reviewer's key: change, recompute every hash, sign again."""
    data = yaml.safe_load(path.read_text())
    change(data)
    if reseal:
        _reseal(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    a = load_assessment(path, questionnaire).assessment
    signing.sign(a, REVIEWER)
    save_assessment(a, path)


def test_an_edited_key_id_is_detected(approved, questionnaire):
    data = yaml.safe_load(approved.read_text())
    data["signature"]["key_id"] = "0123456789abcdef"
    approved.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    result = _integrity(approved, questionnaire)
    assert not result.approval_verified and "key_id" in result.statement()


def test_an_approval_backdated_before_the_file_existed_is_refused(approved, questionnaire):
    """An expired key's holder re-signs with a date inside the key's validity, before the file existed."""
    created = load_assessment(approved, questionnaire).assessment.created.date()
    backdated = created - dt.timedelta(days=90)
    _resign(approved, lambda d: d["approval"].__setitem__("date", backdated.isoformat()), questionnaire)
    result = _integrity(approved, questionnaire)
    assert not result.approval_verified and "before the assessment was created" in result.statement()


def test_an_approval_dated_before_its_submission_is_refused(approved, questionnaire):
    a = load_assessment(approved, questionnaire).assessment
    submitted = [e.at.date() for e in a.history if e.event == "submitted"][-1]

    def earlier(d):
        d["created"] = "2020-01-01T09:00:00+00:00"
        d["approval"]["date"] = (submitted - dt.timedelta(days=10)).isoformat()
    _resign(approved, earlier, questionnaire)
    result = _integrity(approved, questionnaire)
    assert not result.approval_verified and "before the assessment was submitted" in result.statement()


def test_a_history_out_of_order_is_refused(approved, questionnaire):
    def shuffled(d):
        d["history"][0]["at"] = "2099-01-01T00:00:00+00:00"
    _resign(approved, shuffled, questionnaire)
    result = _integrity(approved, questionnaire)
    assert not result.approval_verified and "out of order" in result.statement()


def test_a_trusted_file_saved_with_a_byte_order_mark_is_accepted(approved, questionnaire):
    trusted = approved.parent / signing.TRUSTED_FILE
    trusted.write_bytes(b"\xef\xbb\xbf" + trusted.read_bytes())
    signing._trust_cache.clear()
    result = _integrity(approved, questionnaire)
    assert result.ok and result.approval_verified, result.statement()


def test_a_name_in_another_unicode_form_or_case_matches_at_verify(tmp_path, keys, questionnaire, engine):
    name = "Zoé Martin"
    _, public = signing.new_key(name)
    folder = tmp_path / "reg"
    folder.mkdir()
    path = folder / "g.yaml"
    path.write_bytes(GREEN.read_bytes())
    a = load_assessment(path, questionnaire).assessment
    lifecycle.submit(a, by="Priya Shah", findings=engine.check(a))
    lifecycle.approve(a, reviewer=unicodedata.normalize("NFC", name), role=ROLE)
    signing.sign(a, name)
    save_assessment(a, path)
    _trust(folder, public, name=unicodedata.normalize("NFD", name).upper())  # typed another way in the file
    result = _integrity(path, questionnaire)
    assert result.ok and result.approval_verified, result.statement()


def test_approve_with_the_name_in_lower_case_signs_as_the_trusted_file_spells_it(tmp_path):
    config = tmp_path / "xdg"
    env = {"XDG_CONFIG_HOME": str(config)}
    folder = tmp_path / "register"
    folder.mkdir()
    path = folder / "green.yaml"
    shutil.copy(GREEN, path)
    made = run_idmf("keys", "new", "--reviewer", "Sam Okafor", "--role", "E&I BP", env=env)
    assert made.returncode == 0, made.stderr
    (folder / signing.TRUSTED_FILE).write_text(made.stdout[made.stdout.index("[[reviewer]]"):])
    assert run_idmf("submit", str(path), "--by", "Priya Shah").returncode == 0
    approved = run_idmf("review", "approve", str(path), "--reviewer", "sam okafor", "--role", "E&I BP", env=env)
    assert approved.returncode == 0, approved.stderr
    assert "approved by Sam Okafor" in approved.stdout
    verified = run_idmf("verify", str(path))
    assert verified.returncode == 0 and "signature verified" in verified.stdout, verified.stdout + verified.stderr


def test_approve_with_a_key_the_trusted_file_gives_to_someone_else_is_refused(tmp_path):
    config = tmp_path / "xdg"
    env = {"XDG_CONFIG_HOME": str(config)}
    folder = tmp_path / "register"
    folder.mkdir()
    path = folder / "green.yaml"
    shutil.copy(GREEN, path)
    made = run_idmf("keys", "new", "--reviewer", "Sam Okafor", "--role", "E&I BP", env=env)
    entry = made.stdout[made.stdout.index("[[reviewer]]"):].replace('"Sam Okafor"', '"Alex Morgan"')
    (folder / signing.TRUSTED_FILE).write_text(entry)
    assert run_idmf("submit", str(path), "--by", "Priya Shah").returncode == 0
    before = path.read_bytes()
    refused = run_idmf("review", "approve", str(path), "--reviewer", "Sam Okafor", "--role", "E&I BP", env=env)
    assert refused.returncode == 2 and "belongs to Alex Morgan" in refused.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("names", [["王芳"], ["Zoé Martin", "Zoë Martin"], ["Anne-Marie Li", "Anne Marie Li"]])
def test_key_files_exist_for_any_script_and_distinct_names_never_share_one(tmp_path, names):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    for name in names:
        result = run_idmf("keys", "new", "--reviewer", name, "--role", "x", env=env)
        assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "xdg" / "idmf" / "keys").glob("*.pem"))) == len(names)


def test_a_trusted_file_reached_through_a_folder_link_out_of_its_tree_is_not_used(approved, questionnaire, tmp_path):
    """An attacker's folder, holding its own trusted file, linked into the organisation's folder."""
    work = tmp_path / "org"
    work.mkdir()
    (work / "team").symlink_to(approved.parent)  # approved.parent is outside org/
    signing._trust_cache.clear()
    a = load_assessment(work / "team" / approved.name, questionnaire).assessment
    result = lifecycle.integrity(a)
    assert not result.approval_verified and "is a link" in result.statement()


def test_audit_counts_only_a_verified_approval(tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    data = yaml.safe_load(GREEN.read_text())
    data["status"] = "approved"
    data["approval"] = {"reviewer": "Sam Okafor", "role": "E&I", "date": "2026-04-01", "content_hash": "0" * 64}
    (folder / "typed-in.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    verify = run_idmf("verify", str(folder / "typed-in.yaml"))
    assert verify.returncode == 1 and "not signed" in verify.stdout + verify.stderr
    result = run_idmf("audit", str(folder))
    assert "no approval in idmf or on the form              1 of 1" in result.stdout, result.stdout


def test_verify_of_an_unsigned_approval_block_never_says_approved_earlier(tmp_path):
    data = yaml.safe_load(GREEN.read_text())
    data["approval"] = {"reviewer": "Sam Okafor", "role": "E&I", "date": "2026-04-01", "content_hash": "0" * 64}
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    result = run_idmf("verify", str(path))
    assert "approved earlier" not in result.stdout
    assert result.returncode == 1 and "not an approval" in result.stdout


def test_a_version_1_field_a_migration_would_drop_is_refused_not_hidden(tmp_path):
    data = yaml.safe_load(GREEN.read_text())
    data["schema_version"] = 1
    data["owner"] = "Someone Else"  # beside metadata.person_responsible: version 2 holds one
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    for command in (["show", str(path)], ["verify", str(path)]):
        result = run_idmf(*command)
        assert result.returncode == 2 and "owner" in result.stderr and "dropped" in result.stderr
