"""Reading and writing YAML safely.

Two readers:
* ``load_located`` keeps the line of every mapping key and list item, so the
  questionnaire and rule validators can say ``file:line``. Every ``idmf``
  command reads the questionnaire and rules first, so it too builds its
  values from libyaml's parse events (see ``_build_located``) rather than
  through PyYAML's pure-Python composer.
* ``load_data`` reads assessment files, which may come from anyone, and
  which the register reads by the ten thousand. It takes libyaml's parse
  events and builds the dicts and lists straight from them: PyYAML's own
  constructor first builds a node object per value and then walks them, and
  was most of the cost of reading a file. Scalars are recognised as
  ``yaml.safe_load`` recognises them (a test holds the two equal within the
  limits below) but built by ``resolve_scalar`` here, by stricter rules:
  an impossible date or time is an error with its line, not a crash; a
  whole number has at most 30 digits and fits in 64 bits; a date-time
  without a zone is read as UTC and every date-time is returned in UTC, so
  any two compare. It refuses explicit tags (``!!int``, ``!!python/...``),
  duplicate keys (naming both lines: with "last wins" a second
  ``status:`` line could hide below the first), aliases (so an alias bomb
  cannot multiply work), merge keys, deep nesting, binary and non-UTF-8
  content.

Files are opened only once ``stat`` says they are regular files (a FIFO
would block for ever, ``/dev/zero`` never ends), and never more than the
size limit is read, whatever the file claims.

Nothing here ever constructs arbitrary Python objects: only safe loaders.
"""

from __future__ import annotations

import datetime as _dt
import os
import stat as _stat
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, where

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
# Questionnaire and rule files nest conditions; the old recursive reader stopped near here.
MAX_LOCATED_DEPTH = 200

try:  # the C loader is much faster; fall back to pure Python if libyaml is absent
    _FastLoader = yaml.CSafeLoader
    _FastDumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on the wheel
    _FastLoader = yaml.SafeLoader
    _FastDumper = yaml.SafeDumper


