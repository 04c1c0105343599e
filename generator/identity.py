"""Paper identity: when two copies are the same paper, decided in one place."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from typing import Generic, TypeVar

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# LaTeX accents as dumps carry them (B\'ezier, G\"odel): the accent goes, the letter stays.
_LATEX_ACCENT = re.compile(r"""\\[`'^"~=.]\{?([A-Za-z])\}?""")
# Enough of an abstract to tell papers apart, short enough to survive a cut-short copy.
HEAD_CHARS = 200
# Folded characters past the head that its cut cannot reach back from (see abstract_head).
_MARGIN = 20
# A new-style arXiv id (April 2007 on): YYMM.NNNN until 2014, YYMM.NNNNN since, optional
# version. Old-style ids (hep-th/9901001) never appear on Hugging Face cards.
_ARXIV_ID = re.compile(r"((\d\d)(0[1-9]|1[0-2])\.(\d{4,5}))(?:v[1-9]\d{0,2})?")
FIVE_DIGIT_YEAR = 15
T = TypeVar("T")


def normalise_text(text: str) -> str:
    """Case, accents and punctuation folded away: what is compared, never shown."""
    folded = _LATEX_ACCENT.sub(r"\1", text).casefold()
    if not folded.isascii():  # ASCII has nothing to decompose; most titles take this path
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(char for char in folded if not unicodedata.combining(char))
    return _NON_WORD.sub(" ", folded).strip()


def abstract_head(abstract: str) -> str:
    """``normalise_text(abstract)[:HEAD_CHARS]``, folding only the abstract's opening.

    Folding never joins characters more than a LaTeX accent's few apart, so the head of a
    folded opening that is well over HEAD_CHARS long is the head of the whole folded text.
    """
    opening = abstract[:HEAD_CHARS * 4]
    folded = normalise_text(opening)
    if len(opening) == len(abstract) or len(folded) > HEAD_CHARS + _MARGIN:
        return folded[:HEAD_CHARS]
    return normalise_text(abstract)[:HEAD_CHARS]


def arxiv_id(text: str) -> str | None:
    """The arXiv id in ``text`` without its version (``2312.17653v2`` → ``2312.17653``); None
    unless the whole text is a new-style id."""
    match = _ARXIV_ID.fullmatch(text)
    if match is None:
        return None
    identifier, year, month, number = match.groups()
    if (int(year), int(month)) < (7, 4) or len(number) != (5 if int(year) >= FIVE_DIGIT_YEAR else 4):
        return None
    return identifier


class Match(IntEnum):
    """How strongly two keys name the same paper; stronger matches are claimed first."""

    NONE = 0
    # Same title, and one side has no abstract yet (a collection card): nothing contradicts.
    TITLE = 1
    # Same title, and one abstract is the start of the other (copies get cut short).
    ABSTRACT = 2
    # Same arXiv id, whatever the titles say.
    ARXIV = 3


@dataclass(frozen=True, order=True)
class PaperKey:
    """Hashable identity of a paper: normalised title, abstract head, arXiv id ("" if unknown)."""

    title: str
    head: str
    arxiv_id: str = ""

    @classmethod
    def of(cls, title: str, abstract: str, arxiv: str | None = None) -> PaperKey:
        """The key of a paper given its title, (possibly cut-short) abstract and arXiv id."""
        return cls(normalise_text(title), abstract_head(abstract), arxiv or "")

    def match(self, other: PaperKey) -> Match:
        """By arXiv id when both have one, else by title and abstract head."""
        if self.arxiv_id and other.arxiv_id:
            return Match.ARXIV if self.arxiv_id == other.arxiv_id else Match.NONE
        if self.title != other.title:
            return Match.NONE
        shorter, longer = sorted((self.head, other.head), key=len)
        if not shorter:
            return Match.TITLE
        return Match.ABSTRACT if longer.startswith(shorter) else Match.NONE

    def same_paper(self, other: PaperKey) -> bool:
        """True when the two keys name one paper (see ``match``)."""
        return self.match(other) is not Match.NONE

    def joined(self, other: PaperKey) -> PaperKey:
        """What is known of one paper from both keys: the longer head, any arXiv id."""
        longer = other if len(other.head) > len(self.head) else self
        return PaperKey(longer.title, longer.head, self.arxiv_id or other.arxiv_id)


class HeadIndex(Generic[T]):
    """Items of one title by abstract head, found as ``same_paper`` finds them, without a scan.

    Comparing a copy with every paper of its title was quadratic: 10,000 papers sharing a
    title took 40 s. Heads that start the one looked up are found by its prefixes of the
    lengths present; heads it starts are a run of the sorted heads, found by bisection.
    """

    def __init__(self) -> None:
        self._items: dict[str, list[T]] = {}
        self._sorted: list[str] = []
        # Heads filed by length (a dict: a Counter costs ~4 µs to make, and a build makes two
        # indexes a title, 20,000 at 10,000 papers).
        self._lengths: dict[int, int] = {}

    def add(self, head: str, item: T) -> None:
        """File an item under its head."""
        if head not in self._items:
            self._items[head] = []
            bisect.insort(self._sorted, head)
            self._lengths[len(head)] = self._lengths.get(len(head), 0) + 1
        self._items[head].append(item)

    def remove(self, head: str, item: T) -> None:
        """Take an item filed under this head out."""
        items = self._items[head]
        items.remove(item)
        if not items:
            del self._items[head]
            del self._sorted[bisect.bisect_left(self._sorted, head)]
            self._lengths[len(head)] -= 1
            if not self._lengths[len(head)]:
                del self._lengths[len(head)]

    def matching(self, head: str) -> list[T]:
        """Every item whose head and this one are the same paper's (one starts the other)."""
        if not head:
            return []  # An empty head tells nothing: it is the same paper as nothing.
        found: list[T] = []
        for length in self._lengths:
            if 0 < length <= len(head):
                found.extend(self._items.get(head[:length], ()))
        position = bisect.bisect_right(self._sorted, head)
        while position < len(self._sorted) and self._sorted[position].startswith(head):
            found.extend(self._items[self._sorted[position]])
            position += 1
        return found
