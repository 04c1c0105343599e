"""MkDocs hooks: safe page titles, regeneration under `serve`, the search index after a build."""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

# MkDocs loads hooks by path; the generator package sits beside mkdocs.yml.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.html_blocks import put_back, set_aside
from generator.site import OWNED

# Raw HTML blocks of generated pages, set aside while Python-Markdown runs (by page source).
_SET_ASIDE: dict[str, list[str]] = {}


def on_config(config: Any) -> Any:
    """Choose the search engine for this many papers and switch the other one off."""
    from generator.errors import GeneratorError  # noqa: PLC0415 - importable once on sys.path
    from generator.search import ENGINE_VARIABLE, PAGEFIND_FROM, choose_engine  # noqa: PLC0415

    settings = config.extra.get("search") or {}
    setting = os.environ.get(ENGINE_VARIABLE) or str(settings.get("engine", "auto"))
    papers = sum(1 for _ in Path(config.docs_dir, "papers").glob("*.md"))
    try:
        engine = choose_engine(setting, papers, int(settings.get("pagefind_from", PAGEFIND_FROM)))
    except (GeneratorError, ValueError) as error:
        raise PluginError(str(error)) from None
    material = config.plugins.get("material/search")
    if engine == "material" and material is None:
        raise PluginError("search engine 'material' needs '- search' under plugins in mkdocs.yml")
    if material is not None and engine != "material":
        # Material's plugin checks this before indexing a page and writing its index.
        material.config.enabled = False
    # Templates (overrides/partials/header.html) read the choice from here.
    config.extra["search_engine"] = engine
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Escape the front-matter title; set the raw HTML blocks of generated pages aside."""
    title = page.meta.get("title")
    if isinstance(title, str):
        # The title's text must show as written, never become markup in <title> or <h1>.
        page.meta["title"] = html.escape(title, quote=True)
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
    return any(src_uri == own or src_uri.startswith(f"{own}/") for own in OWNED if own != "papers.json")


def on_pre_build(config: Any) -> None:
    """Under ``make serve``, regenerate docs/ before each rebuild so edited dumps show up."""
    if not os.environ.get("READING_LIST_REGENERATE"):
        return
    root = Path(config.config_file_path).parent
    # MkDocs loads hooks by path; the generator package sits beside mkdocs.yml.
    sys.path.insert(0, str(root))
    from generator.build import Project, build_catalog, write_site  # noqa: PLC0415

    project = Project(root=root)
    try:
        catalog = build_catalog(project)
        report = write_site(catalog, project)
    except Exception as error:
        print(f"reading list: not regenerated: {error}", file=sys.stderr)
        return
    for problem in catalog.problems:
        print(problem, file=sys.stderr)
    print(f"reading list: {len(catalog.papers)} papers, {len(report.written)} files rewritten",
          file=sys.stderr)


def on_post_build(config: Any) -> None:
    """Index the built paper pages with Pagefind, so `mkdocs build` and `serve` both search."""
    root = str(Path(config.config_file_path).parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from generator.errors import GeneratorError  # noqa: PLC0415 - importable once on sys.path
    from generator.search import enabled, index_site  # noqa: PLC0415

    if config.extra.get("search_engine") == "pagefind" and enabled():
        try:
            index_site(Path(config.site_dir))
        except GeneratorError as error:
            raise PluginError(str(error)) from None
