"""Which search a site gets: Material's for small lists, Pagefind's chunked index for large ones."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.pipeline import Project, build_catalog, write_site
from generator.problems import ConfigError
from generator.publish.pagefind_bundle import read_data_file
from generator.publish.search import PAGEFIND_FROM, choose_engine
from tests.kit.project import REAL_SEEDS, copy_project, publish


@pytest.mark.parametrize(
    ("setting", "papers", "engine"),
    [
        ("auto", 0, "material"),
        ("auto", PAGEFIND_FROM - 1, "material"),
        ("auto", PAGEFIND_FROM, "pagefind"),
        ("auto", 10_000, "pagefind"),
        ("material", 10_000, "material"),
        ("pagefind", 3, "pagefind"),
    ],
)
def test_engine_by_setting_and_size(setting: str, papers: int, engine: str) -> None:
    assert choose_engine(setting, papers) == engine


def test_unknown_engine_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="search engine 'lunr' is not one of auto, material, pagefind"):
        choose_engine("lunr", 10)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("engines"), REAL_SEEDS[:1])
    write_site(build_catalog(Project(root=root)), Project(root=root))
    return root


def build(root: Path, engine: str, pagefind_from: int | None = None) -> subprocess.CompletedProcess:
    config = root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    if pagefind_from is not None:
        config.write_text(original.replace("pagefind_from: 1000", f"pagefind_from: {pagefind_from}"),
                          encoding="utf-8")
    try:
        return publish(root, "mkdocs", "--site-dir", f"site-{engine}",
                       env={"READING_LIST_SEARCH_ENGINE": engine})
    finally:
        config.write_text(original, encoding="utf-8")


@pytest.mark.parametrize(
    ("engine", "pagefind_from", "expected"),
    [("auto", None, "material"), ("auto", 50, "pagefind"), ("material", None, "material"),
     ("pagefind", None, "pagefind")],
)
@pytest.mark.slow
def test_built_site_carries_one_engine(project: Path, engine: str, pagefind_from: int | None, expected: str) -> None:
    """89 papers: Material's search by default; Pagefind when the threshold is lower or forced."""
    done = build(project, engine, pagefind_from)
    assert done.returncode == 0, done.stderr
    site = project / f"site-{engine}"
    home = (site / "index.html").read_text(encoding="utf-8")
    material = expected == "material"
    assert ('data-md-component="search"' in home) == material
    assert ('class="md-search paper-search"' in home) == (not material)
    assert (site / "search" / "search_index.json").exists() == material
    assert (site / "pagefind" / "pagefind-entry.json").exists() == (not material)


@pytest.mark.slow
def test_bad_engine_setting_stops_the_build_with_one_line(project: Path) -> None:
    done = build(project, "lunr")
    assert done.returncode != 0
    assert "search engine 'lunr' is not one of auto, material, pagefind" in done.stderr
    assert "Traceback" not in done.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_the_pagefind_index_is_byte_identical_for_identical_input(project: Path) -> None:
    """Two real builds of the same pages: the same search bundle, file for file, byte for byte."""
    trees = []
    for run in ("one", "two"):
        done = build(project, "pagefind")
        assert done.returncode == 0, done.stderr
        bundle = project / "site-pagefind" / "pagefind"
        trees.append(_tree(bundle))
        (project / f"site-{run}").mkdir()
        bundle.rename(project / f"site-{run}" / "pagefind")
    assert sorted(trees[0]) == sorted(trees[1])
    assert [name for name in trees[0] if trees[0][name] != trees[1][name]] == []
    # Every filter the pages carry is still in the bundle, its values in order.
    names = set()
    for path in (project / "site-one" / "pagefind" / "filter").glob("*.pf_filter"):
        name, values = read_data_file(path)
        names.add(name)
        assert [value for value, _ in values] == sorted(value for value, _ in values)
    assert "tag" in names


@pytest.mark.slow
def test_materials_index_gives_a_paper_its_title_and_tags_once(project: Path) -> None:
    """Material's result shows the title above the excerpt and the tags as chips: their text
    stays out of the excerpt (it repeated them on a phone's screen), not out of the search."""
    done = build(project, "material")
    assert done.returncode == 0, done.stderr
    index = json.loads((project / "site-material" / "search" / "search_index.json").read_text("utf-8"))
    heads = [doc for doc in index["docs"]
             if doc["location"].startswith("papers/") and "#" not in doc["location"]]
    assert len(heads) > 50
    tagged = [doc for doc in heads if doc.get("tags")]
    assert tagged
    for doc in heads:
        assert doc["title"] and not doc["text"].startswith(doc["title"][:30]), doc
        for tag in doc.get("tags", []):
            assert tag not in doc["text"], (tag, doc)
