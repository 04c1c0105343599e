"""The real four dumps, built by the generator and a real ``mkdocs build --strict``."""

from __future__ import annotations

import gzip
import itertools
import json
import posixpath
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.pipeline import Project, build_catalog, write_site
from tests.browser.reader import ServedSite
from tests.kit.pages import parse_html
from tests.kit.project import REAL_SEEDS


def independent_count() -> tuple[int, int, int]:
    """Papers, entries and papers with a GitHub repo, counted without the generator's reader."""
    titles: dict[str, str] = {}
    entries = 0
    for path in REAL_SEEDS:
        blocks = path.read_text(encoding="utf-8").split("\n\n")
        for before, block in itertools.pairwise(blocks):
            if len(block) > 300:  # Only abstracts are that long; the block before is the title.
                entries += 1
                key = re.sub(r"\W+", " ", before.lower()).strip()
                titles[key] = max(titles.get(key, ""), block, key=len)
    with_repo = sum(bool(re.search(r"github\.com/[\w.-]+/\w", text)) for text in titles.values())
    return len(titles), entries, with_repo


@dataclass(frozen=True)
class Built:
    """The session's one build of the real seeds at a server root: its project and its site."""

    project: Path
    html: Path
    url: str

    @property
    def docs(self) -> Path:
        return self.project / "docs"


@pytest.fixture(scope="module")
def site(real_site: Callable[[str], ServedSite]) -> Built:
    served = real_site("root")  # tests/conftest.py: workdir/www, built from workdir/project
    return Built(project=served.folder.parent / "project", html=served.folder, url=served.url)


