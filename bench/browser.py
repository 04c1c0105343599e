"""A first search in headless Chromium: time to results and bytes downloaded, compressed."""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

# Served under a sub-path, as a GitHub project site is (https://user.github.io/<repo>/).
SUB_PATH = "reading-list"
RESULT = ".md-search-result__item a"
KEY_DELAY_MS = 100
# Headless and quiet: no sandbox (CI runs as root), no GPU, and no traffic of Chromium's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class FirstSearch:
    """What a first search cost: time to results (typed, and cold), requests and their bytes."""

    query: str
    results_ms: float
    cold_ms: float
    results: int
    first_url: str
    requests: list[tuple[str, int]] = field(default_factory=list)

    @property
    def compressed_bytes(self) -> int:
        """Bytes the browser downloaded for the search, as a gzip-serving host sends them."""
        return sum(size for _, size in self.requests)


def compressed_size(body: bytes) -> int:
    """Size on the wire from a host that gzips: Pagefind's chunks are gzipped already."""
    return min(len(body), len(gzip.compress(body, compresslevel=6)))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the benchmark's output clean."""


@contextmanager
def chromium() -> Iterator[Browser]:
    """The machine's Chromium (Debian's), headless, new empty profile; never a downloaded one."""
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("chromium not found: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class QuietServer(http.server.ThreadingHTTPServer):
    """Chromium drops connections it no longer needs (a page closed mid-load): not an error."""

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = _Quiet
          ) -> Iterator[str]:
    """Serve a built site at http://127.0.0.1:PORT/reading-list/ for the duration."""
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        (Path(folder) / SUB_PATH).symlink_to(site.resolve(), target_is_directory=True)
        handler = functools.partial(handler_class, directory=folder)
        server = QuietServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
        finally:
            server.shutdown()
            server.server_close()


def _answered(page, query: str, timeout_ms: int) -> None:
    """Wait until the result list answers this very query (not a prefix typed before it)."""
    page.wait_for_function(
        """query => {
            const list = document.querySelector(".md-search-result__list");
            return list && list.dataset.query === query
                && list.querySelector(".md-search-result__item a") !== null;
        }""",
        arg=query, timeout=timeout_ms,
    )


def first_search(site: Path, query: str, timeout_ms: int = 20_000) -> FirstSearch:
    """Open the home page, click the header search, type a query; time its last keystroke."""
    with serve(site) as base, chromium() as browser:
        # Cold: the query lands in the box the instant the page has loaded.
        page = browser.new_page()
        page.goto(base, wait_until="load")
        start = time.perf_counter()
        page.fill(".md-search__input", query)
        _answered(page, query, timeout_ms)
        cold = (time.perf_counter() - start) * 1000
        page.close()
        # A reader: clicks the box (the engine starts loading), types at ~10 keys a second.
        page = browser.new_page()
        page.goto(base, wait_until="load")
        fetched: list = []
        page.on("requestfinished", lambda request: fetched.append(request))  # noqa: PLW0108 - Playwright tags the handler
        page.click(".md-search__input")
        page.keyboard.type(query[:-1], delay=KEY_DELAY_MS)
        start = time.perf_counter()
        page.keyboard.type(query[-1])
        _answered(page, query, timeout_ms)
        elapsed = (time.perf_counter() - start) * 1000
        count = page.locator(RESULT).count()
        first = page.locator(RESULT).first.get_attribute("href") or ""
        page.wait_for_load_state("networkidle")
        requests = []
        for request in fetched:
            response = request.response()
            # What the search fetched: the engine, its index chunks and result excerpts.
            if response is not None and request.url.startswith(base + "pagefind"):
                requests.append((request.url.removeprefix(base), compressed_size(response.body())))
    return FirstSearch(query, elapsed, cold, count, first, requests)


def filtered_search(site: Path, query: str, year_option: int = 1, code: bool = True,
                    timeout_ms: int = 20_000) -> tuple[str, list[str]]:
    """Search, then pick a year (by its place in the list) and "with code": the year picked
    and the result links shown, site-relative."""
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base, wait_until="load")
        page.click(".md-search__input")
        page.keyboard.type(query, delay=20)
        _answered(page, query, timeout_ms)
        page.hover(".paper-search__filters")
        page.wait_for_function(
            "n => document.querySelectorAll('select[data-filter=year] option').length > n",
            arg=year_option, timeout=timeout_ms)
        options = page.locator("select[data-filter=year] option")
        year = options.nth(year_option).get_attribute("value") or ""
        page.select_option("select[data-filter=year]", year)
        if code:
            page.check("input[data-filter=code]")
        # Filters re-run the search at once; its answer replaces the list.
        page.wait_for_function(
            "() => document.querySelector('.md-search-result__list').dataset.query !== undefined"
            " && !document.querySelector('.paper-search__pending')", timeout=timeout_ms)
        page.wait_for_timeout(300)
        hrefs = page.locator(RESULT).evaluate_all("as => as.map(a => a.getAttribute('href'))")
    prefix = f"/{SUB_PATH}/"
    # A result's link also names the searched words (?h=), for the page to mark them.
    return year, [href.split("?")[0].removeprefix(prefix) for href in hrefs]
