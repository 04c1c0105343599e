"""What a reader does in the browser: open pages, search, and the problems met on the way."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page

# Material's search UI: the header input and the result entries. Another search engine
# (Pagefind, say) must keep these two hooks for the journeys to keep running unchanged.
SEARCH_INPUT = ".md-search__input"
SEARCH_RESULT_LINKS = ".md-search-result__item a"


@dataclass(frozen=True)
class ServedSite:
    """A built site served on 127.0.0.1: at the server root or under a sub-path."""

    name: str
    url: str
    folder: Path

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: "/" or "/reading-list/"."""
        return urlsplit(self.url).path

    def papers(self) -> list[dict[str, Any]]:
        """The site's own papers.json export, the source of truth for what pages show."""
        return json.loads((self.folder / "papers.json").read_text(encoding="utf-8"))


@dataclass
class Reader:
    """A browser tab on a served site, with every error and stray request it ran into."""

    page: Page
    site: ServedSite
    problems: list[str] = field(default_factory=list)

    def open(self, path: str = "") -> None:
        """Load a page by its path under the site, as typed into the address bar."""
        response = self.page.goto(self.site.url + path)
        status = response.status if response else None
        assert response is not None and response.ok, f"{self.site.url + path}: HTTP {status}"

    def path(self) -> str:
        """Where the tab is now, relative to the site (query and fragment dropped)."""
        location = urlsplit(self.page.url).path
        assert location.startswith(self.site.base_path), (
            f"left the site: {self.page.url} is outside {self.site.url}"
        )
        return location.removeprefix(self.site.base_path)


# open_reader(viewport=..., **context options) -> Reader: the fixture that opens readers.
OpenReader = Callable[..., Reader]


def search_site(page: Page, query: str) -> Locator:
    """Type a query into the header search like a reader; the result links, once some show."""
    box = page.locator(SEARCH_INPUT)
    if not box.is_visible():
        # Closed behind the header's magnifier (a phone; Zensical at any width).
        page.locator("label.md-header__button[for='__search']").click()
    box.click()
    box.fill("")
    # Key by key: the search UI listens to keyboard events, and a reader types.
    box.press_sequentially(query)
    results = page.locator(SEARCH_RESULT_LINKS)
    # Results refresh as the query grows: callers wait (expect) for the entry they look for.
    results.first.wait_for(state="visible")
    return results
