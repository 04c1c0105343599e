"""Rebuilds never lose data: atomic writes, careful removal, slugs that never move."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.enrich.merge import merge
from generator.enrich.slugs import SlugRegistry
from generator.identity import PaperKey, normalise_text
from generator.pipeline import Project, build_catalog, write_site
from generator.problems import WriteError
from generator.read.dumps import load_dump
from generator.write import writer
from tests.kit.dumps import abstract_for, dump_text, entry_text
from tests.kit.project import ROOT, mkdocs_build, new_project, snapshot

META = "  • 5 authors\n·\nMar 3 7"


def paper(title: str, topic: str, meta: str | None = META) -> str:
    """One entry whose abstract is made from the topic (same topic, same paper)."""
    return entry_text(title, abstract_for(topic), meta)


# Small dumps that share papers, carry near-twins (same title, other abstract) and titles
# whose slugs collide ("日本語 Models" and "Ri Ben Yu Models" both slugify to ri-ben-yu-models).
SMALL = {
    "alpha.txt": dump_text([paper("Deep Residual Learning", "residual"),
                            paper("日本語 Models", "japanese"),
                            paper("Shared Paper", "shared", None)]),
    "beta.txt": dump_text([paper("Deep Residual Learning!", "another residual"),
                           paper("Ri Ben Yu Models", "romanised"),
                           paper("Shared Paper", "shared")]),
    "gamma.txt": dump_text([paper("deep residual learning", "residual", None),
                            paper("Only In Gamma", "gamma"),
                            paper("CON", "reserved name")]),
    "delta.txt": dump_text([paper("Deep Residual Learning?", "a third residual"),
                            paper("Vision Paper", "vision"),
                            paper("con", "another reserved name")]),
}
CAPTURES = "".join(f"{name}: {{captured: 2025-10-28}}\n" for name in SMALL)


def project_with(root: Path, dumps: dict[str, str], registry: str | None = None) -> Project:
    """A bare project (seeds, taxonomy, hand-written docs) for in-process builds."""
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    for name, text in dumps.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    (root / "seeds" / "dumps.yaml").write_text(CAPTURES, encoding="utf-8")
    if registry is not None:
        (root / "seeds" / "slugs.json").write_text(registry, encoding="utf-8")
    if not (root / "taxonomy.yml").exists():
        shutil.copy(ROOT / "taxonomy.yml", root / "taxonomy.yml")
    (root / "docs" / "stylesheets").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "stylesheets" / "reading-list.css").write_text("/* mine */\n", "utf-8")
    (root / "docs" / "about.md").write_text("# About\n\nHand-written.\n", encoding="utf-8")
    return Project(root=root)


def build(project: Project) -> dict[str, str]:
    """Generate docs/ in-process; returns {paper key title+head: slug}."""
    catalog = build_catalog(project)
    write_site(catalog, project)
    return {f"{normalise_text(p.title)}|{p.abstract}": p.slug for p in catalog.papers}


def generated(docs: Path) -> dict[str, bytes]:
    """Every file under docs/ that is not hand-written, with its bytes."""
    hand = {"about.md", "stylesheets/reading-list.css"}
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and p.relative_to(docs).as_posix() not in hand}


def dangling_links(docs: Path) -> list[str]:
    """Markdown links to .md files under docs/ that do not exist, as 'page → target'."""
    missing = []
    for page in docs.rglob("*.md"):
        for target in re.findall(r"\]\(([^)\s]+\.md)\)", page.read_text(encoding="utf-8")):
            resolved = (page.parent / target).resolve()
            if not resolved.is_file():
                missing.append(f"{page.relative_to(docs).as_posix()} → "
                               f"{resolved.relative_to(docs.resolve()).as_posix()}")
    return missing


class DiskFull:
    """os.replace that fails on its n-th call, as a full disk or a killed build would."""

    def __init__(self, fail_at: int) -> None:
        self.calls, self.fail_at, self.real = 0, fail_at, writer.os.replace

    def __call__(self, source: str, target: str) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            raise OSError(28, "No space left on device")
        self.real(source, target)


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Version 1 (alpha, beta) built; version 2 (alpha, gamma, delta) built from scratch."""
    one = tmp_path_factory.mktemp("v1")
    build(project_with(one, {k: SMALL[k] for k in ("alpha.txt", "beta.txt")}))
    two = tmp_path_factory.mktemp("v2")
    shutil.copytree(one / "seeds", two / "seeds")
    (two / "seeds" / "beta.txt").unlink()
    build(project_with(two, {k: SMALL[k] for k in ("alpha.txt", "gamma.txt", "delta.txt")}))
    return {"one": one, "two": two, "v1": generated(one / "docs"), "v2": generated(two / "docs")}


