"""Browser fixtures: the real site built once per layout, served locally, read in Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Response,
    Route,
    ViewportSize,
    WebError,
    expect,
)

from bench.browser import chromium
from generator.publish.search import ENGINE_VARIABLE
from tests.browser.reader import OpenReader, Reader, ServedSite
from tests.browser.site_build import build_site, serve

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
# Fail within seconds when something a reader needs is missing, yet leave room for a machine
# shared with other builds (Playwright's defaults: 30 s for actions, 5 s for expect).
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session", params=["root", "subpath", "zensical"])
def served_site(request: pytest.FixtureRequest,
                real_site: Callable[[str], ServedSite]) -> ServedSite:
    """The site built from the real seeds, served at the server root or under a sub-path;
    "zensical" is the sub-path layout built by Zensical (one build for the whole session)."""
    return real_site(request.param)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The machine's Chromium, headless, with a new empty profile; never a downloaded browser."""
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run `make browser` (installs Debian's chromium)")
    expect.set_options(timeout=TIMEOUT_MS)
    with chromium() as browser:
        yield browser


def _watch(context: BrowserContext, site: ServedSite, problems: list[str]) -> None:
    """Record every console error, uncaught exception, failed response and off-site request."""
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(site.url))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.page.url if message.page else "?"
            problems.append(f"console error on {where}: {message.text}")

    def on_web_error(web_error: WebError) -> None:
        where = web_error.page.url if web_error.page else "?"
        problems.append(f"uncaught error on {where}: {web_error.error.message}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status} for {response.url}")

    def off_site(url: str) -> bool:
        return not url.startswith((origin, "data:", "blob:"))

    def refuse(route: Route) -> None:
        # The published site must work offline and tell no third party who reads it.
        problems.append(f"request leaving the site: {route.request.url}")
        route.abort()

    context.on("console", on_console)
    context.on("weberror", on_web_error)
    context.on("response", on_response)
    context.route(off_site, refuse)


@pytest.fixture
def open_reader(browser: Browser, served_site: ServedSite) -> Iterator[OpenReader]:
    """Open readers (fresh contexts) on the served site; fails the test on any problem seen."""
    readers: list[tuple[BrowserContext, Reader]] = []

    def open_reader(viewport: ViewportSize = DESKTOP, **options: object) -> Reader:
        context = browser.new_context(
            viewport=viewport, color_scheme="light", service_workers="block", **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        problems: list[str] = []
        _watch(context, served_site, problems)
        reader = Reader(page=context.new_page(), site=served_site, problems=problems)
        readers.append((context, reader))
        return reader

    yield open_reader
    problems = [problem for _, reader in readers for problem in reader.problems]
    for context, _ in readers:
        context.close()
    assert not problems, "the browser ran into problems:\n" + "\n".join(problems)


@pytest.fixture
def reader(open_reader: OpenReader) -> Reader:
    """A reader at a desktop-sized window."""
    return open_reader()


@pytest.fixture(scope="session")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The real site with its header search on Pagefind (as from 1,000 papers), with filters."""
    workdir = tmp_path_factory.mktemp("site-pagefind")
    www = workdir / "www"
    with serve(www) as origin:
        build_site(workdir, origin, www, env={ENGINE_VARIABLE: "pagefind"})
        yield ServedSite(name="pagefind", url=origin, folder=www)
