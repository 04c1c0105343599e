"""The reader's own marks in Chromium: mark, reload, navigate, filter, export, import, and
back into curation.yml; two sites on one host keep their own; axe on the new controls."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, Route, expect

from generator.enrich.curation import load_curation
from tests.browser.conftest import DESKTOP, TIMEOUT_MS
from tests.browser.reader import OpenReader, Reader, ServedSite
from tests.browser.site_build import PROJECT, build_site, serve
from tests.browser.test_accessibility import (
    AXE_OPTIONS,
    NO_TRANSITIONS,
    SCHEMES,
    keyboard_problems,
    serious_violations,
    show_scheme,
)
from tests.conftest import SUBPATH

pytestmark = pytest.mark.slow

LONG_LIST = "dates/unknown/"
CARDS = ".paper-browser .paper-card"
STATUS = ".paper-browser__status"
GONE = "a-paper-this-site-never-had"
SET_MARK = "([slug, mark]) => window.paperMarks.set(slug, mark)"
ROOT_ONLY = pytest.mark.parametrize("served_site", ["root"], indirect=True)


def _rows(site: ServedSite, list_id: str) -> list[dict[str, Any]]:
    """A list's data file as the site serves it, rows as dicts in server order."""
    data = json.loads((site.folder / "lists" / f"{list_id}.json").read_text("utf-8"))
    return [dict(zip(data["fields"], row, strict=True)) for row in data["papers"]]


def _card(page: Page, slug: str) -> Locator:
    return page.locator(f'.paper-card:has(> .paper-card__title[href$="papers/{slug}/"])')


