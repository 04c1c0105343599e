"""Merge entries from every dump into one catalog of papers."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .errors import Problem
from .identity import HeadIndex, PaperKey
from .links import extract_links
from .model import Entry, Paper


@dataclass
class Record:
    """All copies of one paper, merged; becomes a Paper once it has a slug."""

    key: PaperKey
    copies: list[Entry] = field(default_factory=list)

    def to_paper(self, slug: str) -> Paper:
        """Merge the copies: keep every field any copy knew."""
        best = self.copies[0]
        dates = Counter(copy.date for copy in self.copies if copy.date is not None)
        # The most common date wins; ties go to the earliest so the result is stable.
        date = min(dates, key=lambda d: (-dates[d], d)) if dates else None
        return Paper(
            slug=slug,
            title=best.title,
            abstract=best.abstract,
            date=date,
            authors=_first(copy.authors for copy in self.copies),
            org=_first(copy.org for copy in self.copies),
            upvotes=max((c.upvotes for c in self.copies if c.upvotes is not None), default=None),
            arxiv_id=_first(copy.arxiv_id for copy in self.copies),
            sources=sorted({copy.source for copy in self.copies}),
            links=extract_links(best.abstract),
        )


def _first(values):
    """The first value that is not None."""
    return next((value for value in values if value is not None), None)


def _rank(entry: Entry) -> tuple:
    """Copies with the longest abstract and the most metadata come first."""
    known = sum(v is not None for v in (entry.date, entry.authors or entry.org, entry.upvotes))
    return (-len(entry.abstract), -known, entry.title, entry.source)


def merge(entries: list[Entry]) -> tuple[list[Record], list[Problem]]:
    """Group copies of the same paper; equal titles with different abstracts stay apart."""
    by_title: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_title[PaperKey.of(entry.title, "").title].append(entry)
    records: list[Record] = []
    problems: list[Problem] = []
    for title_key in sorted(by_title):
        group: list[Record] = []
        heads: HeadIndex[int] = HeadIndex()  # Positions in group, by head.
        for entry in sorted(by_title[title_key], key=_rank):
            key = PaperKey.of(entry.title, entry.abstract)
            # The first record (in rank order) that is the same paper takes the copy.
            found = heads.matching(key.head)
            if found:
                group[min(found)].copies.append(entry)
            else:
                heads.add(key.head, len(group))
                group.append(Record(key, [entry]))
        if len(group) > 1:
            first = group[0].copies[0].source
            for other in group[1:]:
                source = other.copies[0].source
                problems.append(Problem(
                    source.dump, source.line,
                    f"'{other.copies[0].title[:60]}' has the same title as the paper at "
                    f"{first.dump}:{first.line} but a different abstract; kept as two papers",
                    "if they are the same paper, make the abstracts agree",
                ))
        records.extend(group)
    return records, problems
