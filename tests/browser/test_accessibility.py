"""Pages everyone can use: axe-core over every kind of page, both schemes; keyboard focus."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import NamedTuple

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DESKTOP, TIMEOUT_MS
from tests.browser.reader import SEARCH_INPUT, SEARCH_RESULT_LINKS, ServedSite

pytestmark = pytest.mark.slow


class PageKind(NamedTuple):
    """A kind of page, by where the built site keeps it ("*" spans folders, as in fnmatch)."""

    name: str
    pattern: str
    required: bool = True


# Checked in this order, first match wins: a deeper pattern comes before a shallower one.
# A page kind that is added to the site is one line here; a built page of no kind fails
# the test, so no new page goes unchecked. Kinds not built yet (pagination) are optional.
PAGE_KINDS = (
    PageKind("home", "index.html"),
    PageKind("not found", "404.html"),
    PageKind("paper", "papers/*/index.html"),
    PageKind("tag overview", "tags/index.html"),
    PageKind("tag page, a later page", "tags/*/*/index.html", required=False),
    PageKind("tag page", "tags/*/index.html"),
    PageKind("date overview", "dates/index.html"),
    PageKind("month, a later page", "dates/*/*/index.html", required=False),
    PageKind("month", "dates/*/index.html", required=False),
    PageKind("code", "code/index.html"),
    PageKind("code, a later page", "code/*/index.html", required=False),
    PageKind("reading queue", "reading/index.html"),
    PageKind("read", "reading/read/index.html"),
    PageKind("favourites", "reading/favourites/index.html"),
    PageKind("stats", "stats/index.html"),
    PageKind("my marks", "marks/index.html"),
)
# Material's palette in mkdocs.yml: the scheme the reader's system asks for, and its name.
SCHEMES = {"light": "default", "dark": "slate"}
# axe's impact levels that fail the test; "moderate" and "minor" are left to judgement.
FAILING = {"serious", "critical"}
_CLASS = re.compile(r'class="([^"]*)"')


def page_kind(path: str) -> PageKind | None:
    """The kind of a built page, by its path under the site folder."""
    return next((kind for kind in PAGE_KINDS if fnmatchcase(path, kind.pattern)), None)


def _richness(file: Path) -> tuple[int, int]:
    """How much a page shows: distinct class names (badges, notes, charts), then its size."""
    text = file.read_text(encoding="utf-8")
    classes = {name for found in _CLASS.findall(text) for name in found.split()}
    return len(classes), len(text)


def representatives(folder: Path) -> dict[str, str]:
    """One page of each kind, the richest, by kind name; fails on a page of no kind."""
    pages: dict[str, list[Path]] = {}
    unknown = []
    for file in sorted(folder.rglob("*.html")):
        path = file.relative_to(folder).as_posix()
        kind = page_kind(path)
        if kind is None:
            unknown.append(path)
        else:
            pages.setdefault(kind.name, []).append(file)
    assert not unknown, f"pages of no kind, add them to PAGE_KINDS: {unknown[:5]}"
    missing = [kind.name for kind in PAGE_KINDS if kind.required and kind.name not in pages]
    assert not missing, f"the built site has no page of these kinds: {missing}"
    chosen = {}
    for kind in PAGE_KINDS:
        if kind.name in pages:
            best = max(pages[kind.name], key=lambda file: (*_richness(file), file.as_posix()))
            chosen[kind.name] = best.relative_to(folder).as_posix().removesuffix("index.html")
    return chosen


def _site(folder: Path, pages: dict[str, str]) -> Path:
    """A built site's HTML files, with the given text."""
    for path, text in pages.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    return folder


def test_every_built_page_has_a_kind_and_the_richest_is_chosen(tmp_path: Path) -> None:
    required = {kind.pattern.replace("*", "x"): "" for kind in PAGE_KINDS if kind.required}
    site = _site(tmp_path / "site", {**required, "papers/a/index.html": '<p class="x">',
                                     "papers/b/index.html": '<p class="x y">',
                                     "tags/t/page/2/index.html": ""})
    chosen = representatives(site)
    assert chosen["paper"] == "papers/b/"
    assert chosen["tag page, a later page"] == "tags/t/page/2/"
    assert chosen["home"] == "" and chosen["not found"] == "404.html"
    assert "month" not in chosen
    _site(site, {"search/index.html": ""})
    with pytest.raises(AssertionError, match=r"pages of no kind, add them to PAGE_KINDS: \['search/index.html'\]"):
        representatives(site)
    with pytest.raises(AssertionError, match=r"no page of these kinds: \['home', 'not found'"):
        representatives(_site(tmp_path / "bare", {"papers/a/index.html": ""}))


# axe's options per scheme. The page is the same in both but for its colours, so the dark
# scheme runs only the rules that read colours; every rule runs on the light one.
AXE_OPTIONS = {
    "light": {"resultTypes": ["violations"]},
    "dark": {"resultTypes": ["violations"],
             "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}},
}
# Colours and focus rings as a reader sees them once a transition has run, at once.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"


def serious_violations(page: Page, options: dict[str, object]) -> list[str]:
    """axe-core's serious and critical violations on the page, one line per rule."""
    results = AxeResults(page.evaluate("options => axe.run(document, options)", options))
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in FAILING
    ]


