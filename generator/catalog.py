"""Merge entries from every dump into one catalog of papers."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .errors import Problem
from .identity import Match, PaperKey
from .links import extract_links
from .model import Entry, Paper


@dataclass(eq=False)  # a record is one paper: compared by identity, never by its copies
class Record:
    """All copies of one paper, merged; becomes a Paper once it has a slug."""

    # The best copy's title and abstract head, with the arXiv id any copy gave.
    key: PaperKey
    copies: list[Entry] = field(default_factory=list)

    def add(self, entry: Entry, key: PaperKey) -> None:
        """Join a copy that ranks below the ones already here; keep the id it brings."""
        self.copies.append(entry)
        if key.arxiv_id and not self.key.arxiv_id:
            self.key = PaperKey(self.key.title, self.key.head, key.arxiv_id)

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
            arxiv_id=self.key.arxiv_id or None,
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
    """Group copies of the same paper: by arXiv id first, then by title and abstract.

    Copies are taken best first, so a card without an abstract joins the paper whose
    abstract another dump gave; equal titles with different abstracts stay apart.
    """
    records: list[Record] = []
    by_title: dict[str, list[Record]] = defaultdict(list)
    by_id: dict[str, Record] = {}
    for entry in sorted(entries, key=_rank):
        key = PaperKey.of(entry.title, entry.abstract, entry.arxiv_id)
        candidates = by_title[key.title]
        if key.arxiv_id in by_id:
            candidates = [by_id[key.arxiv_id], *candidates]
        _, record = _strongest(candidates, key)
        if record is None:
            record = Record(key, [entry])
            records.append(record)
        else:
            record.add(entry, key)
        # A copy joined by arXiv id may carry another title: later copies find it by either.
        if record not in by_title[key.title]:
            by_title[key.title].append(record)
        if record.key.arxiv_id:
            by_id.setdefault(record.key.arxiv_id, record)
    records.sort(key=lambda r: r.key.title)
    return records, _same_title_problems(by_title)


def _strongest(candidates: list[Record], key: PaperKey) -> tuple[Match, Record | None]:
    """The record that matches the key best; the first of equals, so the result is stable."""
    best: tuple[Match, Record | None] = (Match.NONE, None)
    for record in candidates:
        strength = record.key.match(key)
        if strength > best[0]:
            best = (strength, record)
    return best


def _same_title_problems(by_title: dict[str, list[Record]]) -> list[Problem]:
    """One warning per paper that shares a copy's title with another but stayed apart."""
    problems: list[Problem] = []
    for title in sorted(by_title):
        group = by_title[title]
        if len(group) < 2:
            continue
        first = _copy_titled(group[0], title)
        for other in group[1:]:
            copy = _copy_titled(other, title)
            ids = group[0].key.arxiv_id, other.key.arxiv_id
            differs = "arXiv id" if all(ids) and ids[0] != ids[1] else "abstract"
            problems.append(Problem(
                copy.source.dump, copy.source.line,
                f"'{copy.title[:60]}' has the same title as the paper at "
                f"{first.source.dump}:{first.source.line} but a different {differs}; kept as "
                "two papers",
                f"if they are the same paper, make the {differs}s agree",
            ))
    return problems


def _copy_titled(record: Record, title: str) -> Entry:
    """The record's best copy whose normalised title is ``title``."""
    return next(copy for copy in record.copies if PaperKey.of(copy.title, "").title == title)
