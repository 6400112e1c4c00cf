"""Signed approvals: what a reviewer approved, signed with their own Ed25519 key.

A hash in the file proves only that the file agrees with itself: anyone who
can edit the file can change an answer and recompute the hash (idmf's own
code shows how). A signature proves that someone holding the reviewer's
private key approved exactly this content; only the public key is needed
to check it, and the organisation decides whose public keys it trusts.

* ``idmf keys new --reviewer NAME`` makes a key pair: the private key stays
  in the reviewer's config folder (``$XDG_CONFIG_HOME/idmf/keys`` on Linux,
  the platform's own settings folder elsewhere; mode 0600); the public key goes into the organisation's trusted-reviewers file.
* The trusted-reviewers file, ``idmf-reviewers.toml`` beside the assessments
  (or named by ``IDMF_TRUSTED_REVIEWERS``), lists name, role, public key and
  the dates each key is valid. Not a ``.yaml`` file, so the register never
  takes it for an assessment. Keep it under version control with protected
  review: whoever can change it decides whose approvals count.
* ``idmf review approve`` signs the canonical form of EVERYTHING in the
  assessment except the signature block itself: header, answers, status,
  scope, approval block, every history entry, and any field added later.
  Canonical means the meaning, not the text: YAML quoting, key order,
  comments and line wrapping do not change it, so reformatting a file is
  no false alarm; any change of a value is.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .errors import InputError
from .model.assessment import Assessment, ApprovalSignature, canonical_json

TRUSTED_FILE = "idmf-reviewers.toml"
ALGORITHM = "ed25519"
_CONTEXT = b"idmf approval signature v1\n"  # so a signature over anything else can never pass as one


# --- the canonical form ------------------------------------------------------

def _meaning(model: BaseModel) -> dict:
    """A model as plain data, leaving out fields that hold their fixed default.

    Leaving defaults out keeps a signature valid when a later idmf adds an
    optional field (its default is not part of what was signed, nor of what
    is checked). A field with a computed default (an id, a time) is always kept.
    """
    out: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if field.default is not PydanticUndefined and field.default_factory is None and value == field.default:
            continue
        out[name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _meaning(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def signed_bytes(assessment: Assessment) -> bytes:
    """What a signature covers: everything in the assessment but the signature."""
    meaning = _meaning(assessment)
    meaning.pop("signature", None)
    return _CONTEXT + canonical_json(meaning).encode("utf-8")


# --- keys ---------------------------------------------------------------------

def config_dir(base: Optional[Path] = None) -> Path:
    """idmf's folder among the user's settings: ``base``/idmf, else the platform's own folder
    (Linux ``$XDG_CONFIG_HOME/idmf`` or ``~/.config/idmf``, macOS ``~/Library/Application Support/idmf``,
    Windows ``%LOCALAPPDATA%\\idmf``)."""
    if base:
        return Path(base) / "idmf"
    from .store.portable import config_dir as platform_config_dir

    return platform_config_dir()


def same_name(name: str) -> str:
    """A reviewer's name as idmf compares it everywhere (keys, approve, verify): Unicode NFC,
    case-folded, inner spaces collapsed. 'sam okafor' and 'Sam Okafor' are one reviewer;
    'Zoé' and 'Zoë' are two."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _file_stem(name: str) -> str:
    """The key file's name for ``name``: readable letters of the name (any script) and a hash of
    the whole compared name, so two different names never share a file ('Zoé Martin' and 'Zoë
    Martin' once did) and a name in any script has one ('王芳' was 'blank')."""
    compared = same_name(name)
    if not compared:
        raise InputError("the reviewer's name is blank", hint="pass --reviewer with the name to sign with")
    readable = re.sub(r"[^\w]+", "-", compared, flags=re.UNICODE).strip("-_")[:40] or "reviewer"
    return f"{readable}-{hashlib.sha256(compared.encode('utf-8')).hexdigest()[:12]}"


def _legacy_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def key_path(reviewer: str, base: Optional[Path] = None) -> Path:
    return config_dir(base) / "keys" / f"{_file_stem(reviewer)}.ed25519.pem"


def _existing_key_path(reviewer: str, base: Optional[Path] = None) -> Path:
    """Where the reviewer's key is: its own name, else (a key made by an earlier idmf) the old
    ASCII name. Whichever key is used, approve checks it is the reviewer's in the trusted file."""
    path = key_path(reviewer, base)
    if not path.exists():
        legacy = _legacy_slug(reviewer)
        old = config_dir(base) / "keys" / f"{legacy}.ed25519.pem"
        if legacy and old.exists():
            return old
    return path