def show_scheme(page: Page, scheme: str) -> None:
    """Switch the page to a scheme with Material's palette radio, which its header toggle clicks."""
    wanted = SCHEMES[scheme]
    if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == wanted:
        return
    page.evaluate("wanted => document.querySelector(`input.md-option[data-md-color-scheme=${wanted}]`)"
                  ".click()", wanted)
    page.wait_for_function("wanted => document.body.getAttribute('data-md-color-scheme') === wanted",
                           arg=wanted)


# What a focused element looks like: a ring, a shadow, or a change of colour or underline.
_FOCUS_LOOK = ("outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor",
               "borderColor", "color", "textDecorationLine")
# Every control on the page that is rendered: reachable by Tab, and changes look on focus.
# A hidden radio (Material's palette toggle) shows its focus on the label right after it.
_CHECK_CONTROLS = """([look]) => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    + "[tabindex]:not([tabindex^='-']):not([tabindex=''])";
  const rendered = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility === "visible"
    && getComputedStyle(el).opacity !== "0" && !el.closest("[hidden], [inert]");
  const shown = (el) => el.matches(".md-option") ? el.nextElementSibling : el;
  const style = (el) => { const s = getComputedStyle(shown(el)); return look.map((p) => s[p]).join("|"); };
  const name = (el) => el.tagName.toLowerCase() + (el.className ? "." + [...el.classList].join(".") : "")
    + (el.getAttribute("href") ? `[href=${el.getAttribute("href")}]` : "");
  const problems = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!rendered(el) && !(el.matches(".md-option") && rendered(el.nextElementSibling))) continue;
    if (el.tabIndex < 0) { problems.push(`${name(el)}: not in the Tab order`); continue; }
    el.blur();
    const before = style(el);
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) { problems.push(`${name(el)}: cannot take focus`); continue; }
    const s = getComputedStyle(shown(el));
    const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
    if (!ring && style(el) === before) problems.push(`${name(el)}: no visible focus`);
    el.blur();
  }
  return problems;
}"""
# Each element Tab reaches, and whether a reader can see it there (a hidden radio: its label).
_WATCH_TAB_STOPS = """() => {
  window.__tabStops = [];
  document.addEventListener("focusin", (event) => {
    let el = event.target;
    const what = el.tagName.toLowerCase() + "." + [...el.classList].join(".");
    if (el.matches(".md-option")) el = el.nextElementSibling;
    const box = el.getBoundingClientRect();
    const seen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
      && getComputedStyle(el).visibility === "visible";
    window.__tabStops.push([what, seen]);
  }, true);
}"""
# Tab stops walked from the top of each page: the header, tabs, navigation and the start
# of the content; every other control is covered by the per-control check.
TAB_STOPS = 15


def keyboard_problems(page: Page) -> list[str]:
    """Tab stops a reader cannot see, and controls out of the Tab order or without a focus look."""
    page.evaluate(_WATCH_TAB_STOPS)
    for _ in range(TAB_STOPS):
        page.keyboard.press("Tab")
    stops = page.evaluate("window.__tabStops")
    problems = [f"{what}: a Tab stop the reader cannot see" for what, seen in stops if not seen]
    # After a key press, focus() shows the keyboard focus style (:focus-visible).
    return problems + page.evaluate(_CHECK_CONTROLS, [list(_FOCUS_LOOK)])


def search_word(site: ServedSite) -> str:
    """A word of a paper's title: a query the header search surely has results for."""
    title = site.papers()[0]["title"]
    return max(re.findall(r"[A-Za-z]{4,}", title), key=len)


def open_search(page: Page, site: ServedSite) -> None:
    """Type a query into the header search, as a reader does, until results show."""
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.press_sequentially(search_word(site))
    page.locator(SEARCH_RESULT_LINKS).first.wait_for(state="visible")


