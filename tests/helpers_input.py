"""Helpers for the hostile/broken input tests: dumps as text, throwaway projects, built HTML."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from generator.fingerprint import RECORD
from generator.site import OWNED
from generator.writer import MANIFEST
from tests.support import copy_project
from tests.support import mkdocs_build as build_with_mkdocs

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\n"
)


def is_generated(path: str) -> bool:
    """True for a project path under docs/ that the generator owns, its manifest and record included."""
    relative = path.removeprefix("docs/")
    return path.startswith("docs/") and (relative in (MANIFEST, RECORD) or any(
        relative == own or relative.startswith(f"{own}/") for own in OWNED))


def abstract_for(topic: str, words: int = 30) -> str:
    """A plausible abstract (long prose ending in a full stop) mentioning the topic."""
    filler = " ".join(["We study this question with careful experiments"] * (words // 7 + 1))
    # The topic comes first: papers are told apart by the head of their abstract.
    return f"On {topic}: {filler}. Results improve on strong baselines."


def entry_text(title: str, abstract: str, meta: str | None = None) -> str:
    """One entry as the page shows it: title, abstract and an optional metadata block."""
    block = f"{title}\n\n{abstract}\n\n"
    return block + (f"{meta}\n\n" if meta else "")


def dump_text(entries: list[str], captured: str = "Oct 28") -> str:
    """A whole dump: boilerplate header, capture date, then the entries."""
    return HEADER + f"{captured}\n\n" + "".join(entries)


def new_project(root: Path, dumps: dict[str, str | bytes], registry: str | None = None) -> Path:
    """A throwaway copy of the project with its own seeds and a hand-written page; its root."""
    copy_project(root, seeds=[])
    (root / "docs" / "about.md").write_text("# About\n\nHand-written page.\n", encoding="utf-8")
    # Listed in nav as GUIDE.md tells users to: otherwise `mkdocs build --strict` fails.
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - Stats: stats/index.md\n" in config, "mkdocs.yml's nav changed; update this helper"
    (root / "mkdocs.yml").write_text(
        config.replace("  - Stats: stats/index.md\n", "  - Stats: stats/index.md\n  - About: about.md\n"),
        encoding="utf-8")
    for name, content in dumps.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (root / "seeds" / name).write_bytes(data)
    if registry is not None:
        (root / "seeds" / "slugs.json").write_text(registry, encoding="utf-8")
    return root


def run_generator(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` in the project, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=root,
                          capture_output=True, text=True, timeout=120, check=False)


def mkdocs_build(root: Path, search_engine: str = "auto", engine: str = "mkdocs") -> Path:
    """A real strict build (MkDocs or Zensical) with the given search; returns the site folder."""
    return build_with_mkdocs(root, env={"READING_LIST_SEARCH_ENGINE": search_engine}, engine=engine)


def snapshot(root: Path) -> dict[str, str]:
    """Every file under the root (the site folder aside) with a hash of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] != "site"
        and "__pycache__" not in path.parts
    }


def changed_paths(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """Paths added, removed or modified between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


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
        in_math = any(element.tag == "math" for element in self._open)
        for element in self._open:
            element.text += data
            if not in_math:
                element.source += data

    def find(self, tag: str, css_class: str | None = None) -> list[Element]:
        """Elements with this tag (and class, when given)."""
        return [e for e in self.elements if e.tag == tag
                and (css_class is None or css_class in e.attrs.get("class", "").split())]


def parse_html(path: Path) -> ParsedPage:
    """Parse a built HTML file."""
    page = ParsedPage()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page
