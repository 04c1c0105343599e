"""Built pages for tests: one HTML parser for every test that reads what the engine wrote."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path


def front_matter(page: str) -> str:
    """The YAML between the leading ``---`` lines of a Markdown page."""
    assert page.startswith("---\n")
    return page[4:page.index("\n---\n", 4) + 1]


@dataclass
class Element:
    """An element met while parsing: tag, attributes and the text inside it."""

    tag: str
    attrs: dict[str, str]
    text: str = ""
    ancestors: tuple[str, ...] = ()
    # The text with each formula (MathML) as the LaTeX it was made from (its alttext).
    source: str = ""

    def inside(self, css_class: str) -> bool:
        """True when an enclosing element has this class."""
        return any(css_class in classes.split() for classes in self.ancestors)


class ParsedPage(HTMLParser):
    """A built page as elements, scripts and text; what a browser would make live."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.scripts: list[str] = []
        self.data_blocks: list[str] = []
        # Every run of text, in document order.
        self.texts: list[str] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs},
                          ancestors=tuple(e.attrs.get("class", "") for e in self._open))
        self.elements.append(element)
        if tag == "math":
            for open_element in self._open:
                open_element.source += element.attrs.get("alttext", "")
        if tag not in {"meta", "link", "img", "br", "hr", "input", "source", "path"}:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for position in range(len(self._open) - 1, -1, -1):
            if self._open[position].tag == tag:
                closed = self._open[position]
                del self._open[position:]
                if tag == "script" and closed.attrs.get("type") == "application/ld+json":
                    self.data_blocks.append(closed.text)  # data, never run by the browser
                elif tag == "script":
                    self.scripts.append(closed.attrs.get("src") or "inline:" + closed.text)
                return

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        in_math = any(element.tag == "math" for element in self._open)
        for element in self._open:
            element.text += data
            if not in_math:
                element.source += data

    def find(self, tag: str, css_class: str | None = None) -> list[Element]:
        """Elements with this tag (and class, when given)."""
        return [e for e in self.elements if e.tag == tag
                and (css_class is None or css_class in e.attrs.get("class", "").split())]


    def hrefs(self) -> list[str]:
        """Every non-empty href, in document order."""
        return [e.attrs["href"] for e in self.elements if e.attrs.get("href")]

    def alternates(self) -> list[dict[str, str]]:
        """The attributes of each <link rel="alternate"> (feeds the page announces)."""
        return [e.attrs for e in self.find("link") if "alternate" in e.attrs.get("rel", "").split()]


def parse_markup(markup: str) -> ParsedPage:
    """Parse HTML text the way a browser's parser splits it."""
    page = ParsedPage()
    page.feed(markup)
    page.close()
    return page


def parse_html(path: Path) -> ParsedPage:
    """Parse a built HTML file."""
    return parse_markup(path.read_text(encoding="utf-8"))
