"""Sorting and filtering paper lists in Chromium, over the whole list, at the root and a sub-path."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.reader import OpenReader, Reader

pytestmark = pytest.mark.slow

# The real dumps leave 117 papers undated: the one list of theirs longer than a page.
LONG_LIST = "dates/unknown/"
CARDS = ".paper-browser .paper-card"
STATUS = ".paper-browser__status"
# The pager under the cards (previous / next links stand above them too: .paper-pager--steps).
PAGER = ".paper-pager:not(.paper-pager--steps)"
STEPS = ".paper-pager--steps"


def _list_data(reader: Reader, list_id: str) -> list[dict[str, Any]]:
    """A list's data file as the site serves it, rows as dicts in server order."""
    data = json.loads((reader.site.folder / "lists" / f"{list_id}.json").read_text("utf-8"))
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["papers"]]
    for row in rows:
        row["tags"] = [data["tags"][index][0] for index in row["tags"]]
    return rows


# Material's instant navigation rewrites the links of a page it loads to absolute URLs;
# cards are compared with every link resolved the same way.
_OUTER_HTML = """cards => cards.map(card => {
  const copy = card.cloneNode(true);
  copy.querySelectorAll("[href]").forEach(a => a.setAttribute("href", a.href));
  return [card.querySelector(".paper-card__title").href.match(/\\/papers\\/([^/]+)\\/$/)[1], copy.outerHTML];
})"""


def _cards(page: Page) -> list[tuple[str, str]]:
    """(slug, outerHTML with resolved links) of the cards shown."""
    return page.eval_on_selector_all(CARDS, _OUTER_HTML)


def _slugs(page: Page) -> list[str]:
    return [slug for slug, _ in _cards(page)]


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _all_pages(page: Page) -> list[str]:
    """Slugs of every page of the sorted list, stepping with the script's Next button."""
    slugs = _slugs(page)
    while page.locator(f"{PAGER} button", has_text="Next").count():
        first = slugs[-1]
        page.locator(f"{PAGER} button", has_text="Next").click()
        expect(page.locator(f"{CARDS} .paper-card__title").first).not_to_have_attribute(
            "href", re.compile(f"/papers/{first}/$"))
        slugs += _slugs(page)
    return slugs


def test_sort_covers_the_whole_list_and_lives_in_the_url(reader: Reader) -> None:
    """Sorting a two-page list orders all of it; the link reopens the same view."""
    rows = _list_data(reader, "date-unknown")
    assert len(rows) > 100
    reader.open(LONG_LIST)
    page = reader.page
    server_first = _slugs(page)
    assert len(server_first) == 100 and server_first == [r["slug"] for r in rows[:100]]
    page.select_option("select[name=sort]", "title")
    expect(page.locator(STATUS)).to_contain_text("title a–z")
    assert _query(page) == {"sort": ["title"]}
    shown = _all_pages(page)
    assert sorted(shown) == sorted(r["slug"] for r in rows) and len(shown) == len(rows)
    titles = {r["slug"]: r["title"] for r in rows}
    in_order = page.evaluate(
        "titles => titles.every((t, i) => i === 0 || "
        "titles[i - 1].localeCompare(t, 'en', {sensitivity: 'base'}) <= 0)",
        [titles[slug] for slug in shown])
    assert in_order, "cards are not in title order"
    assert _query(page) == {"sort": ["title"], "page": ["2"]}
    # A shared link opens the same page of the same order.
    reader.open(LONG_LIST + "?sort=title&page=2")
    expect(page.locator(STATUS)).to_contain_text("page 2 of 2")
    expect(page.locator("select[name=sort]")).to_have_value("title")
    assert _slugs(page) == shown[100:]
    # Back to the server's order: the page as built, its own pager again.
    page.select_option("select[name=sort]", "newest")
    expect(page.locator(".paper-pager a[rel=next]")).to_be_visible()
    assert _slugs(page) == server_first and _query(page) == {}


def test_filters_reach_papers_beyond_the_first_page(reader: Reader) -> None:
    """"With code" and a tag filter pick papers from both pages, in server order."""
    rows = _list_data(reader, "date-unknown")
    with_code = [r["slug"] for r in rows if r["code_url"]]
    assert any(r["code_url"] for r in rows[100:]), "no paper with code on page 2 to find"
    reader.open(LONG_LIST)
    page = reader.page
    # Keyboard only: Tab reaches the checkbox, Space ticks it.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "code":
            break
    else:
        pytest.fail("Tab never reached the 'With code' checkbox")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused control shows no focus ring"
    page.keyboard.press("Space")
    expect(page.locator(STATUS)).to_contain_text(f"of {len(with_code)} matching")
    assert _slugs(page) == with_code and _query(page) == {"code": ["1"]}
    tag, _ = Counter(t for r in rows for t in r["tags"]).most_common(1)[0]
    page.select_option("select[name=tag]", tag)
    expected = [r["slug"] for r in rows if r["code_url"] and tag in r["tags"]]
    expect(page.locator(CARDS)).to_have_count(len(expected))
    assert _slugs(page) == expected
    assert _query(page) == {"code": ["1"], "tag": [tag]}
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(CARDS)).to_have_count(100)
    assert _query(page) == {}


