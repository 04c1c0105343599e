"""The benchmark at 60 papers, so it cannot rot: every measure present, every value sane."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.browser import filtered_search

ROOT = Path(__file__).resolve().parent.parent
MEASURES = (
    "papers", "read + merge (s)", "generate Markdown (s)", "MkDocs build (s)",
    "search indexing (s), beside MkDocs", "total (s)", "Zensical build + search instead (s) / peak (MB)",
    "ms per paper", "files written (docs/)", "site size", "site per paper", "site per paper, by part",
    "median paper page (HTML)", "first search download (compressed)",
    "first search results (ms): typed / cold", "peak memory (MB)",
    "rebuild, nothing changed: files rewritten", "rebuild, nothing changed: generate (s)",
    "add a 50-paper dump: files rewritten", "add a 50-paper dump: generate (s) / ÷ cold generate",
    "build cache (.cache/generator)", "remove every dump: pages removed / generate (s)",
    "papers sharing one title: generate (s)",
    "make site, cold / after a 50-paper dump (s)",
    "make site, cold: processor time (s, user + system, every process) / ÷ bare baseline's",
    "publish step (engine, search, squeeze), cold / after the dump (s)",
    "incremental site = cold site: files differing", "make site peak memory, cold (MB)",
)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's working folder: corpora, built sites, figures."""
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="module")
def bench(work: Path) -> tuple[str, dict]:
    """One run of `python -m bench` at 60 papers: its printed report and its figures."""
    done = subprocess.run(
        # List pages are weighed at 60 (the full build) and at 300 papers (lists alone).
        # The phone's network throttling alone took ~20 s of page loads; its screen and slower
        # CPU stay, so every load is still a real one.
        [sys.executable, "-m", "bench", "--sizes", "60", "--list-sizes", "60", "300",
         "--runs", "1", "--phone-network-off", "--work", str(work)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    (figures,) = json.loads((work / "results.json").read_text(encoding="utf-8"))
    return done.stdout, figures


@pytest.mark.slow
def test_report_has_every_measure_and_target(bench: tuple[str, dict]) -> None:
    report, _ = bench
    rows = {line.split(" | ")[0].lstrip("| ") for line in report.splitlines() if line.startswith("| ")}
    assert set(MEASURES) <= rows
    assert "| reading list | bare baseline |" in report
    for target in ("cold:", "weight:", "nothing to do", "incremental:", "incremental generate:",
                   "light pages", "search:",
                   "reader:", "memory:", "removals:", "one title:", "list pages:"):
        assert f"| {target}" in report
    assert "| largest list page (HTML) |" in report


@pytest.mark.slow
def test_list_pages_are_weighed_at_every_list_size(bench: tuple[str, dict], work: Path) -> None:
    lists = json.loads((work / "list-pages.json").read_text(encoding="utf-8"))
    assert [entry["papers"] for entry in lists] == [60, 300]
    for entry in lists:
        assert entry["pages"] > 20 and 10_000 < entry["largest_bytes"] < 250_000, entry
        assert not entry["largest_page"].startswith("papers/")


@pytest.mark.slow
def test_figures_are_sane(bench: tuple[str, dict]) -> None:
    _, figures = bench
    assert figures["papers"] == 60
    for name in ("read_merge_s", "generate_s", "mkdocs_s", "search_index_s", "baseline_mkdocs_s"):
        assert 0 < figures[name] < 120, name
    # The search index is built beside MkDocs, within its step: the total is generate + MkDocs.
    assert figures["search_index_s"] < figures["mkdocs_s"]
    assert figures["total_s"] >= figures["mkdocs_s"] + figures["generate_s"]
    # 60 paper pages, their index pages and papers.json.
    assert figures["files_written"] > 60
    assert 5_000 < figures["median_page_bytes"] <= 30_000
    # make site after a dump: only changed pages rendered, and the same site as a cold build.
    incremental = figures["incremental"]
    assert incremental["differing_files"] == 0
    assert "pages rendered again" in incremental["rendered"], incremental
    assert 0 < incremental["incremental_engine_s"] < incremental["incremental_s"]
    assert 0 < incremental["cold_engine_s"] < incremental["cold_s"]
    # Processor time counts MkDocs and Pagefind too: more than the cold build's engine step.
    assert incremental["cold_cpu_s"] > incremental["cold_engine_s"]
    assert 0 < incremental["baseline_cpu_s"] < incremental["cold_cpu_s"]
    assert figures["site_bytes"] > figures["median_page_bytes"] * 60
    assert 0 < figures["peak_mb"] < 1024
    assert figures["rerun_written"] == 0


@pytest.mark.slow
def test_search_finds_papers_in_chromium(bench: tuple[str, dict]) -> None:
    _, figures = bench
    assert figures["search_results"] > 0
    assert 0 < figures["search_bytes"] < 500_000
    assert figures["search_requests"] >= 3  # engine, index chunk, at least one result fragment
    assert figures["search_ms"] > 0
    assert figures["search_cold_ms"] > 0


@pytest.mark.slow
def test_adding_a_dump_rewrites_new_pages_not_old_ones(bench: tuple[str, dict]) -> None:
    _, figures = bench
    added = figures["added_written"]
    assert added["new paper pages"] == 50
    # Old pages change only where a new paper joined their related papers.
    assert added["old paper pages, other changes"] == 0
    assert added["old paper pages, related list only"] <= 60
    assert added["data and feeds"] >= 1  # papers.json
    assert added["index pages"] >= 2  # home page and the date index at least
    # Timed with the cold build's cache in place (at 60 papers start-up dominates both).
    assert figures["added_generate_s"] > 0
    assert figures["cache_bytes"] > 0


@pytest.mark.slow
def test_search_filters_narrow_the_results(bench: tuple[str, dict], work: Path) -> None:
    site = work / "papers-60" / "site"
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    # Playwright's sync API refuses to run where another one is open (the browser tests keep
    # theirs for the session): this one gets a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        year, shown = pool.submit(filtered_search, site, "the").result()
    expected = {p["url"] for p in papers if p["has_code"] and (p["date"] or "").startswith(year)}
    assert year.isdigit()
    assert set(shown) <= expected
    assert len(shown) == min(len(expected), 10)


@pytest.mark.slow
def test_every_kind_of_page_loads_on_the_phone_profile(bench: tuple[str, dict]) -> None:
    report, figures = bench
    loads = {load["kind"]: load for load in figures["page_loads"]}
    assert next(iter(loads)) == "paper (median)"
    # Every list a reader opens from the navigation is measured, each with a real load time.
    assert {"home", "tags", "tags/*", "dates", "code", "reading", "stats"} <= set(loads)
    for load in loads.values():
        assert 50 < load["load_ms"] < 60_000, load
        assert load["html_bytes"] > 1_000, load
    assert "÷ paper page" in report
    assert "KB per paper" in report


@pytest.mark.slow
def test_removals_and_a_shared_title_are_measured(bench: tuple[str, dict]) -> None:
    _, figures = bench
    assert figures["removed_pages"] == 60 + 50  # the corpus and the added dump
    assert figures["same_title_papers"] == 60
    assert 0 < figures["remove_s"] < 120 and 0 < figures["same_title_s"] < 120
