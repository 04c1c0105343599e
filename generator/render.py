"""The one renderer: Jinja2 templates in files, front matter through a YAML library."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

# Python-Markdown's escapable characters ("|" comes with the tables extension); escaping
# any other character would leave its backslash visible.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown_text(text: object) -> Markup:
    """Untrusted text made literal inside Markdown: HTML-escaped, then Markdown-escaped."""
    escaped = html.escape(str(text), quote=False)
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", escaped))


# LibYAML's emitter is ~4x faster than PyYAML's and writes the same bytes, except that it
# quotes astral characters (emoji) and these four differently; data holding them takes the
# pure-Python emitter, so a page never changes with the emitter that happened to be used.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_PYTHON_ONLY = re.compile("[\x85\u2028\u2029\ufeff\U00010000-\U0010ffff]")


def _strings(value: Any) -> Iterator[str]:
    """Every string inside nested dicts and lists."""
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
    dumper = _DUMPER
    if any(_PYTHON_ONLY.search(text) for text in _strings(data)):
        dumper = yaml.SafeDumper
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{body}---\n"


@cache
def environment() -> Environment:
    """The Jinja2 environment, built once; everything is HTML-escaped unless marked safe."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    return env


def render(template: str, meta: dict[str, Any] | None = None, **context: Any) -> str:
    """A page: optional front matter, then the named template rendered with the context."""
    body = environment().get_template(template).render(**context)
    return (front_matter(meta) + "\n" if meta else "") + body
