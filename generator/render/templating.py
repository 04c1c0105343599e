"""The one renderer: Jinja2 templates in files, with the filters that keep dump text inert."""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.render import formulas
from generator.render.frontmatter import front_matter

# Python-Markdown's escapable characters ("|" comes with the tables extension); escaping
# any other character would leave its backslash visible.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown_text(text: object) -> Markup:
    """Untrusted text made literal inside Markdown: HTML-escaped, then Markdown-escaped."""
    escaped = html.escape(str(text), quote=False)
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", escaped))


def one_line(text: object) -> str:
    """Text with every run of white space, line breaks included, one space: for a place a
    line break would end (a Markdown table's row, a raw HTML block at a blank line)."""
    return " ".join(str(text).split())


def html_text(text: object) -> Markup:
    """Untrusted text as the content of an HTML element, on one line (``one_line``): a page's
    raw HTML block must not break at a blank line. Reads as ``md`` does in Markdown."""
    return Markup(html.escape(one_line(text), quote=False))


def rich_html(text: object) -> Markup:
    """Untrusted text as HTML with its LaTeX read: formulas as checked MathML, the rest escaped."""
    return Markup(formulas.render(str(text), lambda run: html.escape(run, quote=False)))


# LibYAML's emitter is ~4x faster than PyYAML's and writes the same bytes, except that it
# quotes astral characters (emoji) and these four differently; data holding them takes the
# pure-Python emitter, so a page never changes with the emitter that happened to be used.
@cache
def environment() -> Environment:
    """The Jinja2 environment, built once; everything is HTML-escaped unless marked safe."""
    env = Environment(
        loader=PackageLoader("generator.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A template is read once a process: checking its file on every page (~1,800 pages
        # after a dump) cost ~0.15 s. `make serve` regenerates on dumps and YAML files only.
        auto_reload=False,
    )
    env.filters["md"] = markdown_text
    env.filters["html_text"] = html_text
    env.filters["one_line"] = one_line
    env.filters["rich"] = rich_html
    env.filters["rendered"] = formulas.rendered
    return env


def render(template: str, meta: dict[str, Any] | None = None, **context: Any) -> str:
    """A page: optional front matter, then the named template rendered with the context."""
    body = environment().get_template(template).render(**context)
    return (front_matter(meta) + "\n" if meta else "") + body
