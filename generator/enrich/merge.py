"""Merge entries from every dump into one catalog of papers."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.enrich.links import extract_links
from generator.identity import HeadIndex, Match, PaperKey
from generator.model import Entry, Link, Paper
from generator.problems import Problem


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

    def to_paper(self, slug: str, links: Callable[[str], list[Link]] = extract_links) -> Paper:
        """Merge the copies: keep every field any copy knew; ``links`` reads an abstract's links."""
        best = self.copies[0]
        if len(self.copies) == 1:  # Most papers: nothing to count (a Counter costs ~4 µs).
            date = best.date
        else:
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
            links=links(best.abstract),
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
    # Records by title, then abstract head: comparing a copy with every paper of its title
    # was quadratic (10,000 papers sharing a title took 40 s).
    heads: dict[str, HeadIndex[Record]] = defaultdict(HeadIndex)
    blank: dict[str, list[Record]] = defaultdict(list)  # no abstract yet: cards
    by_id: dict[str, Record] = {}
    order: dict[Record, int] = {}
    listed: set[tuple[str, int]] = set()  # (title, record) pairs in by_title: a list scan was quadratic
    for entry in sorted(entries, key=_rank):
        key = entry.key
        titled = by_title[key.title] if not key.head else blank[key.title]
        record = _strongest(key, by_id, titled, heads[key.title], order)
        if record is None:
            record = Record(key, [entry])
            order[record] = len(records)
            records.append(record)
            heads[key.title].add(key.head, record)
            if not key.head:
                blank[key.title].append(record)
        else:
            # Copies come longest abstract first: the record's head never changes.
            record.add(entry, key)
        # A copy joined by arXiv id may carry another title: the same-title check sees it.
        if (key.title, order[record]) not in listed:
            listed.add((key.title, order[record]))
            by_title[key.title].append(record)
        if record.key.arxiv_id:
            by_id.setdefault(record.key.arxiv_id, record)
    records.sort(key=lambda r: r.key.title)
    return records, _same_title_problems(by_title)


def _strongest(key: PaperKey, by_id: dict[str, Record], titled: list[Record],
               heads: HeadIndex[Record], order: dict[Record, int]) -> Record | None:
    """The record that matches the key best (arXiv id, then abstract, then title alone);
    the first made of equals, so the result is stable."""
    if key.arxiv_id in by_id:
        return by_id[key.arxiv_id]
    found = [record for record in heads.matching(key.head) if record.key.match(key) is Match.ABSTRACT]
    if found:
        return min(found, key=order.__getitem__)
    # Title alone: a card with no abstract (any paper of its title), or a paper only a card
    # has given so far (``titled`` holds just those).
    return next((record for record in titled if record.key.match(key) is Match.TITLE), None)


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
