"""Citation metadata of a paper page: Highwire meta tags, schema.org JSON-LD, look-up links."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote_plus

from generator.identity import arxiv_id
from generator.model import Paper

# The page's description: the abstract's opening, ending at a sentence when one ends between
# these lengths, else cut at a word under the longer one.
DESCRIPTION_MIN, DESCRIPTION_MAX = 160, 300
# As in listing.gist: "e.g." and "i.e." are followed by lower case and so end no sentence.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z0-9\"'(\[$])")


def description(abstract: str) -> str | None:
    """What search engines show under the page's title: the abstract's opening, plain text."""
    text = " ".join(abstract.split())
    if not text:
        return None
    if len(text) <= DESCRIPTION_MAX:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, DESCRIPTION_MIN - 1)
            if m.end() <= DESCRIPTION_MAX]
    if ends:
        return text[: ends[-1]]
    cut = text[: DESCRIPTION_MAX - 1]
    space = cut.rfind(" ")
    # A single word longer than the limit is cut inside itself rather than dropped.
    return (cut[:space] if space > 0 else cut).rstrip(" ,;:-–—") + "…"


def json_ld(paper: Paper, site_url: str) -> dict[str, Any]:
    """The schema.org ScholarlyArticle: what schema.org needs that the citation tags lack.

    Title, date and keywords are in the citation_* tags and the abstract is on the page: only
    the fields schema.org's article requires or links by (headline, datePublished, url) are
    repeated here, so every paper page carries each fact once or twice, not three times
    (issue 14's weight target). The dumps name no authors, so there is no ``author``.
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title,
        "url": site_url + paper.url,
    }
    if paper.date is not None:
        data["datePublished"] = paper.date.isoformat()
    return data


def citation_meta(paper: Paper, site_url: str) -> dict[str, Any]:
    """The ``citation`` front-matter field; overrides/main.html turns it into head tags.

    The template HTML-escapes the plain values and writes ``json_ld`` with Jinja's ``tojson``,
    which escapes ``<``, ``>``, ``&`` and ``'`` so no text can close the <script> element.
    No ``citation_abstract``: the abstract is on the page, and the tag doubled its bytes.
    """
    return {
        "title": paper.title,
        # Highwire (Google Scholar, Zotero) dates are written YYYY/MM/DD.
        "publication_date": paper.date.strftime("%Y/%m/%d") if paper.date else None,
        "description": description(paper.abstract),
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
