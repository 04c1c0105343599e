"""Dump texts for tests: the page header, entries as text blocks or records, written as a browser copies them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bench.corpus import format_dump
from generator.model import Entry, Source

HEADER = """new

Get trending papers in your email inbox!

Subscribe

Daily Papers

byAK and the research community

{capture}

"""

ABSTRACT = (
    "We study how agents learn skills from sparse rewards in open-ended worlds. Our method "
    "combines exploration with a learned behaviour space and outperforms baselines."
)


def dump_text(entries: str | Sequence[str] | Sequence[Entry], captured: str | dt.date = "Oct 28") -> str:
    """A dump as a browser copies the page: header, capture day, then the entries.

    Entries are text blocks as written (a string or a list of them), or records written out
    as the page prints them (then ``captured`` is the capture day as a date).
    """
    if not isinstance(entries, str) and entries and all(isinstance(e, Entry) for e in entries):
        assert isinstance(captured, dt.date), "records are written relative to a capture date"
        return format_dump(list(entries), captured)  # type: ignore[arg-type]
    body = entries if isinstance(entries, str) else "".join(entries)  # type: ignore[arg-type]
    day = captured if isinstance(captured, str) else f"{captured:%b} {captured.day}"
    return HEADER.format(capture=day) + body.strip("\n") + "\n"


def entry_text(title: str, abstract: str, meta: str | None = None) -> str:
    """One entry as the page shows it: title, abstract and an optional metadata block."""
    block = f"{title}\n\n{abstract}\n\n"
    return block + (f"{meta}\n\n" if meta else "")


def abstract_for(topic: str, words: int = 30) -> str:
    """A plausible abstract (long prose ending in a full stop) mentioning the topic."""
    filler = " ".join(["We study this question with careful experiments"] * (words // 7 + 1))
    # The topic comes first: papers are told apart by the head of their abstract.
    return f"On {topic}: {filler}. Results improve on strong baselines."


def paper(title: str, abstract: str, date: dt.date | None = None, *, org: str | None = None,
          authors: int | None = None, upvotes: int | None = None) -> Entry:
    """An entry to write into a dump (the source is filled in when the dump is read)."""
    return Entry(title=title, abstract=abstract, source=Source("x", 0), date=date, org=org,
                 authors=authors, upvotes=upvotes)
