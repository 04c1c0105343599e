"""The generated part of the site: every page as (path under docs/, Markdown text)."""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from generator.cache import Reuse, Table, digest
from generator.enrich.taxonomy import Tag
from generator.model import Paper
from generator.read.siteconfig import DEFAULT_SITE_URL
from generator.render.cardhtml import CardParts, card_parts
from generator.render.citation import citation_meta, lookup_links
from generator.render.export import export_json, paper_record
from generator.render.feeds import JSON_FILE, RSS_FILE, json_feed, newest_additions, rss_feed
from generator.render.layout import INDEX, PAPERS, page_file, paper_file
from generator.render.listing import (
    BY_TITLE,
    NEWEST,
    STATUS_LABELS,
    Card,
    ListRows,
    Order,
    PaperList,
    card,
    list_rows,
    marks_page,
)
from generator.render.stats import bars, stats_charts, tag_sizes, top_organisations
from generator.render.templating import render

# Everything the generator owns under docs/; the writer refuses anything else.
OWNED = ("index.md", "papers.json", "papers", "tags", "dates", "code", "reading", "stats",
         "lists", "marks", RSS_FILE, JSON_FILE)
NEWEST_ON_HOME = 20
FEATURED_ON_HOME = 20
TOP_OF_DUMP = 10
QUEUE = Order("queue", "Queue order")
BEST_RATED = Order("rating", "Best rated first")


@dataclass(frozen=True)
class ListSpec:
    """A list to publish: its id, page 1's file, its papers in order, template and order."""

    list_id: str
    first_page: str
    papers: list[Paper]
    template: str
    order: Order = NEWEST
    context: dict[str, Any] = field(default_factory=dict)
    # On a tag's own list, that tag's slug: its chip is left out of every card.
    own_tag: str | None = None


def write_order(path: str) -> int:
    """Paper pages, then listings, then top-level folder indexes, then home and export.

    Pages are written before the pages that link to them, so a build stopped half-way
    leaves no listing pointing at a page that is not there yet.
    """
    if path.startswith(f"{PAPERS}/"):
        return 0
    if path in (INDEX, "papers.json"):
        return 3
    # "tags/index.md" links to "tags/<slug>/index.md", which is a listing.
    return 2 if path.count("/") == 1 and path.endswith(f"/{INDEX}") else 1


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


@dataclass(frozen=True)
class PaperPage:
    """What a paper's page is made of: the page is a function of these and the code alone."""

    paper: Paper
    tags: list[Tag]
    # The related papers as shown, without their own related lists (a page never shows
    # those), so that a neighbour's new neighbours leave this page as it is.
    related: list[Paper]
    site_url: str

    def key(self, shown: dict[str, str]) -> str:
        """A digest of everything the page shows; a tag counts by its text, not its matcher.

        ``shown``: by slug, the digest of the ``repr`` of each paper ``as_related``; with the
        paper's own related slugs it covers every field of the paper.
        """
        tags = [(tag.slug, tag.name, tag.description) for tag in self.tags]
        return digest(shown[self.paper.slug], repr(self.paper.related), repr(tags),
                      *(shown[other.slug] for other in self.related), self.site_url)

    def render(self) -> str:
        """The page's Markdown."""
        paper = self.paper
        return render(
            "paper.md.j2", paper_meta(paper, self.site_url), paper=paper, tags=self.tags,
            curation=paper.curation, status_label=STATUS_LABELS.get(paper.curation.status or ""),
            related=self.related, lookups=lookup_links(paper),
        )


def as_related(paper: Paper) -> Paper:
    """A paper as another paper's page shows it: without its own related papers."""
    return replace(paper, related=[])


def paper_page(paper: Paper, tags_by_name: dict[str, Tag], shown: dict[str, Paper],
               site_url: str = DEFAULT_SITE_URL) -> PaperPage:
    """The makings of one paper's page; ``shown``: every published paper, ``as_related``."""
    related = [shown[slug] for slug in paper.related if slug in shown]
    return PaperPage(paper, [tags_by_name[name] for name in paper.tags], related, site_url)


