"""Site search: a Pagefind index over the built paper pages, in small chunks, in shards."""

from __future__ import annotations

import json
import math
import os
import string
import subprocess
import sys
from collections import Counter
from pathlib import Path

from .errors import ConfigError, GeneratorError

# Only paper pages are indexed: index pages list thousands of titles and would drown results.
PAPERS = "papers"
# What is indexed on a paper page: Material's article, without the header, nav or footer.
ROOT_SELECTOR = "article.md-content__inner"
BUNDLE = "pagefind"
# Pagefind holds its whole index in memory while it writes it, ~120 KB a page: 1.2 GB at
# 10,000 papers. Shards of at most this many pages keep a build under 1 GB; the browser
# merges them (each shard costs a first search ~100 KB more, so they stay few).
SHARD_PAGES = 5_000
SHARDS_FILE = "shards.json"
SLUG_START = string.ascii_lowercase + string.digits
# Set to "off" to build without the index (the benchmark times indexing as its own step).
SWITCH = "READING_LIST_SEARCH"


# Which engine searches the site: Material's own index (suggestions, highlighting on the
# page opened) while it is small, Pagefind's chunked index once Material's single file would
# weigh on a first search (~370 KB gzipped at 1,000 papers, 3.6 MB at 10,000).
ENGINES = ("auto", "material", "pagefind")
ENGINE_VARIABLE = "READING_LIST_SEARCH_ENGINE"
PAGEFIND_FROM = 1_000


def choose_engine(setting: str, papers: int, pagefind_from: int = PAGEFIND_FROM) -> str:
    """The engine a site of this many papers gets: ``material`` or ``pagefind``."""
    if setting not in ENGINES:
        raise ConfigError(
            f"search engine '{setting}' is not one of {', '.join(ENGINES)} "
            f"(extra.search.engine in mkdocs.yml or {ENGINE_VARIABLE})"
        )
    if setting != "auto":
        return setting
    return "pagefind" if papers >= pagefind_from else "material"


def enabled() -> bool:
    """Whether builds should index the site (on unless READING_LIST_SEARCH=off)."""
    return os.environ.get(SWITCH, "on").lower() != "off"


def shard_globs(site: Path) -> list[str]:
    """File globs splitting the paper pages into shards of similar size, by first letter."""
    starts = Counter(page.parent.name[0] for page in (site / PAPERS).glob("*/index.html"))
    shards = max(1, math.ceil(sum(starts.values()) / SHARD_PAGES))
    if shards == 1 or any(start not in SLUG_START for start in starts):
        return [f"{PAPERS}/**/*.html"]
    groups: list[str] = []
    target, size, current = sum(starts.values()) / shards, 0, ""
    for start in sorted(SLUG_START):
        current += start
        size += starts.get(start, 0)
        if size >= target * (len(groups) + 1) and len(groups) < shards - 1:
            groups.append(current)
            current = ""
    groups.append(current)
    return [f"{PAPERS}/[{group}]*/**/*.html" for group in groups if group]


def bundle_name(shard: int) -> str:
    """The folder of a shard's bundle: pagefind/, then pagefind-1/, pagefind-2/, ..."""
    return BUNDLE if shard == 0 else f"{BUNDLE}-{shard}"


def pagefind_command(site: Path, glob: str, bundle: str) -> list[str]:
    """The Pagefind command line that indexes one shard of a built site in place."""
    return [
        sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob,
        "--root-selector", ROOT_SELECTOR, "--output-subdir", bundle, "--silent",
    ]


def index_site(site: Path) -> None:
    """Write the search index into ``site/pagefind*/``; raise GeneratorError when Pagefind fails."""
    if not any((site / PAPERS).glob("*/index.html")):
        return  # No paper yet: nothing to search, and Pagefind refuses an empty site.
    globs = shard_globs(site)
    for shard, glob in enumerate(globs):
        try:
            result = subprocess.run(pagefind_command(site, glob, bundle_name(shard)),
                                    capture_output=True, text=True, check=False)
        except OSError as error:
            raise GeneratorError(f"search index not built: cannot run Pagefind ({error})") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise GeneratorError(
                f"search index not built: Pagefind exited with {result.returncode}: {detail[0]} "
                "(is `pagefind[extended]` installed? run `make site`)"
            )
    # The header search merges the other shards into the first (paths relative to the site).
    others = [f"{bundle_name(shard)}/" for shard in range(1, len(globs))]
    (site / BUNDLE).mkdir(exist_ok=True)
    (site / BUNDLE / SHARDS_FILE).write_text(json.dumps(others) + "\n", encoding="utf-8")


if __name__ == "__main__":
    index_site(Path(sys.argv[1]))
