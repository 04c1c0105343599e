"""The ``papers.json`` data export: a stable contract users script against."""

from __future__ import annotations

import json
from typing import Any

from .model import Paper


def paper_record(paper: Paper) -> dict[str, Any]:
    """One paper as the export contract describes it (see EXPORT.md)."""
    return {
        "slug": paper.slug,
        "url": paper.url,
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date.isoformat() if paper.date else None,
        "authors": paper.authors,
        "org": paper.org,
        "upvotes": paper.upvotes,
        "links": [{"url": link.url, "kind": link.kind} for link in paper.links],
        "has_code": paper.has_code,
        "tags": list(paper.tags),
        "sources": [{"dump": s.dump, "line": s.line} for s in paper.sources],
        "arxiv_id": paper.arxiv_id,
    }


def export_json(papers: list[Paper]) -> str:
    """The whole export, sorted by slug, byte-stable for the same catalog."""
    records = [paper_record(paper) for paper in sorted(papers, key=lambda p: p.slug)]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
