"""RSS 2.0 and JSON Feed 1.1 of the newest additions, by the day a paper first appeared."""

from __future__ import annotations

import datetime as dt
import heapq
import html
import json
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from generator.model import Paper

RSS_FILE = "feed.xml"
JSON_FILE = "feed.json"
FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"


def newest_additions(papers: list[Paper], size: int = FEED_SIZE) -> list[Paper]:
    """Papers by first-seen day, newest first; never-dated ones last; ties by publication
    date, then upvotes (as Daily Papers ranks a day), then slug."""
    def key(paper: Paper) -> tuple:
        seen = paper.first_seen.toordinal() if paper.first_seen else 0
        published = paper.date.toordinal() if paper.date else 0
        return (paper.first_seen is None, -seen, -published, -(paper.upvotes or 0), paper.slug)

    # The first ``size`` in that order without sorting them all (tag feeds: 40 lists, 70,000 papers).
    return heapq.nsmallest(size, papers, key=key)


def _midnight(day: dt.date) -> dt.datetime:
    """A day as a moment: the feeds know days only, so midnight UTC."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _last_update(papers: list[Paper]) -> dt.date | None:
    """The newest first-seen day: a stable stand-in for "when the feed changed"."""
    return max((paper.first_seen for paper in papers if paper.first_seen), default=None)


def rss_feed(papers: list[Paper], site_url: str, title: str, description: str, *,
             feed_path: str = RSS_FILE, home: str | None = None) -> str:
    """RSS 2.0 of the newest additions, with absolute links.

    ``feed_path`` is where the feed lives under the site, ``home`` the page it follows
    (the site by default; a tag's page for that tag's feed).
    """
    ET.register_namespace("atom", ATOM)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = home or site_url
    ET.SubElement(channel, "description").text = description
    ET.SubElement(channel, f"{{{ATOM}}}link", {
        "href": site_url + feed_path, "rel": "self", "type": "application/rss+xml",
    })
    updated = _last_update(papers)
    if updated is not None:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(_midnight(updated))
    for paper in newest_additions(papers):
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = paper.title
        ET.SubElement(item, "link").text = site_url + paper.url
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = site_url + paper.url
        # An RSS description is HTML: escaped once here, the abstract shows as written.
        ET.SubElement(item, "description").text = html.escape(paper.abstract, quote=False)
        if paper.first_seen is not None:
            ET.SubElement(item, "pubDate").text = format_datetime(_midnight(paper.first_seen))
        for tag in paper.tags:
            ET.SubElement(item, "category").text = tag
    ET.indent(rss, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def json_feed(papers: list[Paper], site_url: str, title: str, description: str, *,
              feed_path: str = JSON_FILE, home: str | None = None) -> str:
    """JSON Feed 1.1 of the newest additions, with absolute links (see rss_feed)."""
    items = []
    for paper in newest_additions(papers):
        item: dict = {
            "id": site_url + paper.url,
            "url": site_url + paper.url,
            "title": paper.title,
            "content_text": paper.abstract,
        }
        if paper.first_seen is not None:
            item["date_published"] = _midnight(paper.first_seen).isoformat().replace("+00:00", "Z")
        if paper.tags:
            item["tags"] = list(paper.tags)
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home or site_url,
        "feed_url": site_url + feed_path,
        "description": description,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"
