"""Read curator-edited YAML keeping line numbers, so errors can say where.

Every file a user edits (taxonomy.yml, curation.yml, seeds/dumps.yaml) is read here, within
bounds: a size limit, a nesting limit and a limit on what anchors and aliases may repeat
(a "billion laughs" of a few lines otherwise expands to gigabytes). Dates are never read
implicitly: ``2025-02-30`` is text, and a field that holds a date checks it (parse_day).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from generator.problems import ConfigError

# Far above any real file (the 10,000-paper bench curates in under 2 MB), far below trouble.
MAX_BYTES = 8 * 1024 * 1024
# Nodes that aliases (*name, and merge keys <<: *name) may repeat in one file, in total.
MAX_REPEATED_NODES = 10_000
MAX_DEPTH = 50
TIMESTAMP = "tag:yaml.org,2002:timestamp"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# What PyYAML's safe constructors raise, unmarked, for a value they cannot build
# (!!int '' is an IndexError, !!binary with bad padding a ValueError).
_UNREADABLE = (ValueError, TypeError, AttributeError, OverflowError, IndexError, KeyError)


class Refused(yaml.MarkedYAMLError):
    """Valid YAML this reader refuses to expand: over a bound, or containing itself."""


class LineDict(dict):
    """A mapping that remembers the 1-based line of each key."""

    lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings are LineDicts, within bounds, with no implicit dates."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        # Composing and constructing recurse per level: bounded here, no RecursionError.
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise Refused(
                    problem=f"nested more than {MAX_DEPTH} levels deep; flatten it",
                    problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        if node is not None:
            _check_repetition(node)
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A value the safe constructors cannot build (!!int x, !!binary with bad padding)
        # raises a bare ValueError or TypeError: give it the line it is on.
        try:
            return super().construct_object(node, deep=deep)
        except yaml.MarkedYAMLError:
            raise
        except _UNREADABLE as error:
            raise yaml.constructor.ConstructorError(
                problem=f"cannot read this value as {node.tag.rsplit(':', 1)[-1]} ({error})",
                problem_mark=node.start_mark) from None

    def construct_document(self, node: yaml.Node) -> Any:
        # Collections are filled in after construct_object returned (a generator per node):
        # what fails there has no node of its own, so it gets the document's line.
        try:
            return super().construct_document(node)
        except yaml.MarkedYAMLError:
            raise
        except _UNREADABLE as error:
            raise yaml.constructor.ConstructorError(
                problem=f"cannot read this document ({error})", problem_mark=node.start_mark) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        # YAML keeps the last of two equal keys without a word: a curator would lose the
        # first entry silently. Checked before merge keys (<<) are expanded, which may repeat.
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                problem=f"expected a mapping (key: value) here, found {node.id}",
                problem_mark=node.start_mark)
        first: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if isinstance(key, str | int | float | bool) and key in first:
                raise yaml.constructor.ConstructorError(
                    problem=f"'{key}' appears twice (first on line {first[key]}); keep one entry",
                    problem_mark=key_node.start_mark,
                )
            if isinstance(key, str | int | float | bool):
                first.setdefault(key, line)
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.lines = {
            self.construct_object(key, deep=deep): key.start_mark.line + 1 for key, _ in node.value
        }
        return mapping

    def construct_text(self, node: yaml.ScalarNode) -> str:
        """An explicit ``!!timestamp`` as its text: the field that wants a date checks it."""
        return str(self.construct_scalar(node))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)
_Loader.add_constructor(TIMESTAMP, _Loader.construct_text)
# Without the implicit resolver, 2025-02-30 is text instead of a crash in the loader, and
# 2025-10-28T10:00:00 is text instead of a datetime that no date compares with.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _children(node: yaml.Node) -> list[yaml.Node]:
    """The nodes directly under a node: items, or keys and values."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_repetition(root: yaml.Node) -> None:
    """Refuse a document whose aliases repeat too much, or which contains itself."""
    size: dict[int, int] = {}  # id → nodes in the node's tree, aliases expanded
    referenced: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            continue
        referenced[key] = referenced.get(key, 0) + 1
        if key in on_path:
            raise Refused(
                problem="an alias refers to the node that holds it, which never ends; "
                        "write the value out", problem_mark=node.start_mark)
        if key in nodes:
            continue  # Already sized, or being sized above: counted through `size` once.
        nodes[key] = node
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))
    repeated = size[id(root)] - len(nodes)
    if repeated > MAX_REPEATED_NODES:
        # Point at the anchor whose repetition weighs most.
        key = max((k for k in nodes if referenced[k] > 1),
                  key=lambda k: size[k] * (referenced[k] - 1))
        raise Refused(
            problem=f"aliases repeat {repeated:,} values (at most {MAX_REPEATED_NODES:,}), "
                    "most of them this anchor's; write the values out or use fewer aliases",
            problem_mark=nodes[key].start_mark)


def load_yaml(path: Path) -> Any:
    """Read and parse a YAML file; every mistake becomes a ConfigError naming file and line."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    if len(data) > MAX_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_BYTES // 2**20} MB, which no settings "
                          "file needs; check it is the right file")
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> Any:
    """Parse YAML text read from ``path``, within the bounds above."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        what = "" if isinstance(error, Refused) else "not valid YAML: "
        raise ConfigError(f"{path}{line}: {what}{error.problem or error.context}") from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise ConfigError(f"{path}:{line}: not valid YAML: character {chr(error.character)!r} "
                          "is not allowed in YAML; delete it") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {str(error).splitlines()[0]}") from None


def line_of(mapping: Any, key: Any) -> int:
    """The line of a key in a LineDict, 0 when unknown."""
    return getattr(mapping, "lines", {}).get(key, 0)


def parse_day(value: Any) -> dt.date | None:
    """A calendar day written YYYY-MM-DD, or None: no time, no week date, no 30 February."""
    if not isinstance(value, str) or DAY.fullmatch(value) is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: its repr, cut short (a list may be long)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
