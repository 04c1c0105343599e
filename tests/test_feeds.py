"""RSS 2.0 and JSON Feed: parsed for real, newest additions first, absolute links."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import feedparser
import pytest

from generator.model import Paper
from generator.problems import ConfigError
from generator.read.siteconfig import DEFAULT_SITE_URL, site_settings
from generator.render.feeds import newest_additions
from tests.kit.corpus import (
    DIFFUSION_A,
    DIFFUSION_B,
    HIDDEN,
    LANGUAGE,
    ODD,
    ROBOT_A,
    ROBOT_B,
    SITE_URL,
    UNDATED,
    built_site,
    exported,
    slug,
)
from tests.kit.pages import parse_html
from tests.kit.project import generate

# First seen: the 2025-06-15 dump's papers, then the 2025-03-01 dump's (ROBOT_A is in both,
# so it was first seen on 2025-03-01), newest publication first within a day; the dump whose
# capture year nobody knows comes last. The hidden paper is in no feed.
EXPECTED = [ODD, DIFFUSION_B, DIFFUSION_A, ROBOT_A, ROBOT_B, LANGUAGE, UNDATED]
FIRST_SEEN = [dt.date(2025, 6, 15)] * 3 + [dt.date(2025, 3, 1)] * 3 + [None]


def page_url(title: str) -> str:
    """The absolute URL of a paper's page."""
    return f"{SITE_URL}papers/{slug(title)}/"


