"""MkDocs hooks: safe page titles, regeneration under `serve`, the search index beside the build."""

from __future__ import annotations

import html
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

# MkDocs loads hooks by path; the generator package sits beside mkdocs.yml.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.errors import GeneratorError
from generator.html_blocks import put_back, set_aside
from generator.search import ENGINE_VARIABLE, PAGEFIND_FROM, choose_engine, enabled
from generator.site import OWNED

# Raw HTML blocks of generated pages, set aside while Python-Markdown runs (by page source).
_SET_ASIDE: dict[str, list[str]] = {}
# Pagefind indexing the paper pages on the second core while MkDocs builds: the process, the
# staging folder it writes into (MkDocs empties site_dir first) and the file of its messages.
_INDEXING: dict[str, Any] = {}
LOG = logging.getLogger("mkdocs.plugins.reading_list")
# The longest a build waits for the index once its pages are written (seconds).
INDEX_TIMEOUT = 900


def on_config(config: Any) -> Any:
    """Choose the search engine for this many papers and switch the other one off."""
    settings = config.extra.get("search") or {}
    setting = os.environ.get(ENGINE_VARIABLE) or str(settings.get("engine", "auto"))
    papers = sum(1 for _ in Path(config.docs_dir, "papers").glob("*.md"))
    try:
        engine = choose_engine(setting, papers, int(settings.get("pagefind_from", PAGEFIND_FROM)))
    except (GeneratorError, ValueError) as error:
        raise PluginError(str(error)) from None
    material = config.plugins.get("material/search")
    if engine == "material" and material is None:
        raise PluginError("search engine 'material' needs '- search' under plugins in mkdocs.yml")
    if material is not None and engine != "material":
        # Material's plugin checks this before indexing a page and writing its index.
        material.config.enabled = False
    # Templates (overrides/partials/header.html) read the choice from here.
    config.extra["search_engine"] = engine
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Escape the front-matter title; set the raw HTML blocks of generated pages aside."""
    title = page.meta.get("title")
    if isinstance(title, str):
        # The title's text must show as written, never become markup in <title> or <h1>.
        page.meta["title"] = html.escape(title, quote=True)
    if _generated(page.file.src_uri):
        # Python-Markdown would pass these blocks through unchanged after parsing them with
        # Python's HTML parser: most of the cost of a paper page (see BENCHMARKS.md).
        markdown, _SET_ASIDE[page.file.src_uri] = set_aside(markdown)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put the raw HTML blocks set aside back in place."""
    return put_back(html, _SET_ASIDE.pop(page.file.src_uri, []))


def _generated(src_uri: str) -> bool:
    """Pages the generator writes: their HTML blocks come from its own templates."""
    return any(src_uri == own or src_uri.startswith(f"{own}/") for own in OWNED if own != "papers.json")


def on_pre_build(config: Any) -> None:
    """Regenerate docs/ under ``make serve``; start indexing the paper pages for search."""
    if os.environ.get("READING_LIST_REGENERATE"):
        _regenerate(config)
    _start_indexing(config)


def _regenerate(config: Any) -> None:
    """Regenerate docs/ before each rebuild so edited inputs show up: `build`, word for word."""
    # Imported here: the build pipeline loads numpy, which only `make serve` needs.
    from generator.cli import EXIT_ERROR, main  # noqa: PLC0415

    # The same command as `make docs`: its lock, its nothing-changed check, its messages.
    if main(["build", "--root", str(Path(config.config_file_path).parent)]) == EXIT_ERROR:
        print("reading list: not regenerated; the site shows the last good build",
              file=sys.stderr)


def _start_indexing(config: Any) -> None:
    """Index docs/papers/*.md with Pagefind in a process of its own, beside the MkDocs build."""
    _stop_indexing()  # A rebuild under `serve` after a failed one: its run is of no use.
    if config.extra.get("search_engine") != "pagefind" or not enabled():
        return
    staging = Path(tempfile.mkdtemp(prefix="reading-list-search-"))
    log = (staging / "indexing.log").open("w+", encoding="utf-8")
    # Run from where this generator package is (the project, or what links to it).
    package_root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "generator.search", str(Path(config.docs_dir)),
               str(staging / "site"), "--language", str(config.theme.get("language") or "en")]
    try:
        process = subprocess.Popen(command, cwd=package_root, stdout=log, stderr=subprocess.STDOUT)
    except OSError as error:
        log.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise PluginError(f"search index not built: cannot start indexing ({error})") from None
    _INDEXING.update(process=process, staging=staging, log=log)


def _stop_indexing() -> None:
    """Stop an indexing run still going (a failed build) and remove its staging folder."""
    process = _INDEXING.pop("process", None)
    if process is not None and process.poll() is None:
        process.terminate()  # It removes its scratch pages and stops Pagefind on the way out.
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if "log" in _INDEXING:
        _INDEXING.pop("log").close()
    if "staging" in _INDEXING:
        shutil.rmtree(_INDEXING.pop("staging"), ignore_errors=True)


def on_post_build(config: Any) -> None:
    """Wait for the search index and move it into the site, so `build` and `serve` both search."""
    process = _INDEXING.get("process")
    if process is None:
        return
    try:
        code = process.wait(timeout=INDEX_TIMEOUT)
    except subprocess.TimeoutExpired:
        _stop_indexing()
        raise PluginError(f"search index not built: indexing took over {INDEX_TIMEOUT} s") from None
    log = _INDEXING["log"]
    log.seek(0)
    lines = [line.strip() for line in log.read().splitlines() if line.strip()]
    staging = _INDEXING["staging"] / "site"
    try:
        if code != 0:
            detail = lines[-1] if lines else f"indexing exited with {code}"
            raise PluginError(detail if detail.startswith("search index not built") else
                              f"search index not built: {detail}")
        if lines:
            # MkDocs' own peak so far (KB on Linux): the two run at once, their peaks may add up.
            mkdocs_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            LOG.info(f"reading list: {lines[-1]} (beside the MkDocs build, "
                     f"itself at peak {mkdocs_mb:.0f} MB)")
        site = Path(config.site_dir)
        for bundle in sorted(staging.glob("pagefind*")):
            target = site / bundle.name
            if target.exists():
                shutil.rmtree(target)
            shutil.move(bundle, target)
    finally:
        _stop_indexing()


def on_build_error(error: Exception) -> None:
    """A failed build leaves no indexing process or staging folder behind."""
    _stop_indexing()