def public_key_text(public_key) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"{ALGORITHM}:{base64.b64encode(raw).decode()}"


def key_id(public_text: str) -> str:
    return hashlib.sha256(public_text.encode()).hexdigest()[:16]


def new_key(reviewer: str, *, replace: bool = False, base: Optional[Path] = None) -> tuple[Path, str]:
    """Make a key pair for ``reviewer``; return where the private key is and the public key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(reviewer, base)
    if path.exists() and not replace:
        raise InputError("this reviewer already has a signing key here", where=str(path),
                         hint="keep using it; to replace it (e.g. if it was exposed) pass --replace, then "
                              "ask for the trusted-reviewers file to be updated")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    from .safe_write import atomic_write

    # An exclusively created, unguessable temporary file (a fixed name followed a planted link).
    atomic_write(path, pem, mode=0o600)
    return path, public_key_text(key.public_key())


def load_private_key(reviewer: str):
    from cryptography.hazmat.primitives import serialization

    path = _existing_key_path(reviewer)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no signing key for {reviewer}", where=str(path),
                         hint=f'create one with `idmf keys new --reviewer "{reviewer}"` and have its public key '
                              f"added to the trusted-reviewers file ({TRUSTED_FILE})")
    except OSError as exc:
        raise InputError(f"cannot read the signing key ({exc.strerror or exc})", where=str(path))
    try:
        return serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise InputError(f"not a usable signing key ({exc})", where=str(path),
                         hint="make a new one with `idmf keys new --replace`")


# --- signing and checking -------------------------------------------------------

def sign(assessment: Assessment, reviewer: str) -> ApprovalSignature:
    """Sign the assessment as it is now (call after approving it) and attach the signature."""
    key = load_private_key(reviewer)
    public = public_key_text(key.public_key())
    assessment.signature = None
    value = key.sign(signed_bytes(assessment))
    assessment.signature = ApprovalSignature(algorithm=ALGORITHM, key_id=key_id(public), public_key=public,
                                             value=base64.b64encode(value).decode())
    return assessment.signature


@dataclass(frozen=True)
class TrustedReviewer:
    name: str
    role: str
    public_key: str
    valid_from: Optional[dt.date]
    valid_to: Optional[dt.date]

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass
class TrustedReviewers:
    source: Optional[Path]
    reviewers: list[TrustedReviewer]
    problem: str = ""  # why the file could not be used, if it could not


def _day(value: Any, where: str) -> Optional[dt.date]:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)")


_trust_cache: dict[Path, tuple[tuple, TrustedReviewers]] = {}


def trusted_file_for(assessment_path: Optional[Path]) -> Optional[Path]:
    named = os.environ.get("IDMF_TRUSTED_REVIEWERS")
    if named:
        return Path(named)
    if assessment_path is None:
        return None
    return Path(os.path.realpath(assessment_path)).parent / TRUSTED_FILE


def folder_link_problem(assessment_path: Optional[Path]) -> str:
    """Why the trusted-reviewers file beside ``assessment_path`` must not be used ("" if it may).

    The file is taken from the assessment's real folder. When that folder is reached through a
    link that leaves the folder holding the link (an organisation's folder linked to one
    elsewhere), the trusted file there is someone else's: refused, as `check` refuses a file
    linked from outside its folder. (A link within its own parent, like /tmp -> /private/tmp
    inside /, is not refused.)"""
    if assessment_path is None or os.environ.get("IDMF_TRUSTED_REVIEWERS"):
        return ""
    folder = Path(os.path.abspath(assessment_path)).parent
    if os.path.islink(folder):
        target = os.path.realpath(folder)
        container = os.path.join(os.path.realpath(folder.parent), "")
        if not target.startswith(container):
            return (f"its folder {folder} is a link to {target}, outside {folder.parent}; the trusted-reviewers "
                    "file there is not used")
    return ""


def load_trusted(path: Optional[Path]) -> TrustedReviewers:
    """The trusted reviewers listed in ``path`` (cached while the file is unchanged)."""
    if path is None:
        return TrustedReviewers(None, [], "no trusted-reviewers file is known for it")
    try:
        info = os.stat(path)
    except OSError:
        return TrustedReviewers(path, [], f"there is no trusted-reviewers file ({path})")
    stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    cached = _trust_cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    result = _read_trusted(path)
    _trust_cache[path] = (stamp, result)
    return result


def _read_trusted(path: Path) -> TrustedReviewers:
    from .yamlio import read_bytes

    try:
        # utf-8-sig: a file saved by Notepad starts with a byte-order mark, which is not a change of meaning
        data = tomllib.loads(read_bytes(path, limit=1024 * 1024).decode("utf-8-sig"))
        reviewers = []
        for i, entry in enumerate(data.get("reviewer", []), start=1):
            where = f"{path.name} reviewer {i}"
            if not isinstance(entry, dict) or not entry.get("name") or not entry.get("public_key"):
                raise ValueError(f"{where}: needs at least name and public_key")
            reviewers.append(TrustedReviewer(str(entry["name"]).strip(), str(entry.get("role", "")).strip(),
                                             str(entry["public_key"]).strip(), _day(entry.get("valid_from"), where),
                                             _day(entry.get("valid_to"), where)))
        return TrustedReviewers(path, reviewers)
    except (InputError, ValueError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return TrustedReviewers(path, [], f"the trusted-reviewers file cannot be used ({exc})")


def trusted_entry(name: str, role: str, public_key: str, valid_from: dt.date) -> str:
    """The block to add to the trusted-reviewers file for a new key."""
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return (f"[[reviewer]]\nname = {q(name)}\nrole = {q(role)}\npublic_key = {q(public_key)}\n"
            f"valid_from = {valid_from.isoformat()}\n# valid_to = {_years_later(valid_from, 2).isoformat()}\n")


def _years_later(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def approval_problem(assessment: Assessment, trusted: TrustedReviewers) -> str:
    """Why the assessment's approval is not verified ("" when it is)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    approval, signature = assessment.approval, assessment.signature
    if approval is None:
        return "it is marked approved but has no approval record"
    if signature is None:
        return "the approval is not signed"
    if trusted.problem:
        return trusted.problem
    if signature.algorithm != ALGORITHM:
        return f"signed with {signature.algorithm!r}, which idmf does not accept"
    if signature.key_id != key_id(signature.public_key):
        # key_id is derived from the public key; an edited one would name another key in messages
        return "the signature's key_id does not match its public key (edited after signing)"
    matches = [r for r in trusted.reviewers if r.public_key == signature.public_key]
    if not matches:
        return "it was signed with a key that is not in the trusted-reviewers file"
    try:
        raw = base64.b64decode(signature.public_key.split(":", 1)[1], validate=True)
        Ed25519PublicKey.from_public_bytes(raw).verify(base64.b64decode(signature.value, validate=True),
                                                       signed_bytes(assessment))
    except (InvalidSignature, ValueError, IndexError):
        return "the file is not what the reviewer signed (changed after approval)"
    by_name = [r for r in matches if same_name(r.name) == same_name(approval.reviewer)]
    if not by_name:
        return f"the key belongs to {matches[0].name}, not to {approval.reviewer}"
    if not any(r.valid_on(approval.date) for r in by_name):
        return f"{approval.reviewer}'s key was not valid on the approval date {approval.date.isoformat()}"
    return date_problem(assessment)


