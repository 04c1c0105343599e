"""Where each generated page lives under docs/: every page is a folder's ``index.md``.

A page's URL is the folder of its file, so MkDocs and Zensical agree on what a relative link
in its HTML points at: MkDocs reads such links against the page's URL, Zensical against the
file's folder, and for ``<folder>/index.md`` both are the same.
"""

from __future__ import annotations

import os
from pathlib import Path

PAPERS = "papers"
INDEX = "index.md"


def page_file(folder: str) -> str:
    """The Markdown file under docs/ of the page whose URL is ``folder/`` ("" is the home)."""
    folder = folder.strip("/")
    return f"{folder}/{INDEX}" if folder else INDEX


def paper_file(slug: str) -> str:
    """The Markdown file under docs/ of a paper's page."""
    return page_file(f"{PAPERS}/{slug}")


def paper_count(docs: Path) -> int:
    """How many paper pages ``docs`` holds: ``len(paper_files(docs))`` without a Path each."""
    try:
        entries = list(os.scandir(docs / PAPERS))
    except (FileNotFoundError, NotADirectoryError):
        return 0
    return sum(1 for entry in entries if entry.is_dir() and os.path.isfile(os.path.join(entry.path, INDEX)))


def paper_files(docs: Path) -> list[Path]:
    """The paper pages under ``docs`` (``papers/<slug>/index.md``), sorted by slug."""
    return sorted((docs / PAPERS).glob(f"*/{INDEX}"))
