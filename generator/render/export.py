"""The ``papers.json`` data export: a stable contract users script against."""

from __future__ import annotations

import json
from typing import Any

from generator.cache import Table, digest
from generator.model import Paper


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


def export_json(papers: list[Paper], encoded: Table | None = None) -> str:
    """The whole export, sorted by slug, byte-stable for the same catalog.

    ``encoded``: each record's JSON from earlier builds, by a digest of the record.
    """
    records = [paper_record(paper) for paper in sorted(papers, key=lambda p: p.slug)]
    if encoded is None:
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if not records:
        return "[]\n"
    parts = []
    for record in records:
        key = digest(repr(record))
        part = encoded.get(key, str)
        if part is None:
            # A one-record list indents its record as the whole list does: the same bytes.
            part = json.dumps([record], ensure_ascii=False, indent=1)[2:-2]
            encoded.put(key, part)
        parts.append(part)
    return "[\n" + ",\n".join(parts) + "\n]\n"