def date_problem(assessment: Assessment) -> str:
    """Why the approval's date cannot be true by the file's own history ("" when it can).

    A signature has no time of its own: whoever holds a key can sign with any date. What the file
    itself records bounds it: an approval is not dated before the assessment was created or before
    it was last submitted, and the history runs forward in time. (Within that order a backdated
    approval cannot be told from a true one without an outside timestamp: see README.)"""
    approval = assessment.approval
    if approval is None:
        return ""
    # One day's allowance either way: the history is in UTC and the approval date is the reviewer's own day.
    slack = dt.timedelta(days=1)
    created = assessment.created.date()
    if approval.date < created - slack:
        return f"the approval is dated {approval.date.isoformat()}, before the assessment was created ({created.isoformat()})"
    previous = None
    for entry in assessment.history:
        if previous is not None and entry.at < previous:
            return f"the history is out of order ({entry.event} at {entry.at:%Y-%m-%d %H:%M} comes after {previous:%Y-%m-%d %H:%M})"
        previous = entry.at
    submitted = [e.at.date() for e in assessment.history if e.event == "submitted"]
    if submitted and approval.date < submitted[-1] - slack:
        return (f"the approval is dated {approval.date.isoformat()}, before the assessment was submitted "
                f"({submitted[-1].isoformat()})")
    return ""
