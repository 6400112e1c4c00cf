"""Signed approvals: no change to an approved file, and no typed-in approval, passes as approved.

Each tampering is a test (the 18 changes that once passed `idmf verify`
among them); formatting-only changes must raise no false alarm.
"""

from __future__ import annotations

import copy
import datetime as dt
import stat
from pathlib import Path

import pytest
import yaml

from idmf import lifecycle, signing
from idmf.store import load_assessment, save_assessment

from .conftest import EXAMPLES, run_idmf

GREEN = next(EXAMPLES.glob("green-*.yaml"))
REVIEWER, ROLE = "Alex Morgan", "Equality & Inclusion Business Partner"


@pytest.fixture
def keys(tmp_path, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv("IDMF_TRUSTED_REVIEWERS", raising=False)
    _, public = signing.new_key(REVIEWER)
    return {"config": config, "public": public}


def _trust(folder: Path, public: str, name: str = REVIEWER, valid_from: str = "2020-01-01", valid_to: str = "") -> None:
    entry = signing.trusted_entry(name, ROLE, public, dt.date.fromisoformat(valid_from))
    if valid_to:
        entry += f"valid_to = {valid_to}\n"
    with open(folder / signing.TRUSTED_FILE, "a", encoding="utf-8") as handle:
        handle.write(entry + "\n")


@pytest.fixture
def approved(tmp_path, keys, questionnaire, engine) -> Path:
    """The green example, submitted, approved and signed by a trusted reviewer."""
    folder = tmp_path / "register"
    folder.mkdir()
    path = folder / "green.yaml"
    path.write_bytes(GREEN.read_bytes())
    a = load_assessment(path, questionnaire).assessment
    lifecycle.submit(a, by="Priya Shah", findings=engine.check(a))
    lifecycle.approve(a, reviewer=REVIEWER, role=ROLE, comment="Proportionate")
    signing.sign(a, REVIEWER)
    save_assessment(a, path)
    _trust(folder, keys["public"])
    return path


def _integrity(path: Path, questionnaire):
    return lifecycle.integrity(load_assessment(path, questionnaire).assessment)


def test_a_signed_approval_by_a_trusted_reviewer_verifies(approved, questionnaire):
    result = _integrity(approved, questionnaire)
    assert result.ok and result.approval_verified, result.statement()


def _reseal(data: dict) -> None:
    """What an editor who read idmf's code would do: recompute every hash after the change."""
    from idmf.model.assessment import Assessment

    a = Assessment.model_validate(data)
    a.approval.content_hash = a.content_hash()
    prev = ""
    for entry in a.history:
        entry.prev = prev
        if entry.event == "approved":
            entry.content_hash = a.content_hash()
        entry.hash = entry.compute_hash()
        prev = entry.hash
    data.clear()
    data.update(a.model_dump(mode="json", exclude_none=True))


def _set(path: str, value):
    def change(data: dict) -> None:
        *parents, last = path.split("/")
        node = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value
    return change


TAMPERINGS = {
    "reviewer renamed": _set("approval/reviewer", "Chief Executive"),
    "role changed": _set("approval/role", "Chief Executive"),
    "approval date moved": _set("approval/date", "2025-01-01"),
    "review date pushed to 2035": _set("approval/review_date", "2035-01-01"),
    "approval comments changed": _set("approval/comments", "Approved without reservation"),
    "approval content hash changed": _set("approval/content_hash", "0" * 64),
    "status set to submitted": _set("status", "submitted"),
    "status set to draft": _set("status", "draft"),
    "id changed": _set("id", "00000000-0000-4000-8000-000000000000"),
    "questionnaire version changed": _set("questionnaire/version", "2020.01"),
    "questionnaire id changed": _set("questionnaire/id", "other"),
    "scope changed": _set("scope", "screening"),
    "history shortened": lambda d: d.__setitem__("history", d["history"][:-1]),
    "history entry removed from the middle": lambda d: d["history"].pop(1),
    "history entry added": lambda d: d["history"].append(dict(d["history"][-1], event="approved", by="Chief Executive")),
    "history detail changed": _set("history/0/detail", "rewritten"),
    "history author changed": _set("history/0/by", "Someone Else"),
    "created date changed": _set("created", "2020-01-01T00:00:00+00:00"),
    "updated date changed": _set("updated", "2020-01-01T00:00:00+00:00"),
    "title changed": _set("title", "A different decision"),
    "organisation changed": _set("metadata/organisation", "Another Trust"),
    "decision date changed": _set("metadata/decision_date", "2030-01-01"),
    "answer changed": _set("answers/purpose.scale", "minor"),
    "answer removed": lambda d: d["answers"].pop("purpose.aims"),
    "answer added": _set("answers/review.late_review_reason", "because"),
    "rationale changed": _set("answers/purpose.reduces_service/rationale", "changed"),
    "external approval added": _set("external_approval", {"name": "Board", "role": "Chair", "date": "2026-01-01"}),
    "signature removed": lambda d: d.pop("signature"),
    "signature value changed": lambda d: d["signature"].__setitem__("value", d["signature"]["value"][::-1]),
    "approval removed, still approved": lambda d: d.pop("approval"),
}
RESEALED = ["answer changed", "title changed", "organisation changed", "answer removed", "rationale changed",
            "reviewer renamed", "review date pushed to 2035", "history shortened", "status set to submitted"]


def _tamper(approved: Path, change, reseal: bool = False) -> None:
    data = yaml.safe_load(approved.read_text())
    change(data)
    if reseal:
        _reseal(data)
    approved.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_every_change_to_a_signed_approval_is_detected(approved, questionnaire, name):
    _tamper(approved, TAMPERINGS[name])
    try:
        result = _integrity(approved, questionnaire)
    except Exception as exc:  # noqa: BLE001 - refusing the file outright also detects the change
        assert getattr(exc, "exit_code", None) == 2, exc
        return
    assert not result.ok, name
    assert result.statement()


@pytest.mark.parametrize("name", RESEALED)
def test_a_change_with_every_hash_recomputed_is_still_detected(approved, questionnaire, name):
    _tamper(approved, TAMPERINGS[name], reseal=True)
    result = _integrity(approved, questionnaire)
    assert not result.ok and ("not verified" in result.statement() or "Changed" in result.statement())


def test_an_approval_typed_into_a_never_submitted_file_is_not_verified(tmp_path, keys, questionnaire):
    folder = tmp_path / "register"
    folder.mkdir()
    _trust(folder, keys["public"])
    red = next(EXAMPLES.glob("red-*.yaml")).read_text()
    path = folder / "red.yaml"
    path.write_text(red)
    content_hash = load_assessment(path, questionnaire).assessment.content_hash()  # as a careful forger would
    red = red.replace("status: draft", "status: approved") + (
        "approval:\n  reviewer: Alex Morgan\n  role: E&I Business Partner\n  date: '2026-03-01'\n"
        f"  content_hash: {content_hash}\n  review_date: '2026-09-01'\n")
    path = folder / "red.yaml"
    path.write_text(red)
    result = _integrity(path, questionnaire)
    assert not result.ok and "Approval not verified" in result.statement()
    verify = run_idmf("verify", str(path))
    assert verify.returncode == 1 and "approval not verified" in verify.stdout.lower()
    listed = run_idmf("list", str(folder), "--format", "json")
    assert "not verified" in listed.stdout.lower()
    checked = run_idmf("check", str(path), "--fail-on", "never")
    assert checked.returncode == 1 and "not verified" in checked.stdout.lower()


def test_a_key_not_in_the_trusted_file_is_not_trusted(approved, questionnaire, keys):
    (approved.parent / signing.TRUSTED_FILE).write_text("")
    assert "not in the trusted-reviewers file" in _integrity(approved, questionnaire).statement()


def test_no_trusted_file_means_not_verified(approved, questionnaire):
    (approved.parent / signing.TRUSTED_FILE).unlink()
    assert "trusted-reviewers file" in _integrity(approved, questionnaire).statement()


def test_a_key_valid_only_after_the_approval_date_is_not_trusted_then(approved, questionnaire, keys):
    (approved.parent / signing.TRUSTED_FILE).unlink()
    _trust(approved.parent, keys["public"], valid_from="2099-01-01")
    assert "not valid on the approval date" in _integrity(approved, questionnaire).statement()


def test_a_key_that_expired_before_the_approval_is_not_trusted(approved, questionnaire, keys):
    (approved.parent / signing.TRUSTED_FILE).unlink()
    _trust(approved.parent, keys["public"], valid_from="2000-01-01", valid_to="2001-01-01")
    assert "not valid on the approval date" in _integrity(approved, questionnaire).statement()


def test_someone_elses_trusted_key_cannot_sign_as_the_reviewer(approved, questionnaire, keys):
    (approved.parent / signing.TRUSTED_FILE).unlink()
    _trust(approved.parent, keys["public"], name="Somebody Else")
    assert "not to Alex Morgan" in _integrity(approved, questionnaire).statement()


def _reformatted(data: dict, how: str) -> str:
    if how == "flow":
        return yaml.safe_dump(data, default_flow_style=True, width=60)
    if how == "quoted":
        class Quoting(yaml.SafeDumper):
            pass
        Quoting.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style='"'))
        return yaml.dump(data, Dumper=Quoting, sort_keys=True)
    if how == "sorted and commented":
        return "# reviewed copy\n" + yaml.safe_dump(data, sort_keys=True).replace("\ntitle:", "\n# the title\ntitle:")
    if how == "wide lines":
        return yaml.safe_dump(data, width=10_000, sort_keys=False, allow_unicode=True)
    if how == "defaults written out":
        full = copy.deepcopy(data)
        full.setdefault("scope", "full")
        full["metadata"].setdefault("service_area", "")
        return yaml.safe_dump(full, sort_keys=False)
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["flow", "quoted", "sorted and commented", "wide lines", "defaults written out"])
def test_formatting_only_changes_raise_no_false_alarm(approved, questionnaire, how):
    data = yaml.safe_load(approved.read_text())
    approved.write_text(_reformatted(data, how))
    result = _integrity(approved, questionnaire)
    assert result.ok and result.approval_verified, (how, result.statement())