def render_paper(
    paper: Paper, tags_by_name: dict[str, Tag], by_slug: dict[str, Paper] | None = None,
    site_url: str = DEFAULT_SITE_URL,
) -> str:
    """The page of one paper; ``by_slug`` (every published paper) names its related papers."""
    shown = {slug: as_related(other) for slug, other in (by_slug or {}).items()}
    return paper_page(paper, tags_by_name, shown, site_url).render()


def favourites(papers: list[Paper]) -> list[Paper]:
    """Rated 4 or more, or featured: best rated first, then featured, then by title."""
    return sorted(
        (paper for paper in papers if paper.curation.favourite),
        key=lambda p: (-(p.curation.rating or 0), not p.curation.featured, p.title.casefold(),
                       p.slug),
    )


def reading_lists(ordered: list[Paper], papers: list[Paper]) -> list[ListSpec]:
    """The reading queue, what was read, and favourites, with their templates."""
    queue = [p for p in ordered if p.curation.status == "reading"] + [
        p for p in ordered if p.curation.status == "to-read"]
    read = [p for p in ordered if p.curation.status == "read"]
    return [
        ListSpec("reading-queue", "reading/index.md", queue, "queue.md.j2", QUEUE),
        ListSpec("reading-read", page_file("reading/read"), read, "read.md.j2"),
        ListSpec("reading-favourites", page_file("reading/favourites"), favourites(papers),
                 "favourites.md.j2", BEST_RATED),
    ]


def stats_pages(papers: list[Paper], tags: list[Tag]) -> dict[str, str]:
    """The stats page, its SVG pictures and the bars of its ranked lists."""
    charts = stats_charts(papers, tags)
    pages = {f"stats/{chart.file}": chart.svg for chart in charts}
    dated = [paper for paper in papers if paper.date]
    pages["stats/index.md"] = render(
        "stats.md.j2", charts={chart.file: chart for chart in charts}, papers=papers, dated=len(dated),
        with_code=sum(paper.has_code for paper in papers),
        first=min((p.date for p in dated), default=None),
        last=max((p.date for p in dated), default=None),
        tags=bars(tag_sizes(papers, tags), {tag.name: tag.slug for tag in tags}),
        organisations=bars(top_organisations(papers)),
        with_org=sum(paper.org is not None for paper in papers),
    )
    return pages


def month_lists(ordered: list[Paper]) -> list[ListSpec]:
    """A list per month that has dated papers, newest month first, and one of undated papers."""
    months: dict[tuple[int, int], list[Paper]] = defaultdict(list)
    for paper in ordered:
        if paper.date:
            months[(paper.date.year, paper.date.month)].append(paper)
    specs = [
        ListSpec(f"date-{year}-{month:02d}", page_file(f"dates/{year}/{month:02d}"), months[(year, month)],
                 "month.md.j2", context={"month": dt.date(year, month, 1).strftime("%B %Y")})
        for year, month in sorted(months, reverse=True)
    ]
    undated = [paper for paper in ordered if not paper.date]
    if undated:
        specs.append(ListSpec("date-unknown", page_file("dates/unknown"), undated, "undated.md.j2"))
    return specs


def date_overview(ordered: list[Paper]) -> list[tuple[int, int, list[tuple[int, str, int]]]]:
    """Years newest first, each with its paper count and (month, name, count) newest first."""
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for paper in ordered:
        if paper.date:
            counts[paper.date.year][paper.date.month] += 1
    return [
        (year, sum(months.values()),
         [(month, dt.date(year, month, 1).strftime("%B"), months[month])
          for month in sorted(months, reverse=True)])
        for year, months in sorted(counts.items(), reverse=True)
    ]


def latest_dump_papers(papers: list[Paper], dump: str | None, size: int = TOP_OF_DUMP) -> list[Paper]:
    """The most upvoted papers of one dump (those with upvotes), ties by title."""
    if dump is None:
        return []
    held = [p for p in papers if p.upvotes and any(s.dump == dump for s in p.sources)]
    return sorted(held, key=lambda p: (-(p.upvotes or 0), p.title.casefold(), p.slug))[:size]


