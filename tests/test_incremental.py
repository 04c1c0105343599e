"""An incremental build (with the cache of earlier builds) writes what a cold build writes."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from bench.corpus import Pool, load_pool, make_entries, write_dumps
from generator import cache as cache_module
from generator.cache import CACHE_FOLDER
from generator.cli import main
from generator.fingerprint import RECORD
from generator.identity import PaperKey
from generator.pipeline import Catalog, Project, build_catalog
from generator.read.seeds import read_seeds
from generator.render import docs as site_module
from tests.kit.project import ROOT

PAPERS = 300
ADDED = 50
TABLES = ("dumps", "links", "tags", "related", "pages", "export")


def tree(docs: Path) -> dict[str, bytes]:
    """Every file under docs/ but the build's record (which holds times and absolute paths)."""
    return {path.relative_to(docs).as_posix(): path.read_bytes() for path in docs.rglob("*")
            if path.is_file() and path.name != RECORD}


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`python -m generator build` in the project; its summary line."""
    assert main(["build", "--root", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err == "", err
    return out


def cold(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """docs/ as a build of the same inputs writes it in a fresh folder, with no cache."""
    fresh = root.parent / "cold"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("docs", ".cache", "added"))
    build(fresh, capsys)
    assert not (fresh / "docs" / "papers").is_symlink()
    return tree(fresh / "docs")


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slug of every paper page rendered, as it is rendered."""
    rendered: list[str] = []
    real = site_module.PaperPage.render

    def counting(page: site_module.PaperPage) -> str:
        rendered.append(page.paper.slug)
        return real(page)

    monkeypatch.setattr(site_module.PaperPage, "render", counting)
    return rendered


@cache
def pool() -> Pool:
    """The real dumps' titles and sentences, read once."""
    return load_pool(ROOT / "seeds")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A project of PAPERS synthetic papers in dumps of 50, and a dump of ADDED more aside."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("taxonomy.yml", "mkdocs.yml"):
        shutil.copy(ROOT / name, root / name)
    entries = make_entries(PAPERS + ADDED, pool())
    write_dumps(entries[:PAPERS], root / "seeds")
    write_dumps(entries[PAPERS:], root / "added", prefix="added")
    return root


@pytest.mark.slow
def test_incremental_builds_equal_cold_builds(
        corpus: Path, renders: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    build(corpus, capsys)
    assert len(renders) == PAPERS
    tables = {path.stem for path in (corpus / CACHE_FOLDER).iterdir()}
    assert tables == set(TABLES)

    # A dump added: its papers' pages and those of the papers a new paper is related to,
    # no others.
    renders.clear()
    for dump in (corpus / "added").iterdir():
        shutil.copy(dump, corpus / "seeds" / dump.name)
    out = build(corpus, capsys)
    assert f"{PAPERS + ADDED} papers" in out
    assert ADDED <= len(renders) < PAPERS + ADDED, len(renders)
    assert tree(corpus / "docs") == cold(corpus, capsys)

    # Nothing changed: nothing written, nothing rendered.
    renders.clear()
    assert "0 files written" in build(corpus, capsys)
    assert renders == []

    # A dump removed.
    first = sorted((corpus / "seeds").glob("*.txt"))[0]
    first.unlink()
    build(corpus, capsys)
    assert tree(corpus / "docs") == cold(corpus, capsys)

    # A dump edited: one abstract changes, the rest of the dump reads as before.
    renders.clear()
    dump = sorted((corpus / "seeds").glob("*.txt"))[1]
    text = dump.read_text(encoding="utf-8")
    start = text.index("We study ")
    dump.write_text(text[:start] + "We now study " + text[start + 9:], encoding="utf-8")
    build(corpus, capsys)
    assert 0 < len(renders) < PAPERS - ADDED, len(renders)
    assert tree(corpus / "docs") == cold(corpus, capsys)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "corrupt": lambda path: path.write_bytes(b"\x80\x05garbage"),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "foreign": lambda path: path.write_bytes(pickle.dumps(("another stamp", {}))),
    "wrong shape": lambda path: path.write_bytes(pickle.dumps(["not", "a", "table"])),
    "missing": lambda path: path.unlink(),
    "damaged entries": lambda path: path.write_bytes(pickle.dumps(
        (pickle.loads(path.read_bytes())[0],
         dict.fromkeys(pickle.loads(path.read_bytes())[1], b"\x80garbage")))),
}


