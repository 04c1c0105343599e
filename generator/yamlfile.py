"""Read curator-edited YAML keeping line numbers, so errors can say where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError


class LineDict(dict):
    """A mapping that remembers the 1-based line of each key."""

    lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings are LineDicts."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        # YAML keeps the last of two equal keys without a word: a curator would lose the
        # first entry silently. Checked before merge keys (<<) are expanded, which may repeat.
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


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; a syntax error becomes a ConfigError naming file and line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: not valid YAML: {error.problem}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None


def line_of(mapping: Any, key: Any) -> int:
    """The line of a key in a LineDict, 0 when unknown."""
    return getattr(mapping, "lines", {}).get(key, 0)
