"""The Pagefind header search offers what readers like in Material's: suggestions, marked
words on the opened paper, shareable search links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import DESKTOP, TIMEOUT_MS
from tests.browser.reader import SEARCH_INPUT, SEARCH_RESULT_LINKS, ServedSite
from tests.browser.test_accessibility import (
    AXE_OPTIONS,
    NO_TRANSITIONS,
    SCHEMES,
    serious_violations,
    show_scheme,
)

pytestmark = pytest.mark.slow

SUGGEST = ".paper-search .md-search__suggest"
RESULTS = ".paper-search .md-search-result__list"
MARKED = "article mark.paper-search__highlight"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context that may use the clipboard, as a reader's browser does."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light", service_workers="block",
                                  permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(Axe().axe_script)
    yield context
    context.close()


def _title_word(site: ServedSite) -> str:
    """The longest word of the first paper's title: surely found."""
    return max(re.findall(r"[A-Za-z]{6,}", site.papers()[0]["title"]), key=len)


def _type(page: Page, query: str) -> None:
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.press_sequentially(query)
    expect(page.locator(RESULTS)).to_have_attribute("data-query", query)


def test_a_suggestion_completes_the_word_being_typed(context: BrowserContext,
                                                     pagefind_site: ServedSite) -> None:
    page = context.new_page()
    page.goto(pagefind_site.url, wait_until="load")
    typed = _title_word(pagefind_site)[:4].lower()
    _type(page, typed)
    suggest = page.locator(SUGGEST)
    expect(suggest).to_have_text(re.compile(f"^{typed}[a-z]+$"))
    suggestion = suggest.inner_text()
    text = " ".join(f"{p['title']} {p.get('abstract', '')}" for p in pagefind_site.papers()).lower()
    assert re.search(rf"\b{suggestion}\b", text), f"{suggestion!r} is no word of the papers"
    # The Right arrow at the end of the query takes it, and the search follows.
    page.locator(SEARCH_INPUT).press("ArrowRight")
    expect(page.locator(SEARCH_INPUT)).to_have_value(suggestion)
    expect(page.locator(RESULTS)).to_have_attribute("data-query", suggestion)


def test_the_opened_paper_marks_the_searched_words(context: BrowserContext,
                                                   pagefind_site: ServedSite) -> None:
    page = context.new_page()
    page.goto(pagefind_site.url, wait_until="load")
    word = _title_word(pagefind_site)
    _type(page, word)
    page.locator(SEARCH_RESULT_LINKS).first.click()
    page.wait_for_url(re.compile(r"/papers/[^/]+/\?h="))
    assert parse_qs(urlsplit(page.url).query)["h"] == [word]
    marks = page.locator(MARKED)
    expect(marks.first).to_be_visible()
    assert {text.lower() for text in marks.all_inner_texts()} == {word.lower()}
    # Marked words stay readable in both schemes (Material's look for <mark>).
    page.add_style_tag(content=NO_TRANSITIONS)
    for scheme in SCHEMES:
        show_scheme(page, scheme)
        assert serious_violations(page, AXE_OPTIONS[scheme]) == [], scheme
    # A link with the words opened directly (a new tab) marks them as well.
    page.goto(f"{pagefind_site.url}papers/{pagefind_site.papers()[0]['slug']}/?h={word}&h=zzzzqqq",
              wait_until="load")
    expect(page.locator(MARKED).first).to_have_text(re.compile(word, re.I))
    # Part of a word marked on a tag chip still reads as the chip's one line of text.
    paper = pagefind_site.papers()[0]
    part = paper["tags"][0].split()[0][:3]
    page.goto(f"{pagefind_site.url}papers/{paper['slug']}/?h={part}", wait_until="load")
    chips = page.locator(".md-tag:has(mark.paper-search__highlight)")
    expect(chips.first).to_be_visible()
    for chip in chips.all():
        assert chip.inner_text() == " ".join(chip.text_content().split())


def test_a_shared_link_reopens_the_search_with_its_query(context: BrowserContext,
                                                         pagefind_site: ServedSite) -> None:
    page = context.new_page()
    page.goto(pagefind_site.url + "tags/", wait_until="load")
    query = f"{_title_word(pagefind_site)} model"
    _type(page, query)
    page.locator(".paper-search__share").click()
    link = page.evaluate("navigator.clipboard.readText()")
    assert urlsplit(link).path == urlsplit(pagefind_site.url + "tags/").path
    assert parse_qs(urlsplit(link).query) == {"q": [query]}
    shared = context.new_page()
    shared.goto(link, wait_until="load")
    expect(shared.locator("#__search")).to_be_checked()
    expect(shared.locator(SEARCH_INPUT)).to_have_value(query)
    expect(shared.locator(RESULTS)).to_have_attribute("data-query", query)
    expect(shared.locator(SEARCH_RESULT_LINKS).first).to_be_visible()
    # Closing the search takes the query off the address, as Material does.
    shared.keyboard.press("Escape")
    expect(shared.locator("#__search")).not_to_be_checked()
    assert "q=" not in shared.url


def test_the_header_magnifier_opens_the_search_ready_for_typing(browser: Browser,
                                                               pagefind_site: ServedSite) -> None:
    # On a phone the box is hidden until the magnifier is tapped: every key typed then counts.
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme="light",
                                  service_workers="block", has_touch=True, is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(pagefind_site.url, wait_until="load")
    page.locator("label.md-header__button[for='__search']").tap()
    expect(page.locator("#__search")).to_be_checked()
    expect(page.locator(SEARCH_INPUT)).to_be_focused()
    word = _title_word(pagefind_site).lower()
    page.keyboard.type(word)
    expect(page.locator(SEARCH_INPUT)).to_have_value(word)
    expect(page.locator(RESULTS)).to_have_attribute("data-query", word)
    context.close()


def test_a_result_states_its_date_and_tags_on_one_line(browser: Browser,
                                                       pagefind_site: ServedSite) -> None:
    # On a phone, chips took three rows of each result; the facts are one line of text now.
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme="light",
                                  service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    papers = [p for p in pagefind_site.papers() if p["date"] and len(p["tags"]) >= 3]
    paper = max(papers, key=lambda p: len(p["tags"]))
    page.goto(pagefind_site.url, wait_until="load")
    page.locator("label.md-header__button[for='__search']").click()
    page.keyboard.type(paper["title"])
    expect(page.locator(RESULTS)).to_have_attribute("data-query", paper["title"])
    result = page.locator(".md-search-result__item", has=page.locator("h1", has_text=paper["title"])).first
    facts = result.locator(".paper-search__facts")
    expect(facts).to_have_text(f"{paper['date']} · {', '.join(paper['tags'])}")
    line = facts.evaluate("p => parseFloat(getComputedStyle(p).lineHeight) || 0")
    box = facts.bounding_box()
    assert box and box["height"] <= max(line, 1) * 1.5 and box["x"] + box["width"] <= 390
    assert result.locator(".md-tag").count() == 0
    context.close()
