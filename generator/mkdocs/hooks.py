"""MkDocs hooks, for speed only: the generator's raw HTML blocks skip Python-Markdown.

Pages left with nothing to parse once their blocks are aside skip it altogether (plain.py,
pages.py), front matter as the generator writes it is read without YAML (pages.py), pages
get their canonical URLs without urljoin (canonical.py), and each page written is named to
the publish step, which stages it while the rest are rendered (generator/publish/siteupdate.py).

No guarantee lives here: page titles are escaped by the templates in overrides/, the search
index and the site folder are handled by generator/publish/engines.py and regeneration under
``make serve`` by generator/serve.py, so a build with no hooks (or by Zensical, which runs
none) is as safe and as complete; it is only slower.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import markdown as python_markdown
from jinja2 import FileSystemBytecodeCache
from mkdocs.structure.pages import _ExtractTitleTreeprocessor
from mkdocs.structure.toc import get_toc

# MkDocs loads hooks by path; the generator package sits beside mkdocs.yml.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from generator.mkdocs import canonical, pages, plain
from generator.publish.sitecache import CACHE, PAGES_WRITTEN_FD
from generator.render.docs import OWNED
from generator.render.html_blocks import put_back, set_aside
from generator.write.writer import owns

# Raw HTML blocks of generated pages, set aside while Python-Markdown runs (by page source).
_SET_ASIDE: dict[str, list[str]] = {}
# Generated pages converted without Python-Markdown (by page source), and whether this
# build's Markdown settings let them be (decided once per build, in on_config).
_PLAIN: dict[str, plain.Plain] = {}
_SHORTCUT = {"on": False}
# The pipe the publish step reads the pages written on, if it gave one, and the page being
# rendered (written once the next page's rendering starts, or the build ends).
_NAMING: dict[str, Any] = {"pipe": None, "page": None}


def on_config(config: Any) -> Any:
    """Check the Markdown shortcut against Python-Markdown as this mkdocs.yml configures it."""

    def markdown_of(text: str) -> tuple[str, list[dict[str, Any]], str | None]:
        md = python_markdown.Markdown(extensions=config["markdown_extensions"],
                                      extension_configs=config["mdx_configs"] or {})
        # The title as Page.render reads it, by MkDocs' own treeprocessor.
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        return md.convert(text), md.toc_tokens, title.title

    _SHORTCUT["on"] = plain.agrees(markdown_of)
    canonical.install()
    pages.install(lambda page: page.file.src_uri in _PLAIN)
    # A build stopped between a page's two events (`mkdocs serve` keeps this module) leaves
    # its entries behind: a page converted here must never get another build's content.
    _PLAIN.clear()
    _SET_ASIDE.clear()
    _NAMING.update(pipe=_pages_pipe(), page=None)
    return config


def _pages_pipe() -> int | None:
    """The pipe the publish step gave to name pages on: a descriptor that is a pipe, or none."""
    try:
        pipe = int(os.environ.get(PAGES_WRITTEN_FD, ""))
        return pipe if stat.S_ISFIFO(os.fstat(pipe).st_mode) else None
    except (ValueError, OSError):
        return None


def _name_written(page: str | None) -> None:
    """Name the page rendered before (MkDocs has written it by now); ``page`` is rendered next."""
    written, _NAMING["page"] = _NAMING["page"], page
    pipe = _NAMING["pipe"]
    if written is None or pipe is None:
        return
    try:
        os.write(pipe, os.fsencode(written) + b"\n")
    except BlockingIOError:  # The publish step is behind: it stages this page after the build.
        pass
    except OSError:  # It stopped reading: nothing more is named.
        _NAMING["pipe"] = None


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Name the page written before this one: MkDocs writes each after this event."""
    _name_written(page.file.dest_uri)
    return output


def on_post_build(config: Any) -> None:
    """Name the last page written."""
    _name_written(None)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Set the raw HTML blocks of generated pages aside."""
    if _generated(page.file.src_uri):
        # Python-Markdown would pass these blocks through unchanged after parsing them with
        # Python's HTML parser: most of the cost of a paper page (see BENCHMARKS.md).
        markdown, blocks = set_aside(markdown)
        converted = plain.convert(markdown) if _SHORTCUT["on"] else None
        if converted is not None:
            # Python-Markdown gets nothing to do; on_page_content gives the page its content.
            _PLAIN[page.file.src_uri] = replace(converted, html=put_back(converted.html, blocks))
            return ""
        _SET_ASIDE[page.file.src_uri] = blocks
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put the raw HTML blocks set aside back in place, or the whole page converted here."""
    converted = _PLAIN.pop(page.file.src_uri, None)
    if converted is not None:
        # What Page.render would have set from Python-Markdown's run on the page.
        page.toc = get_toc(converted.toc_tokens)
        page._title_from_render = converted.title
        page.present_anchor_ids = converted.anchors
        return converted.html
    return put_back(html, _SET_ASIDE.pop(page.file.src_uri, []))


def _generated(src_uri: str) -> bool:
    """Pages the generator writes: their HTML blocks come from its own templates."""
    return src_uri.endswith(".md") and owns(OWNED, src_uri)


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Keep the theme's compiled templates between builds, in the engine's cache folder.

    Compiling Material's ~30 templates costs every build ~0.3 s; Jinja checks each kept
    one against its template's source (and its own and Python's versions) before using it.
    """
    folder = Path(config.config_file_path).resolve().parent / CACHE / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env