@pytest.mark.slow
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_cache_is_rebuilt(corpus: Path, renders: list[str], damage: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    for name in [path.name for path in (corpus / "seeds").glob("*.txt")][1:]:
        (corpus / "seeds" / name).unlink()
    build(corpus, capsys)
    papers = len(renders)
    for path in (corpus / CACHE_FOLDER).iterdir():
        DAMAGE[damage](path)
    renders.clear()
    shutil.copy(next((corpus / "added").iterdir()), corpus / "seeds")
    build(corpus, capsys)
    assert len(renders) == papers + ADDED, "every page is rendered again"
    assert tree(corpus / "docs") == cold(corpus, capsys)


@pytest.mark.slow
def test_a_page_edited_by_hand_is_rendered_again(
        corpus: Path, renders: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    for name in [path.name for path in (corpus / "seeds").glob("*.txt")][1:]:
        (corpus / "seeds" / name).unlink()
    build(corpus, capsys)
    page = next((corpus / "docs" / "papers").glob("*/index.md"))
    # Same size, so only the file's identity tells the edit apart.
    page.write_text(page.read_text(encoding="utf-8").replace("Abstract", "Abstrakt"),
                    encoding="utf-8")
    renders.clear()
    build(corpus, capsys)
    assert renders == [page.parent.name]
    assert tree(corpus / "docs") == cold(corpus, capsys)


@pytest.mark.slow
def test_a_library_upgrade_invalidates_the_cache(
        corpus: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in [path.name for path in (corpus / "seeds").glob("*.txt")][1:]:
        (corpus / "seeds" / name).unlink()
    build(corpus, capsys)
    papers = len(renders)
    monkeypatch.setattr(cache_module, "version", lambda name: "9.9.9")
    renders.clear()
    shutil.copy(next((corpus / "added").iterdir()), corpus / "seeds")
    build(corpus, capsys)
    assert len(renders) == papers + ADDED


def test_a_catalog_is_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    """Every field a page shows, from the real seeds: read cold, read with an empty cache, and
    read again from the filled cache (first-seen days were once lost without one)."""
    root = tmp_path / "p"
    (root / "seeds").mkdir(parents=True)
    for name in ("taxonomy.yml", "mkdocs.yml", "curation.yml"):
        shutil.copy(ROOT / name, root / name)
    for dump in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(dump, root / "seeds" / dump.name)
    project = Project(root=root)

    def shown(catalog: Catalog) -> list[tuple]:
        return [(p.slug, p.first_seen, p.tags, p.related, p.links) for p in catalog.papers]

    plain = shown(build_catalog(project))
    assert any(row[1] is not None for row in plain)
    stored = project.build_cache()
    assert shown(build_catalog(project, cache=stored)) == plain
    stored.save()
    assert shown(build_catalog(project, cache=project.build_cache())) == plain


def test_the_cached_reading_of_a_dump_carries_each_copys_identity(tmp_path: Path) -> None:
    """Entry.key is stored with the reading, so a build from the cache folds no text again."""
    root = tmp_path / "p"
    shutil.copytree(ROOT / "seeds", root / "seeds", ignore=shutil.ignore_patterns("*.json"))
    project = Project(root=root)
    stored = project.build_cache()
    fresh = read_seeds(project.seeds, stored.table("dumps"))
    stored.save()
    again = read_seeds(project.seeds, project.build_cache().table("dumps"))
    entries = [entry for dump in again for entry in dump.entries]
    assert len(entries) > 100 and all("key" in vars(entry) for entry in entries)
    assert [entry.key for entry in entries] == [
        PaperKey.of(entry.title, entry.abstract, entry.arxiv_id) for dump in fresh for entry in dump.entries]
