"""Citation metadata of a paper page: Highwire meta tags, schema.org JSON-LD, look-up links."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from generator.identity import arxiv_id
from generator.model import Paper


def json_ld(paper: Paper, site_url: str) -> dict[str, Any]:
    """The schema.org ScholarlyArticle describing the paper, less its abstract.

    The abstract is on the page and in the citation_abstract tag already; a third copy in
    JSON-LD would be ~10 % of the page's bytes (issue 14's weight target).
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title,
        "name": paper.title,
        "url": site_url + paper.url,
    }
    if paper.date is not None:
        data["datePublished"] = paper.date.isoformat()
    if paper.tags:
        data["keywords"] = list(paper.tags)
    if paper.org:
        data["sourceOrganization"] = {"@type": "Organization", "name": paper.org}
    if identifier := arxiv_id(paper.arxiv_id or ""):
        data["sameAs"] = f"https://arxiv.org/abs/{identifier}"
    return data


def citation_meta(paper: Paper, site_url: str) -> dict[str, Any]:
    """The ``citation`` front-matter field; overrides/main.html turns it into head tags.

    The template HTML-escapes the plain values and writes ``json_ld`` with Jinja's ``tojson``,
    which escapes ``<``, ``>``, ``&`` and ``'`` so no text can close the <script> element.
    """
    return {
        "title": paper.title,
        # Highwire (Google Scholar, Zotero) dates are written YYYY/MM/DD.
        "publication_date": paper.date.strftime("%Y/%m/%d") if paper.date else None,
        "abstract": paper.abstract,
        "keywords": list(paper.tags),
        "json_ld": json_ld(paper, site_url),
    }


def lookup_links(paper: Paper) -> list[tuple[str, str]]:
    """Where to look the paper up: (label, URL); exact pages when its arXiv id is known."""
    # The id is checked again here: a URL is built only from what is an arXiv id.
    identifier = arxiv_id(paper.arxiv_id or "")
    if identifier:
        return [
            ("Hugging Face paper page", f"https://huggingface.co/papers/{identifier}"),
            (f"arXiv {identifier}", f"https://arxiv.org/abs/{identifier}"),
        ]
    return [
        ("Hugging Face Papers", f"https://huggingface.co/papers?q={quote_plus(paper.title)}"),
        ("arXiv search",
         f"https://arxiv.org/search/?query={quote_plus(paper.title)}&searchtype=title"),
    ]
