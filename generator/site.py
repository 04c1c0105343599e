"""The generated part of the site: every page as (path under docs/, Markdown text)."""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict

from .citation import citation_meta, lookup_links
from .export import export_json, paper_record
from .feeds import JSON_FILE, RSS_FILE, json_feed, rss_feed
from .model import Paper
from .render import render
from .siteconfig import DEFAULT_SITE_URL
from .stats import stats_charts, top_organisations
from .taxonomy import Tag

# Everything the generator owns under docs/; the writer refuses anything else.
OWNED = ("index.md", "papers.json", "papers", "tags", "dates", "code", "reading", "stats",
         RSS_FILE, JSON_FILE)
NEWEST_ON_HOME = 20
STATUS_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read"}


def write_order(path: str) -> int:
    """Paper pages, then listings, then folder indexes, then home and export.

    Pages are written before the pages that link to them, so a build stopped half-way
    leaves no listing pointing at a page that is not there yet.
    """
    if path.startswith("papers/"):
        return 0
    if path in ("index.md", "papers.json"):
        return 3
    return 2 if path.endswith("/index.md") else 1


def newest_first(papers: list[Paper]) -> list[Paper]:
    """Dated papers newest first, then undated; ties by slug so order is stable."""
    return sorted(papers, key=lambda p: (p.date is None, -(p.date or dt.date.min).toordinal(), p.slug))


# The export record's fields a paper page carries in its front matter, in this order.
FRONT_MATTER = ("title", "slug", "date", "authors", "org", "upvotes", "links", "has_code", "tags", "sources")


def paper_meta(paper: Paper, site_url: str = DEFAULT_SITE_URL) -> dict:
    """Front matter of a paper page: its export record's fields, a search boost, citation data.

    ``title`` is HTML (the text escaped): Material and Zensical print a front-matter title into
    <title>, the header and Material's search index as it is, with no hook of ours to step in.
    The exact text is in papers.json and in ``citation.title``.
    """
    record = paper_record(paper)
    return {
        **{key: record[key] for key in FRONT_MATTER}, "title": html.escape(record["title"], quote=True),
        "search": {"boost": 2}, "citation": citation_meta(paper, site_url),
    }


def render_paper(
    paper: Paper, tags_by_name: dict[str, Tag], by_slug: dict[str, Paper] | None = None,
    site_url: str = DEFAULT_SITE_URL,
) -> str:
    """The page of one paper; ``by_slug`` (every published paper) names its related papers."""
    tags = [tags_by_name[name] for name in paper.tags]
    by_slug = by_slug or {}
    return render(
        "paper.md.j2", paper_meta(paper, site_url), paper=paper, tags=tags,
        curation=paper.curation, status_label=STATUS_LABELS.get(paper.curation.status or ""),
        related=[by_slug[slug] for slug in paper.related if slug in by_slug],
        lookups=lookup_links(paper),
    )


def favourites(papers: list[Paper]) -> list[Paper]:
    """Rated 4 or more, or featured: best rated first, then featured, then by title."""
    return sorted(
        (paper for paper in papers if paper.curation.favourite),
        key=lambda p: (-(p.curation.rating or 0), not p.curation.featured, p.title.casefold(),
                       p.slug),
    )


def reading_pages(papers: list[Paper]) -> dict[str, str]:
    """The reading queue, what was read, and favourites."""
    ordered = newest_first(papers)
    queue = [p for p in ordered if p.curation.status == "reading"] + [
        p for p in ordered if p.curation.status == "to-read"]
    return {
        "reading/index.md": render("queue.md.j2", papers=queue, labels=STATUS_LABELS),
        "reading/read.md": render("read.md.j2",
                                  papers=[p for p in ordered if p.curation.status == "read"]),
        "reading/favourites.md": render("favourites.md.j2", papers=favourites(papers)),
    }


def stats_pages(papers: list[Paper], tags: list[Tag]) -> dict[str, str]:
    """The stats page and its SVG pictures."""
    charts = stats_charts(papers, tags)
    pages = {f"stats/{chart.file}": chart.svg for chart in charts}
    dated = [paper for paper in papers if paper.date]
    pages["stats/index.md"] = render(
        "stats.md.j2", charts={chart.file: chart for chart in charts}, papers=papers, dated=len(dated),
        with_code=sum(paper.has_code for paper in papers),
        first=min((p.date for p in dated), default=None),
        last=max((p.date for p in dated), default=None),
        organisations=top_organisations(papers),
        with_org=sum(paper.org is not None for paper in papers),
    )
    return pages


def date_groups(papers: list[Paper]) -> list[tuple[int, list[tuple[str, list[Paper]]]]]:
    """Dated papers grouped year → month, newest first."""
    years: dict[int, dict[int, list[Paper]]] = defaultdict(lambda: defaultdict(list))
    for paper in newest_first([p for p in papers if p.date]):
        years[paper.date.year][paper.date.month].append(paper)
    return [
        (year, [(dt.date(year, month, 1).strftime("%B %Y"), months[month])
                for month in sorted(months, reverse=True)])
        for year, months in sorted(years.items(), reverse=True)
    ]


def site_pages(
    papers: list[Paper], tags: list[Tag], site_title: str, site_url: str = DEFAULT_SITE_URL,
    description: str = "",
) -> dict[str, str]:
    """Every generated file, keyed by its path under docs/; ``papers`` are the published ones."""
    ordered = newest_first(papers)
    tags_by_name = {tag.name: tag for tag in tags}
    by_tag: dict[str, list[Paper]] = {tag.name: [] for tag in tags}
    for paper in ordered:
        for name in paper.tags:
            by_tag[name].append(paper)
    untagged = [paper for paper in ordered if not paper.tags]
    with_code = [paper for paper in sorted(papers, key=lambda p: p.title.casefold()) if paper.has_code]
    by_slug = {paper.slug: paper for paper in papers}
    pages = {
        f"papers/{paper.slug}.md": render_paper(paper, tags_by_name, by_slug, site_url)
        for paper in papers
    }
    pages["index.md"] = render(
        "home.md.j2", site_title=site_title, papers=papers, with_code=len(with_code),
        tag_count=len(tags), newest=ordered[:NEWEST_ON_HOME],
        featured=[paper for paper in ordered if paper.curation.featured],
    )
    pages["tags/index.md"] = render(
        "tags.md.j2", tag_count=len(tags), untagged=len(untagged),
        counts=[(tag, len(by_tag[tag.name])) for tag in tags],
    )
    for tag in tags:
        pages[f"tags/{tag.slug}.md"] = render("tag.md.j2", tag=tag, papers=by_tag[tag.name])
    pages["tags/untagged.md"] = render("untagged.md.j2", papers=untagged)
    pages["dates/index.md"] = render(
        "dates.md.j2", years=date_groups(papers), undated=[p for p in ordered if not p.date]
    )
    pages["code/index.md"] = render("code.md.j2", papers=with_code)
    pages["papers.json"] = export_json(papers)
    pages.update(reading_pages(papers))
    pages.update(stats_pages(papers, tags))
    description = description or f"The newest additions to {site_title}."
    pages[RSS_FILE] = rss_feed(papers, site_url, site_title, description)
    pages[JSON_FILE] = json_feed(papers, site_url, site_title, description)
    return pages
