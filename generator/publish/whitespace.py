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

# Elements whose white space is content (pre, textarea) or code (script, style).
RAW = re.compile(r"<(pre|textarea|script|style)(?=[\s>/])", re.I)
# A quoted attribute value that spans lines: its line breaks and indentation are its own.
MULTILINE_VALUE = re.compile(r"""=[ \t\r\f\n]*(?:"[^"<>]*|'[^'<>]*)\n""")
# A tag as a whole (copied), or a run of white space that holds a line break (squeezed).
# No generated attribute value holds a raw ">" (templates escape it as &gt;).
TOKEN = re.compile(r"<[^>]*>|[ \t\r\f]*\n[ \t\r\f\n]*")
# HTML's white space: str.strip() alone would also take no-break spaces, which show.
SPACE = " \t\r\f"
CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("pre", "textarea", "script", "style")}


# The same two in bytes, for the text between raw elements as UTF-8: neither names a
# character beyond ASCII, and no byte of a UTF-8 sequence is ASCII, so they match alike.
# In bytes a page is one byte a character, where str spends two or four on a page holding
# any character beyond Latin-1: the scan for multi-line values runs ~4 times faster.
MULTILINE_VALUE_BYTES = re.compile(MULTILINE_VALUE.pattern.encode())
TOKEN_BYTES = re.compile(TOKEN.pattern.encode())
SPACE_BYTES = SPACE.encode()


def _keep_tags(match: re.Match[str]) -> str:
    text = match.group()
    return text if text[0] == "<" else "\n"


def _keep_tag_bytes(match: re.Match[bytes]) -> bytes:
    text = match.group()
    return text if text[:1] == b"<" else b"\n"


def _squeeze_text(html: bytes) -> bytes:
    """Squeeze a stretch of HTML (UTF-8) that holds no raw-text element."""
    if MULTILINE_VALUE_BYTES.search(html):
        return TOKEN_BYTES.sub(_keep_tag_bytes, html)  # Tag by tag: slower, values untouched.
    # Line by line, every step in C (map and filter call bytes.strip and test each line):
    # the same result where no value spans lines. A regex substitution would call back
    # into Python at each of the ~9 million line breaks of 10,000 papers' pages.
    lines = html.split(b"\n")
    if len(lines) == 1:
        return html
    inner = filter(None, map(bytes.strip, lines[1:-1], repeat(SPACE_BYTES)))
    return b"\n".join([lines[0].rstrip(SPACE_BYTES), *inner, lines[-1].lstrip(SPACE_BYTES)])


def squeeze_to_bytes(html: str) -> bytes:
    """The page squeezed (as ``squeeze`` does), in UTF-8: the bytes published."""
    parts: list[bytes] = []
    start = 0
    # Raw elements are found in str: RAW and CLOSE match as HTML names case-insensitively
    # (and "\s" as any white space) by Unicode's rules, which bytes patterns would not.
    while (found := RAW.search(html, start)) is not None:
        parts.append(_squeeze_text(html[start:found.start()].encode("utf-8")))
        close = CLOSE[found.group(1).lower()].search(html, found.end())
        end = len(html) if close is None else close.end()
        parts.append(html[found.start():end].encode("utf-8"))
        start = end
    parts.append(_squeeze_text(html[start:].encode("utf-8")))
    return b"".join(parts)


def squeeze(html: str) -> str:
    """The page with every line break's indentation and blank lines dropped, as laid out the same."""
    return squeeze_to_bytes(html).decode("utf-8")


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
        slim = squeeze_to_bytes(data.decode("utf-8"))
        if slim != data:
            path.write_bytes(slim)
        pages, before, after = pages + 1, before + len(data), after + len(slim)
    return Squeezed(pages, before, after)
