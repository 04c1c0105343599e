"""MkDocs hooks, for speed only: the generator's raw HTML blocks skip Python-Markdown.

No guarantee lives here: page titles are escaped by the templates in overrides/, the search
index and the site folder are handled by generator/publish/engines.py and regeneration under
``make serve`` by generator/serve.py, so a build with no hooks (or by Zensical, which runs
none) is as safe and as complete; it is only slower.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache

# MkDocs loads hooks by path; the generator package sits beside mkdocs.yml.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from generator.publish.sitecache import CACHE
from generator.render.docs import OWNED
from generator.render.html_blocks import put_back, set_aside
from generator.write.writer import owns

# Raw HTML blocks of generated pages, set aside while Python-Markdown runs (by page source).
_SET_ASIDE: dict[str, list[str]] = {}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Set the raw HTML blocks of generated pages aside."""
    if _generated(page.file.src_uri):
        # Python-Markdown would pass these blocks through unchanged after parsing them with
        # Python's HTML parser: most of the cost of a paper page (see BENCHMARKS.md).
        markdown, _SET_ASIDE[page.file.src_uri] = set_aside(markdown)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put the raw HTML blocks set aside back in place."""
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
