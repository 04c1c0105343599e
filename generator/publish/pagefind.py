"""Site search: a Pagefind index of the paper pages, in small chunks, in shards.

The index is built from the generated Markdown pages (docs/papers/<slug>/index.md), not from
the built site, so a process of its own can write it while MkDocs renders the site (see
generator/mkdocs/hooks.py). A paper page's body is the generator's HTML blocks between
Markdown headings: the title, the date, the filters (`data-pagefind-filter`) and the parts to
leave out (`data-pagefind-ignore`) reach Pagefind as MkDocs passes them into the built page.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cbor2 import CBORError
from markdown import Markdown

from generator.cache import installed_version
from generator.enrich.slugs import SlugRegistry
from generator.problems import GeneratorError
from generator.publish.pagefind_bundle import put_in_order
from generator.publish.sitecache import tree_digest
from generator.read.siteconfig import markdown_extensions, read_config
from generator.render.html_blocks import put_back, set_aside
from generator.render.layout import PAPERS, paper_files

# Only paper pages are indexed: index pages list thousands of titles and would drown results.
# What is indexed on a paper page: its article (Material's class), without header or nav.
ROOT_SELECTOR = "article.md-content__inner"
BUNDLE = "pagefind"
# The Pagefind whose bundle layout generator/publish/pagefind_bundle.py knows.
PAGEFIND_VERSION = "1.5"
# Pagefind holds its whole index in memory while it writes it, ~120 KB a page: 1.2 GB at
# 10,000 papers. Shards of at most this many pages keep a build under 800 MB with MkDocs
# beside it (3,500 a shard peaked at 833 MB together); the browser merges them, each shard
# costing a first search its metadata file. extra.search.shard_pages in mkdocs.yml sets it.
SHARD_PAGES = 2_500
SHARDS_FILE = "shards.json"
# Beside the bundles: the digest of what each was made from, so an unchanged shard is kept.
KEYS_FILE = "keys.json"
# And what each page gave the index last time, so an unchanged page is not read again.
PAGES_FILE = "pages.json"
# How the indexing process's last line starts when it succeeded (the MkDocs hook logs it).
DONE = "search index:"


def arrival(markdown: str, slug: str) -> tuple[str, int, str]:
    """When a paper came: the first dump (by name, dated) and line it was read from, then its slug.

    Shards take papers in this order, so the papers of a new dump land in the newest shard
    and the older shards, and their bundles, stay as they were.
    """
    front = _FRONT_MATTER.match(markdown)
    sources = _SOURCE.findall(front.group()) if front else []
    dump, line = min(((dump.strip("'\""), int(line)) for dump, line in sources), default=("", 0))
    return dump, line, slug


def shard_plan(arrivals: list[tuple[int, str, int, str]], shard_pages: int = SHARD_PAGES
               ) -> list[list[str]]:
    """The paper slugs of each shard: in order of arrival (the build that first published a
    paper, from the slug registry, then ``arrival``), ``shard_pages`` to a shard."""
    ordered = [slug for *_, slug in sorted(arrivals)]
    return [ordered[start:start + shard_pages] for start in range(0, len(ordered), max(1, shard_pages))]


def bundle_name(shard: int) -> str:
    """The folder of a shard's bundle: pagefind/, then pagefind-1/, pagefind-2/, ..."""
    return BUNDLE if shard == 0 else f"{BUNDLE}-{shard}"


def pagefind_command(site: Path, glob: str, bundle: Path) -> list[str]:
    """The Pagefind command line that indexes one shard of a site's pages into ``bundle``."""
    return [
        sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob,
        "--root-selector", ROOT_SELECTOR, "--output-path", str(bundle.resolve()), "--silent",
        # A heading's permalink sign is not text: without this, excerpts read "Abstract¶ ...".
        "--exclude-selectors", ".headerlink",
    ]


