"""The stats page on a phone: the timeline drawn for its width, ranked lists as text bars."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.browser.reader import OpenReader

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 800}
NARROW, WIDE = "papers-per-month-narrow.svg", "papers-per-month.svg"


def _timeline(reader) -> dict:
    """Which picture the browser chose for the timeline, and at what scale it shows it."""
    image = reader.page.locator(".stats-figure img")
    image.wait_for()
    reader.page.wait_for_function("document.querySelector('.stats-figure img').complete")
    return image.evaluate(
        "i => ({src: i.currentSrc, shown: i.getBoundingClientRect().width, natural: i.naturalWidth})")


def test_a_phone_gets_the_narrow_timeline_and_readable_bars(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    reader.open("stats/")
    timeline = _timeline(reader)
    assert timeline["src"].endswith("/stats/" + NARROW), timeline
    # Its 12 px labels show at 12 px, give or take the column's padding (the wide picture
    # showed them at half that).
    assert timeline["shown"] >= 0.9 * timeline["natural"], timeline
    page = reader.page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    labels = page.locator(".stats-bars__label")
    assert labels.count() >= 2
    for size in labels.evaluate_all("ls => ls.map(l => parseFloat(getComputedStyle(l).fontSize))"):
        assert size >= 12
    # Each tag's row leads to that tag's page.
    first = page.locator(".stats-bars a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url("**/tags/*/")
    expect(page.locator("article h1")).to_contain_text(name)


def test_a_desktop_gets_the_wide_timeline(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=DESKTOP)
    reader.open("stats/")
    timeline = _timeline(reader)
    assert timeline["src"].endswith("/stats/" + WIDE), timeline
    assert timeline["shown"] >= 0.85 * timeline["natural"], timeline
