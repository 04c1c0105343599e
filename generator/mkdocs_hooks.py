"""MkDocs hooks: make page titles safe where the theme inserts them as HTML."""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path
from typing import Any


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Escape the front-matter title: MkDocs and Material insert ``page.title`` unescaped."""
    title = page.meta.get("title")
    if isinstance(title, str):
        # The title's text must show as written, never become markup in <title> or <h1>.
        page.meta["title"] = html.escape(title, quote=True)
    return markdown


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