class LocatedDict(dict):
    """A dict that remembers the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A list that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        try:
            return self.item_lines[index]
        except IndexError:
            return self.line


MAX_INT_DIGITS = 30
_INT_LIMIT = 2**63
_TIMESTAMP = yaml.constructor.SafeConstructor.timestamp_regexp
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_safe_constructor = yaml.constructor.SafeConstructor()


class ScalarRefused(ValueError):
    """A scalar idmf will not read; ``hint`` says what to write instead."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def _timestamp(value: str) -> _dt.date | _dt.datetime:
    match = _TIMESTAMP.match(value)
    if match is None:  # pragma: no cover - the resolver only sends what matches
        raise ScalarRefused(f"{value!r} is not a date", "write dates as YYYY-MM-DD")
    g = match.groupdict()
    try:
        day = _dt.date(int(g["year"]), int(g["month"]), int(g["day"]))
        if g["hour"] is None:
            return day
        fraction = int((g["fraction"] or "0")[:6].ljust(6, "0"))
        zone = _dt.timezone.utc
        if g["tz_sign"]:
            offset = _dt.timedelta(hours=int(g["tz_hour"]), minutes=int(g["tz_minute"] or 0))
            zone = _dt.timezone(-offset if g["tz_sign"] == "-" else offset)
        moment = _dt.datetime(day.year, day.month, day.day, int(g["hour"]), int(g["minute"]),
                              int(g["second"]), fraction, tzinfo=zone)
        return moment.astimezone(_dt.timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise ScalarRefused(f"{value!r} is not a real date or time ({exc})",
                            "write a real date as YYYY-MM-DD (and a time as HH:MM:SS, hours 00-23)")


def resolve_scalar(tag: str, value: str) -> Any:
    """Build the value of a plain scalar the resolver has tagged, by idmf's strict rules."""
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        return _BOOLS[value.lower()]
    if tag == _INT_TAG:
        if sum(ch.isalnum() for ch in value) > MAX_INT_DIGITS:
            raise ScalarRefused(f"a number with more than {MAX_INT_DIGITS} digits",
                                "no idmf answer needs a number this long; quote it if it is text")
        number = _safe_constructor.construct_yaml_int(yaml.ScalarNode(tag, value))
        if not -_INT_LIMIT <= number < _INT_LIMIT:
            raise ScalarRefused("a number too large for idmf", "quote it if it is text")
        return number
    if tag == _FLOAT_TAG:
        if len(value) > 64:
            raise ScalarRefused("a number with too many digits", "quote it if it is text")
        return _safe_constructor.construct_yaml_float(yaml.ScalarNode(tag, value))
    if tag == _TIMESTAMP_TAG:
        return _timestamp(value)
    raise ScalarRefused(f"{value!r} has a YAML meaning ({tag.rsplit(':', 1)[-1]}) idmf does not read",
                        "quote the value if it is text")


def explicit_tag_refused(tag: str) -> str:
    return f"YAML tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed in idmf files"


def _located_error(message: str, mark: Any) -> yaml.YAMLError:
    # The same error PyYAML's constructor raises, so it reads "not valid YAML: ..." with its line.
    return yaml.constructor.ConstructorError(None, None, message, mark)


def _located_scalar(loader: Any, event: Any) -> Any:
    """A scalar of a questionnaire or rule file, tagged and checked as PyYAML's composer would.

    An explicit tag is accepted only where it says what the value would be
    anyway (``!!str`` always, ``!!int 5``); any other tag is refused.
    """
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    implicit_tag = loader.resolve(yaml.ScalarNode, event.value, (True, False)) if not event.style else _STR_TAG  # libyaml: plain is ""
    if tag == _STR_TAG:
        return event.value
    if tag != implicit_tag:
        raise _located_error(explicit_tag_refused(tag), event.start_mark)
    if tag == _MERGE_TAG:
        raise _located_error("YAML merge keys (<<) are not allowed", event.start_mark)
    try:
        return resolve_scalar(tag, event.value)
    except ScalarRefused as exc:
        raise _located_error(exc.message, event.start_mark)


def _build_located(loader: Any) -> Any:
    """Build LocatedDict/LocatedList values straight from libyaml's parse events.

    PyYAML's composer (a node object per value, in pure Python) was most of
    the start-up time of ``idmf check``; this reads the same events in one
    loop. Lines are those of the events the composer used: a mapping's or
    list's own line is where its first entry starts, a key's line is the
    key's, an item's line is where the item starts.
    """
    events = loader.get_event
    events()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return None  # an empty file, as yaml.load
    events()  # document start
    # One entry per open collection: [container, key awaiting its value or _NO_KEY, its start mark].
    open_: list[list] = []
    value: Any = None
    while True:
        event = events()
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            value = _located_scalar(loader, event)
            mark = event.start_mark
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.tag not in _PLAIN_COLLECTION_TAGS:
                raise _located_error(explicit_tag_refused(event.tag), event.start_mark)
            if len(open_) >= MAX_LOCATED_DEPTH:
                raise RecursionError  # reported as "YAML nested too deeply", as before
            if kind is yaml.MappingStartEvent:
                container: Any = LocatedDict()
                container.key_lines = {}
            else:
                container = LocatedList()
                container.item_lines = []
            container.line = event.start_mark.line + 1
            open_.append([container, _NO_KEY, event.start_mark])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value, _, mark = open_.pop()
        elif kind is yaml.AliasEvent:
            raise _located_error("YAML aliases (*name) are not allowed in idmf files", event.start_mark)
        else:  # document end: a second document is an error, as in yaml.load
            if not loader.check_event(yaml.StreamEndEvent):
                raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                                  "but found another document", loader.peek_event().start_mark)
            return value  # the root: the last value built
        if not open_:
            continue  # the root; the next event ends the document
        top = open_[-1]
        container = top[0]
        if container.__class__ is LocatedList:
            container.append(value)
            container.item_lines.append(mark.line + 1)
        elif top[1] is _NO_KEY:
            try:
                hash(value)
            except TypeError:
                raise _located_error("a mapping key must be a plain value", mark)
            if value in container:
                raise _located_error(f"duplicate key {value!r} (first on line {container.key_lines[value]})", mark)
            container.key_lines[value] = mark.line + 1
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY


def _kind_of(mode: int) -> str:
    if _stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if _stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if _stat.S_ISCHR(mode) or _stat.S_ISBLK(mode):
        return "is a device, not a file"
    if _stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is not a regular file"


def read_bytes(path: Path, *, limit: int = MAX_FILE_BYTES, expected: str = "an assessment's .yaml file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or an InputError.

    ``stat`` first, so a FIFO, device or socket (or a link to one) is never
    opened; then the open file is checked again (it may have been swapped
    since) and at most ``limit`` + 1 bytes are read.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("file not found", where=str(path), hint="check the path and try again")
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", where=str(path),
                         hint="check the path and its permissions (a link that points to itself cannot be read)")
    except ValueError as exc:  # e.g. a NUL byte in the name
        raise InputError(f"not a usable file name ({exc})", where=repr(str(path)))
    if not _stat.S_ISREG(info.st_mode):
        raise InputError(_kind_of(info.st_mode), where=str(path), hint=f"pass {expected}")
    if info.st_size > limit:
        raise _too_big(path, info.st_size, limit)
    try:
        # O_BINARY: on Windows a descriptor is otherwise in text mode (CRLF turned into LF, Ctrl-Z an end).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", where=str(path),
                         hint="check the file's permissions")
    try:
        if not _stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("is not a regular file", where=str(path), hint=f"pass {expected}")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", where=str(path))
    finally:
        os.close(fd)
    if total > limit:
        raise _too_big(path, total, limit)
    return b"".join(chunks)