@dataclass
class PageAudit:
    """What axe-core (per scheme) and the keyboard checks found on one page."""

    path: str
    violations: dict[str, list[str]] = field(default_factory=dict)
    keyboard: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def audits(browser: Browser, served_site: ServedSite) -> dict[str, PageAudit]:
    """Every page kind audited in one tab: each page loads once and is checked in both schemes."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light", service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    # axe-core as axe-playwright-python bundles it, loaded with every page.
    context.add_init_script(Axe().axe_script)
    page = context.new_page()
    found = {}
    try:
        for kind, path in representatives(served_site.folder).items():
            response = page.goto(served_site.url + path, wait_until="load")
            assert response is not None and response.ok, f"{served_site.url + path}: no page"
            page.add_style_tag(content=NO_TRANSITIONS)
            audit = found[kind] = PageAudit(path or "home")
            # The scheme the page opens in (the last one shown: Material keeps the reader's
            # choice), then the other: one switch per page.
            shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            for scheme in sorted(SCHEMES, key=lambda scheme: SCHEMES[scheme] != shown):
                show_scheme(page, scheme)
                audit.violations[scheme] = serious_violations(page, AXE_OPTIONS[scheme])
            audit.keyboard = keyboard_problems(page)
    finally:
        context.close()
    return found


# Material's search results: the input moves focus into them with the arrow keys, not Tab.
_RESULT_FOCUS = """() => {
  const el = document.activeElement;
  if (!el.matches(".md-search-result__link")) return `arrow down focused ${el.tagName}, not a result`;
  const look = () => { const s = getComputedStyle(el); return [s.backgroundColor, s.outlineStyle].join(); };
  const focused = look();
  el.blur();
  return look() === focused ? "a focused result looks like the others" : "";
}"""


@pytest.fixture(scope="module")
def search_audit(browser: Browser, served_site: ServedSite) -> PageAudit:
    """The header search open with results over the home page: axe in both schemes, keyboard."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light", service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(Axe().axe_script)
    page = context.new_page()
    audit = PageAudit("home, searched")
    try:
        page.goto(served_site.url, wait_until="load")
        page.add_style_tag(content=NO_TRANSITIONS)
        open_search(page, served_site)
        for scheme in ("light", "dark"):
            show_scheme(page, scheme)
            audit.violations[scheme] = serious_violations(page, AXE_OPTIONS[scheme])
        page.locator(SEARCH_INPUT).press("ArrowDown")
        audit.keyboard = [problem for problem in [page.evaluate(_RESULT_FOCUS)] if problem]
    finally:
        context.close()
    return audit


def _report(found: dict[str, list[str]]) -> str:
    """Problems by page, readable in a test failure."""
    return "\n".join(f"{where}:\n  " + "\n  ".join(lines[:8]) for where, lines in found.items())


# Each engine's pages; the sub-path layout's are the root's with longer links (its links are
# crawled in tests/test_link_crawl.py and read in the other browser tests), and its audit
# took ~24 s of make test.
AUDITED = pytest.mark.parametrize("served_site", ["root", "zensical"], indirect=True)


@AUDITED
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_serious_on_any_page_kind(audits: dict[str, PageAudit],
                                                    served_site: ServedSite, scheme: str) -> None:
    found = {f"{kind} ({audit.path})": audit.violations[scheme]
             for kind, audit in audits.items() if audit.violations[scheme]}
    assert not found, f"axe-core, {scheme} scheme, {served_site.name}:\n{_report(found)}"


@AUDITED
def test_every_control_is_reachable_by_keyboard_with_a_visible_focus(
        audits: dict[str, PageAudit], served_site: ServedSite) -> None:
    found = {f"{kind} ({audit.path})": audit.keyboard
             for kind, audit in audits.items() if audit.keyboard}
    assert not found, f"keyboard, {served_site.name}:\n{_report(found)}"


# The search dialog does not depend on where the site is published: the root layout is enough.
@pytest.mark.parametrize("served_site", ["root"], indirect=True)
def test_search_results_are_accessible(search_audit: PageAudit) -> None:
    found = {f"{scheme} scheme": lines for scheme, lines in search_audit.violations.items() if lines}
    assert not found, f"axe-core, search results:\n{_report(found)}"
    assert search_audit.keyboard == []


def test_pagefind_search_and_its_filters_work_by_keyboard(browser: Browser,
                                                          pagefind_site: ServedSite) -> None:
    context = browser.new_context(viewport=DESKTOP, color_scheme="light", service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(Axe().axe_script)
    page = context.new_page()
    try:
        page.goto(pagefind_site.url, wait_until="load")
        page.add_style_tag(content=NO_TRANSITIONS)
        page.keyboard.press("/")  # the search's keyboard shortcut
        page.keyboard.type(search_word(pagefind_site))
        page.locator(SEARCH_RESULT_LINKS).first.wait_for(state="visible")
        page.evaluate(_WATCH_TAB_STOPS)
        for _ in range(7):
            page.keyboard.press("Tab")
        stops = page.evaluate("window.__tabStops")
        problems = page.evaluate(_CHECK_CONTROLS, [list(_FOCUS_LOOK)])
        violations = {}
        for scheme in SCHEMES:
            show_scheme(page, scheme)
            violations[scheme] = serious_violations(page, AXE_OPTIONS[scheme])
    finally:
        context.close()
    # From the box: its share link and reset button, the result area (it scrolls), the three
    # filters, then the first result, each in sight.
    assert [what.removesuffix(".focus-visible") for what, _ in stops] == [
        "a.md-search__icon.md-icon.paper-search__share", "button.md-search__icon.md-icon", "div.md-search__scrollwrap", "select.paper-search__filter",
        "select.paper-search__filter", "input.paper-search__filter", "a.md-search-result__link"]
    assert all(seen for _, seen in stops), stops
    assert problems == [], "\n".join(problems)
    assert violations == {"light": [], "dark": []}
