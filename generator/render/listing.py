"""Paper lists as readers browse them: cards, pages of about 100, and each list's data file."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import accumulate
from urllib.parse import urlsplit

from generator.model import Paper
from generator.render import formulas
from generator.render.layout import INDEX, page_file

PAGE_SIZE = 100
GIST_LENGTH = 160
STATUS_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read"}
# A sentence ends at . ! or ? followed by space and a capital, digit or opening mark; "e.g."
# and "i.e." are followed by lower case and so never end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[$])")
# The orders the sort control offers everywhere; the browser script implements each.
SORTS = {"newest": "Newest first", "oldest": "Oldest first", "upvotes": "Most upvoted",
         "title": "Title A–Z"}
# How many page numbers the pager shows either side of the current page.
PAGER_REACH = 2


def gist(abstract: str, limit: int = GIST_LENGTH) -> str:
    """The abstract's first sentence, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(abstract.split())
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    space = cut.rfind(" ")
    # A single word longer than the limit is cut inside itself rather than dropped.
    head = cut[:space] if space > 0 else cut
    return head.rstrip(" ,;:-–—") + "…"


def repo_label(url: str) -> str:
    """A code link as readers name it: ``org/repo`` from the path, else the host."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) >= 2:
        return f"{segments[0]}/{segments[1].removesuffix('.git')}"
    return parts.netloc + parts.path.rstrip("/")


@dataclass(frozen=True)
class Order:
    """The order a list is published in (the server's order): a key and its label."""

    key: str
    label: str

    @property
    def choices(self) -> list[tuple[str, str]]:
        """The sort control's options: this order first when it is not a standard one."""
        standard = list(SORTS.items())
        return standard if self.key in SORTS else [(self.key, self.label), *standard]


NEWEST = Order("newest", SORTS["newest"])
BY_TITLE = Order("title", SORTS["title"])


@dataclass(frozen=True)
class Card:
    """Everything a paper card shows; a field the paper lacks is None (or empty)."""

    slug: str
    title: str
    date: str | None
    upvotes: int | None
    org: str | None
    authors: int | None
    code_url: str | None
    code_label: str | None
    tags: tuple[tuple[str, str], ...]  # (slug, name)
    rating: int | None
    status: str | None
    featured: bool
    gist: str

    @property
    def status_label(self) -> str | None:
        """The reading status as the card prints it."""
        return STATUS_LABELS.get(self.status or "")


def card(paper: Paper, tag_slugs: dict[str, str]) -> Card:
    """The card of one paper; ``tag_slugs`` maps tag names to their URL slugs."""
    code = next((link.url for link in paper.links if link.kind == "code"), None)
    return Card(
        slug=paper.slug, title=paper.title,
        date=paper.date.isoformat() if paper.date else None, upvotes=paper.upvotes,
        org=paper.org, authors=None if paper.org else paper.authors,
        code_url=code, code_label=repo_label(code) if code else None,
        tags=tuple((tag_slugs[name], name) for name in paper.tags if name in tag_slugs),
        rating=paper.curation.rating, status=paper.curation.status,
        featured=paper.curation.featured, gist=gist(paper.abstract),
    )


def paginate(items: list, size: int = PAGE_SIZE) -> list[list]:
    """Items in order in ceil(n / size) pages, anchored at the end; an empty list is one empty page.

    Page 1 is the first ``size`` items; pages 3 and on are fixed chunks of ``size`` counted
    from the last item; page 2 takes the rest (1 to ``size``). An item joining near the top
    (the newest, in most lists) then changes pages 1, 2 and those down to where it lands, not
    every later page: the pages past it keep their items, and so their bytes.
    """
    if size < 1:
        raise ValueError("page size must be at least 1")
    count = -(-len(items) // size)
    if count <= 1:
        return [items[:]]
    second_end = len(items) - (count - 2) * size
    return [items[:size], items[size:second_end],
            *(items[start : start + size] for start in range(second_end, len(items), size))]


def page_window(current: int, count: int, reach: int = PAGER_REACH) -> list[int | None]:
    """Page numbers the pager shows: first, last and ``reach`` around current; None is a gap."""
    shown = sorted({1, count, *range(max(1, current - reach), min(count, current + reach) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


def relative(target: str, start: str) -> str:
    """The link from a page URL (site-relative, ending in /) to another page URL."""
    if target == start:
        return "./"
    link = posixpath.relpath(target or ".", start.rstrip("/") or ".")
    return "./" if link == "." else link + "/"


@dataclass(frozen=True)
class ListPage:
    """One page of a list: its cards and everything the pager and the controls need."""

    list_id: str
    number: int
    count: int
    total: int
    url: str
    cards: list[Card]
    urls: list[str]
    # How many cards the pages before this one hold.
    before: int = 0
    years: list[int] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    order: Order = NEWEST
    own_tag: str | None = None
    # Every paper of the list links code (the code list): its "With code" filter would do nothing.
    all_code: bool = False

    @property
    def up(self) -> str:
        """From this page's URL to the site root."""
        return "../" * self.url.count("/")

    @property
    def data_url(self) -> str:
        """The list's data file, relative to this page."""
        return f"{self.up}lists/{self.list_id}.json"

    @property
    def prev_url(self) -> str | None:
        """Site-relative URL of the previous page."""
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        """Site-relative URL of the next page."""
        return self.urls[self.number] if self.number < self.count else None

    def href(self, number: int) -> str:
        """Link from this page to page ``number`` of the same list."""
        return relative(self.urls[number - 1], self.url)

    @property
    def window(self) -> list[int | None]:
        """The page numbers the pager shows."""
        return page_window(self.number, self.count)

    @property
    def fixed(self) -> bool:
        """One of the pages counted from the list's end: it shows no count of the whole list,
        so that papers joining above it leave its bytes as they are (see ``paginate``)."""
        return self.number > 2

    @property
    def first_index(self) -> int:
        """1-based position in the whole list of this page's first card."""
        return self.before + 1

    @property
    def pagination(self) -> dict[str, str]:
        """Front matter the theme turns into <link rel="prev"/"next">."""
        links = {"prev": self.prev_url, "next": self.next_url}
        return {rel: url for rel, url in links.items() if url is not None}


@dataclass(frozen=True)
class PaperList:
    """A list of papers in server order, published as pages under one folder."""

    list_id: str
    # Page 1's file under docs/: "tags/robotics/index.md" or "code/index.md"; later pages go
    # in the folder its URL names ("tags/robotics/2/index.md"), where nothing else is written
    # but feeds, so no tag, month or paper slug can take their place.
    first_page: str
    cards: list[Card]
    order: Order = NEWEST
    # On a tag's own list, that tag's slug: its chip is left out of every card.
    own_tag: str | None = None

    @property
    def folder(self) -> str:
        """The URL folder of page 1 (no slash at the end)."""
        return self.first_page.removesuffix(INDEX).removesuffix("/")

    def page_path(self, number: int) -> str:
        """File of page ``number`` under docs/."""
        return self.first_page if number == 1 else page_file(f"{self.folder}/{number}")

    def page_url(self, number: int) -> str:
        """Site-relative URL of page ``number``."""
        base = f"{self.folder}/" if self.folder else ""
        return base if number == 1 else f"{base}{number}/"

    @property
    def data_path(self) -> str:
        """The list's data file under docs/."""
        return f"lists/{self.list_id}.json"

    def pages(self) -> list[ListPage]:
        """Every page of the list, in order."""
        chunks = paginate(self.cards)
        urls = [self.page_url(number) for number in range(1, len(chunks) + 1)]
        years = sorted({int(c.date[:4]) for c in self.cards if c.date}, reverse=True)
        tags = sorted({tag for c in self.cards for tag in c.tags}, key=lambda t: (t[1].casefold(), t))
        starts = [0, *accumulate(len(chunk) for chunk in chunks)]
        all_code = bool(self.cards) and all(c.code_url for c in self.cards)
        return [
            ListPage(self.list_id, number, len(chunks), len(self.cards), urls[number - 1], chunk,
                     urls, starts[number - 1], years, tags, self.order, self.own_tag, all_code)
            for number, chunk in enumerate(chunks, 1)
        ]


# The columns of a list's data file, in order; the browser script reads them by name.
DATA_FIELDS = ("slug", "title", "date", "upvotes", "org", "authors", "code_url", "code_label",
               "tags", "rating", "status", "featured", "gist", "rich")


def _rich(card: Card) -> list | None:
    """Title and gist as nodes when their LaTeX is rendered (formulas, emphasis), else None."""
    title, gist_nodes = formulas.tree(card.title), formulas.tree(card.gist)
    return [title, gist_nodes] if title or gist_nodes else None


@dataclass(frozen=True)
class ListRows:
    """Every card's row of the lists' data files, encoded once a build and joined per list.

    The tag table is the build's, shared by every list: a card's row is then the same bytes
    in each of the ~7 lists that hold it (the browser script reads tags through the table).
    """

    tags: list[tuple[str, str]]
    rows: dict[str, str]

    def data(self, slugs: list[str]) -> str:
        """The compact JSON the sort and filter controls load: these cards' rows, in order."""
        papers = ",".join([self.rows[slug] for slug in slugs])
        return (f'{{"fields":{_compact(DATA_FIELDS)},"tags":{_compact(self.tags)},'
                f'"statuses":{_compact(STATUS_LABELS)},"papers":[{papers}]}}\n')


def _compact(value: object) -> str:
    # ASCII only: the bytes mean the same whatever charset a host announces for .json.
    return json.dumps(value, separators=(",", ":"))


def list_rows(cards: Iterable[Card]) -> ListRows:
    """Each card's row once, its tags as numbers in the table of every tag the cards carry."""
    cards = list(cards)
    table = sorted({tag for c in cards for tag in c.tags})
    index = {tag: number for number, tag in enumerate(table)}
    rows = {c.slug: _compact([c.slug, c.title, c.date, c.upvotes, c.org, c.authors, c.code_url,
                              c.code_label, [index[tag] for tag in c.tags], c.rating, c.status,
                              int(c.featured), c.gist, _rich(c)])
            for c in cards}
    return ListRows(table, rows)


def marks_page(everything: PaperList) -> ListPage:
    """The controls of "My marks": every paper's years and tags, no card of its own."""
    first = everything.pages()[0]
    return replace(first, url="marks/", urls=["marks/"], count=1, total=0, cards=[])
