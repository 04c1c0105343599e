"""Paper identity: when two copies are the same paper, decided in one place."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# LaTeX accents as dumps carry them (B\'ezier, G\"odel): the accent goes, the letter stays.
_LATEX_ACCENT = re.compile(r"""\\[`'^"~=.]\{?([A-Za-z])\}?""")
# Enough of an abstract to tell papers apart, short enough to survive a cut-short copy.
HEAD_CHARS = 200


def normalise_text(text: str) -> str:
    """Case, accents and punctuation folded away: what is compared, never shown."""
    folded = unicodedata.normalize("NFKD", _LATEX_ACCENT.sub(r"\1", text).casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return _NON_WORD.sub(" ", folded).strip()


@dataclass(frozen=True, order=True)
class PaperKey:
    """Hashable identity of a paper: its normalised title and the head of its abstract."""

    title: str
    head: str

    @classmethod
    def of(cls, title: str, abstract: str) -> PaperKey:
        """The key of a paper given its title and (possibly cut-short) abstract."""
        return cls(normalise_text(title), normalise_text(abstract)[:HEAD_CHARS])

    def same_paper(self, other: PaperKey) -> bool:
        """Same title, and one abstract is the start of the other (copies get cut short)."""
        if self.title != other.title:
            return False
        shorter, longer = sorted((self.head, other.head), key=len)
        return bool(shorter) and longer.startswith(shorter)
