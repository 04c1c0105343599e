"""Pages everyone can use: axe-core over every kind of page, both schemes; keyboard focus."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from fnmatch import fnmatchcase
from pathlib import Path
from typing import NamedTuple

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DESKTOP, TIMEOUT_MS
from tests.browser.reader import ServedSite

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


def test_every_built_page_has_a_kind_and_the_richest_is_chosen(tmp_path: Path) -> None:
    for path, text in {"index.html": "", "404.html": "", "papers/a/index.html": '<p class="x">',
                       "papers/b/index.html": '<p class="x y">', "tags/t/page/2/index.html": ""}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    with pytest.raises(AssertionError, match="no page of these kinds"):
        representatives(tmp_path)
    assert page_kind("tags/t/page/2/index.html").name == "tag page, a later page"
    assert page_kind("dates/2025-10/index.html") is not None
    assert page_kind("search/index.html") is None


# axe's options per scheme. The page is the same in both but for its colours, so the dark
# scheme runs only the rules that read colours; every rule runs on the light one.
AXE_OPTIONS = {
    "light": {"resultTypes": ["violations"]},
    "dark": {"resultTypes": ["violations"],
             "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}},
}


@contextmanager
def site_tab(browser: Browser, scheme: str = "light", axe: bool = False) -> Iterator[Page]:
    """One tab for a whole run, the reader's system asking for a light or dark scheme."""
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    if axe:
        # axe-core as axe-playwright-python bundles it, loaded with each page it checks.
        context.add_init_script(Axe().axe_script)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_page(page: Page, site: ServedSite, path: str) -> None:
    """Load a page of the site; it must be there."""
    response = page.goto(site.url + path, wait_until="load")
    assert response is not None and response.ok, f"{site.url + path}: no page"


def serious_violations(page: Page, options: dict[str, object]) -> list[str]:
    """axe-core's serious and critical violations on the page, one line per rule."""
    results = AxeResults(page.evaluate("options => axe.run(document, options)", options))
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in FAILING
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_serious_on_any_page_kind(browser: Browser, served_site: ServedSite,
                                                    scheme: str) -> None:
    found: dict[str, list[str]] = {}
    with site_tab(browser, scheme, axe=True) as page:
        for kind, path in representatives(served_site.folder).items():
            open_page(page, served_site, path)
            shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert shown == SCHEMES[scheme], f"{path}: palette {shown}, not {SCHEMES[scheme]}"
            if violations := serious_violations(page, AXE_OPTIONS[scheme]):
                found[f"{kind} ({path or 'home'})"] = violations
    report = "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())
    assert not found, f"axe-core, {scheme} scheme, {served_site.name}:\n{report}"


# What a focused element looks like: a ring, a shadow, or a change of colour or underline.
_FOCUS_LOOK = ("outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor",
               "borderColor", "color", "textDecorationLine")
# Every control on the page that is rendered: reachable by Tab, and changes look on focus.
# A hidden radio (Material's palette toggle) shows its focus on the label right after it.
_CHECK_CONTROLS = """async ([look]) => {
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
    if (!ring && style(el) === before) {
      // Material opens its search a frame after the box takes focus: look again then.
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      if (style(el) === before) problems.push(`${name(el)}: no visible focus`);
    }
    el.blur();
  }
  return problems;
}"""
# The element Tab reached, and whether a reader can see it (a hidden radio: its label).
_TAB_STOP = """() => {
  let el = document.activeElement;
  const what = el.tagName.toLowerCase() + "." + [...el.classList].join(".");
  if (el.matches(".md-option")) el = el.nextElementSibling;
  const box = el.getBoundingClientRect();
  const seen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
    && getComputedStyle(el).visibility === "visible";
  return [what, seen];
}"""
# Tab stops walked from the top of each page: the header, tabs, navigation and the start
# of the content; the rest of a long list is covered by the per-control check.
TAB_STOPS = 15


# Focus styles do not depend on where the site is published: the root layout is enough.
@pytest.mark.parametrize("served_site", ["root"], indirect=True)
def test_every_control_is_reachable_by_keyboard_with_a_visible_focus(
        browser: Browser, served_site: ServedSite) -> None:
    found: dict[str, list[str]] = {}
    with site_tab(browser) as page:
        for kind, path in representatives(served_site.folder).items():
            open_page(page, served_site, path)
            # The look a reader sees once a transition has run, at once.
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            problems = []
            for _ in range(TAB_STOPS):
                page.keyboard.press("Tab")
                what, seen = page.evaluate(_TAB_STOP)
                if what == "body.":
                    break
                if not seen:
                    problems.append(f"{what}: a Tab stop the reader cannot see")
            # After a key press, focus() shows the keyboard focus style (:focus-visible).
            problems += page.evaluate(_CHECK_CONTROLS, [list(_FOCUS_LOOK)])
            if problems:
                found[f"{kind} ({path or 'home'})"] = problems
    report = "\n".join(f"{where}:\n  " + "\n  ".join(lines[:8]) for where, lines in found.items())
    assert not found, f"keyboard, {served_site.name}:\n{report}"
