"""Crawl the whole built site: every internal link and asset resolves to a file, anchors exist."""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.browser.reader import ServedSite

# A project site under a sub-path is the stricter layout: a link that climbs out of
# /reading-list/ or starts at the server root breaks there, and not at a user site's root.
SITE_URL = "https://reader.github.io/reading-list/"
# Attributes that make a browser fetch or follow a URL.
URL_ATTRIBUTES = {"href", "src", "poster", "data"}
NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:", "blob:")
# URLs in XML: sitemap <loc>, RSS <link>, Atom <link href="...">.
XML_URL = re.compile(r"<loc>([^<]+)</loc>|<link>([^<]+)</link>|<link\b[^>]*\bhref=\"([^\"]+)\"")


@dataclass(frozen=True)
class Reference:
    """One URL found in the built site: where it was written and what it says."""

    source: str
    line: int
    url: str


class _PageParser(HTMLParser):
    """Collects the URLs a page links to or loads, and the ids its anchors can point at."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.references: list[Reference] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record URL attributes (srcset lists several) and id / name targets."""
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES and not (tag == "link" and _is_hint(attrs)):
                self.references.append(Reference(self.source, line, value.strip()))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        url = candidate.split()[0]
                        self.references.append(Reference(self.source, line, url))
            elif name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)


def _is_hint(attrs: list[tuple[str, str | None]]) -> bool:
    """A <link rel="preconnect|dns-prefetch"> names an origin, not a file to check."""
    rel = dict(attrs).get("rel") or ""
    return bool({"preconnect", "dns-prefetch"} & set(rel.split()))


@functools.cache
def _parse(page: Path, source: str) -> _PageParser:
    """A parsed page, read once however many links point into it."""
    parser = _PageParser(source)
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _page_url(site: Path, site_url: str, file: Path) -> str:
    """The URL a built file is served at."""
    relative = file.relative_to(site).as_posix()
    return site_url + relative.removesuffix("index.html")