def test_keys_new_writes_a_private_key_only_the_reviewer_can_read_and_prints_the_public_key(tmp_path):
    config = tmp_path / "xdg"
    result = run_idmf("keys", "new", "--reviewer", "Sam Okafor", "--role", "E&I BP", env={"XDG_CONFIG_HOME": str(config)})
    assert result.returncode == 0, result.stderr
    [key] = (config / "idmf" / "keys").glob("sam-okafor-*.ed25519.pem")  # the name, then a hash of it
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "PRIVATE KEY" in key.read_text()
    assert "public_key = \"ed25519:" in result.stdout and "[[reviewer]]" in result.stdout
    again = run_idmf("keys", "new", "--reviewer", "Sam Okafor", env={"XDG_CONFIG_HOME": str(config)})
    assert again.returncode == 2 and "already has a signing key" in again.stderr


def test_review_approve_signs_and_verify_reports_it(tmp_path):
    config = tmp_path / "xdg"
    env = {"XDG_CONFIG_HOME": str(config)}
    folder = tmp_path / "register"
    folder.mkdir()
    path = folder / "green.yaml"
    path.write_bytes(GREEN.read_bytes())
    made = run_idmf("keys", "new", "--reviewer", REVIEWER, "--role", ROLE, env=env)
    (folder / signing.TRUSTED_FILE).write_text(made.stdout[made.stdout.index("[[reviewer]]"):])
    assert run_idmf("submit", str(path), "--by", "Priya Shah").returncode == 0
    approved = run_idmf("review", "approve", str(path), "--reviewer", REVIEWER, "--role", ROLE, env=env)
    assert approved.returncode == 0, approved.stderr
    assert "signed" in approved.stdout
    verified = run_idmf("verify", str(path))
    assert verified.returncode == 0 and "signature verified" in verified.stdout, verified.stdout
    listed = run_idmf("list", str(folder), "--format", "json")
    assert "[[reviewer]]" not in listed.stdout and len(__import__("json").loads(listed.stdout)) == 1


