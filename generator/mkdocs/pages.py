"""MkDocs hook helper, for speed only: pages read and rendered without YAML or Python-Markdown
where the generator's own output lets them be.

- Front matter as generator/render/frontmatter.py writes it is read by its own reader
  (``read_front_matter``: ~0.6 s of a 10,000-paper build less than LibYAML and PyYAML's
  constructor); any other front matter goes to MkDocs' ``get_data`` as before.
- A page the Markdown shortcut converted (plain.py) reaches ``Page.render`` with no Markdown
  left: MkDocs would still build a Python-Markdown instance for it (~0.09 ms a page, ~0.9 s
  at 10,000 papers) to convert nothing. It gets what that run gives (no content, no table
  of contents, no title, no anchors, no links); ``on_page_content`` then sets the page's own.

Installed by the hooks' ``on_config``; a build without the hooks writes the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta

from generator.render.frontmatter import read_front_matter

_BY_MKDOCS_RENDER = Page.render
_BY_MKDOCS_GET_DATA = meta.get_data
# MkDocs keeps a page's links to anchors only above DEBUG (pages.py's render does the same).
_LOG = logging.getLogger("mkdocs.structure.pages")
# Which pages the hooks converted themselves: set by each build's install.
_CONVERTED: dict[str, Callable[[Any], bool]] = {"page": lambda page: False}


def get_data(doc: str) -> tuple[str, dict[str, Any]]:
    """MkDocs' ``get_data``: the page without its front matter, and the front matter read."""
    found = meta.YAML_RE.match(doc)
    if found:
        data = read_front_matter(found.group(1))
        if data is not None:
            return doc[found.end():].lstrip("\n"), data
    return _BY_MKDOCS_GET_DATA(doc)


def render(page: Any, config: Any, files: Any) -> None:
    """``Page.render``; a page the hooks converted gets what Python-Markdown makes of nothing."""
    if page.markdown == "" and _CONVERTED["page"](page):
        page.content = ""
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        if _LOG.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {}
        return
    _BY_MKDOCS_RENDER(page, config, files)


def install(converted: Callable[[Any], bool]) -> None:
    """Read and render MkDocs' pages through this module; ``converted`` tells the pages the
    hooks converted themselves (each build's on_config calls it: the hooks module is new)."""
    _CONVERTED["page"] = converted
    Page.render = render  # type: ignore[method-assign]
    meta.get_data = get_data