def list_pages(spec: ListSpec, cards: dict[str, Card], parts: CardParts, rows: ListRows,
               meta: dict | None = None) -> dict[str, str]:
    """Every page of one list and its data file; ``parts`` and ``rows``: every card's HTML and row."""
    paper_list = PaperList(spec.list_id, spec.first_page, [cards[p.slug] for p in spec.papers],
                           spec.order, spec.own_tag)
    pages = {paper_list.data_path: rows.data([p.slug for p in spec.papers])}
    for page in paper_list.pages():
        front = {**(meta or {}), **({"pagination": page.pagination} if page.pagination else {})}
        items = parts.items([c.slug for c in page.cards], page.up, spec.own_tag)
        pages[paper_list.page_path(page.number)] = render(spec.template, front, page=page,
                                                          items=items, **spec.context)
    return pages


def marks_pages(ordered: list[Paper], cards: dict[str, Card], rows: ListRows) -> dict[str, str]:
    """"My marks" and the data file of every paper it draws the reader's marked papers from.

    The page holds no cards: the reader's marks live in their browser only, so the list
    script picks the marked papers out of lists/all.json there (paper-marks.js).
    """
    everything = PaperList("all", "marks/index.md", [cards[p.slug] for p in ordered])
    return {everything.data_path: rows.data([p.slug for p in ordered]),
            "marks/index.md": render("marks.md.j2", page=marks_page(everything))}


def tag_feeds(tag: Tag, papers: list[Paper], site_url: str, site_title: str) -> dict[str, str]:
    """RSS and JSON Feed of one tag's newest additions, in the tag's folder."""
    folder = f"tags/{tag.slug}/"
    title = f"{site_title}: {tag.name}"
    description = tag.description or f"The newest papers tagged {tag.name} in {site_title}."
    return {
        folder + RSS_FILE: rss_feed(papers, site_url, title, description, feed_path=folder + RSS_FILE,
                                    home=site_url + folder),
        folder + JSON_FILE: json_feed(papers, site_url, title, description,
                                      feed_path=folder + JSON_FILE, home=site_url + folder),
    }


def site_pages(
    papers: list[Paper], tags: list[Tag], site_title: str, site_url: str = DEFAULT_SITE_URL,
    *, latest_dump: tuple[str, dt.date | None] | None = None,
    reuse: Reuse | None = None, encoded: Table | None = None,
    settle: Callable[[], None] = lambda: None,
) -> dict[str, str]:
    """Every generated file, keyed by its path under docs/; ``papers`` are the published ones.

    ``latest_dump`` is the newest dump's name and capture day, for the home page. With
    ``reuse``, a paper page already in docs/ as these inputs render it is left out (the
    writer keeps it, see ``Reuse.kept``); ``encoded`` keeps papers.json's records as JSON.
    ``settle`` is called before the paper pages, the only pages that read ``Paper.related``.
    """
    return {**listing_pages(papers, tags, site_title, latest_dump=latest_dump),
            **paper_pages(papers, tags, site_title, site_url, reuse=reuse, encoded=encoded,
                          settle=settle)}


