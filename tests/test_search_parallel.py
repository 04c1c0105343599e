"""The Pagefind index built from docs/ beside the engine's build: same records, clear failures."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.pipeline import Project, build_catalog, write_site
from generator.publish.pagefind import extensions_of, index_site, page_html
from tests.kit.project import REAL_SEEDS, ROOT, copy_project, publish


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("parallel"), REAL_SEEDS[:1])
    write_site(build_catalog(Project(root=root)), Project(root=root))
    return root


def mkdocs_build(root: Path, site: str, temp: Path) -> subprocess.CompletedProcess:
    """`make site`'s publish step with Pagefind, its temporary files kept in ``temp``."""
    temp.mkdir(exist_ok=True)
    return publish(root, "mkdocs", "--site-dir", site,
                   env={"READING_LIST_SEARCH_ENGINE": "pagefind", "TMPDIR": str(temp)})


def leftovers(root: Path, temp: Path) -> list[str]:
    """Scratch folders a build left behind: its building folder beside site/, or in TMPDIR."""
    return sorted(path.name for path in [*root.glob(".site-*"), *temp.iterdir()])


def fragments(bundle: Path) -> dict[str, dict]:
    """Pagefind's records in a bundle, by URL: text, title and date, filters, anchors."""
    records = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        record = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        records[record["url"]] = record
    return records


@pytest.mark.slow
def test_records_match_pagefind_crawling_the_built_site(project: Path, tmp_path: Path) -> None:
    """Indexed from docs/ while MkDocs builds, each paper's record is the one Pagefind's own
    crawl of the built page gives: same text, title, date, filters and anchors."""
    done = mkdocs_build(project, "site-parallel", tmp_path / "tmp")
    assert done.returncode == 0, done.stderr
    assert "search index: 89 pages in" in done.stderr
    site = project / "site-parallel"
    assert json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8")) == []
    crawled = tmp_path / "crawled"
    shutil.copytree(site / "papers", crawled / "papers")
    index_site(crawled)
    ours, theirs = fragments(site / "pagefind"), fragments(crawled / "pagefind")
    assert len(ours) == 89
    assert ours == theirs
    # Headings' permalink signs are no text to search or show in an excerpt.
    assert not [url for url, record in ours.items() if "\u00b6" in record["content"]]
    # The staging folder is gone once its bundle moved into the site.
    assert leftovers(project, tmp_path / "tmp") == []


@pytest.mark.slow
def test_failed_indexing_fails_the_build_with_one_line(project: Path, tmp_path: Path) -> None:
    broken = project / "docs" / "papers" / "zz-unreadable" / "index.md"
    broken.mkdir(parents=True)  # MkDocs walks past a folder; reading it as a page fails.
    try:
        done = mkdocs_build(project, "site-broken", tmp_path / "tmp")
    finally:
        broken.rmdir()
        broken.parent.rmdir()
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if "search index not built" in line]
    assert len(errors) == 1, done.stderr
    assert "zz-unreadable/index.md" in errors[0]
    assert "Traceback" not in done.stderr
    assert leftovers(project, tmp_path / "tmp") == []
    assert not (project / "site-broken").exists()


def test_markdown_headings_become_the_built_headings() -> None:
    page = "---\ntitle: x\n---\n<h1 class=\"paper-title\">A &lt;b&gt;</h1>\n\n## Abstract\n\n" \
           "<p class=\"paper-abstract\">Text &amp; more</p>\n"
    html = page_html(page, "en", extensions_of(ROOT))
    assert '<html lang="en">' in html
    assert "title: x" not in html
    assert ('<h2 id="abstract">Abstract<a class="headerlink" href="#abstract" '
            'title="Permanent link">&para;</a></h2>') in html
    assert '<p class="paper-abstract">Text &amp; more</p>' in html
    assert '<h1 class="paper-title">A &lt;b&gt;</h1>' in html


def test_the_extensions_are_the_ones_mkdocs_yml_names(tmp_path: Path) -> None:
    """Headings get mkdocs.yml's permalinks only while mkdocs.yml asks for them."""
    page = "## Abstract\n\ntext\n"
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n  - attr_list\n",
                                         encoding="utf-8")
    plain = page_html(page, "en", extensions_of(tmp_path))
    assert '<h2 id="abstract">Abstract</h2>' in plain
    assert "headerlink" in page_html(page, "en", extensions_of(ROOT))
