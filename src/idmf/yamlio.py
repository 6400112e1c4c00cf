"""Reading and writing YAML safely.

Two readers:
* ``load_located`` keeps the line of every mapping key and list item, so the
  questionnaire and rule validators can say ``file:line``. It is pure Python
  and used for the (small, trusted-ish) questionnaire and rule files.
* ``load_data`` reads assessment files, which may come from anyone, and
  which the register reads by the ten thousand. It takes libyaml's parse
  events and builds the dicts and lists straight from them: PyYAML's own
  constructor first builds a node object per value and then walks them, and
  was most of the cost of reading a file. Scalars are resolved and
  constructed by PyYAML's safe resolver and constructor, so values mean
  exactly what ``yaml.safe_load`` makes them (a test holds the two equal).
  It refuses aliases (so an alias bomb cannot multiply work), explicit tags
  on lists and mappings, merge keys, deep nesting, oversize files, binary
  and non-UTF-8 content.

Nothing here ever constructs arbitrary Python objects: only safe loaders.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, where

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64

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


class _NoAliasLocatingLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases (*name) are not allowed in idmf files", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_located_mapping(loader, node):
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_located_sequence(loader, node):
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_NoAliasLocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located_mapping
)
_NoAliasLocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_located_sequence
)


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES) -> str:
    """Read a file as UTF-8 text, refusing what is not a sane text file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", where=str(path), hint="check the path and try again")
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", where=str(path))
    if path.is_dir():
        raise InputError("is a folder, not a file", where=str(path))
    if size > limit:
        raise InputError(
            f"file is {size:,} bytes, over the {limit:,} byte limit",
            where=str(path),
            hint="this does not look like an idmf file; check you picked the right one",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", where=str(path))
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
    try:
        return yaml.load(text, Loader=_NoAliasLocatingLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path)
    except RecursionError:
        raise InputError("YAML nested too deeply", where=str(path))


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
    # One entry per open collection: [the dict or list, its key awaiting a value or _NO_KEY].
    open_: list[list] = []
    value: Any = None
    while True:
        event = events()
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == _STR_TAG:
                value = event.value
            elif tag == _MERGE_TAG:
                raise _Refused("YAML merge keys (<<) are not allowed in assessment files", event.start_mark)
            else:  # numbers, booleans, null, dates: PyYAML's safe constructor, nothing else
                value = loader.construct_object(
                    yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.tag not in _PLAIN_COLLECTION_TAGS:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                raise _Refused(f"YAML tag {tag} is not allowed in assessment files", event.start_mark,
                               "remove the tag")
            if len(open_) >= MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark,
                               "this is not an idmf assessment file")
            open_.append([{} if kind is yaml.MappingStartEvent else [], _NO_KEY])
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
