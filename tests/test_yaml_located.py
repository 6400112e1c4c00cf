"""``load_located`` (questionnaire and rule files, read by every command) builds
its values from libyaml's events for speed. These tests hold it to what the
earlier reader (PyYAML's pure-Python composer, kept below as the reference)
did: the same values, the same file:line for every key and item, and the
same refusals with the same lines. Where the two differ on purpose (merge
keys and unusual collection tags are now refused outright) the test says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from idmf.errors import InputError
from idmf.yamlio import (
    LocatedDict,
    LocatedList,
    ScalarRefused,
    _yaml_error,
    explicit_tag_refused,
    load_located,
    resolve_scalar,
)

from .hostile import HOSTILE_SCALARS

ROOT = Path(__file__).resolve().parents[1]
_MERGE_TAG = "tag:yaml.org,2002:merge"


# --- the reference: the composer-based reader idmf used before (verbatim) ---
class _NoAliasLocatingLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases (*name) are not allowed in idmf files", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_object(self, node, deep=False):  # type: ignore[override]
        if isinstance(node, yaml.ScalarNode):
            implicit_tag = self.resolve(yaml.ScalarNode, node.value, (True, False)) if node.style is None \
                else "tag:yaml.org,2002:str"
            if node.tag != implicit_tag and node.tag != "tag:yaml.org,2002:str":
                raise yaml.constructor.ConstructorError(None, None, explicit_tag_refused(node.tag), node.start_mark)
            if node.tag == "tag:yaml.org,2002:str":
                return node.value
            if node.tag == _MERGE_TAG:
                raise yaml.constructor.ConstructorError(None, None, "YAML merge keys (<<) are not allowed",
                                                        node.start_mark)
            try:
                return resolve_scalar(node.tag, node.value)
            except ScalarRefused as exc:
                raise yaml.constructor.ConstructorError(None, None, exc.message, node.start_mark)
        return super().construct_object(node, deep)


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
                None, None, f"duplicate key {key!r} (first on line {result.key_lines[key]})", key_node.start_mark
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




def reference_load(path: Path):
    """The old reader's result, or its error as idmf reported it: (kind, message, where)."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliasLocatingLoader)  # noqa: S506
    except RecursionError:
        return ("error", "", "YAML nested too deeply", str(path))
    except yaml.YAMLError as exc:
        error = _yaml_error(exc, path)
        return ("error", type(exc).__name__, error.message, error.where)


def shape(value):
    """The value with every line number idmf keeps, for comparing two readers."""
    if isinstance(value, LocatedDict):
        return ("map", value.line, [(k, value.key_lines[k], shape(v)) for k, v in value.items()])
    if isinstance(value, LocatedList):
        return ("seq", value.line, [(line, shape(v)) for line, v in zip(value.item_lines, value)])
    return (type(value).__name__, value)


def new_load(path: Path):
    try:
        return load_located(path)
    except InputError as exc:
        return ("error", exc.message, exc.where)


def both(tmp_path: Path, text: str):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return new_load(path), reference_load(path)


def assert_same(new, ref):
    if isinstance(ref, tuple) and ref and ref[0] == "error":
        kind, message, where = ref[1:]
        assert new[0] == "error" and new[2] == where  # refused, at the same line
        if kind in ("ScannerError", "ParserError"):
            # libyaml words a syntax error a little differently from pure-Python PyYAML
            assert new[1].startswith("not valid YAML: ")
        elif "could not determine a constructor" in message:
            assert "is not allowed in idmf files" in new[1]  # an unknown tag: now said plainly
        else:
            assert new[1] == message
    else:
        assert shape(new) == shape(ref)


SHIPPED = sorted([*ROOT.glob("questionnaires/**/*.yaml"), *ROOT.glob("rules/**/*.yaml")])


def test_there_are_shipped_files_to_compare():
    assert len(SHIPPED) >= 10


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_questionnaire_and_rule_file_reads_the_same_with_the_same_lines(path):
    assert shape(load_located(path)) == shape(reference_load(path))


def _error_line(tmp_path, text):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_located(path)
    return info.value