def test_year_filter_and_upvote_sort_on_the_code_list(reader: Reader) -> None:
    """The code index: a year and "most upvoted" select from the whole list."""
    rows = _list_data(reader, "code")
    years = Counter(r["date"][:4] for r in rows if r["date"])
    year = max(years, key=lambda y: (years[y], y))
    reader.open(f"code/?year={year}&sort=upvotes")
    page = reader.page
    chosen = [r for r in rows if r["date"] and r["date"].startswith(year)]
    # Most upvoted first, papers without a count last, ties in the list's own order.
    order = sorted(range(len(chosen)), key=lambda i: (
        -(chosen[i]["upvotes"] if chosen[i]["upvotes"] is not None else -1), i))
    expected = [chosen[i]["slug"] for i in order]
    expect(page.locator(CARDS)).to_have_count(len(expected))
    assert _slugs(page) == expected
    expect(page.locator("select[name=year]")).to_have_value(year)


def test_script_cards_are_the_templates_cards(reader: Reader) -> None:
    """A card built by the script is, attribute for attribute, the card the server wrote."""
    for path in ("code/", LONG_LIST):
        reader.open(path)
        page = reader.page
        served = dict(_cards(page))
        page.select_option("select[name=sort]", "oldest")
        expect(page.locator(STATUS)).to_contain_text("oldest first")
        rendered = dict(_cards(page))
        common = set(served) & set(rendered)
        assert len(common) >= min(len(served), 20), path
        for slug in sorted(common):
            assert rendered[slug] == served[slug], f"{path} {slug}"


def test_controls_follow_instant_navigation_and_work_without_javascript(
        open_reader: OpenReader) -> None:
    """Reached by a link (Material swaps the page in), the controls work; without script the
    page is the server's list and its pager."""
    reader = open_reader()
    reader.open("dates/")
    page = reader.page
    page.locator('article a[href$="unknown/"]').click()
    # navigation.tracking may add the heading's anchor to the address once the page shows.
    page.wait_for_url(re.compile(r"/dates/unknown/(#[\w-]*)?$"))
    expect(page.locator("form.paper-controls")).to_be_visible()
    page.select_option("select[name=sort]", "title")
    expect(page.locator(STATUS)).to_contain_text("title a–z")
    plain = open_reader(java_script_enabled=False)
    plain.open(LONG_LIST)
    expect(plain.page.locator("form.paper-controls")).to_be_hidden()
    expect(plain.page.locator(CARDS)).to_have_count(100)
    plain.page.locator(".paper-pager a[rel=next]").click()
    plain.page.wait_for_url(re.compile(r"/dates/unknown/2/(#[\w-]*)?$"))
    assert plain.path() == "dates/unknown/2/"
    expect(plain.page.locator(CARDS)).to_have_count(len(_list_data(plain, "date-unknown")) - 100)


def test_previous_and_next_stand_above_the_cards_too(reader: Reader) -> None:
    """A phone need not scroll past 100 cards to turn the page: built and sorted lists alike."""
    reader.open(LONG_LIST)
    page = reader.page
    top, bottom = page.locator(f"{STEPS} a", has_text="Next"), page.locator(f"{PAGER} a[rel=next]")
    assert top.get_attribute("href") == bottom.get_attribute("href")
    assert top.bounding_box()["y"] < page.locator(CARDS).first.bounding_box()["y"]
    expect(page.locator(f"{STEPS} a", has_text="Previous")).to_have_count(0)
    top.click()
    expect(page.locator(STATUS)).to_contain_text("page 2 of 2")
    expect(page.locator(f"{STEPS} a", has_text="Previous")).to_be_visible()
    expect(page.locator(f"{STEPS} a", has_text="Next")).to_have_count(0)
    # Sorted by the script: its own previous / next above the cards, the built ones hidden.
    reader.open(LONG_LIST)
    page.select_option("select[name=sort]", "title")
    expect(page.locator(STATUS)).to_contain_text("title a–z")
    expect(page.locator(f"{STEPS}:not([hidden]) a")).to_have_count(0)
    first = _slugs(page)
    page.locator(f"{STEPS} button", has_text="Next").click()
    expect(page.locator(STATUS)).to_contain_text("page 2 of 2")
    assert not set(_slugs(page)) & set(first)
    page.locator(f"{STEPS} button", has_text="Previous").click()
    expect(page.locator(STATUS)).to_contain_text("page 1 of 2")
    assert _slugs(page) == first
    assert page.locator(STEPS).count() == 2 and page.locator(f"{STEPS}[hidden]").count() == 1
