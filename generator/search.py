"""Site search: a Pagefind index of the paper pages, in small chunks, in shards.

The index is built from the generated Markdown pages (docs/papers/<slug>/index.md), not from
the built site, so a process of its own can write it while MkDocs renders the site (see
generator/mkdocs_hooks.py). A paper page's body is the generator's HTML blocks between
Markdown headings: the title, the date, the filters (`data-pagefind-filter`) and the parts to
leave out (`data-pagefind-ignore`) reach Pagefind as MkDocs passes them into the built page.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import re
import resource
import signal
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

from cbor2 import CBORError
from markdown import Markdown

from .errors import ConfigError, GeneratorError
from .html_blocks import put_back, set_aside
from .layout import PAPERS, paper_files
from .pagefind_bundle import put_in_order

# Only paper pages are indexed: index pages list thousands of titles and would drown results.
# What is indexed on a paper page: its article (Material's class), without header or nav.
ROOT_SELECTOR = "article.md-content__inner"
BUNDLE = "pagefind"
# The Pagefind whose bundle layout generator/pagefind_bundle.py knows.
PAGEFIND_VERSION = "1.5"
# Pagefind holds its whole index in memory while it writes it, ~120 KB a page: 1.2 GB at
# 10,000 papers. Shards of at most this many pages keep a build under 800 MB with MkDocs
# beside it (5,000 a shard peaked at 950 MB); the browser merges them (each shard costs a
# first search ~100 KB more, so they stay few).
SHARD_PAGES = 3_500
SHARDS_FILE = "shards.json"
SLUG_START = string.ascii_lowercase + string.digits
# Set to "off" to build without the index.
SWITCH = "READING_LIST_SEARCH"
# How the indexing process's last line starts when it succeeded (the MkDocs hook logs it).
DONE = "search index:"


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


def pagefind_command(site: Path, glob: str, bundle: Path) -> list[str]:
    """The Pagefind command line that indexes one shard of a site's pages into ``bundle``."""
    return [
        sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob,
        "--root-selector", ROOT_SELECTOR, "--output-path", str(bundle.resolve()), "--silent",
    ]


def index_site(site: Path, out: Path | None = None) -> None:
    """Write the search index of a site's pages into ``out/pagefind*/`` (default: the site's).

    Raise GeneratorError when Pagefind fails.
    """
    out = out or site
    if not any((site / PAPERS).glob("*/index.html")):
        return  # No paper yet: nothing to search, and Pagefind refuses an empty site.
    globs = shard_globs(site)
    for shard, glob in enumerate(globs):
        try:
            result = subprocess.run(pagefind_command(site, glob, out / bundle_name(shard)),
                                    capture_output=True, text=True, check=False)
        except OSError as error:
            raise GeneratorError(f"search index not built: cannot run Pagefind ({error})") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise GeneratorError(
                f"search index not built: Pagefind exited with {result.returncode}: {detail[0]} "
                "(is `pagefind[extended]` installed? run `make site`)"
            )
        try:
            # Identical pages, identical index: Pagefind orders filter values at random.
            put_in_order(out / bundle_name(shard))
        except (OSError, ValueError, KeyError, TypeError, CBORError) as error:
            raise GeneratorError(f"search index not built: cannot read Pagefind's bundle ({error}); "
                                 f"is pagefind {PAGEFIND_VERSION}, as requirements.txt pins it, "
                                 "installed? run `make site`") from None
    # The header search merges the other shards into the first (paths relative to the site).
    others = [f"{bundle_name(shard)}/" for shard in range(1, len(globs))]
    (out / BUNDLE).mkdir(parents=True, exist_ok=True)
    (out / BUNDLE / SHARDS_FILE).write_text(json.dumps(others) + "\n", encoding="utf-8")


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# mkdocs.yml's markdown_extensions: what the paper pages' Markdown parts are built with.
_MARKDOWN = Markdown(extensions=["attr_list", "tables", "toc"],
                     extension_configs={"toc": {"permalink": True}})


@lru_cache(maxsize=1024)
def _converted(markdown: str) -> str:
    """Markdown as HTML; cached, since with its blocks set aside most pages read the same."""
    _MARKDOWN.reset()
    return _MARKDOWN.convert(markdown)


def page_html(markdown: str, language: str) -> str:
    """A paper page's Markdown as the HTML Pagefind reads: its body, headings as HTML."""
    body, blocks = set_aside(_FRONT_MATTER.sub("", markdown, count=1).lstrip("\n"))
    # What MkDocs does with the page (generator/mkdocs_hooks.py): the generator's HTML blocks,
    # escaped by Jinja, set aside and put back unchanged; the rest (headings, a curator's note)
    # through Python-Markdown with mkdocs.yml's extensions, so records match the built page's.
    body = put_back(_converted(body), blocks) + "\n"
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(language)}">\n<head><meta charset="utf-8">'
            f'</head>\n<body>\n<article class="md-content__inner">\n{body}</article>\n</body>\n</html>\n')


def write_pages(docs: Path, out: Path, language: str = "en") -> int:
    """Write docs/papers/<slug>/index.md as minimal HTML pages where the engines put them."""
    (out / PAPERS).mkdir(parents=True)
    pages = paper_files(docs)
    for page in pages:
        # The same path as the built page, so Pagefind gives each record the site's URL.
        target = out / PAPERS / page.parent.name / "index.html"
        target.parent.mkdir()
        target.write_text(page_html(page.read_text(encoding="utf-8"), language), encoding="utf-8")
    return len(pages)


def _scratch() -> str | None:
    """Where the pages Pagefind reads are written: memory (tmpfs) when the system has one.

    10,000 small files cost ~7 s to write and remove on a disk, ~0.5 s in memory.
    """
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def index_pages(docs: Path, out: Path, language: str = "en") -> int:
    """The search bundles of docs/papers/<slug>/index.md written into ``out/pagefind*/``; pages indexed."""
    with tempfile.TemporaryDirectory(prefix="reading-list-pages-", dir=_scratch()) as scratch:
        pages = write_pages(docs, Path(scratch), language)
        index_site(Path(scratch), out)
    return pages


def main(argv: list[str] | None = None) -> int:
    """``python -m generator.search DOCS OUT``: index the paper pages; one line on failure."""
    parser = argparse.ArgumentParser(prog="python -m generator.search", description=__doc__)
    parser.add_argument("docs", type=Path, help="the docs folder holding papers/<slug>/index.md")
    parser.add_argument("out", type=Path, help="a folder of its own, to write pagefind*/ into")
    parser.add_argument("--language", default="en", help="the site's language (theme.language)")
    args = parser.parse_args(argv)
    # Stopped by the MkDocs hook (a failed build): exit through the `with` blocks, so the
    # pages written in memory are removed and Pagefind is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    start = time.perf_counter()
    try:
        pages = index_pages(args.docs, args.out, args.language)
    except GeneratorError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"search index not built: {error}", file=sys.stderr)
        return 1
    # Peak memory of this process and of the Pagefind runs it waited for (KB on Linux).
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"{DONE} {pages} pages in {time.perf_counter() - start:.2f} s, peak {peak / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