@pytest.mark.slow
def test_rss_parses_and_lists_newest_additions_first() -> None:
    feed = feedparser.parse((built_site() / "site" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "ML Reading List"
    assert feed.feed.link == SITE_URL
    assert [entry.link for entry in feed.entries] == [page_url(e.title) for e in EXPECTED]
    assert [entry.id for entry in feed.entries] == [page_url(e.title) for e in EXPECTED]
    published = [
        dt.date(*entry.published_parsed[:3]) if "published_parsed" in entry else None
        for entry in feed.entries
    ]
    assert published == FIRST_SEEN
    assert HIDDEN.title not in (built_site() / "site" / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_rss_keeps_hostile_text_as_text() -> None:
    feed = feedparser.parse((built_site() / "site" / "feed.xml").read_bytes())
    odd = feed.entries[0]
    assert odd.title == ODD.title
    # The description is HTML (as RSS says): the abstract, escaped once, reads as written.
    assert html.unescape(odd.summary) == ODD.abstract
    assert "<b>" not in odd.summary and "<script" not in odd.summary.lower()
    robot = next(entry for entry in feed.entries if entry.link == page_url(ROBOT_A.title))
    record = next(r for r in exported(built_site()) if r["slug"] == slug(ROBOT_A.title))
    assert [tag.term for tag in robot.tags] == record["tags"]
    assert "Robotics" in record["tags"]


@pytest.mark.slow
def test_json_feed_matches_the_rss() -> None:
    feed = json.loads((built_site() / "site" / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["home_page_url"] == SITE_URL
    assert feed["feed_url"] == f"{SITE_URL}feed.json"
    assert [item["url"] for item in feed["items"]] == [page_url(e.title) for e in EXPECTED]
    assert [item["id"] for item in feed["items"]] == [page_url(e.title) for e in EXPECTED]
    assert [item.get("date_published") for item in feed["items"]] == [
        f"{day.isoformat()}T00:00:00Z" if day else None for day in FIRST_SEEN]
    assert feed["items"][0]["title"] == ODD.title
    assert feed["items"][0]["content_text"] == ODD.abstract
    for item in feed["items"]:
        assert set(item) <= {"id", "url", "title", "content_text", "date_published", "tags"}


@pytest.mark.slow
def test_feed_links_point_at_built_pages() -> None:
    root = built_site()
    for entry in feedparser.parse((root / "site" / "feed.xml").read_bytes()).entries:
        relative = entry.link.removeprefix(SITE_URL)
        assert (root / "site" / relative / "index.html").exists(), entry.link


@pytest.mark.slow
@pytest.mark.parametrize("page", ["index.html", "stats/index.html", "papers/{}/index.html"])
def test_every_page_announces_both_feeds(page: str) -> None:
    root = built_site()
    path = root / "site" / page.format(slug(ROBOT_A.title))
    found = {link["type"]: link["href"] for link in parse_html(path).alternates()}
    assert {"application/rss+xml", "application/feed+json"} <= set(found)
    for href, name in ((found["application/rss+xml"], "feed.xml"),
                       (found["application/feed+json"], "feed.json")):
        assert (path.parent / href).resolve() == (root / "site" / name).resolve()


@pytest.mark.slow
def test_feeds_are_byte_stable_across_rebuilds() -> None:
    root = built_site()
    before = [(root / "docs" / name).read_bytes() for name in ("feed.xml", "feed.json")]
    assert generate(root, "-q") == 0
    assert [(root / "docs" / name).read_bytes() for name in ("feed.xml", "feed.json")] == before


def _tag_papers(tag: str) -> list[str]:
    """Page URLs of a tag's papers, newest additions first, from the export and EXPECTED's order."""
    tagged = {r["slug"] for r in exported(built_site()) if tag in r["tags"]}
    return [page_url(e.title) for e in EXPECTED if slug(e.title) in tagged]


@pytest.mark.slow
@pytest.mark.parametrize("tag_slug", ["robotics", "diffusion-models", "my-picks"])
def test_each_tag_page_offers_its_own_feeds(tag_slug: str) -> None:
    root = built_site()
    page = root / "site" / "tags" / tag_slug / "index.html"
    name = next(r for r in exported(root) for t in r["tags"] if slug(t) == tag_slug)
    tag = next(t for t in name["tags"] if slug(t) == tag_slug)
    own = {link["type"]: link for link in parse_html(page).alternates()
           if link["href"] in ("feed.xml", "feed.json")}
    assert set(own) == {"application/rss+xml", "application/feed+json"}
    assert own["application/rss+xml"]["title"] == f"{tag} (RSS)"
    # The page links them in its text too, for readers who never look at the head.
    body = page.read_text(encoding="utf-8").split("<article", 1)[1]
    assert f'href="../../tags/{tag_slug}/feed.xml"' in body
    expected = _tag_papers(tag)
    assert expected, f"no paper tagged {tag}"
    rss = feedparser.parse((page.parent / "feed.xml").read_bytes())
    assert not rss.bozo, rss.get("bozo_exception")
    assert rss.version == "rss20"
    assert rss.feed.title == f"ML Reading List: {tag}"
    assert rss.feed.link == f"{SITE_URL}tags/{tag_slug}/"
    assert [entry.link for entry in rss.entries] == expected
    assert all(tag in [t.term for t in entry.tags] for entry in rss.entries)
    # feedparser 6.0 reads no JSON Feed: checked as JSON Feed 1.1 the way the site feed is.
    raw = json.loads((page.parent / "feed.json").read_text(encoding="utf-8"))
    assert raw["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["url"] for item in raw["items"]] == expected
    assert raw["feed_url"] == f"{SITE_URL}tags/{tag_slug}/feed.json"
    assert raw["home_page_url"] == f"{SITE_URL}tags/{tag_slug}/"
    assert HIDDEN.title not in (page.parent / "feed.xml").read_text(encoding="utf-8")


MKDOCS = 'site_name: x\nsite_url: !ENV [SITE_URL, "https://default.example/list"]\n' \
         "markdown_extensions:\n  - pymdownx.emoji:\n" \
         "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"


def test_site_url_is_read_the_way_mkdocs_reads_it(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_settings(tmp_path).url == "https://default.example/list/"
    monkeypatch.setenv("SITE_URL", "https://me.github.io/papers/")
    assert site_settings(tmp_path).url == "https://me.github.io/papers/"
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert site_settings(tmp_path).url == DEFAULT_SITE_URL
    (tmp_path / "mkdocs.yml").write_text("site_url: github.io/me\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        site_settings(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path / 'mkdocs.yml'}: site_url must be an http(s) address such as "
        "https://user.github.io/repo/, not 'github.io/me'"
    )


def test_papers_first_seen_the_same_day_come_newest_then_most_upvoted() -> None:
    def paper(slug: str, seen: dt.date | None, date: dt.date | None, upvotes: int | None) -> Paper:
        return Paper(slug=slug, title=slug, abstract="x", date=date, authors=None, org=None,
                     upvotes=upvotes, sources=[], links=[], first_seen=seen)

    day, older = dt.date(2025, 10, 28), dt.date(2025, 10, 21)
    papers = [paper("a-quiet", day, dt.date(2025, 10, 27), 3),
              paper("b-loud", day, dt.date(2025, 10, 27), 90),
              paper("c-unvoted", day, dt.date(2025, 10, 27), None),
              paper("d-newer", day, dt.date(2025, 10, 28), 1),
              paper("e-old", older, dt.date(2025, 10, 28), 500),
              paper("f-never", None, None, 900)]
    assert [p.slug for p in newest_additions(papers)] == [
        "d-newer", "b-loud", "a-quiet", "c-unvoted", "e-old", "f-never"]
