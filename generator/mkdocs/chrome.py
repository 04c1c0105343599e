"""MkDocs hook, for speed only: chrome that reads the same on many pages is rendered once.

Material renders the tabs, the navigation and the theme's config script for every page,
though on every page outside the navigation (each paper, tag and month page) they differ
only by their relative links. overrides/main.html hands those blocks to ``chrome_once``,
which renders a block once per set of links it would print and reuses the result. Nothing
else depends on this hook: without it (Zensical runs none) the templates render each block
for each page, as Material does, to the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from mkdocs.utils import normalize_url


class ChromeOnce:
    """Rendered blocks of one build, by what they print; a new build starts empty."""

    def __init__(self) -> None:
        self._rendered: dict[tuple[str, ...], Markup] = {}
        # By page URL: the links that tell its blocks apart (None for a page in the nav),
        # worked out once for the ~8 blocks of each page.
        self._links: dict[str, tuple[str, ...] | None] = {}

    def __call__(self, part: str, page: Any, nav: Any, caller: Callable[[], str]) -> Markup:
        """The block ``part`` of ``page`` (``caller`` renders it), shared by its look-alikes."""
        key = self._key(part, page, nav)
        if key is None:
            return Markup(caller())
        if key not in self._rendered:
            self._rendered[key] = Markup(caller())
        return self._rendered[key]

    def _key(self, part: str, page: Any, nav: Any) -> tuple[str, ...] | None:
        """What the block prints that varies by page; None when it may vary otherwise."""
        if page is None or nav is None:
            return None
        if part == "config":
            # Features, words and the search worker's URL: only that URL is page-relative.
            return (part, normalize_url("assets/javascripts/workers/search.js", page))
        if page.url not in self._links:
            # Tabs and navigation mark the page's own entry: a page in the nav is rendered as is.
            self._links[page.url] = None if page in nav.pages else \
                tuple(normalize_url(item.url, page) for item in nav.pages)
        links = self._links[page.url]
        return None if links is None else (part, *links)


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Give the templates a fresh ``chrome_once`` for this build."""
    env.globals["chrome_once"] = ChromeOnce()
    return env