def _run_pagefind(site: Path, bundle: Path) -> None:
    """Index every paper page of ``site`` into ``bundle``, its filter values in order."""
    try:
        result = subprocess.run(pagefind_command(site, f"{PAPERS}/**/*.html", bundle),
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
        put_in_order(bundle)
    except (OSError, ValueError, KeyError, TypeError, CBORError) as error:
        raise GeneratorError(f"search index not built: cannot read Pagefind's bundle ({error}); "
                             f"is pagefind {PAGEFIND_VERSION}, as requirements.txt pins it, "
                             "installed? run `make site`") from None


def _write_shards_file(out: Path, shards: int) -> None:
    """The header search merges the other shards into the first (paths relative to the site)."""
    others = [f"{bundle_name(shard)}/" for shard in range(1, shards)]
    (out / BUNDLE).mkdir(parents=True, exist_ok=True)
    # Replaced, never rewritten in place: a published site may hold a link to this file.
    temporary = out / BUNDLE / f".{SHARDS_FILE}.tmp"
    temporary.write_text(json.dumps(others) + "\n", encoding="utf-8")
    temporary.replace(out / BUNDLE / SHARDS_FILE)


def index_site(site: Path, out: Path | None = None) -> None:
    """Index a built site's paper pages as one bundle into ``out/pagefind/`` (default: the site's).

    Raise GeneratorError when Pagefind fails.
    """
    out = out or site
    if not any((site / PAPERS).glob("*/index.html")):
        return  # No paper yet: nothing to search, and Pagefind refuses an empty site.
    _run_pagefind(site, out / BUNDLE)
    _write_shards_file(out, 1)


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# The dumps a paper page says it was read from (its front matter's sources).
_SOURCE = re.compile(r"^- dump: (.+)\n  line: (\d+)$", re.M)
# An element Pagefind leaves out of the index, and the attributes it reads even inside one.
_IGNORED = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>.*?</\1\s*>", re.S | re.I)
_PAGEFIND_DATA = re.compile(r"data-pagefind-(?:filter|meta|sort|body|index-attrs|weight)")
# What a page's Markdown parts are built with when no mkdocs.yml says (MkDocs' own extensions).
NO_EXTENSIONS = json.dumps(markdown_extensions({}), sort_keys=True)


def extensions_of(root: Path) -> str:
    """mkdocs.yml's Markdown extensions with MkDocs' own, as the JSON the indexer is given."""
    return json.dumps(markdown_extensions(read_config(root)), sort_keys=True)


@lru_cache(maxsize=4)
def _markdown(extensions: str) -> Markdown:
    """Python-Markdown with the extensions (JSON of name -> settings) MkDocs builds pages with."""
    chosen = json.loads(extensions)
    return Markdown(extensions=list(chosen), extension_configs=chosen)


@lru_cache(maxsize=1024)
def _converted(markdown: str, extensions: str) -> str:
    """Markdown as HTML; cached, since with its blocks set aside most pages read the same."""
    converter = _markdown(extensions)
    converter.reset()
    return converter.convert(markdown)


def page_html(markdown: str, language: str, extensions: str = NO_EXTENSIONS) -> str:
    """A paper page's Markdown as the HTML Pagefind reads: its body, headings as HTML."""
    body, blocks = set_aside(_FRONT_MATTER.sub("", markdown, count=1).lstrip("\n"))
    # What MkDocs does with the page (generator/mkdocs/hooks.py): the generator's HTML blocks,
    # escaped by Jinja, set aside and put back unchanged; the rest (headings, a curator's note)
    # through Python-Markdown with mkdocs.yml's extensions, so records match the built page's.
    body = put_back(_converted(body, extensions), blocks) + "\n"
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(language)}">\n<head><meta charset="utf-8">'
            f'</head>\n<body>\n<article class="md-content__inner">\n{body}</article>\n</body>\n</html>\n')


