"""The generated part of the site: every page as (path under docs/, Markdown text)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .export import export_json, paper_record
from .model import Paper
from .render import render
from .taxonomy import Tag

# Everything the generator owns under docs/; the writer refuses anything else.
OWNED = ("index.md", "papers.json", "papers", "tags", "dates", "code")
NEWEST_ON_HOME = 20


def write_order(path: str) -> tuple[int, str]:
    """Paper pages, then listings, then folder indexes, then home and export.

    Pages are written before the pages that link to them, so a build stopped half-way
    leaves no listing pointing at a page that is not there yet.
    """
    if path.startswith("papers/"):
        rank = 0
    elif path in ("index.md", "papers.json"):
        rank = 3
    else:
        rank = 2 if path.endswith("/index.md") else 1
    return rank, path


def newest_first(papers: list[Paper]) -> list[Paper]:
    """Dated papers newest first, then undated; ties by slug so order is stable."""
    return sorted(papers, key=lambda p: (p.date is None, -(p.date or dt.date.min).toordinal(), p.slug))


# The export record's fields a paper page carries in its front matter, in this order.
FRONT_MATTER = ("title", "slug", "date", "authors", "org", "upvotes", "links", "has_code", "tags", "sources")


def paper_meta(paper: Paper) -> dict:
    """Front matter of a paper page: its export record's fields, plus a search boost."""
    record = paper_record(paper)
    return {**{key: record[key] for key in FRONT_MATTER}, "search": {"boost": 2}}


def render_paper(paper: Paper, tags_by_name: dict[str, Tag]) -> str:
    """The page of one paper."""
    tags = [tags_by_name[name] for name in paper.tags]
    return render("paper.md.j2", paper_meta(paper), paper=paper, tags=tags)


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


def site_pages(papers: list[Paper], tags: list[Tag], site_title: str) -> dict[str, str]:
    """Every generated file, keyed by its path under docs/."""
    ordered = newest_first(papers)
    tags_by_name = {tag.name: tag for tag in tags}
    by_tag: dict[str, list[Paper]] = {tag.name: [] for tag in tags}
    for paper in ordered:
        for name in paper.tags:
            by_tag[name].append(paper)
    untagged = [paper for paper in ordered if not paper.tags]
    with_code = [paper for paper in sorted(papers, key=lambda p: p.title.casefold()) if paper.has_code]
    pages = {f"papers/{paper.slug}.md": render_paper(paper, tags_by_name) for paper in papers}
    pages["index.md"] = render(
        "home.md.j2", site_title=site_title, papers=papers, with_code=len(with_code),
        tag_count=len(tags), newest=ordered[:NEWEST_ON_HOME],
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
    return pages