def _target(site: Path, site_url: str, url: str) -> Path | str | None:
    """The file an absolute URL serves, an error message, or None for another site's URL."""
    parts = urlsplit(url)
    base = urlsplit(site_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    if not parts.path.startswith(base.path):
        return f"points outside the site's path {base.path}"
    relative = unquote(parts.path.removeprefix(base.path))
    if ".." in Path(relative).parts:
        return "climbs out of the site"
    target = site / relative
    if relative == "" or relative.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def check_references(site: Path, site_url: str, references: list[Reference]) -> list[str]:
    """Every reference that does not resolve to a built file or an existing anchor."""
    broken = []
    for reference in references:
        if not reference.url or reference.url.startswith(NOT_FETCHED):
            continue
        if reference.source.endswith(".html"):
            page_url = _page_url(site, site_url, site / reference.source)
        else:
            page_url = site_url
        absolute = urljoin(page_url, reference.url)
        target = _target(site, site_url, absolute)
        where = f"{reference.source}:{reference.line}: {reference.url!r}"
        if target is None:
            continue
        if isinstance(target, str):
            broken.append(f"{where} {target}")
        elif not target.is_file():
            broken.append(f"{where} no such file: {target.relative_to(site).as_posix()}")
        else:
            fragment = unquote(urlsplit(absolute).fragment)
            source = target.relative_to(site).as_posix()
            if fragment and target.suffix == ".html" and fragment not in _parse(
                target, source
            ).anchors:
                broken.append(f"{where} no anchor #{fragment} in {source}")
    return broken


def site_references(site: Path) -> list[Reference]:
    """The URLs of every HTML page, the sitemap, the search index and papers.json."""
    references = []
    for page in sorted(site.rglob("*.html")):
        references += _parse(page, page.relative_to(site).as_posix()).references
    # The sitemap, and feeds when the site has them: RSS <link>, Atom <link href>.
    for xml in sorted(site.rglob("*.xml")):
        source = xml.relative_to(site).as_posix()
        for line, text in enumerate(xml.read_text(encoding="utf-8").splitlines(), 1):
            references += [Reference(source, line, html.unescape(next(url for url in found.groups() if url)))
                           for found in XML_URL.finditer(text)]
    for feed in sorted(site.rglob("*.json")):
        data = json.loads(feed.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("items"), list):  # a JSON Feed
            source = feed.relative_to(site).as_posix()
            references += [Reference(source, index, item["url"])
                           for index, item in enumerate(data["items"]) if "url" in item]
    papers = site / "papers.json"
    if papers.is_file():
        references += [Reference("papers.json", index, paper["url"])
                       for index, paper in enumerate(json.loads(papers.read_text("utf-8")))]
    search_index = site / "search" / "search_index.json"
    if search_index.is_file():  # Material's own search; another engine may replace it
        documents = json.loads(search_index.read_text(encoding="utf-8"))["docs"]
        references += [Reference("search/search_index.json", index, document["location"])
                       for index, document in enumerate(documents)]
    return references


@pytest.fixture(params=["root", "subpath", "zensical"])
def built_site(request: pytest.FixtureRequest, real_site: Callable[[str], ServedSite]) -> ServedSite:
    """The real site, built from the seeds: MkDocs at a server root and under a sub-path,
    Zensical under a sub-path (the session's shared builds, see tests/conftest.py)."""
    return real_site(request.param)


@pytest.mark.slow
def test_every_internal_link_and_asset_of_the_built_site_resolves(built_site: ServedSite) -> None:
    """No page, sitemap entry, search entry or export URL points at a missing file or anchor."""
    site = built_site.folder
    references = site_references(site)
    pages = len(list(site.rglob("*.html")))
    assert pages > 100 and len(references) > 10 * pages, "the crawl found too little to check"
    broken = check_references(site, built_site.url, references)
    assert not broken, f"{len(broken)} broken internal references:\n" + "\n".join(broken[:50])


@pytest.mark.slow
def test_crawl_reaches_every_paper_page(built_site: ServedSite) -> None:
    """Each paper page is linked from some index page, so a reader can find it by browsing."""
    site = built_site.folder
    linked = set()
    for reference in site_references(site):
        if reference.source.endswith(".html") and not reference.source.startswith("papers/"):
            page_url = _page_url(site, built_site.url, site / reference.source)
            linked.add(urlsplit(urljoin(page_url, reference.url)).path)
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    base = urlsplit(built_site.url).path
    orphans = [paper["url"] for paper in papers if base + paper["url"] not in linked]
    assert not orphans, f"paper pages no index links to: {orphans[:10]}"


def test_crawl_reports_each_kind_of_broken_reference(tmp_path: Path) -> None:
    """The crawler itself: missing pages, assets and anchors, and links escaping the sub-path."""
    (tmp_path / "papers" / "one").mkdir(parents=True)
    (tmp_path / "papers" / "one" / "index.html").write_text('<h2 id="abstract">A</h2>')
    (tmp_path / "style.css").write_text("")
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="style.css">\n'
        '<link rel="preconnect" href="https://fonts.example">\n'
        '<a href="papers/one/">ok</a> <a href="papers/one/#abstract">ok</a>\n'
        '<a href="https://elsewhere.example/x">external</a> <a href="mailto:a@b.c">mail</a>\n'
        f'<a href="{SITE_URL}papers/one/">absolute, inside</a> <a href="#top">missing anchor</a>\n'
        '<a href="papers/two/">missing page</a> <script src="app.js"></script>\n'
        '<a href="papers/one/#links">missing anchor</a> <a href="/papers/one/">off path</a>\n'
        '<img srcset="a.png 1x, style.css 2x"> <a href="../index.html">climbs</a>\n'
    )
    (tmp_path / "feed.xml").write_text(
        f"<rss><channel><link>{SITE_URL}</link>\n<item><link>{SITE_URL}papers/gone/</link></item>\n"
        f'<atom:link href="{SITE_URL}feed.xml" rel="self"/></channel></rss>\n'
    )
    (tmp_path / "feed.json").write_text(json.dumps(
        {"items": [{"url": f"{SITE_URL}papers/one/"}, {"url": f"{SITE_URL}papers/lost/"}]}
    ))
    broken = check_references(tmp_path, SITE_URL, site_references(tmp_path))
    assert broken == [
        "index.html:5: '#top' no anchor #top in index.html",
        "index.html:6: 'papers/two/' no such file: papers/two/index.html",
        "index.html:6: 'app.js' no such file: app.js",
        "index.html:7: 'papers/one/#links' no anchor #links in papers/one/index.html",
        "index.html:7: '/papers/one/' points outside the site's path /reading-list/",
        "index.html:8: 'a.png' no such file: a.png",
        "index.html:8: '../index.html' points outside the site's path /reading-list/",
        f"feed.xml:2: '{SITE_URL}papers/gone/' no such file: papers/gone/index.html",
        f"feed.json:1: '{SITE_URL}papers/lost/' no such file: papers/lost/index.html",
    ]