@dataclass(frozen=True)
class Page:
    """A paper page as the index sees it: when it arrived, a digest of what of it is indexed."""

    slug: str
    path: Path
    arrival: tuple[str, int, str]
    indexed: str
    stat: list[int]


def _stat(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def read_pages(docs: Path, language: str = "en", known: dict | None = None,
               extensions: str = NO_EXTENSIONS) -> dict[str, Page]:
    """docs/papers/<slug>/index.md by slug; a page as ``known`` saw it (same size, mtime,
    ctime and inode) is not read again."""
    pages = {}
    known = known or {}
    for path in paper_files(docs):
        slug, stat = path.parent.name, _stat(path)
        seen = known.get(slug)
        if isinstance(seen, list) and len(seen) == 3 and seen[0] == stat:
            found = (seen[1][0], seen[1][1], seen[1][2])
            pages[slug] = Page(slug, path, found, seen[2], stat)
            continue
        markdown = path.read_text(encoding="utf-8")
        indexed = hashlib.sha256(_indexed(page_html(markdown, language, extensions)).encode("utf-8")
                                 ).hexdigest()
        pages[slug] = Page(slug, path, arrival(markdown, slug), indexed, stat)
    return pages


def write_pages(pages: list[Page], out: Path, language: str = "en",
                extensions: str = NO_EXTENSIONS) -> None:
    """Write pages as the minimal HTML Pagefind reads, where the engines put them, so
    Pagefind gives each record the site's URL."""
    (out / PAPERS).mkdir(parents=True)
    for page in pages:
        target = out / PAPERS / page.slug / "index.html"
        target.parent.mkdir()
        target.write_text(page_html(page.path.read_text(encoding="utf-8"), language, extensions),
                          encoding="utf-8")


def _scratch() -> str | None:
    """Where the pages Pagefind reads are written: memory (tmpfs) when the system has one.

    10,000 small files cost ~7 s to write and remove on a disk, ~0.5 s in memory.
    """
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _indexed(html_text: str) -> str:
    """What of a page reaches the index: its HTML without the parts Pagefind ignores.

    An ignored element holding a filter, a meta or a sort stays (Pagefind still reads those);
    the shortest match is taken, so a nested element of the same name keeps the rest in.
    """
    def drop(match: re.Match[str]) -> str:
        inner = match.group()
        return match.group() if _PAGEFIND_DATA.search(inner) else ""
    return _IGNORED.sub(drop, html_text)


def _shard_key(pages: list[Page], setup: str) -> str:
    """A digest of what a shard's bundle is made from: its pages' indexed content, the code."""
    digest = hashlib.sha256(setup.encode())
    for page in pages:
        digest.update(f"\0{page.slug}\0{page.indexed}".encode())
    return digest.hexdigest()


def _setup(language: str, extensions: str) -> str:
    """What every page's indexing depends on besides the page: versions, language, Markdown
    extensions, code."""
    versions = {name: installed_version(name) for name in ("pagefind", "pagefind_bin_extended", "markdown")}
    return json.dumps([versions, language, extensions, ROOT_SELECTOR, _code_digest()])


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The generator's code, which makes the pages Pagefind reads."""
    return tree_digest(Path(__file__).resolve().parents[1])


@dataclass(frozen=True)
class Indexed:
    """What an indexing run did: pages in the index, shards in all and shards indexed again."""

    pages: int
    shards: int
    indexed: int


def index_pages(docs: Path, out: Path, language: str = "en", shard_pages: int = SHARD_PAGES,
                extensions: str = NO_EXTENSIONS, *, builds: dict[str, int] | None = None) -> Indexed:
    """The search bundles of docs/papers/<slug>/index.md in ``out/pagefind*/``.

    ``builds``: the build that first published each slug (the slug registry's arrivals).

    A shard whose pages index the same as when ``out`` last got its bundle (``out/keys.json``)
    keeps it; the others are indexed again, each into a fresh folder put in place when done.
    """
    out.mkdir(parents=True, exist_ok=True)
    setup = _setup(language, extensions)
    keys_file, pages_file = out / KEYS_FILE, out / PAGES_FILE
    try:
        kept = json.loads(keys_file.read_text(encoding="utf-8"))
        seen = json.loads(pages_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept, seen = {}, {}
    known = seen.get("pages", {}) if isinstance(seen, dict) and seen.get("setup") == setup else {}
    pages = read_pages(docs, language, known, extensions)
    builds = builds or {}
    plan = shard_plan([(builds.get(slug, 0), *page.arrival) for slug, page in pages.items()],
                      shard_pages)
    # Gone while bundles change: a run stopped half-way leaves no key, so the next one indexes all.
    keys_file.unlink(missing_ok=True)
    keys, indexed = {}, 0
    for shard, slugs in enumerate(plan):
        name = bundle_name(shard)
        members = [pages[slug] for slug in slugs]
        keys[name] = _shard_key(members, setup)
        if kept.get(name) == keys[name] and (out / name).is_dir():
            continue
        fresh = out / f".new-{name}"
        shutil.rmtree(fresh, ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix="reading-list-pages-", dir=_scratch()) as scratch:
            write_pages(members, Path(scratch), language, extensions)
            _run_pagefind(Path(scratch), fresh)
        shutil.rmtree(out / name, ignore_errors=True)
        fresh.rename(out / name)
        indexed += 1
    # Bundles of shards that no longer exist (the list shrank).
    for folder in out.glob(f"{BUNDLE}*"):
        if folder.is_dir() and folder.name not in keys:
            shutil.rmtree(folder)
    if plan:
        _write_shards_file(out, len(plan))
    pages_file.write_text(json.dumps({"setup": setup, "pages": {
        slug: [page.stat, list(page.arrival), page.indexed] for slug, page in pages.items()}}),
        encoding="utf-8")
    keys_file.write_text(json.dumps(keys, sort_keys=True) + "\n", encoding="utf-8")
    return Indexed(len(pages), len(plan), indexed)


def main(argv: list[str] | None = None) -> int:
    """``python -m generator.publish.pagefind DOCS OUT``: index the paper pages; one line on failure."""
    parser = argparse.ArgumentParser(prog="python -m generator.publish.pagefind", description=__doc__)
    parser.add_argument("docs", type=Path, help="the docs folder holding papers/<slug>/index.md")
    parser.add_argument("out", type=Path, help="a folder of its own, to write pagefind*/ into "
                                               "(bundles already there are kept when unchanged)")
    parser.add_argument("--language", default="en", help="the site's language (theme.language)")
    parser.add_argument("--root", type=Path, default=None,
                        help="the project folder, whose mkdocs.yml names the Markdown extensions "
                             "(default: the docs folder's parent)")
    parser.add_argument("--shard-pages", type=int, default=SHARD_PAGES,
                        help=f"pages to a shard (default {SHARD_PAGES})")
    parser.add_argument("--registry", type=Path, default=None,
                        help="the slug registry, whose arrivals order the shards (default: none, "
                             "papers in the order of their first dump)")
    args = parser.parse_args(argv)
    # Stopped by the publish step (a failed build): exit through the `with` blocks, so the
    # pages written in memory are removed and Pagefind is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    start = time.perf_counter()
    try:
        extensions = extensions_of(args.root or args.docs.resolve().parent)
        builds = SlugRegistry.load(args.registry).arrivals if args.registry else None
        done = index_pages(args.docs, args.out, args.language, args.shard_pages, extensions,
                           builds=builds)
    except GeneratorError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"search index not built: {error}", file=sys.stderr)
        return 1
    # Peak memory of this process and of the Pagefind runs it waited for (KB on Linux).
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"{DONE} {done.pages} pages in {time.perf_counter() - start:.2f} s, peak {peak / 1024:.0f} MB, "
          f"{done.indexed} of {done.shards} shards indexed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
