"""Citation metadata of a paper page: Highwire meta tags, schema.org JSON-LD, look-up links."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote_plus

from .model import Paper

# Inside <script> the HTML parser ends the block at "</script", whatever JSON thinks:
# these characters are written as JSON escapes so no text can close it or open a comment.
_SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    """JSON that is safe to put, unescaped, inside an HTML ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return "".join(_SCRIPT_SAFE.get(char, char) for char in text)


def json_ld(paper: Paper, site_url: str) -> dict[str, Any]:
    """The schema.org ScholarlyArticle describing the paper."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title,
        "name": paper.title,
        "abstract": paper.abstract,
        "url": site_url + paper.url,
    }
    if paper.date is not None:
        data["datePublished"] = paper.date.isoformat()
    if paper.tags:
        data["keywords"] = list(paper.tags)
    if paper.org:
        data["sourceOrganization"] = {"@type": "Organization", "name": paper.org}
    if paper.arxiv_id:
        data["sameAs"] = f"https://arxiv.org/abs/{paper.arxiv_id}"
    return data


def citation_meta(paper: Paper, site_url: str) -> dict[str, Any]:
    """The ``citation`` front-matter field; overrides/main.html turns it into head tags.

    Plain values are HTML-escaped by the template; ``json_ld`` is already safe for <script>.
    """
    return {
        "title": paper.title,
        # Highwire (Google Scholar, Zotero) dates are written YYYY/MM/DD.
        "publication_date": paper.date.strftime("%Y/%m/%d") if paper.date else None,
        "abstract": paper.abstract,
        "keywords": list(paper.tags),
        "json_ld": script_json(json_ld(paper, site_url)),
    }


def lookup_links(paper: Paper) -> list[tuple[str, str]]:
    """Where to look the paper up: (label, URL), the title URL-encoded."""
    links = [
        ("Hugging Face Papers", f"https://huggingface.co/papers?q={quote_plus(paper.title)}"),
        ("arXiv search",
         f"https://arxiv.org/search/?query={quote_plus(paper.title)}&searchtype=title"),
    ]
    if paper.arxiv_id:
        links.append((f"arXiv {paper.arxiv_id}", f"https://arxiv.org/abs/{paper.arxiv_id}"))
    return links