@pytest.fixture(scope="module")
def export(site: Built) -> list[dict]:
    return json.loads((site.html / "papers.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_paper_has_a_page_and_an_export_record(site: Built, export: list[dict]) -> None:
    papers, entries, _ = independent_count()
    pages = sorted(p.parent.name for p in (site.html / "papers").glob("*/index.html"))
    assert len(pages) == len(export) == papers == 230
    assert pages == sorted(record["slug"] for record in export)
    assert sum(len(record["sources"]) for record in export) == entries == 274


@pytest.mark.slow
def test_export_follows_the_contract(site: Built, export: list[dict]) -> None:
    keys = {"slug", "url", "title", "abstract", "date", "authors", "org", "upvotes", "links", "has_code",
            "tags", "sources"}
    for record in export:
        assert keys <= set(record)
        assert record["url"] == f"papers/{record['slug']}/"
        assert (site.html / record["url"] / "index.html").exists()
        assert record["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"])
        assert all(link["kind"] in {"code", "project", "video", "other"} for link in record["links"])
        assert record["has_code"] == any(link["kind"] == "code" for link in record["links"])
        assert record["tags"], record["title"]  # the default taxonomy tags every real paper
    assert sum(r["has_code"] for r in export) == independent_count()[2]
    assert Counter(r["org"] for r in export if r["org"]) == Counter(
        {"Meta Research": 1, "OpenMOSS": 1, "AgiBot World": 1, "Tencent": 1})


@pytest.mark.slow
def test_paper_page_shows_its_fields(site: Built, export: list[dict]) -> None:
    record = next(r for r in export if r["slug"] == "skill-expansion-and-composition-in-parameter-space")
    assert (record["date"], record["authors"], record["upvotes"]) == ("2025-02-09", 7, 3)
    page = parse_html(site.html / record["url"] / "index.html")
    text = " ".join(page.texts)
    assert record["title"] in text and record["abstract"] in text and "7 authors" in text
    assert "https://ltlhuuu.github.io/PSEC/" in page.hrefs()
    for tag in record["tags"]:
        assert tag in text
    assert "003_786f40ed7b6f4c2a.txt" in text


def list_slugs(site: Path, url: str) -> list[str]:
    """The papers a list shows, page after page, following each page's rel="next"."""
    slugs: list[str] = []
    pages = 0
    first = url
    while url:
        text = (site / url / "index.html").read_text(encoding="utf-8")
        slugs += re.findall(r'<li class="paper-card"><a class="paper-card__title" href="[./]*papers/([^"/]+)/"', text)
        following = re.search(r'<link rel="next" href="([^"]+)"', text)
        url = posixpath.normpath(posixpath.join(url + "/", following.group(1))) if following else ""
        # Page N of the same list only: the last page's "next" is the next page of the nav.
        url = url if url.startswith(f"{first}/") else ""
        pages += 1
        assert pages < 1000, "rel=next links go round in circles"
    return slugs


@pytest.mark.slow
def test_tag_pages_list_exactly_their_papers(site: Built, export: list[dict]) -> None:
    by_tag: dict[str, list[dict]] = {}
    for record in export:
        for tag in record["tags"]:
            by_tag.setdefault(tag, []).append(record)
    overview = " ".join(parse_html(site.html / "tags" / "index.html").texts)
    for tag_page in (site.docs / "tags").glob("*/index.md"):
        if tag_page.parent.name == "untagged":
            continue
        heading = next(line for line in tag_page.read_text(encoding="utf-8").splitlines()
                       if line.startswith("# "))
        name = heading.removeprefix("# ").replace("\\", "")
        expected = sorted(by_tag[name], key=lambda r: (r["date"] is None, r["date"] or ""))
        shown = list_slugs(site.html, f"tags/{tag_page.parent.name}")
        assert sorted(shown) == sorted(r["slug"] for r in by_tag[name]), name
        dates = {r["slug"]: r["date"] or "" for r in expected}
        dated = [dates[s] for s in shown if dates[s]]
        assert dated == sorted(dated, reverse=True), name
        assert f"{name} {len(by_tag[name])}" in re.sub(r"\s+", " ", overview)


@pytest.mark.slow
def test_dates_are_a_year_month_hierarchy_holding_every_paper_once(
        site: Built, export: list[dict]) -> None:
    overview = re.sub(r"\s+", " ", " ".join(parse_html(site.html / "dates" / "index.html").texts))
    dates = {r["slug"]: r["date"] for r in export}
    months = sorted({d[:7] for d in dates.values() if d}, reverse=True)
    shown: list[str] = []
    for month in months:
        year, number = month.split("-")
        slugs = list_slugs(site.html, f"dates/{year}/{number}")
        assert {dates[s][:7] for s in slugs} == {month}
        assert [dates[s] for s in slugs] == sorted((dates[s] for s in slugs), reverse=True)
        shown += slugs
    undated = list_slugs(site.html, "dates/unknown")
    assert undated and all(dates[s] is None for s in undated)
    assert len(undated) > 100, "the real dumps should give a list longer than one page"
    assert (site.html / "dates" / "unknown" / "2" / "index.html").is_file()
    assert sorted(shown + undated) == sorted(dates)
    for year in {m[:4] for m in months}:
        count = sum(1 for d in dates.values() if d and d.startswith(year))
        assert re.search(rf"\b{year}\W*{count} papers?:", overview), year
    assert f"{len(undated)} papers whose dump gave no date" in overview


@pytest.mark.slow
def test_code_index_links_every_repository(site: Built, export: list[dict]) -> None:
    hrefs = set(parse_html(site.html / "code" / "index.html").hrefs())
    # Each card links its paper's first code repository, and no other kind of link.
    for record in export:
        code = [link["url"] for link in record["links"] if link["kind"] == "code"]
        assert not code or code[0] in hrefs
        assert not {link["url"] for link in record["links"] if link["kind"] != "code"} & hrefs
    assert list_slugs(site.html, "code") == sorted(
        (r["slug"] for r in export if r["has_code"]),
        key=lambda slug: next(r["title"].casefold() for r in export if r["slug"] == slug))


@pytest.mark.slow
def test_home_page_counts_and_search_index(site: Built, export: list[dict]) -> None:
    home = re.sub(r"\s+", " ", " ".join(parse_html(site.html / "index.html").texts))
    assert f"{len(export)} papers" in home
    assert f"{sum(r['has_code'] for r in export)} with code" in home
    # 230 papers are under extra.search.pagefind_from: Material's own search, every paper in it.
    index = json.loads((site.html / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexed = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {record["url"] for record in export} <= indexed
    assert not (site.html / "pagefind").exists()


@pytest.mark.slow
def test_papers_stay_out_of_the_navigation(site: Built) -> None:
    home = (site.html / "index.html").read_text(encoding="utf-8")
    assert "papers/" not in "".join(re.findall(r'<nav class="md-nav md-nav--primary".*?</nav>', home, re.S))


@pytest.mark.slow
def test_rebuild_is_byte_identical_and_writes_nothing(site: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", site.url)  # As the site was built (tests/browser/site_build.py).
    project = Project(root=site.project)
    before = {p: p.read_bytes() for p in (site.docs).rglob("*") if p.is_file()}
    report = write_site(build_catalog(project), project)
    assert report.written == [] and report.removed == []
    assert before == {p: p.read_bytes() for p in (site.docs).rglob("*") if p.is_file()}


@pytest.mark.slow
def test_every_list_url_published_before_still_resolves(site: Built, export: list[dict]) -> None:
    """Page 1 of every list keeps the URL it had before lists were paginated."""
    tags = {tag for record in export for tag in record["tags"]}
    slugs = [page.parent.name for page in (site.docs / "tags").glob("*/index.md")
             if page.parent.name != "untagged"]
    assert len(slugs) == len(tags)
    old = ["", "tags/", "tags/untagged/", "dates/", "code/", "reading/", "reading/read/",
           "reading/favourites/", *(f"tags/{slug}/" for slug in slugs)]
    missing = [url for url in old if not (site.html / url / "index.html").is_file()]
    assert not missing


@pytest.mark.slow
def test_the_sitemap_carries_no_build_date(site: Built) -> None:
    """Built on another day, the sitemap is the same: no <lastmod> of that day, gzip's time 0."""
    sitemap = (site.html / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>" in sitemap and "<lastmod>" not in sitemap
    packed = (site.html / "sitemap.xml.gz").read_bytes()
    assert packed[4:8] == bytes(4) and gzip.decompress(packed).decode("utf-8") == sitemap
