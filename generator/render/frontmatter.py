"""Front matter: a page's metadata as YAML, emitted through LibYAML with the bytes PyYAML's
own emitter would write."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_PYTHON_ONLY = re.compile("[\x85\u2028\u2029\ufeff\U00010000-\U0010ffff]")


class _Unusual(Exception):
    """A value _node leaves to PyYAML's representer (other types, shared lists or dicts)."""


_TAG = "tag:yaml.org,2002:"


def _node(value: Any, shared: set[int], texts: list[str]) -> yaml.Node:
    """The node PyYAML's SafeRepresenter makes of the value, without its per-node overhead.

    Only exact str, int, bool, None, list and dict (what front matter holds); anything else
    raises _Unusual. A list or dict met twice would be an alias, so it raises too. Strings
    among the values (not keys, as before) are collected in ``texts``.
    """
    kind = type(value)
    if kind is str:
        texts.append(value)
        return yaml.ScalarNode(_TAG + "str", value)
    if value is None:
        return yaml.ScalarNode(_TAG + "null", "null")
    if kind is bool:
        return yaml.ScalarNode(_TAG + "bool", "true" if value else "false")
    if kind is int:
        return yaml.ScalarNode(_TAG + "int", str(value))
    if (kind is not dict and kind is not list) or id(value) in shared:
        raise _Unusual
    shared.add(id(value))
    if kind is list:
        return yaml.SequenceNode(_TAG + "seq", [_node(item, shared, texts) for item in value],
                                 flow_style=False)
    return yaml.MappingNode(_TAG + "map", [
        (_key(key, shared), _node(item, shared, texts)) for key, item in value.items()
    ], flow_style=False)


def _key(key: Any, shared: set[int]) -> yaml.Node:
    """A mapping key's node; its text does not choose the emitter."""
    return _node(key, shared, [])


def _strings(value: Any) -> Iterator[str]:
    """Every string inside nested dicts and lists (dict values, not keys)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def front_matter(data: dict[str, Any]) -> str:
    """YAML front matter block; the YAML library quotes whatever the text holds."""
    texts: list[str] = []
    try:
        # The nodes built here, serialized: yaml.dump's bytes in half its time (front matter
        # of 10,000 papers took 5.8 s, most of it in the representer).
        node = _node(data, set(), texts)
    except _Unusual:
        node, texts = None, list(_strings(data))
    dumper = _DUMPER
    if any(_PYTHON_ONLY.search(text) for text in texts):
        dumper = yaml.SafeDumper
    if node is None:
        body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=10_000)
    else:
        body = yaml.serialize(node, Dumper=dumper, allow_unicode=True, width=10_000)
    return f"---\n{body}---\n"
