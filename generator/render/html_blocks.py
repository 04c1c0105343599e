"""Raw HTML blocks of generated pages set aside while Python-Markdown runs, then put back."""

from __future__ import annotations

import re
import secrets

# Block-level tags the generator's templates open raw HTML blocks with.
BLOCK_TAGS = ("p", "h1", "nav", "ul", "ol", "div", "table", "section", "details", "figure")
_BLOCK = re.compile(r"<(" + "|".join(BLOCK_TAGS) + r")[\s>]")
# A marker no page text can produce: it holds a secret drawn when the process starts.
_NONCE = secrets.token_hex(8)
# The text that stands for a block (its number): a paragraph once Markdown converted it.
MARKER_TEXT = re.compile(rf"htmlblock{_NONCE}x(\d+)")
_MARKER = re.compile(rf"<p>{MARKER_TEXT.pattern}</p>")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """Replace each raw HTML block by a marker paragraph; the blocks, in order.

    A block is a blank-line-separated chunk that opens with a block-level tag and closes it:
    exactly what Python-Markdown would pass through untouched, only after parsing it with
    Python's HTML parser, which was the larger part of building a paper page.
    """
    blocks: list[str] = []
    chunks = markdown.split("\n\n")
    for number, chunk in enumerate(chunks):
        # A chunk after three line breaks starts with one (a section a page left empty).
        block = chunk.lstrip("\n")
        opening = _BLOCK.match(block)
        if opening and block.rstrip().endswith(f"</{opening.group(1)}>"):
            chunks[number] = f"{chunk[:len(chunk) - len(block)]}htmlblock{_NONCE}x{len(blocks)}"
            blocks.append(block.rstrip("\n"))
    return "\n\n".join(chunks), blocks


def put_back(html: str, blocks: list[str]) -> str:
    """The converted page with every marker replaced by its block, as Markdown would have kept it."""
    return _MARKER.sub(lambda match: blocks[int(match.group(1))], html) if blocks else html