def upgrade_failing_at(versions: dict, target: Path, fail_at: int,
                       monkeypatch: pytest.MonkeyPatch) -> DiskFull:
    """Copy version 1, switch its seeds to version 2 and build with a write failing."""
    shutil.copytree(versions["one"], target)
    shutil.rmtree(target / "seeds")
    shutil.copytree(versions["two"] / "seeds", target / "seeds")
    shutil.copy(versions["one"] / "seeds" / "slugs.json", target / "seeds" / "slugs.json")
    disk = DiskFull(fail_at)
    monkeypatch.setattr(writer.os, "replace", disk)
    try:
        build(Project(root=target))
    finally:
        monkeypatch.undo()
    return disk


@pytest.mark.slow
def test_a_build_failing_at_any_write_leaves_a_usable_tree_that_the_next_build_repairs(
        versions: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the n-th file replacement for every n: old-or-new files only, no dangling link."""
    writes = upgrade_failing_at(versions, tmp_path / "count", 0, monkeypatch).calls
    assert writes > 10
    v1, v2 = versions["v1"], versions["v2"]
    for fail_at in range(1, writes + 1):
        target = tmp_path / f"fail{fail_at}"
        with pytest.raises(WriteError, match="No space left on device"):
            upgrade_failing_at(versions, target, fail_at, monkeypatch)
        docs = target / "docs"
        on_disk = generated(docs)
        # The manifest may list what the stopped build meant to write: the next build knows
        # every file it may have to remove.
        manifest = json.loads(on_disk.pop(".generated.json"))
        # Stopped once docs/ was being written, it says so: the next build looks for its
        # temporary files (stopped before, at slugs.json, there are none in docs/).
        assert on_disk.pop(writer.WRITING, b"") == b"", fail_at
        assert set(on_disk) <= set(manifest), fail_at
        for path, data in on_disk.items():
            assert data in (v1.get(path), v2.get(path)), (fail_at, path)  # never half a file
        # Pages of the previous build never link to a missing page. Brand-new paper pages
        # may, to other new pages (related papers) not written yet; nothing links to them.
        new_pages = {path for path in on_disk if path not in v1}
        for link in dangling_links(docs):
            source, missing = link.split(" → ")
            assert source in new_pages and missing not in v1, (fail_at, link)
        # Every page on disk has its slug recorded, so its URL can never be handed on.
        registry = json.loads((target / "seeds" / "slugs.json").read_text(encoding="utf-8"))
        pages = {path.removeprefix("papers/").removesuffix("/index.md") for path in on_disk
                 if path.startswith("papers/")}
        assert pages <= set(registry), fail_at
        build(Project(root=target))
        assert generated(docs) == v2, fail_at
        assert (target / "seeds" / "slugs.json").read_bytes() == (
            versions["two"] / "seeds" / "slugs.json").read_bytes()


@pytest.mark.slow
def test_a_half_written_tree_still_builds_with_mkdocs(
        versions: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The previous site stays usable: a real mkdocs build --strict of a build stopped while
    it rewrote the listings (every page then links only to pages that exist)."""
    root = new_project(tmp_path / "site", {}, about=True)
    writes = upgrade_failing_at(versions, tmp_path / "count", 0, monkeypatch).calls
    target = tmp_path / "half"
    with pytest.raises(WriteError):
        upgrade_failing_at(versions, target, writes - 3, monkeypatch)
    assert dangling_links(target / "docs") == []
    assert generated(target / "docs") != versions["v2"]
    shutil.rmtree(root / "docs")
    shutil.copytree(target / "docs", root / "docs")
    shutil.copytree(ROOT / "docs" / "stylesheets", root / "docs" / "stylesheets",
                    dirs_exist_ok=True)
    mkdocs_build(root)
    assert (root / "site" / "papers").is_dir()


def test_the_cli_reports_a_failed_write_in_one_line(
        versions: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """No traceback: "Error: could not write …" and exit status 2."""
    shutil.copytree(versions["two"], tmp_path / "p")
    shutil.rmtree(tmp_path / "p" / "docs" / "papers")
    monkeypatch.setattr(writer.os, "replace", DiskFull(1))
    assert main(["build", "-q", "--root", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.fullmatch(
        r"Error: could not write .*: No space left on device; every file is either as before "
        r"or complete, fix the cause and run the build again", err[0]), err
    assert not list((tmp_path / "p" / "docs").rglob("*.tmp"))


def test_removing_a_dump_removes_only_pages_whose_every_source_is_gone(tmp_path: Path) -> None:
    """Shared papers stay, gone papers go, hand-written and curated files stay untouched."""
    project = project_with(tmp_path, {k: SMALL[k] for k in ("alpha.txt", "beta.txt", "gamma.txt")})
    notes = tmp_path / "docs" / "papers" / "my-notes.md"
    notes.parent.mkdir(parents=True)
    notes.write_text("# My notes\n", encoding="utf-8")
    first = build(project)
    curated = ["docs/about.md", "docs/stylesheets/reading-list.css", "docs/papers/my-notes.md",
               "taxonomy.yml", "seeds/dumps.yaml", "seeds/alpha.txt", "seeds/gamma.txt"]
    before = {path: ((tmp_path / path).read_bytes(), (tmp_path / path).stat().st_mtime_ns)
              for path in curated}
    registry = json.loads((tmp_path / "seeds" / "slugs.json").read_text(encoding="utf-8"))

    (tmp_path / "seeds" / "beta.txt").unlink()
    second = build(project)
    only_beta = {key for key in first if key not in second}
    assert {key.split("|")[0] for key in only_beta} == {"deep residual learning",
                                                        "ri ben yu models"}
    pages = {p.relative_to(tmp_path / "docs" / "papers").as_posix()
             for p in (tmp_path / "docs" / "papers").rglob("*.md")}
    assert pages == {f"{slug}/index.md" for slug in second.values()} | {"my-notes.md"}
    assert all(first[key] == slug for key, slug in second.items())
    shared = json.loads((tmp_path / "docs" / "papers.json").read_text(encoding="utf-8"))
    [record] = [p for p in shared if p["title"] == "Shared Paper"]
    assert [s["dump"] for s in record["sources"]] == ["alpha.txt"]
    after = {path: ((tmp_path / path).read_bytes(), (tmp_path / path).stat().st_mtime_ns)
             for path in curated}
    assert after == before
    # The registry keeps the slugs of papers that left, so they come back on the same URL.
    kept = json.loads((tmp_path / "seeds" / "slugs.json").read_text(encoding="utf-8"))
    assert kept == registry
    (tmp_path / "seeds" / "beta.txt").write_text(SMALL["beta.txt"], encoding="utf-8")
    assert build(project) == first


def test_a_tampered_manifest_never_deletes_hand_written_files(tmp_path: Path) -> None:
    """Paths outside the generated folders in .generated.json are ignored, not removed."""
    project = project_with(tmp_path, {"alpha.txt": SMALL["alpha.txt"]})
    build(project)
    manifest = tmp_path / "docs" / ".generated.json"
    listed = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps([*listed, "about.md", "../taxonomy.yml", "/etc/hosts",
                                     "stylesheets/reading-list.css", "papers/../about.md"]))
    before = snapshot(tmp_path)
    build(project)
    after = snapshot(tmp_path)
    assert {p for p in before if p not in after} == set()
    assert after["docs/about.md"] == before["docs/about.md"]
    assert after["taxonomy.yml"] == before["taxonomy.yml"]


@pytest.fixture(scope="module")
def real_dumps() -> list:
    """The four real dumps, read once."""
    return [load_dump(path) for path in sorted((ROOT / "seeds").glob("*.txt"))]


def keys(dumps: list) -> list[PaperKey]:
    """The merged papers' keys, in the order the pipeline hands them to the registry."""
    records, _ = merge([entry for dump in dumps for entry in dump.entries])
    return [record.key for record in records]


def test_real_seeds_keep_their_registered_slugs_in_every_order(real_dumps: list) -> None:
    """Every order of the real dumps gives the registry's slugs; without it, one same answer."""
    path = ROOT / "seeds" / "slugs.json"
    results, unregistered = [], []
    for order in itertools.permutations(real_dumps):
        merged, registry = keys(list(order)), SlugRegistry.load(path)
        results.append(registry.assign(merged))
        assert not registry.changed
        unregistered.append(SlugRegistry().assign(merged))
    assert all(result == results[0] for result in results)
    assert all(result == unregistered[0] for result in unregistered)
    published = SlugRegistry.load(path)
    assert {published.find(key) for key in results[0]} == set(results[0].values())
    assert len(results) == 24 and len(set(results[0].values())) == len(results[0])


@pytest.mark.slow
def test_small_dumps_give_the_same_slugs_in_every_order(tmp_path: Path) -> None:
    """Near-twins and colliding slugs: no registry, every order, one answer."""
    answers = set()
    for number, order in enumerate(itertools.permutations(SMALL)):
        # Read order follows file names, so prefixes make the pipeline read this order.
        dumps = {f"{place}-{name}": SMALL[name] for place, name in enumerate(order)}
        project = project_with(tmp_path / str(number), dumps)
        (tmp_path / str(number) / "seeds" / "dumps.yaml").write_text("".join(
            f"{name}: {{captured: 2025-10-28}}\n" for name in dumps), encoding="utf-8")
        answers.add(json.dumps(sorted(build(project).items()), ensure_ascii=False))
    assert len(answers) == 1
    slugs = dict(json.loads(answers.pop()))
    assert len(slugs) == len(set(slugs.values())) == 10
    assert {"ri-ben-yu-models", "ri-ben-yu-models-2", "con-paper", "con-paper-2",
            "deep-residual-learning-2", "deep-residual-learning-3"} <= set(slugs.values())


@pytest.mark.slow
def test_added_dumps_never_move_a_published_slug(tmp_path: Path) -> None:
    """Dumps arriving one by one, in every order: a slug once published never changes."""
    for number, order in enumerate(itertools.permutations(SMALL)):
        project = project_with(tmp_path / str(number), {})
        published: dict[str, str] = {}
        for name in order:
            (tmp_path / str(number) / "seeds" / name).write_text(SMALL[name], encoding="utf-8")
            slugs = build(project)
            assert all(slugs[key] == slug for key, slug in published.items()), order
            assert len(set(slugs.values())) == len(slugs)
            published.update(slugs)


def test_an_added_dump_keeps_every_real_slug(real_dumps: list, tmp_path: Path) -> None:
    """A new dump with a near-twin of a real paper: the real paper keeps its slug."""
    registry = SlugRegistry.load(ROOT / "seeds" / "slugs.json")
    before = SlugRegistry.load(ROOT / "seeds" / "slugs.json").assign(keys(real_dumps))
    title = real_dumps[0].entries[0].title
    new = [paper(f"Brand New Paper {n}", f"new {n}") for n in range(3)]
    (tmp_path / "new.txt").write_text(dump_text([paper(title, "a different paper"), *new]), "utf-8")
    after = registry.assign(keys([*real_dumps, load_dump(tmp_path / "new.txt", 2025)]))
    assert all(after[key] == slug for key, slug in before.items())
    assert len(after) == len(before) + 4
    twin = PaperKey.of(title, abstract_for("a different paper"))
    assert after[twin] != before[next(k for k in before if k.title == twin.title)]
