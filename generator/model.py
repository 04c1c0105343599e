"""The domain model: what a dump entry is, and what a published paper is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from generator.identity import PaperKey


@dataclass(frozen=True, order=True)
class Source:
    """Where a copy of a paper was seen: dump file name and 1-based line of its title."""

    dump: str
    line: int


@dataclass(frozen=True, order=True)
class Link:
    """A URL found in an abstract, with its kind: code, project, video or other."""

    url: str
    kind: str


@dataclass(frozen=True)
class PaperDate:
    """A date as printed on the page: month and day, the year only if printed."""

    month: int
    day: int
    year: int | None = None

    def resolve(self, capture_year: int | None) -> dt.date | None:
        """The full date, taking a missing year from the capture year."""
        year = self.year if self.year is not None else capture_year
        if year is None:
            return None
        return dt.date(year, self.month, self.day)


@dataclass(frozen=True)
class Entry:
    """One paper as read from one dump, before merging."""

    title: str
    abstract: str
    source: Source
    authors: int | None = None
    org: str | None = None
    org_handle: str | None = None
    date: dt.date | None = None
    upvotes: int | None = None
    arxiv_id: str | None = None

    @cached_property
    def key(self) -> PaperKey:
        """This copy's identity; worked out once, and kept with its dump's cached reading."""
        return PaperKey.of(self.title, self.abstract, self.arxiv_id)


@dataclass(frozen=True)
class Curation:
    """What the curator says about one paper in curation.yml; defaults mean "nothing said"."""

    note: str | None = None
    rating: int | None = None
    status: str | None = None
    tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    featured: bool = False
    hidden: bool = False

    @property
    def favourite(self) -> bool:
        """Rated 4 or more, or featured."""
        return self.featured or (self.rating is not None and self.rating >= 4)


@dataclass
class Paper:
    """A paper as published: every copy merged, enriched with links and tags."""

    slug: str
    title: str
    abstract: str
    date: dt.date | None
    authors: int | None
    org: str | None
    upvotes: int | None
    sources: list[Source]
    arxiv_id: str | None = None
    links: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    curation: Curation = field(default_factory=Curation)
    # The capture date of the earliest dump that holds the paper; None when no dump's is known.
    first_seen: dt.date | None = None
    related: list[str] = field(default_factory=list)

    @property
    def has_code(self) -> bool:
        """True when the abstract links a code repository."""
        # Not any() over a generator, ~3x slower on a few links: asked ~4 times a paper a build.
        return "code" in [link.kind for link in self.links]

    @property
    def url(self) -> str:
        """Site-relative URL of the paper's page."""
        return f"papers/{self.slug}/"
