"""What a reader on a phone meets (issue 10's 390 px): entry points apart, months whole on
their line, filters only where they can narrow a list, targets a finger can take, the list's
status in view after turning a sorted page, a paper's title that leaves room for the paper;
and at any width, the tab of the section a page is in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.reader import OpenReader

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 800}
# WCAG 2.5.8's minimum target, in CSS pixels.
TARGET = 24


def _boxes(page: Page, selector: str) -> list[dict[str, float]]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getBoundingClientRect().toJSON())")


def test_home_entry_points_stand_apart_on_a_phone(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    reader.open("")
    boxes = _boxes(reader.page, ".paper-entry-points .md-button")
    assert len(boxes) == 4
    for number, one in enumerate(boxes):
        assert one["height"] >= 40 and one["right"] <= PHONE["width"]
        for other in boxes[number + 1:]:
            apart = (one["right"] <= other["left"] or other["right"] <= one["left"]
                     or one["bottom"] + 8 <= other["top"] or other["bottom"] + 8 <= one["top"])
            assert apart, (one, other)


def test_a_month_its_count_and_separator_stay_on_one_line(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    reader.open("dates/")
    lines = reader.page.eval_on_selector_all(".paper-months .paper-month",
                                             "els => els.map(e => e.getClientRects().length)")
    assert len(lines) > 12 and set(lines) == {1}
    heights = [box["height"] for box in _boxes(reader.page, ".paper-months .paper-month a")]
    assert min(heights) >= 17


def test_filters_show_only_where_they_can_narrow_the_list(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    page = reader.page
    code, year = "label:has(input[name=code])", "label:has(select[name=year])"
    # Every paper of the code list links code; a month is one year.
    reader.open("code/")
    expect(page.locator(f".paper-controls {code}")).to_be_hidden()
    expect(page.locator(f".paper-controls {year}")).to_be_visible()
    month = next(path for path in sorted(reader.site.folder.glob("dates/[0-9]*/[0-9]*/index.html")))
    reader.open(month.parent.relative_to(reader.site.folder).as_posix() + "/")
    expect(page.locator(f".paper-controls {year}")).to_be_hidden()
    expect(page.locator(f".paper-controls {code}")).to_be_visible()
    reader.open("tags/reinforcement-learning/")
    expect(page.locator(f".paper-controls {code}")).to_be_visible()
    expect(page.locator(f".paper-controls {year}")).to_be_visible()
    # Each control a finger takes is at least WCAG's 24 px tall.
    for box in _boxes(page, ".paper-controls label:not([hidden]), .paper-controls select"):
        assert box["height"] >= TARGET, box


def test_turning_a_sorted_page_shows_its_status_below_the_header(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    page = reader.page
    reader.open("dates/unknown/?sort=title")
    expect(page.locator(".paper-browser__status")).to_contain_text("title a–z")
    page.locator(".paper-pager:not(.paper-pager--steps) button", has_text="Next").click()
    status = page.locator(".paper-browser__status")
    expect(status).to_contain_text("page 2 of")
    page.wait_for_function("Math.abs(document.querySelector('.paper-browser__status')"
                           ".getBoundingClientRect().top - 100) < 100")
    header = page.locator(".md-header").bounding_box()
    box = status.bounding_box()
    assert header and box and box["y"] >= header["y"] + header["height"], (header, box)
    assert box["y"] + box["height"] <= PHONE["height"]
    # Nor under Material's "Back to top", which the scroll up brings out: by the bottom
    # pager's Previous, the longest way up.
    page.locator(".paper-pager:not(.paper-pager--steps) button", has_text="Previous").click()
    expect(status).to_contain_text("page 1 of")
    page.wait_for_timeout(400)  # Material shows the button on the scroll events that follow
    box = status.bounding_box()
    top = page.locator("[data-md-component=top]")
    button = top.bounding_box() if top.is_visible() else None
    assert box and box["y"] + box["height"] <= PHONE["height"]
    assert box["y"] >= header["y"] + header["height"]
    if button:
        assert box["y"] >= button["y"] + button["height"] or box["y"] + box["height"] <= button["y"], (
            button, box)


@pytest.mark.parametrize(("viewport", "largest"), [(PHONE, 25), (DESKTOP, 33)])
def test_a_papers_title_leaves_room_for_the_paper(open_reader: OpenReader, viewport, largest) -> None:
    reader = open_reader(viewport=viewport)
    reader.open(reader.site.papers()[0]["url"])
    size = reader.page.eval_on_selector("h1.paper-title", "h => parseFloat(getComputedStyle(h).fontSize)")
    assert largest - 10 < size <= largest


@pytest.mark.parametrize(("path", "tab"), [
    ("tags/embodied-ai/", "Tags"), ("dates/2025/06/", "By date"), ("code/", "With code"),
    ("tags/", "Tags"), ("", "Home"), ("papers/{paper}/", None),
])
def test_the_tab_of_the_section_a_page_is_in_is_the_current_one(open_reader: OpenReader,
                                                                 path: str, tab: str | None) -> None:
    reader = open_reader(viewport=DESKTOP)
    reader.open(path.format(paper=reader.site.papers()[0]["slug"]))
    current = reader.page.locator(".md-tabs__item--active")
    if tab is None:
        expect(current).to_have_count(0)  # a paper is under no tab
    else:
        expect(current).to_have_count(1)
        expect(current).to_have_text(tab)


def test_the_tag_index_sets_each_description_under_its_tag_on_a_phone(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    reader.open("tags/")
    page = reader.page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    rows = page.locator(".paper-tag-table tbody tr")
    assert rows.count() > 5
    for row in rows.all()[:5]:
        name, count, about = (cell.bounding_box() for cell in row.locator("td").all())
        assert name and count and about
        assert abs(name["y"] - count["y"]) < 2 and about["y"] >= name["y"] + name["height"] - 1
        assert about["width"] > 0.8 * (PHONE["width"] - 2 * 16 - 2)
    # At desktop width it is a table of three columns with a header.
    wide = open_reader(viewport=DESKTOP)
    wide.open("tags/")
    expect(wide.page.locator(".paper-tag-table thead")).to_be_visible()
    name, count, about = (c.bounding_box() for c in wide.page.locator(".paper-tag-table tbody tr").first.locator("td").all())
    assert name and count and about and abs(name["y"] - about["y"]) < 2


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_header_search_opens_as_a_panel_and_finds(open_reader: OpenReader, viewport) -> None:
    """Under Zensical the theme has no rules for Material's search markup: closed, none of it
    may show in the header; open, it is a panel with the box focused and the results."""
    reader = open_reader(viewport=viewport)
    reader.open("tags/")
    page = reader.page
    box = page.locator(".paper-search .md-search__input, .md-search .md-search__input").first
    magnifier = page.locator("label.md-header__button[for='__search']")
    if reader.site.name == "zensical":
        expect(box).to_be_hidden()
    if reader.site.name == "zensical" or viewport is PHONE:
        magnifier.click()
    else:
        box.click()  # Material's bar sits in the header at desktop width
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    word = max(reader.site.papers()[0]["title"].split(), key=len).strip(":,.").lower()
    page.keyboard.type(word)
    first = page.locator(".md-search-result__item").first
    expect(first).to_be_visible()
    # Inside the screen (retried: Material's panel slides open).
    expect(first).to_be_in_viewport(ratio=0.9)