def _mark_card(page: Page, slug: str, *buttons: str) -> None:
    """Open a card's controls with its Mark button and press buttons by their names."""
    card = _card(page, slug)
    toggle = card.locator(".paper-mine__toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    for name in buttons:
        card.get_by_role("button", name=name, exact=True).click()


def _slugs(page: Page) -> list[str]:
    # A card's slug is in its title link alone (.../papers/<slug>/).
    return page.eval_on_selector_all(
        CARDS, r'cards => cards.map(card => card.querySelector(".paper-card__title")'
        r'.href.match(/\/papers\/([^/]+)\/$/)[1])')


def _wait_for_marks(page: Page) -> None:
    page.wait_for_function("() => window.paperMarks !== undefined")


def test_marks_follow_the_reader_across_reloads_pages_and_filters(reader: Reader) -> None:
    """Marks given on a card and on a paper page show everywhere, survive a reload and
    Material's instant navigation, and the list filters use them over the whole list."""
    rows = _rows(reader.site, "date-unknown")
    first, second, later = rows[0]["slug"], rows[1]["slug"], rows[105]["slug"]
    reader.open(LONG_LIST)
    page = reader.page
    _wait_for_marks(page)
    _mark_card(page, first, "Read", "4 stars")
    state = _card(page, first).locator(".paper-mine__state")
    expect(state).to_have_text(re.compile(r"^Yours\s*Read\s*★★★★☆\s*4 of 5 stars$"))
    expect(_card(page, first).get_by_role("button", name="Read", exact=True)).to_have_attribute(
        "aria-pressed", "true")
    expect(_card(page, second).locator(".paper-mine__state")).to_be_empty()
    # The paper page of a card on the list's second page: controls always shown.
    reader.open(f"papers/{later}/")
    mine = page.locator(".paper-mine--page")
    mine.get_by_role("button", name="To read", exact=True).click()
    mine.get_by_role("button", name="5 stars").click()
    mine.get_by_role("button", name="Hide", exact=True).click()
    page.reload()
    expect(mine.get_by_role("button", name="To read", exact=True)).to_have_attribute(
        "aria-pressed", "true")
    expect(mine.get_by_role("button", name="Hide", exact=True)).to_have_attribute(
        "aria-pressed", "true")
    expect(mine.locator(".paper-mine__state")).to_contain_text("To read")
    # Reached by a link, which Material's instant navigation swaps in without a reload.
    reader.open("dates/")
    # Material swaps in only the links its sitemap.xml lists, fetched once the page is up: a
    # click before it has arrived is an ordinary (reloading) navigation, as it was once when
    # `make test` ran on a loaded machine.
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__samePage = true")
    page.locator('article a[href$="unknown/"]').click()
    page.wait_for_url(re.compile(r"/dates/unknown/(#[\w-]*)?$"))
    expect(_card(page, first).locator(".paper-mine__state")).to_contain_text("Read")
    if reader.site.name != "zensical":
        assert page.evaluate("window.__samePage === true"), "the page was reloaded"
    # Filters over the whole list (117 papers, two pages), in the address like the others.
    page.get_by_label("Hide read").check()
    expect(page.locator(STATUS)).to_contain_text(f"of {len(rows) - 1} matching")
    assert first not in _slugs(page) and "hide_read=1" in page.url
    page.get_by_label("Hide read").uncheck()
    page.get_by_label("Only starred").check()
    expect(page.locator(CARDS)).to_have_count(2)
    assert _slugs(page) == [first, later]
    expect(_card(page, later)).to_have_class(re.compile(r"\bpaper-card--hidden-by-you\b"))
    page.get_by_label("Hide hidden").check()
    expect(page.locator(CARDS)).to_have_count(1)
    # Taking the star back under "Only starred" takes the card out of the list at once.
    _mark_card(page, first, "4 stars")
    expect(page.locator(STATUS)).to_have_text("No paper in this list matches.")
    expect(page.locator(STATUS)).to_be_focused()
    # A shared link with a marks filter applies it once the deferred marks script is there.
    reader.open(LONG_LIST + "?hide_hidden=1")
    expect(page.locator(STATUS)).to_contain_text(f"of {len(rows) - 1} matching")
    stored = page.evaluate("Object.keys(localStorage).filter(key => key.startsWith('paper-marks'))")
    assert stored == [f"paper-marks:{reader.site.base_path}"]


@ROOT_ONLY
def test_my_marks_exports_a_snippet_the_generator_reads_and_a_fresh_browser_imports(
        open_reader: OpenReader, tmp_path: Path) -> None:
    """My marks lists marked papers as cards (a gone paper apart), shows them as curation.yml
    entries to copy or download; the real loader reads them; another browser imports them."""
    reader = open_reader(permissions=["clipboard-read", "clipboard-write"])
    site = reader.site
    papers = _rows(site, "all")
    marks = {papers[3]["slug"]: {"status": "read", "rating": 5},
             papers[7]["slug"]: {"status": "reading"},
             papers[9]["slug"]: {"hidden": True, "rating": 2},
             GONE: {"status": "to-read"}}
    reader.open("marks/")
    page = reader.page
    _wait_for_marks(page)
    expect(page.locator(STATUS)).to_have_text(
        "You have not marked any paper on this site in this browser yet.")
    # Before a first mark: no sort or filter over nothing, no empty box and its buttons.
    expect(page.locator(".paper-browser form.paper-controls")).to_be_hidden()
    expect(page.locator(".paper-marks-export__empty")).to_be_visible()
    expect(page.locator("#paper-marks-snippet")).to_be_hidden()
    expect(page.get_by_role("button", name="Copy")).to_be_hidden()
    for slug, mark in marks.items():
        page.evaluate(SET_MARK, [slug, mark])
    on_site = [row["slug"] for row in papers if row["slug"] in marks]
    expect(page.locator(CARDS)).to_have_count(3)
    expect(page.locator(".paper-browser form.paper-controls")).to_be_visible()
    expect(page.locator(".paper-marks-export__empty")).to_be_hidden()
    assert _slugs(page) == on_site
    gone = page.locator(".paper-marks-gone")
    expect(gone).to_be_visible()
    expect(gone.locator("li")).to_have_text([re.compile(rf"^{GONE}: To read\s*Forget$")])
    snippet = page.locator("#paper-marks-snippet").input_value()
    assert f"{papers[3]['slug']}:  # " in snippet
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == snippet
    with page.expect_download() as download:
        page.get_by_role("link", name="Download curation-marks.yml").click()
    assert download.value.suggested_filename == "curation-marks.yml"
    file = tmp_path / "curation-marks.yml"
    download.value.save_as(file)
    assert file.read_text("utf-8") == snippet
    # The generator's own loader: every mark as an entry, the gone one kept with a warning.
    present = {row["slug"] for row in papers}
    curation, problems = load_curation(file, present, present | {GONE}, [])
    assert {slug: (entry.status, entry.rating, entry.hidden) for slug, entry in curation.items()} == {
        slug: (mark.get("status"), mark.get("rating"), mark.get("hidden", False))
        for slug, mark in marks.items() if slug != GONE}
    assert [problem.message for problem in problems] == [
        f"'{GONE}' is curated but no dump holds its paper any more; entry kept"]
    # A fresh browser: nothing, then the file brings every mark back, the gone one too,
    # counted right though the site's list of papers arrives only after the import.
    other = open_reader()
    held: list[Route] = []
    # A function of ours: Playwright cannot hold a builtin such as held.append.
    other.page.route("**/lists/all.json", lambda route: held.append(route))  # noqa: PLW0108
    other.open("marks/")
    _wait_for_marks(other.page)
    expect(other.page.locator(CARDS)).to_have_count(0)
    other.page.get_by_label("Import marks from an exported file").set_input_files(file)
    other.page.wait_for_function("() => Object.keys(window.paperMarks.all()).length === 4")
    assert held, "the page did not ask for the list of papers"
    for route in held:
        route.continue_()
    expect(other.page.locator(".paper-marks-import__status")).to_have_text(
        "Imported marks for 4 papers (1 no longer on this site).")
    expect(other.page.locator(CARDS)).to_have_count(3)
    assert other.page.evaluate("window.paperMarks.all()") == marks
    assert other.page.locator("#paper-marks-snippet").input_value() == snippet


@ROOT_ONLY
def test_unreadable_stored_marks_are_set_aside_with_a_message(reader: Reader) -> None:
    """Corrupt or foreign data under the site's key: a message, a working page, nothing lost."""
    reader.open("")
    page = reader.page
    key = f"paper-marks:{reader.site.base_path}"
    slug = reader.site.papers()[0]["slug"]
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, "{not json"])
    reader.open(f"papers/{slug}/")
    mine = page.locator(".paper-mine--page")
    expect(mine.locator(".paper-mine__problem")).to_contain_text("could not be read and are ignored")
    mine.get_by_role("button", name="Reading", exact=True).click()
    assert page.evaluate("key => localStorage.getItem(key + ':unreadable')", key) == "{not json"
    assert page.evaluate("() => window.paperMarks.all()") == {slug: {"status": "reading"}}
    foreign = {"format": "paper-marks", "version": 1,
               "marks": {slug: {"status": "read", "rating": 9}, "Not A Slug": {"status": "read"},
                         "x": ["read"]}}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, json.dumps(foreign)])
    reader.open("marks/")
    expect(page.locator(".paper-marks-message")).to_have_text(
        "2 stored marks were not readable and are ignored.")
    expect(page.locator(CARDS)).to_have_count(1)
    expect(_card(page, slug).locator(".paper-mine__state")).to_have_text(re.compile(r"^Yours\s*Read$"))


