"""What a reader on a phone meets: each kind of page loaded in throttled Chromium, served gzipped."""

from __future__ import annotations

import argparse
import gzip
import http.server
import re
import statistics
import sys
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .browser import chromium, serve

# The phone profile of the issue: 390 px wide, 150 ms latency, 1.6 Mbit/s down, 4x slower CPU.
WIDTH, HEIGHT = 390, 844
LATENCY_MS = 150
DOWN_BYTES_S = 1_600_000 // 8
UP_BYTES_S = 750_000 // 8
CPU_SLOWDOWN = 4
RUNS = 3
# The longest one load may take before it is tried again (a throttled page takes 1 to 3 s).
LOAD_TIMEOUT_MS = 30_000
# GitHub Pages gzips these; images and Pagefind's own .pf_* chunks go as they are.
COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")
# Folders that hold assets, not pages a reader opens.
NOT_PAGES = {"assets", "search", "pagefind", "stylesheets", "javascripts"}
NUMBER = re.compile(r"^\d+$")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: text types gzipped when the client accepts it."""

    cache: dict[Path, bytes]

    def log_message(self, format: str, *args: object) -> None:
        """Keep the benchmark's output clean."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Bytes(body)


class _Bytes:
    """A file-like body for SimpleHTTPRequestHandler.copyfile."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        """Nothing to release."""


def serve_gzipped(site: Path) -> AbstractContextManager[str]:
    """Serve a built site gzipped at http://127.0.0.1:PORT/<sub-path>/ for the duration."""
    return serve(site, type("Handler", (_GzipHandler,), {"cache": {}}))


def page_kind(relative: str) -> str:
    """The kind of a page from its path: folder names kept, slugs and numbers generalised.

    ``tags/agents/index.html`` → ``tags/*``, ``tags/agents/2/index.html`` → ``tags/*/N``,
    ``dates/2025/10/index.html`` → ``dates/N/N``.
    """
    parts = relative.split("/")[:-1]
    if not parts:
        return "home"
    kind = [parts[0]]
    for part in parts[1:]:
        kind.append("N" if NUMBER.match(part) else "*")
    return "/".join(kind)


@dataclass
class PageLoad:
    """One kind of page: the page measured (its kind's largest), its size and load time."""

    kind: str
    path: str
    html_bytes: int
    load_ms: float


def pages_by_kind(site: Path) -> dict[str, Path]:
    """The largest HTML page of each kind: the one a reader waits longest for."""
    largest: dict[str, Path] = {}
    for page in site.rglob("index.html"):
        relative = page.relative_to(site).as_posix()
        if relative.split("/")[0] in NOT_PAGES:
            continue
        kind = page_kind(relative)
        if kind not in largest or page.stat().st_size > largest[kind].stat().st_size:
            largest[kind] = page
    return dict(sorted(largest.items()))


def median_paper(site: Path) -> Path:
    """The paper page of median size: what the list pages are compared with."""
    pages = sorted((site / "papers").glob("*/index.html"), key=lambda p: (p.stat().st_size, p))
    if not pages:
        raise RuntimeError(f"{site}: no paper pages")
    return pages[len(pages) // 2]


def _timed_load(browser, url: str, log=lambda message: None, *, network: bool = True) -> float:  # type: ignore[no-untyped-def]
    """``_load_ms``, tried once more when a load never ends (said in the log, never hidden).

    A throttled page loads in 1 to 3 s; once, under `make test`'s two processes, a load of a
    60-paper site's page waited out the whole timeout for a request the server never answered.
    """
    try:
        return _load_ms(browser, url, network=network)
    except PlaywrightTimeout:
        log(f"  {url}: no load event in {LOAD_TIMEOUT_MS // 1000} s; loading it again")
        return _load_ms(browser, url, network=network)


def _load_ms(browser, url: str, *, network: bool = True) -> float:  # type: ignore[no-untyped-def]
    """Open one URL in a fresh context (cold cache), throttled; ms until its load event.

    ``network``: False keeps the phone's screen and slower CPU but not its network.
    """
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT},
                                  device_scale_factor=3, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        if network:
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": LATENCY_MS,
                "downloadThroughput": DOWN_BYTES_S, "uploadThroughput": UP_BYTES_S,
            })
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
        timing = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n.loadEventEnd - n.startTime; }")
        return float(timing)
    finally:
        context.close()


def measure_site(site: Path, runs: int = RUNS, log=lambda message: None, *,  # type: ignore[no-untyped-def]
                 network: bool = True) -> list[PageLoad]:
    """Every kind of page, and the median paper page first, each loaded ``runs`` times (median).

    ``network``: False leaves the network unthrottled (bench's smoke test: seconds, not a minute).
    """
    pages = {"paper (median)": median_paper(site)}
    pages.update({kind: page for kind, page in pages_by_kind(site).items() if kind != "papers/*"})
    loads = []
    with serve_gzipped(site) as base, chromium() as browser:
        # One load thrown away: the first start of a renderer process is slower than any other.
        _timed_load(browser, base, log, network=network)
        for kind, page in pages.items():
            relative = page.relative_to(site).as_posix()
            url = base + relative.removesuffix("index.html")
            times = [_timed_load(browser, url, log, network=network) for _ in range(runs)]
            loads.append(PageLoad(kind, relative, page.stat().st_size, statistics.median(times)))
            log(f"  {kind}: {loads[-1].load_ms:.0f} ms ({page.stat().st_size / 1000:.0f} KB)")
    return loads


def site_bytes(site: Path) -> int:
    """Bytes of the whole site on disk (what counts toward Pages' 1 GB)."""
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


def table(loads: list[PageLoad], papers: int, total: int) -> str:
    """Load times as ratios to the median paper page, sizes, and the site's weight per paper."""
    paper = loads[0].load_ms
    lines = ["| page kind | page measured | HTML | load (ms) | ÷ paper page |",
             "| --- | --- | ---: | ---: | ---: |"]
    for load in loads:
        lines.append(f"| {load.kind} | `{load.path}` | {load.html_bytes / 1000:.1f} KB | "
                     f"{load.load_ms:.0f} | {load.load_ms / paper:.2f} |")
    lists = loads[1:]
    worst = max(lists, key=lambda load: load.load_ms, default=None)
    largest = max(lists, key=lambda load: load.html_bytes, default=None)
    lines += ["", f"- worst list page: {worst.kind} at {worst.load_ms / paper:.2f}× a paper page "
              f"(goal ≤ 2.0)" if worst else "- no list pages",
              f"- largest list page: {largest.html_bytes / 1000:.1f} KB ({largest.path}; goal ≤ 250 KB)"
              if largest else "",
              f"- site: {total / 1_000_000:.1f} MB, {total / papers / 1000:.1f} KB per paper "
              f"({papers:,} papers)"]
    return "\n".join(line for line in lines if line) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Measure a built site: ``python -m bench.reader SITE --papers N``."""
    parser = argparse.ArgumentParser(prog="python -m bench.reader", description=__doc__)
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--papers", type=int, required=True, help="papers on the site")
    parser.add_argument("--runs", type=int, default=RUNS, help="loads per page (median)")
    args = parser.parse_args(argv)
    loads = measure_site(args.site, args.runs, lambda m: print(m, file=sys.stderr, flush=True))
    print(table(loads, args.papers, site_bytes(args.site)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
