"""The one renderer: Jinja2 templates in files, front matter through a YAML library."""

from __future__ import annotations

import html
import re
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


def front_matter(data: dict[str, Any]) -> str:
    """YAML front matter block; the YAML library quotes whatever the text holds."""
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
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