def _too_big(path: Path, size: int, limit: int) -> InputError:
    return InputError(
        f"file is {size:,} bytes or more, over the {limit:,} byte limit",
        where=str(path),
        hint="this does not look like an idmf file; check you picked the right one",
    )


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES) -> str:
    """Read a file as UTF-8 text, refusing what is not a sane text file."""
    raw = read_bytes(path, limit=limit)
    if b"\x00" in raw:
        raise InputError("file is binary, not YAML text", where=str(path),
                         hint="open the .yaml file idmf wrote, not another document")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"file is not UTF-8 text (bad byte 0x{raw[exc.start]:02x})",
            where=where(path, line),
            hint="save the file as UTF-8",
        )
    if not text.strip():
        raise InputError("file is empty", where=str(path), hint="restore it from a backup or create a new one with `idmf new`")
    return text


def _yaml_error(exc: yaml.YAMLError, path: object) -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    return InputError(message, where=where(path, line), hint="fix the YAML at that line (check indentation and quotes)")


def load_located(path: Path) -> Any:
    """Load a questionnaire or rule file keeping line numbers."""
    text = read_text(path, limit=2 * 1024 * 1024)
    loader = _FastLoader(text)
    try:
        return _build_located(loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path)
    except RecursionError:
        raise InputError("YAML nested too deeply", where=str(path))
    finally:
        loader.dispose()


_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_NO_KEY = object()


class _Refused(Exception):
    def __init__(self, message: str, mark: Any, hint: str = "write each value out in full"):
        super().__init__(message)
        self.message, self.mark, self.hint = message, mark, hint


def _build(loader: Any) -> Any:
    """Build plain data from the loader's events (see the module docstring)."""
    events = loader.get_event
    events()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return None  # an empty stream, as yaml.safe_load
    events()  # document start
    # One entry per open collection: [the dict or list, its key awaiting a value
    # or _NO_KEY, and for a mapping the line of each key (to name both lines of a duplicate)].
    open_: list[list] = []
    value: Any = None
    while True:
        event = events()
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            tag = event.tag
            if tag is not None and tag != "!":
                raise _Refused(explicit_tag_refused(tag), event.start_mark,
                               "remove the tag; put the value in quotes if it is text")
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == _STR_TAG:
                value = event.value
            elif tag == _MERGE_TAG:
                raise _Refused("YAML merge keys (<<) are not allowed in assessment files", event.start_mark)
            else:  # numbers, booleans, null, dates: by idmf's strict rules
                try:
                    value = resolve_scalar(tag, event.value)
                except ScalarRefused as exc:
                    raise _Refused(exc.message, event.start_mark, exc.hint)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.tag not in _PLAIN_COLLECTION_TAGS:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                raise _Refused(f"YAML tag {tag} is not allowed in assessment files", event.start_mark,
                               "remove the tag")
            if len(open_) >= MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark,
                               "this is not an idmf assessment file")
            open_.append([{}, _NO_KEY, {}] if kind is yaml.MappingStartEvent else [[], _NO_KEY])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = open_.pop()[0]
        elif kind is yaml.AliasEvent:
            raise _Refused("YAML aliases (*name) are not allowed in assessment files", event.start_mark)
        else:  # document end: a second document is an error, as in yaml.safe_load
            if not loader.check_event(yaml.StreamEndEvent):
                raise _Refused("expected one YAML document, found more (a line with --- ?)",
                               loader.peek_event().start_mark, "keep one assessment per file")
            return value  # the root: the last value built
        if not open_:
            continue  # the root; the next event ends the document
        top = open_[-1]
        container = top[0]
        if container.__class__ is list:
            container.append(value)
        elif top[1] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _Refused("a mapping key must be a plain value", event.start_mark, "quote the key")
            lines = top[2]
            if value in container or value in lines:
                raise _Refused(f"duplicate key {value!r} (first on line {lines[value]})", event.start_mark,
                               "keep one of the two lines and delete the other")
            lines[value] = event.start_mark.line + 1
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY


def parse_data(text: str, path: object) -> Any:
    loader = _FastLoader(text)
    try:
        return _build(loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path)
    except _Refused as exc:
        raise InputError(exc.message, where=where(path, exc.mark.line + 1), hint=exc.hint)
    finally:
        loader.dispose()


def load_data(path: Path) -> Any:
    return parse_data(read_text(path), path)


class _BlockDumper(_FastDumper):
    pass


def _str_representer(dumper, value: str):
    # Multi-line answers read best as literal blocks in a text editor.
    style = "|" if "\n" in value and len(value) < 100_000 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str_representer)
_BlockDumper.add_representer(_dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v.isoformat()))


def dump_data(data: Any) -> str:
    return yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)
