"""Either engine publishes the same pages; an unknown, missing or failing one says what to do."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.pipeline import Project, build_catalog, write_site
from generator.problems import ConfigError
from generator.publish import engines as publishing
from generator.publish.engines import ENGINES, Engine, PublishError, engine_named, search_for
from tests.browser.reader import ServedSite
from tests.kit.project import REAL_SEEDS, copy_project, publish

# Every page URL the real seeds publish; published URLs never change, so a change here is a
# broken link for every reader who kept one (refresh with `make golden` only for new pages).
URLS = Path(__file__).parent / "golden" / "urls.txt"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("engines"), REAL_SEEDS)
    write_site(build_catalog(Project(root=root)), Project(root=root))
    return root


def pages(site: Path) -> set[str]:
    """Every page URL of a built site (folder of an index.html), relative to its root."""
    return {str(page.parent.relative_to(site)) for page in site.rglob("index.html")
            if not page.is_relative_to(site / "assets")}


@pytest.mark.slow
def test_both_engines_publish_every_page_at_the_same_url(real_site: Callable[[str], ServedSite]) -> None:
    """Zensical's site has MkDocs' page URLs, the data export, and a Pagefind index."""
    built = {}
    for engine, layout in (("mkdocs", "subpath"), ("zensical", "zensical")):
        folder = real_site(layout).folder
        # The session's shared builds (tests/conftest.py): workdir/www/<sub-path>/.
        workdir = folder.parents[1]
        last = (workdir / "build.log").read_text(encoding="utf-8").splitlines()[-1]
        assert f"{folder}: built with {engine} in" in last
        assert not list((workdir / "project").glob(".site-*"))
        built[engine] = folder
    assert pages(built["mkdocs"]) == pages(built["zensical"])
    if os.environ.get("UPDATE_GOLDEN"):
        URLS.write_text("".join(f"{url}\n" for url in sorted(pages(built["mkdocs"]))), encoding="utf-8")
    assert sorted(pages(built["mkdocs"])) == URLS.read_text(encoding="utf-8").splitlines()
    assert sum(url.startswith("papers/") for url in pages(built["zensical"])) > 200
    assert (built["mkdocs"] / "papers.json").read_bytes() == (built["zensical"] / "papers.json").read_bytes()
    # Zensical searches with Pagefind at any size; MkDocs with Material's own under 1,000.
    home = (built["zensical"] / "index.html").read_text(encoding="utf-8")
    # Zensical's theme styles none of Material's search markup: the shell says so.
    assert 'class="md-search paper-search paper-search--standalone"' in home
    assert 'data-md-component="search"' not in home
    assert (built["zensical"] / "pagefind" / "pagefind-entry.json").is_file()


@pytest.mark.slow
def test_unknown_engine_is_one_line_and_leaves_the_site(project: Path) -> None:
    (project / "site").mkdir(exist_ok=True)
    (project / "site" / "marker").write_text("previous", encoding="utf-8")
    done = publish(project, "hugo")
    assert done.returncode == 1
    assert done.stderr == ("Error: unknown engine 'hugo': use ENGINE=mkdocs or ENGINE=zensical "
                           "(make site ENGINE=zensical)\n")
    assert (project / "site" / "marker").read_text(encoding="utf-8") == "previous"


def test_missing_engine_says_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ENGINES, "gone", Engine("gone", "no_such_engine_module", "gone", ("build",),
                                                ("serve",), native_search=False))
    with pytest.raises(PublishError, match=r"^engine 'gone' is not installed: run `make site` once"):
        engine_named("gone")


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_failing_engine_leaves_the_previous_site_whole(project: Path, engine: str) -> None:
    """A build that fails (a broken mkdocs.yml) keeps site/ as it was, and no scratch folder."""
    (project / "site").mkdir(exist_ok=True)
    (project / "site" / "marker").write_text("previous", encoding="utf-8")
    config = project / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("theme:\n  name: material\n", "theme:\n  name: no-such-theme\n"),
                      encoding="utf-8")
    try:
        done = publish(project, engine)
    finally:
        config.write_text(original, encoding="utf-8")
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: {engine} build failed (exit ")
    assert last.endswith("fix what it reports above and run it again; site/ was left as it was")
    assert (project / "site" / "marker").read_text(encoding="utf-8") == "previous"
    assert not list(project.glob(".site-*"))


def test_zensical_gets_pagefind_and_refuses_material_search(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert search_for(ENGINES["zensical"], project, 10) == "pagefind"
    assert search_for(ENGINES["mkdocs"], project, 10) == "material"
    monkeypatch.setenv(publishing.ENGINE_VARIABLE, "material")
    with pytest.raises(ConfigError, match="'material' is Material for MkDocs' plugin, which zensical does not run"):
        search_for(ENGINES["zensical"], project, 10)