def test_review_approve_without_a_key_is_refused_and_changes_nothing(tmp_path):
    path = tmp_path / "green.yaml"
    path.write_bytes(GREEN.read_bytes())
    assert run_idmf("submit", str(path), "--by", "Priya Shah").returncode == 0
    before = path.read_bytes()
    result = run_idmf("review", "approve", str(path), "--reviewer", "Nobody", "--role", "x",
                      env={"XDG_CONFIG_HOME": str(tmp_path / "empty")})
    assert result.returncode == 2 and "idmf keys new" in result.stderr
    assert path.read_bytes() == before


def test_editing_a_signed_approval_in_idmf_reopens_it_as_a_changed_draft_not_a_forgery(approved, questionnaire):
    file = load_assessment(approved, questionnaire)
    a = file.assessment
    a.set_answer("purpose.scale", "minor", by="Priya Shah")
    save_assessment(a, approved)
    result = _integrity(approved, questionnaire)
    assert a.status == "draft" and a.signature is None
    assert result.changed_since_approval and not result.approval_problem, result.statement()


def test_the_board_appendix_ends_with_the_approval_in_plain_words(approved, questionnaire, engine):
    """Who approved, whether it was verified against the trusted reviewers, whether the answers changed:
    in words at the end of the appendix; the hashes and the engine only in the document's properties."""
    import io

    from docx import Document
    from pypdf import PdfReader

    from idmf.report import build_context, render

    a = load_assessment(approved, questionnaire).assessment
    c = build_context(a, questionnaire, engine.check(a))
    date = c.approval.date
    assert c.integrity_words == (f"Approved by {REVIEWER}, {ROLE}, on {date}; the approval was verified against the "
                                 "organisation's list of trusted reviewers; the answers have not changed since.")
    md = render(c, "md").decode()
    assert md.rstrip().endswith(c.integrity_words.replace("&", "\\&"))
    pdf = render(c, "pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert c.content_hash[:16] not in text and "durable" not in text and "sha256" not in text
    assert c.content_hash in PdfReader(io.BytesIO(pdf)).metadata["/Keywords"]
    docx = Document(io.BytesIO(render(c, "docx")))
    assert docx.paragraphs[-1].text == c.integrity_words
    assert c.content_hash in docx.core_properties.keywords
