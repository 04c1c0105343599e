"""MkDocs hook helper, for speed only: generated Markdown that holds nothing to parse.

Once the hook has set a generated page's raw HTML blocks aside (html_blocks.set_aside),
most pages (every paper without curator's notes) are left with marker paragraphs and a few
``## Heading`` lines. Python-Markdown still cost ~0.5 ms a page to turn that into
paragraphs and headings with permalinks (5 s of a 10,000-paper build): ``convert`` writes
the same HTML and table of contents directly. ``agrees`` checks it against the build's own
Python-Markdown, configured as mkdocs.yml says, before any page uses it; anything it does
not handle (notes, lists, other heading levels, any other character) goes to Python-Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import slugify, unique

from generator.render.html_blocks import MARKER_TEXT, set_aside

# What a heading may say to be converted here: words, digits and plain punctuation, so no
# inline pattern (emphasis, code, links, entities, HTML) can apply.
_HEADING = re.compile(r"## ([A-Za-z0-9](?:[A-Za-z0-9 ,.:()'-]*[A-Za-z0-9.)])?)")
# A page that uses every form ``convert`` writes, with a repeated heading (ids get _1).
_PROBE = ("<p class=\"a\">one</p>\n\n## Abstract\n\n<ul class=\"b\">\n<li>two</li>\n</ul>\n\n"
          "## Related papers\n\n## Abstract\n\n## Look it up, (2.0) - x.\n\n<p>three</p>\n")


@dataclass(frozen=True)
class Plain:
    """A page's content as Python-Markdown would convert it, and its table of contents."""

    html: str
    toc_tokens: list[dict[str, Any]]

    @property
    def anchors(self) -> set[str]:
        """The ids a link may point to (MkDocs checks links to anchors against them)."""
        return {token["id"] for token in self.toc_tokens}


def convert(markdown: str) -> Plain | None:
    """The HTML of set-aside Markdown of markers and ``##`` headings, blocks apart; else None."""
    lines = markdown.split("\n")
    html: list[str] = []
    tokens: list[dict[str, Any]] = []
    ids: set[str] = set()
    blank = True
    for line in lines:
        if not line:
            blank = True
            continue
        if not blank:
            return None  # two lines in one block: a paragraph Python-Markdown must join
        blank = False
        if MARKER_TEXT.fullmatch(line):
            html.append(f"<p>{line}</p>")
            continue
        heading = _HEADING.fullmatch(line)
        if heading is None:
            return None
        text = heading.group(1)
        anchor = unique(slugify(text, "-"), ids)
        html.append(f'<h2 id="{anchor}">{text}<a class="headerlink" href="#{anchor}" '
                    f'title="Permanent link">&para;</a></h2>')
        tokens.append({"level": 2, "id": anchor, "name": text, "html": text,
                       "data-toc-label": "", "children": []})
    return Plain("\n".join(html), tokens)


def agrees(markdown_of: Callable[[str], tuple[str, list[dict[str, Any]]]]) -> bool:
    """Whether ``convert`` writes what ``markdown_of`` (the build's Python-Markdown) does.

    ``markdown_of`` converts a text and returns its HTML and table-of-contents tokens: a
    different permalink, slug rule or extension in mkdocs.yml turns the shortcut off.
    """
    text, _ = set_aside(_PROBE)
    mine = convert(text)
    return mine is not None and markdown_of(text) == (mine.html, mine.toc_tokens)
