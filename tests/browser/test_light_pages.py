"""Chrome a stylesheet or a script supplies once is not repeated in every page (issue 14):
the header's icons are drawn by the stylesheet and the Pagefind search dialog is built by a
script, and both show and work as Material's inline markup did."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.reader import OpenReader, ServedSite, search_site

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 800}
# The icons overrides/partials/paper-icon.html leaves to the stylesheet.
DRAWN = ("library", "menu", "magnify", "weather-night", "weather-sunny")


def _header(html: str) -> str:
    """The page's header without Material's own search dialog (small lists keep it whole)."""
    header = html[html.index("<header"):html.index("</header>")]
    return re.sub(r'<div class="md-search" data-md-component="search".*?</form>', "", header, flags=re.S)


def test_paper_pages_carry_no_inline_icons_and_no_pagefind_dialog(served_site: ServedSite) -> None:
    pagefind = (served_site.folder / "pagefind").is_dir()
    for paper in served_site.papers():
        html = (served_site.folder / paper["url"] / "index.html").read_text(encoding="utf-8")
        header = _header(html)
        for icon in ("weather-night", "weather-sunny"):
            assert f'<span class="paper-icon paper-icon--material-{icon}"></span>' in header
        # Zensical's own logo, menu and search icons (Lucide's) stay inline, as it writes them.
        if served_site.name != "zensical":
            assert "<svg" not in header, paper["url"]
            for icon in ("library", "menu", "magnify"):
                assert f'<span class="paper-icon paper-icon--material-{icon}"></span>' in header
        # The abstract is on the page only: neither in JSON-LD nor in a citation_abstract tag.
        assert '"abstract": ' not in html and "citation_abstract" not in html
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                      html, re.S).group(1))
        if pagefind:
            assert "md-search__input" not in html and 'class="md-search paper-search' in html
        if pagefind and served_site.name != "zensical":
            # What only Material's own search reads is left out; the code copy words stay.
            assert "search" not in config and set(config["translations"]) == {
                "clipboard.copy", "clipboard.copied"}
        else:
            assert "search.result.none" in config["translations"]


def test_drawn_icons_and_the_built_dialog_show_like_materials(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    paper = reader.site.papers()[0]
    reader.open(paper["url"])
    page = reader.page
    for icon in page.locator("header .paper-icon").all():
        if not icon.is_visible():
            continue  # the palette toggle of the other scheme
        box = icon.bounding_box()
        assert box is not None and round(box["width"]) == round(box["height"]) == 24
        mask = icon.evaluate("e => getComputedStyle(e).maskImage || getComputedStyle(e).webkitMaskImage")
        assert mask.startswith('url("data:image/svg+xml')
    shown = {name for name in DRAWN
             if page.locator(f"header .paper-icon--material-{name}").first.is_visible()}
    # At 390 px Material hides the header's logo; Zensical draws its own logo, menu and search.
    assert shown == ({"weather-night"} if reader.site.name == "zensical"
                     else {"menu", "magnify", "weather-night"})
    if (reader.site.folder / "pagefind").is_dir():
        box = page.locator(".paper-search .md-search__input")
        assert box.get_attribute("aria-label") == box.get_attribute("placeholder") == "Search"
        assert page.locator(".paper-search button[type=reset]").get_attribute("aria-label") == "Clear"
        desk = open_reader()
        desk.open(paper["url"])
        assert search_site(desk.page, "learning").count() > 0
