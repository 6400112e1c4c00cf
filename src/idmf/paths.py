"""Where idmf finds its questionnaires, rules, templates and assessments.

The questionnaires, rules and report templates idmf ships are read from the
installed package (``idmf.data``, mapped from the repository's top-level
folders when the package is built). Nothing is picked up from the working
folder: a ``./rules`` folder could otherwise turn a red assessment green
unseen. An organisation's own set comes only from, in this order:

1. an option (``idmf --rules DIR ...``),
2. an environment variable (``IDMF_QUESTIONNAIRES``, ``IDMF_RULES``, ``IDMF_TEMPLATES``),
3. a project file ``idmf.toml`` (the one named by ``IDMF_CONFIG``, else the
   first found in the working folder or above it, looking no higher than the
   repository's root (the folder holding ``.git``) or the user's home folder,
   and used only if it is owned by the user or by root, as git refuses a
   repository owned by someone else),

and every check output, ``submit`` and the report name the set used and where it
came from (:meth:`Source.statement`). ``idmf --isolated`` ignores the environment
and every idmf.toml: only options, else the shipped sets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

# src/idmf/paths.py -> the source checkout (holding questionnaires/, rules/, templates/, examples/).
# Only benchmarks and the checkout fallback below use it; an installed wheel has no such folder.
PROJECT_ROOT = Path(__file__).resolve().parents[2]

KINDS = ("questionnaires", "rules", "templates")
ENV = {kind: f"IDMF_{kind.upper()}" for kind in KINDS}
CONFIG_FILE = "idmf.toml"
CONFIG_KEYS = {"name", *KINDS}
SHIPPED_NAME = {"questionnaires": "idmf standard questionnaire", "rules": "idmf standard rules",
                "templates": "idmf standard templates"}
OWN_NAME = {"questionnaires": "own questionnaire", "rules": "own rules", "templates": "own templates"}

_explicit: dict[str, Path] = {}
_isolated = False


def isolate(on: bool = True) -> None:
    """``--isolated``: no configuration from the environment or any idmf.toml."""
    global _isolated
    _isolated = on


@dataclass(frozen=True)
class Source:
    """One set of questionnaires, rules or templates, and how it was chosen."""

    kind: str
    path: Path
    origin: str  # "shipped with idmf", "--rules", "IDMF_RULES" or "idmf.toml at PATH"
    name: str

    @property
    def shipped(self) -> bool:
        return self.origin == "shipped with idmf"

    def statement(self, version: str = "") -> str:
        """E.g. "rules: Example ICB rules version 1a2b3c4d5e6f from /srv/icb/rules (set by IDMF_RULES)".

        The shipped set is named without its install path, which says nothing to a reader.
        """
        return f"{self.kind}: {self.describe(version)}"

    def describe(self, version: str = "") -> str:
        named = self.name + (f" version {version}" if version else "")
        if self.shipped:
            from . import __version__

            return f"{named} (shipped with idmf {__version__})"
        return f"{named} from {self.path} (set by {self.origin})"

    def to_dict(self, version: str = "") -> dict:
        return {"name": self.name, "version": version, "path": str(self.path), "origin": self.origin}


def shipped_dir(name: str) -> Path:
    """A folder shipped in the package: ``questionnaires``, ``rules``, ``templates`` or ``examples``."""
    from importlib.resources import files

    packaged = files("idmf.data") / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    # A source checkout (editable install): the package is mapped from the
    # repository's own top-level folders only when built, so read them there.
    return PROJECT_ROOT / name


def choose(kind: str, path: Path | str | None) -> None:
    """Record an explicit option (``--rules DIR``); it outranks the environment and idmf.toml."""
    if path is None:
        _explicit.pop(kind, None)
    else:
        _explicit[kind] = Path(path)


def _config_file() -> Path | None:
    named = os.environ.get("IDMF_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise InputError("configuration file not found", where=named,
                             hint="IDMF_CONFIG must name an idmf.toml file; unset it to use the shipped rules")
        return path
    here = Path.cwd()
    home = _home()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            if _trusted_owner(candidate):
                return candidate
            _warn_ignored(candidate)
            return None
        # The project ends at its repository's root, and never reaches above the user's home:
        # a file further up belongs to someone else's project (or to everyone on the machine).
        if (folder / ".git").exists() or (home is not None and folder == home):
            return None
    return None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def _trusted_owner(path: Path) -> bool:
    """Owned by the user running idmf, or by root (a system-wide install). Elsewhere (Windows) no owner is checked."""
    from .store.portable import effective_user_id

    me = effective_user_id()
    if me is None:
        return True
    try:
        owner = path.stat().st_uid
    except OSError:
        return False
    return owner in (me, 0)


_warned: set[Path] = set()


def _warn_ignored(path: Path) -> None:
    import sys

    if path not in _warned:
        _warned.add(path)
        from .textsafety import for_terminal

        print(for_terminal(f"warning: {path} is owned by another user; it is not used, and the shipped "
                           "questionnaire, rules and templates apply (name your own with IDMF_CONFIG, or take "
                           "ownership of the file)"), file=sys.stderr)


def _read_config(path: Path) -> dict:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the configuration: {exc}", where=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", where=str(path),
                         hint="see README, 'Configuration' for the file's form") from None
    unknown = sorted(set(data) - CONFIG_KEYS)
    if unknown:
        raise InputError(f"unknown setting(s): {', '.join(unknown)}", where=str(path),
                         hint=f"idmf.toml may set: {', '.join(sorted(CONFIG_KEYS))}")
    for key, value in data.items():
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{key} must be a non-empty string", where=str(path))
    return data


def source(kind: str) -> Source:
    """The set of ``kind`` this run uses, and why."""
    if kind in _explicit:
        path = _explicit[kind]
        return _checked(Source(kind, path, f"--{kind}", OWN_NAME[kind]))
    if _isolated:
        return Source(kind, shipped_dir(kind), "shipped with idmf", SHIPPED_NAME[kind])
    if os.environ.get(ENV[kind]):
        path = Path(os.environ[ENV[kind]])
        return _checked(Source(kind, path, ENV[kind], OWN_NAME[kind]))
    config = _config_file()
    if config is not None:
        data = _read_config(config)
        if kind in data:
            path = (config.parent / data[kind]).resolve()
            name = f"{data['name']} {OWN_NAME[kind].removeprefix('own ')}" if "name" in data else OWN_NAME[kind]
            return _checked(Source(kind, path, f"{CONFIG_FILE} at {config}", name))
    return Source(kind, shipped_dir(kind), "shipped with idmf", SHIPPED_NAME[kind])


def _checked(chosen: Source) -> Source:
    if not chosen.path.exists():
        raise InputError(f"{chosen.kind} folder not found (set by {chosen.origin})", where=str(chosen.path),
                         hint=f"point {chosen.origin.split(' at ')[0]} at an existing folder, or remove it to use the shipped {chosen.kind}")
    return chosen


def questionnaires_dir() -> Path:
    return source("questionnaires").path


def rules_dir() -> Path:
    return source("rules").path


def templates_dir() -> Path:
    return source("templates").path


def assessments_dir(override: str | os.PathLike | None = None) -> Path:
    """--dir wins, then IDMF_HOME, then ./assessments."""
    if override:
        return Path(override)
    if os.environ.get("IDMF_HOME"):
        return Path(os.environ["IDMF_HOME"])
    return Path.cwd() / "assessments"