def listing_pages(papers: list[Paper], tags: list[Tag], site_title: str,
                  *, latest_dump: tuple[str, dt.date | None] | None = None) -> dict[str, str]:
    """The pages that list papers (home, tags, dates, code, reading, marks) and their data
    files: ``site_pages`` less ``paper_pages``. They read no paper's related papers."""
    ordered = newest_first(papers)
    tag_slugs = {tag.name: tag.slug for tag in tags}
    cards = {paper.slug: card(paper, tag_slugs) for paper in papers}
    parts, rows = card_parts(cards), list_rows(cards.values())
    by_tag = _by_tag(ordered, tags)
    untagged = [paper for paper in ordered if not paper.tags]
    with_code = _with_code(papers)
    pages = {}
    dump_name, captured = latest_dump or (None, None)
    dated = [paper.date for paper in papers if paper.date]
    pages["index.md"] = render(
        "home.md.j2", site_title=site_title,
        counts={"papers": len(papers), "with_code": len(with_code), "tags": len(tags),
                "first": min(dated).isoformat() if dated else None,
                "last": max(dated).isoformat() if dated else None},
        newest=parts.items([p.slug for p in newest_additions(papers, NEWEST_ON_HOME)], ""),
        featured=parts.items([p.slug for p in ordered if p.curation.featured][:FEATURED_ON_HOME], ""),
        top_of_dump=parts.items([p.slug for p in latest_dump_papers(papers, dump_name)], ""),
        latest_capture=captured.isoformat() if captured else None,
        entry_points=[
            ("Tags", "tags/index.md", f"{len(tags)} topics, {len(untagged)} papers untagged"),
            ("By date", "dates/index.md", f"{len(dated)} dated papers by year and month"),
            ("With code", "code/index.md", f"{len(with_code)} papers"),
            ("Reading list", "reading/index.md",
             f"{sum(p.curation.status in STATUS_LABELS for p in papers)} papers with a status"),
            ("Stats", "stats/index.md", "timeline, tags, code share"),
        ],
    )
    pages["tags/index.md"] = render(
        "tags.md.j2", tag_count=len(tags), untagged=len(untagged),
        counts=[(tag, len(by_tag[tag.name])) for tag in tags],
    )
    for tag in tags:
        feeds = {"rss": f"tags/{tag.slug}/{RSS_FILE}", "json": f"tags/{tag.slug}/{JSON_FILE}"}
        spec = ListSpec(f"tag-{tag.slug}", page_file(f"tags/{tag.slug}"), by_tag[tag.name], "tag.md.j2",
                        context={"tag": tag}, own_tag=tag.slug)
        pages.update(list_pages(spec, cards, parts, rows, {"feeds": feeds}))
    pages.update(list_pages(ListSpec("untagged", page_file("tags/untagged"), untagged, "untagged.md.j2"),
                            cards, parts, rows))
    pages["dates/index.md"] = render(
        "dates.md.j2", years=date_overview(ordered), undated=len(ordered) - len(dated),
    )
    for spec in month_lists(ordered):
        pages.update(list_pages(spec, cards, parts, rows))
    pages.update(list_pages(ListSpec("code", "code/index.md", with_code, "code.md.j2", BY_TITLE),
                            cards, parts, rows))
    for spec in reading_lists(ordered, papers):
        pages.update(list_pages(spec, cards, parts, rows))
    pages.update(marks_pages(ordered, cards, rows))
    return pages


def paper_pages(
    papers: list[Paper], tags: list[Tag], site_title: str, site_url: str = DEFAULT_SITE_URL,
    *, reuse: Reuse | None = None, encoded: Table | None = None,
    settle: Callable[[], None] = lambda: None,
) -> dict[str, str]:
    """The pages and files made of whole papers: every paper's page, papers.json, the stats
    and the feeds (the site's and each tag's): ``site_pages`` less ``listing_pages``."""
    tags_by_name = {tag.name: tag for tag in tags}
    by_tag = _by_tag(newest_first(papers), tags)
    pages = {}
    for tag in tags:
        pages.update(tag_feeds(tag, by_tag[tag.name], site_url, site_title))
    pages["papers.json"] = export_json(papers, encoded)
    pages.update(stats_pages(papers, tags))
    description = f"The newest additions to {site_title}."
    pages[RSS_FILE] = rss_feed(papers, site_url, site_title, description)
    pages[JSON_FILE] = json_feed(papers, site_url, site_title, description)
    shown = {paper.slug: as_related(paper) for paper in papers}
    # Each paper's part of the page keys, once: it is on its own page and its neighbours'.
    digests = {slug: digest(repr(paper)) for slug, paper in shown.items()} if reuse else {}
    # Paper pages last: only they show related papers, which may still be being computed.
    settle()
    for paper in papers:
        path, page = paper_file(paper.slug), paper_page(paper, tags_by_name, shown, site_url)
        if reuse is None:
            pages[path] = page.render()
        elif not reuse.holds(path, key := page.key(digests)):
            pages[path] = page.render()
            reuse.rendered(path, key)
    return pages


def _by_tag(ordered: list[Paper], tags: list[Tag]) -> dict[str, list[Paper]]:
    """Each tag's papers, in the order given."""
    by_tag: dict[str, list[Paper]] = {tag.name: [] for tag in tags}
    for paper in ordered:
        for name in paper.tags:
            by_tag[name].append(paper)
    return by_tag


def _with_code(papers: list[Paper]) -> list[Paper]:
    """The papers with code, by title."""
    return [paper for paper in sorted(papers, key=lambda p: p.title.casefold()) if paper.has_code]