@pytest.mark.parametrize("text", [
    "a: 1\nb:\n  - x\n  - {c: 2, d: [3, 4]}\n  -\n    e: f\n",
    "- 1\n- 1.5\n- true\n- ~\n- 2026-03-15\n- '2026-03-15'\n- \"q\"\n- |\n  block\n  text\n- >-\n  folded\n",
    "key: &anchor value\nother: plain\n",
    "flow: {a: [1, 2, {b: c}], 'd': e}\n",
    "? complex\n: key\n",
    "1: one\n1.5: x\ntrue: yes\n",
    "!!str 5\n",
    "a: !!int 5\nb: !!str x\n",
    "# only a comment\n",
    "- [[[[]]]]\n- {}\n- []\n",
    "a: 2026-01-01 10:00:00\nb: 2026-01-01T10:00:00+02:00\n",
    "a:\n  b:\n    c:\n      - d: 1\n        e: 2\n      - f\n",
])
def test_ordinary_yaml_reads_the_same_with_the_same_lines(tmp_path, text):
    new, ref = both(tmp_path, text)
    assert_same(new, ref)


# "!!set", "!!omap" and "<<" are refused on purpose now: test_merge_keys_and_unusual_collection_tags_are_refused
COMPARABLE = [s for s in HOSTILE_SCALARS if not s.startswith(("!!set", "!!omap", "<<"))]


@pytest.mark.parametrize("scalar", COMPARABLE, ids=range(len(COMPARABLE)))
def test_hostile_scalars_read_or_are_refused_as_before(tmp_path, scalar):
    text = "title: x\nlist:\n  - first\n  - " + scalar.replace("\n", "\n    ") + "\nafter: 1\n"
    new, ref = both(tmp_path, text)
    assert_same(new, ref)


def test_duplicate_key_is_refused_with_both_lines(tmp_path):
    error = _error_line(tmp_path, "id: a\nname: x\nrules:\n  - 1\nname: y\n")
    assert error.where.endswith("r.yaml:5") and "duplicate key 'name' (first on line 2)" in error.message


def test_duplicate_key_inside_a_list_item_is_refused_at_its_line(tmp_path):
    error = _error_line(tmp_path, "rules:\n  - id: a\n    when: x\n    id: b\n")
    assert error.where.endswith("r.yaml:4") and "duplicate key 'id' (first on line 2)" in error.message


def test_equal_keys_of_different_spelling_are_duplicates(tmp_path):
    error = _error_line(tmp_path, "1: a\n0x1: b\n")
    assert error.where.endswith(":2") and "duplicate key 1" in error.message


def test_alias_is_refused_at_its_line(tmp_path):
    error = _error_line(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert error.where.endswith(":2") and "aliases" in error.message


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\nb: !!python/object/apply:os.system ['echo hacked']\n", 2, "!!python/object/apply:os.system"),
    ("a: !!int '5'\n", 1, "tag !!int"),
    ("a: !!float 5\n", 1, "tag !!float"),
    ("a:\n  - !custom x\n", 2, "tag !custom"),
    ("a: 2026-02-30\n", 1, "not a real date"),
    ("a: 2026-01-01T25:00:00\n", 1, "not a real date or time"),
    ("a: " + "9" * 40 + "\n", 1, "more than 30 digits"),
    ("a: 9223372036854775808\n", 1, "too large"),
    ("a:\n  ? [x, y]\n  : z\n", 2, "key must be a plain value"),
    ("a: [unclosed\n", 2, "not valid YAML"),
    ("a: 1\n---\nb: 2\n", 2, "single document"),
])
def test_refusals_name_the_line(tmp_path, text, line, words):
    error = _error_line(tmp_path, text)
    assert error.where.endswith(f":{line}") and words in error.message
    assert "Traceback" not in error.message


def test_merge_keys_and_unusual_collection_tags_are_refused(tmp_path):
    # The composer merged "<<" and built sets; idmf's own files never use either, and a
    # merge hides where a value came from, so both are now refused with their line.
    assert "merge keys" in _error_line(tmp_path, "base: {a: 1}\nthing:\n  <<: {a: 2}\n").message
    assert _error_line(tmp_path, "a: 1\nb: !!set {x, y}\n").where.endswith(":2")
    assert "!!omap" in _error_line(tmp_path, "a: !!omap [x: 1]\n").message


def test_nesting_too_deep_is_a_clear_error(tmp_path):
    error = _error_line(tmp_path, "a: " + "[" * 500 + "]" * 500 + "\n")
    assert "nested too deeply" in error.message


def test_values_and_lines_a_validator_would_report(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("id: q\nquestions:\n  - id: one\n    type: date\n    due: 2027-03-15\n  - id: two\n", encoding="utf-8")
    data = load_located(path)
    assert data.line_of("questions") == 2
    questions = data["questions"]
    assert questions.line_of(0) == 3 and questions.line_of(1) == 6
    assert questions[0].line_of("due") == 5 and questions[0]["due"] == dt.date(2027, 3, 15)
    assert questions.line_of(7) == questions.line  # past the end: the list's own line
