"""Lighter built pages: the indentation engines' templates leave between tags, squeezed out.

A run of whitespace holding a line break, in text outside ``pre``, ``textarea``, ``script``
and ``style``, becomes one line break: a browser lays out both the same (white space
collapses to one space, or to none between blocks), so a reader sees the same page. Tags
and their attribute values, and the four elements whose white space counts, are copied as
they are. Engine-agnostic: it runs over the built site, whichever engine made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

# Every pattern is in bytes and names ASCII characters only, so it matches UTF-8 as it
# would the text: no byte of a multi-byte UTF-8 sequence is ASCII. A page is then one byte
# a character, where str spends two or four on a page holding any character beyond
# Latin-1 (half of them): the scans run ~4 times faster, and nothing is decoded.
# Elements whose white space is content (pre, textarea) or code (script, style), named in
# ASCII letters of either case and ended by white space, ">" or "/", as HTML reads a tag name.
RAW = re.compile(rb"<(pre|textarea|script|style)(?=[\s\x1c-\x1f>/])", re.I)
# A quoted attribute value that spans lines: its line breaks and indentation are its own.
MULTILINE_VALUE = re.compile(rb"""=[ \t\r\f\n]*(?:"[^"<>]*|'[^'<>]*)\n""")
# A tag as a whole (copied), or a run of white space that holds a line break (squeezed).
# No generated attribute value holds a raw ">" (templates escape it as &gt;).
TOKEN = re.compile(rb"<[^>]*>|[ \t\r\f]*\n[ \t\r\f\n]*")
# HTML's white space: bytes.strip() alone would also take vertical tabs.
SPACE = b" \t\r\f"
CLOSE = {name: re.compile(rb"</" + name + rb"[\s\x1c-\x1f]*>", re.I)
         for name in (b"pre", b"textarea", b"script", b"style")}


def _keep_tags(match: re.Match[bytes]) -> bytes:
    text = match.group()
    return text if text[:1] == b"<" else b"\n"


def _squeeze_text(html: bytes) -> bytes:
    """Squeeze a stretch of HTML that holds no raw-text element."""
    if MULTILINE_VALUE.search(html):
        return TOKEN.sub(_keep_tags, html)  # Tag by tag: slower, values untouched.
    # Line by line, every step in C (map and filter call bytes.strip and test each line):
    # the same result where no value spans lines. A regex substitution would call back
    # into Python at each of the ~9 million line breaks of 10,000 papers' pages.
    lines = html.split(b"\n")
    if len(lines) == 1:
        return html
    inner = filter(None, map(bytes.strip, lines[1:-1], repeat(SPACE)))
    return b"\n".join([lines[0].rstrip(SPACE), *inner, lines[-1].lstrip(SPACE)])


def squeeze_bytes(html: bytes) -> bytes:
    """A page in UTF-8 with every line break's indentation and blank lines dropped."""
    parts: list[bytes] = []
    start = 0
    while (found := RAW.search(html, start)) is not None:
        parts.append(_squeeze_text(html[start:found.start()]))
        close = CLOSE[found.group(1).lower()].search(html, found.end())
        end = len(html) if close is None else close.end()
        parts.append(html[found.start():end])
        start = end
    parts.append(_squeeze_text(html[start:]))
    return b"".join(parts)


def squeeze(html: str) -> str:
    """The page with every line break's indentation and blank lines dropped, as laid out the same."""
    return squeeze_bytes(html.encode("utf-8")).decode("utf-8")


@dataclass(frozen=True)
class Squeezed:
    """What squeezing a site did: pages rewritten, their bytes before and after."""

    pages: int
    before: int
    after: int


def squeeze_site(site: Path) -> Squeezed:
    """Squeeze every HTML page under ``site`` in place; pages seen and their bytes."""
    pages = before = after = 0
    for path in sorted(site.rglob("*.html")):
        data = path.read_bytes()
        slim = squeeze_bytes(data)
        if slim != data:
            path.write_bytes(slim)
        pages, before, after = pages + 1, before + len(data), after + len(slim)
    return Squeezed(pages, before, after)