@pytest.fixture(scope="module")
def one_host(browser: Browser, tmp_path_factory: pytest.TempPathFactory,
             served_site: ServedSite) -> Iterator[tuple[ServedSite, ServedSite, dict]]:
    """On one server: the root site at / and, under the sub-path, a site rebuilt from a
    project copy whose curation.yml is the original plus a snippet exported from My marks."""
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    papers = _rows(served_site, "all")
    curated = (PROJECT / "curation.yml").read_text("utf-8")
    free = [row["slug"] for row in papers if f"\n{row['slug']}:" not in curated and not row["status"]]
    marks = {free[0]: {"status": "read", "rating": 3}, free[1]: {"status": "to-read", "rating": 5},
             free[2]: {"hidden": True}}
    try:
        page.goto(served_site.url + "marks/")
        _wait_for_marks(page)
        for slug, mark in marks.items():
            page.evaluate(SET_MARK, [slug, mark])
        expect(page.locator("#paper-marks-snippet")).to_have_value(re.compile(free[2]))
        snippet = page.locator("#paper-marks-snippet").input_value()
    finally:
        context.close()
    workdir = tmp_path_factory.mktemp("marks-one-host")
    www = workdir / "www"
    with serve(www) as origin:
        shutil.copytree(served_site.folder, www, dirs_exist_ok=True)
        folder = www / SUBPATH.strip("/")
        build_site(workdir, origin + SUBPATH, folder, curation=curated.rstrip("\n") + "\n" + snippet)
        yield (ServedSite("root", origin, www), ServedSite("subpath", origin + SUBPATH, folder),
               marks)


