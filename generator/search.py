"""Site search: a Pagefind index over the built paper pages, in small chunks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .errors import GeneratorError

# Only paper pages are indexed: index pages list thousands of titles and would drown results.
PAPER_PAGES = "papers/**/*.html"
# What is indexed on a paper page: Material's article, without the header, nav or footer.
ROOT_SELECTOR = "article.md-content__inner"
BUNDLE = "pagefind"
# Set to "off" to build without the index (the benchmark times indexing as its own step).
SWITCH = "READING_LIST_SEARCH"


def enabled() -> bool:
    """Whether builds should index the site (on unless READING_LIST_SEARCH=off)."""
    return os.environ.get(SWITCH, "on").lower() != "off"


def pagefind_command(site: Path) -> list[str]:
    """The Pagefind command line that indexes a built site in place."""
    return [
        sys.executable, "-m", "pagefind", "--site", str(site), "--glob", PAPER_PAGES,
        "--root-selector", ROOT_SELECTOR, "--output-subdir", BUNDLE, "--silent",
    ]


def index_site(site: Path) -> None:
    """Write the search index into ``site/pagefind/``; raise GeneratorError when Pagefind fails."""
    try:
        result = subprocess.run(pagefind_command(site), capture_output=True, text=True, check=False)
    except OSError as error:
        raise GeneratorError(f"search index not built: cannot run Pagefind ({error})") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise GeneratorError(
            f"search index not built: Pagefind exited with {result.returncode}: {detail[0]} "
            "(is `pagefind[extended]` installed? run `make site`)"
        )
