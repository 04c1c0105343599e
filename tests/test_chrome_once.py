"""The MkDocs hook that renders shared chrome once (generator/mkdocs/chrome.py) shares only
what reads the same: a build without the hooks writes the same bytes (test_mkdocs_hooks.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from generator.mkdocs.chrome import ChromeOnce


@dataclass(eq=False)
class Page:
    """What the hook reads of an MkDocs page: its URL."""

    url: str


@dataclass
class Nav:
    """What the hook reads of MkDocs' navigation: its pages."""

    pages: list[Page] = field(default_factory=list)


NAV = Nav([Page(""), Page("tags/"), Page("dates/")])


class Renderer:
    """A block's renderer that counts its calls and prints the page's URL."""

    def __init__(self, page: Page) -> None:
        self.page, self.calls = page, 0

    def __call__(self) -> str:
        self.calls += 1
        return f"<nav>{self.page.url}</nav>"


def test_pages_outside_the_nav_with_the_same_links_share_one_rendering() -> None:
    once = ChromeOnce()
    first, second = Renderer(Page("papers/a/")), Renderer(Page("papers/b/"))
    assert once("nav", first.page, NAV, caller=first) == "<nav>papers/a/</nav>"
    assert once("nav", second.page, NAV, caller=second) == "<nav>papers/a/</nav>"
    assert (first.calls, second.calls) == (1, 0)


@pytest.mark.parametrize("url", ["tags/robotics/", "papers/a/extra/", "index/"])
def test_pages_whose_links_differ_are_rendered_for_themselves(url: str) -> None:
    once = ChromeOnce()
    once("nav", Page("papers/a/"), NAV, caller=Renderer(Page("papers/a/")))
    other = Renderer(Page(url))
    assert once("nav", other.page, NAV, caller=other) == f"<nav>{url}</nav>"
    assert other.calls == 1


def test_a_page_in_the_nav_and_each_part_are_rendered_apart() -> None:
    once = ChromeOnce()
    tags = NAV.pages[1]
    renders = [Renderer(tags), Renderer(tags)]
    for render in renders:
        once("nav", tags, NAV, caller=render)
    assert [render.calls for render in renders] == [1, 1]
    tabs = Renderer(Page("papers/a/"))
    once("nav", tabs.page, NAV, caller=Renderer(tabs.page))
    once("tabs", tabs.page, NAV, caller=tabs)
    assert tabs.calls == 1