@ROOT_ONLY
def test_snippet_in_curation_yml_shows_on_the_rebuilt_site_and_two_sites_keep_their_own(
        browser: Browser, one_host: tuple[ServedSite, ServedSite, dict]) -> None:
    root, subpath, marks = one_host
    (read_slug, queued_slug, hidden_slug) = marks
    # The rebuilt site shows the curator's statuses and ratings that came from the snippet.
    published = {paper["slug"] for paper in subpath.papers()}
    assert read_slug in published and hidden_slug not in published
    read_page = (subpath.folder / "papers" / read_slug / "index.html").read_text("utf-8")
    assert '<span class="paper-status paper-status-read">Read</span>' in read_page
    assert 'title="rated 3 of 5">★★★☆☆</span>' in read_page
    queue = (subpath.folder / "reading" / "index.html").read_text("utf-8")
    assert f'papers/{queued_slug}/"' in queue and "rated 5 of 5" in queue
    assert f'papers/{read_slug}/"' in (subpath.folder / "reading" / "read" / "index.html").read_text("utf-8")
    # One host, two sites: marks given on one never show on the other.
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(error.error.message))
    page = context.new_page()
    try:
        mine = page.locator(".paper-mine--page")
        page.goto(root.url + f"papers/{read_slug}/")
        mine.get_by_role("button", name="To read", exact=True).click()
        page.goto(subpath.url + f"papers/{read_slug}/")
        expect(mine.locator(".paper-mine__state")).to_be_empty()
        # The curator's published status is there, apart from the reader's (none yet).
        expect(page.locator(".paper-curation .paper-status")).to_have_text("Read")
        mine.get_by_role("button", name="Reading", exact=True).click()
        page.goto(root.url + f"papers/{read_slug}/")
        expect(mine.locator(".paper-mine__state")).to_have_text(re.compile(r"^Yours\s*To read$"))
        keys = sorted(page.evaluate(
            "Object.keys(localStorage).filter(key => key.startsWith('paper-marks'))"))
        assert keys == ["paper-marks:/", f"paper-marks:/{SUBPATH}"]
        stored = {key: json.loads(page.evaluate("key => localStorage.getItem(key)", key))["marks"]
                  for key in keys}
        assert stored == {"paper-marks:/": {read_slug: {"status": "to-read"}},
                          f"paper-marks:/{SUBPATH}": {read_slug: {"status": "reading"}}}
    finally:
        context.close()
    assert errors == []


@ROOT_ONLY
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_serious_on_marked_cards_open_controls_and_my_marks(
        browser: Browser, served_site: ServedSite, scheme: str) -> None:
    """With marks given (a hidden card, stars, a gone paper) and a card's controls open."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light", service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(Axe().axe_script)
    page = context.new_page()
    rows = _rows(served_site, "date-unknown")
    found = {}
    try:
        page.goto(served_site.url + LONG_LIST)
        _wait_for_marks(page)
        page.add_style_tag(content=NO_TRANSITIONS)
        page.evaluate(SET_MARK, [rows[0]["slug"], {"status": "read", "rating": 4, "hidden": True}])
        page.evaluate(SET_MARK, [rows[1]["slug"], {"status": "reading"}])
        page.evaluate(SET_MARK, [GONE, {"rating": 1}])
        _mark_card(page, rows[1]["slug"])
        for path in (LONG_LIST, "marks/", f"papers/{rows[0]['slug']}/"):
            if path != LONG_LIST:
                page.goto(served_site.url + path)
                _wait_for_marks(page)
                page.add_style_tag(content=NO_TRANSITIONS)
            if path == "marks/":
                expect(page.locator(".paper-marks-gone")).to_be_visible()
                _mark_card(page, rows[1]["slug"])
            show_scheme(page, scheme)
            found[path] = serious_violations(page, AXE_OPTIONS[scheme])
            if scheme == "light":
                found[path + " (keyboard)"] = keyboard_problems(page)
    finally:
        context.close()
    assert {path: problems for path, problems in found.items() if problems} == {}
