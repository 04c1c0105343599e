"""MkDocs hook helper, for speed only: generated Markdown that holds nothing to parse.

Once the hook has set a generated page's raw HTML blocks aside (html_blocks.set_aside),
most pages (every paper without curator's notes, every page of a paper list) are left with
marker paragraphs, a ``# Title`` and a few ``## Heading`` lines. Python-Markdown still cost
~0.5 ms a page to turn that into paragraphs and headings with permalinks (5 s of a
10,000-paper build, ~1 ms a list page): ``convert`` writes the same HTML, table of contents
and title directly. ``agrees`` checks it against the build's own
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

# What a heading may say to be converted here: words, digits and plain punctuation, some of
# it backslash-escaped as templates escape a tag's name, so no inline pattern (emphasis,
# code, links, entities, HTML) can apply.
_HEADING = re.compile(r"(#{1,2}) ((?:[A-Za-z0-9]|\\[-.()])(?:(?:[A-Za-z0-9 ,.:()'-]|\\[-.()])*"
                      r"(?:[A-Za-z0-9.)]|\\[-.()]))?)")
_ESCAPE = re.compile(r"\\(.)")
# Pages that use every form ``convert`` writes: a repeated heading (ids get _1), a title
# with escapes and headings beneath it, headings before and after one.
_PROBES = (
    "<p class=\"a\">one</p>\n\n## Abstract\n\n<ul class=\"b\">\n<li>two</li>\n</ul>\n\n"
    "## Related papers\n\n## Abstract\n\n## Look it up, (2.0) - x.\n\n<p>three</p>\n",
    "# Vision\\-language: (2\\.0) \\(x\\), page 3\n\n<p>one</p>\n\n## Curator's pick\n\n"
    "<div>two</div>\n",
    "## Before\n\n# Title\n\n## Under\n\n# Title\n",
)


@dataclass(frozen=True)
class Plain:
    """A page's content as Python-Markdown would convert it, and its table of contents."""

    html: str
    toc_tokens: list[dict[str, Any]]
    # The page's first block when it is a ``#`` heading: MkDocs titles the page with it.
    title: str | None = None

    @property
    def anchors(self) -> set[str]:
        """The ids a link may point to (MkDocs checks links to anchors against them)."""
        return {token["id"] for token in self.toc_tokens}


def convert(markdown: str) -> Plain | None:
    """The HTML of set-aside Markdown of markers, ``#`` and ``##`` headings, blocks apart; else None."""
    lines = markdown.split("\n")
    html: list[str] = []
    tokens: list[dict[str, Any]] = []
    ids: set[str] = set()
    title = None
    # A ``##`` heading goes under the ``#`` heading before it in the table of contents.
    parent: list[dict[str, Any]] | None = None
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
        level, text = len(heading.group(1)), _ESCAPE.sub(r"\1", heading.group(2))
        if level == 1 and not html:
            title = text
        anchor = unique(slugify(text, "-"), ids)
        html.append(f'<h{level} id="{anchor}">{text}<a class="headerlink" href="#{anchor}" '
                    f'title="Permanent link">&para;</a></h{level}>')
        token = {"level": level, "id": anchor, "name": text, "html": text,
                 "data-toc-label": "", "children": []}
        (tokens if level == 1 or parent is None else parent).append(token)
        if level == 1:
            parent = token["children"]
    return Plain("\n".join(html), tokens, title)


def agrees(markdown_of: Callable[[str], tuple[str, list[dict[str, Any]], str | None]]) -> bool:
    """Whether ``convert`` writes what ``markdown_of`` (the build's Python-Markdown) does.

    ``markdown_of`` converts a text and returns its HTML, table-of-contents tokens and the
    title MkDocs reads from it: a different permalink, slug rule or extension in mkdocs.yml
    turns the shortcut off.
    """
    for probe in _PROBES:
        text, _ = set_aside(probe)
        mine = convert(text)
        if mine is None or markdown_of(text) != (mine.html, mine.toc_tokens, mine.title):
            return False
    return True
