"""`make site` after a change renders only what changed, and equals a cold build byte for byte."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.publish import engines as publishing
from generator.publish import sitecache, siteupdate
from tests.kit.dumps import ABSTRACT, dump_text
from tests.kit.project import REAL_SEEDS, ROOT, copy_project

pytestmark = pytest.mark.slow

# Three papers no dump has, in a dump whose name sorts before the others (a backfilled week):
# they still join the newest search shard, by the slug registry's arrivals.
NEW_TITLES = ("Quokkaformer: Marsupial Attention for Sparse Rewards",
              "Wombat Planning with Burrowed World Models",
              "Numbat Critics for Termite-Scale Exploration")
ADDED = dump_text("\n\n".join(f"{title}\n\n{ABSTRACT}\n\n  • 3 authors\n·\nFeb 9 3" for title in NEW_TITLES))
ADDED_NAME = "000_000_backfilled.txt"
INPUTS = ("mkdocs.yml", "taxonomy.yml", "generator", "overrides", "docs/stylesheets", "seeds")
ENV = {"READING_LIST_SEARCH_ENGINE": "pagefind"}


def run_site(project: Path) -> subprocess.CompletedProcess[str]:
    """``python -m generator site`` in the project (what `make site` runs)."""
    inherited = {name: value for name, value in os.environ.items() if name not in {"SITE_URL", "ENGINE"}}
    return subprocess.run([sys.executable, "-m", "generator", "site"], cwd=project, env={**inherited, **ENV},
                          capture_output=True, text=True, check=False, timeout=300)


def make_site(project: Path) -> str:
    """``python -m generator site`` in the project; its summary line (it must succeed)."""
    done = run_site(project)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stderr.strip().splitlines()[-1]


def small_shards(project: Path) -> None:
    """Shards of 40 pages, so 89 papers make three and the search side has shards to keep."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    pagefind_from: 1000\n", "    pagefind_from: 1000\n    shard_pages: 40\n"), encoding="utf-8")
    assert "shard_pages: 40" in config.read_text(encoding="utf-8")


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file()}


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {path.relative_to(site).as_posix(): (path.stat().st_mtime_ns, path.stat().st_ino)
            for path in site.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of one real dump (89 papers), built once."""
    project = copy_project(tmp_path_factory.mktemp("base") / "project", REAL_SEEDS[:1])
    small_shards(project)
    make_site(project)
    return project


@pytest.fixture(scope="module")
def grown(base: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The base project with a new dump built again (incremental), and the same inputs built cold."""
    project = tmp_path_factory.mktemp("grown") / "project"
    shutil.copytree(base, project, symlinks=True)
    (project / "seeds" / ADDED_NAME).write_text(ADDED, encoding="utf-8")
    summaries = [make_site(project)]
    before = stamps(project / "site")
    summaries.append(make_site(project))
    assert stamps(project / "site") == before, "a second make site wrote into site/"
    # Cold: a fresh copy of the inputs (the slug registry included), no docs/, cache or site.
    cold = tmp_path_factory.mktemp("cold") / "project"
    for name in INPUTS:
        source = project / name
        if source.is_dir():
            shutil.copytree(source, cold / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (cold / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, cold / name)
    summaries.append(make_site(cold))
    return project, cold, summaries


def test_incremental_build_equals_a_cold_build(grown: tuple[Path, Path, list[str]]) -> None:
    project, cold, (incremental, again, full) = grown
    assert "full build: no earlier build" in full
    # Only the pages whose Markdown changed were rendered, only the newest shard indexed.
    rendered = re.search(r"(\d+) of (\d+) pages rendered again", incremental)
    assert rendered, incremental
    assert 0 < int(rendered.group(1)) < int(rendered.group(2))
    assert "1 of 3 shards indexed" in incremental
    assert "0 files written" in again and "0 of 3 shards indexed" in again
    ours, theirs = tree(project / "site"), tree(cold / "site")
    assert sorted(ours) == sorted(theirs)
    assert [path for path in ours if ours[path] != theirs[path]] == []
    assert any(path.startswith("pagefind-2/") for path in ours)


def test_header_search_finds_a_new_paper(grown: tuple[Path, Path, list[str]]) -> None:
    # In a process of its own: Playwright's sync API refuses to run inside the event loop
    # other browser tests of the session leave behind.
    script = ("import json, sys; from pathlib import Path; from bench.browser import first_search; "
              "found = first_search(Path(sys.argv[1]), 'quokkaformer'); "
              "print(json.dumps([found.results, found.first_url]))")
    done = subprocess.run([sys.executable, "-c", script, str(grown[0] / "site")], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    results, first = json.loads(done.stdout.strip().splitlines()[-1])
    assert results >= 1
    assert "quokkaformer-marsupial-attention-for-sparse-rewards" in first


@pytest.fixture
def changed(base: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the built base project, its cache and site with it, to change one input of."""
    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    yield project


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_unchanged_inputs_render_nothing_again(changed: Path) -> None:
    summary = make_site(changed)
    assert re.search(r"; 0 of \d+ pages rendered again", summary), summary


def with_notes(project: Path, link: str) -> None:
    """Two pages of the user's own under docs/notes/, the first linking to the second; built."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("not_in_nav: |\n", "not_in_nav: |\n  /notes/\n"),
                      encoding="utf-8")
    notes = project / "docs" / "notes"
    notes.mkdir()
    (notes / "index.md").write_text(f"# Notes\n\nSee [the method]({link}).\n", encoding="utf-8")
    (notes / "method.md").write_text("# Method\n\n## First step\n\nText.\n", encoding="utf-8")
    make_site(project)


@pytest.mark.parametrize("change", ["the anchor goes", "a link to a missing anchor comes"])
def test_a_partial_build_checks_anchors_as_a_cold_build_does(changed: Path, change: str) -> None:
    """MkDocs checks an anchor only on pages it renders: a partial build renders both ends."""
    with_notes(changed, "method.md#first-step")
    if change == "the anchor goes":
        page, text = changed / "docs" / "notes" / "method.md", "# Method\n\n## Second step\n\nText.\n"
    else:
        page, text = changed / "docs" / "notes" / "index.md", "# Notes\n\n[Later](method.md#no-such-step)\n"
    page.write_text(text, encoding="utf-8")
    done = run_site(changed)
    assert done.returncode != 0 and "contains a link 'method.md#" in done.stderr, done.stderr
    assert "does not contain an anchor" in done.stderr


def test_mkdocs_yml_change_rebuilds_every_page(changed: Path) -> None:
    config = changed / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_name: ML Reading List", "site_name: Marsupial Reading List"), encoding="utf-8")
    summary = make_site(changed)
    assert "full build: mkdocs.yml, settings changed" in summary
    assert all("Marsupial Reading List" in page.read_text(encoding="utf-8")
               for page in pages(changed / "site"))


@pytest.mark.parametrize("change", ["none", "mkdocs.yml"])
def test_an_engine_started_early_is_used_only_for_the_inputs_it_read(
        changed: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    """`make site` starts MkDocs while the generator writes docs/ (engines.start_early): a
    change of mkdocs.yml meanwhile makes publishing start it again, with the new settings."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SITE_URL", raising=False)
    engine = publishing.engine_named("mkdocs")
    before = publishing.look_before(changed, engine)
    early = publishing.start_early(changed, engine, before)
    assert early is not None and early.engine.process.poll() is None
    if change == "mkdocs.yml":
        config = changed / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "site_name: ML Reading List", "site_name: Marsupial Reading List"), encoding="utf-8")
    summary = publishing.publish(changed, engine, before=before, early=early)
    # Used, it ran to its end; not used, it was stopped (by SIGTERM) before reading docs/.
    assert early.engine.process.returncode == (0 if change == "none" else -15)
    if change == "none":
        assert re.search(r"; 0 of \d+ pages rendered again", summary), summary
    else:
        assert "full build: mkdocs.yml, settings changed" in summary
        assert all("Marsupial Reading List" in page.read_text(encoding="utf-8")
                   for page in pages(changed / "site"))


def test_overrides_change_rebuilds_every_page(changed: Path) -> None:
    # The theme's templates compiled by the last build are kept (generator/mkdocs/hooks.py):
    # the changed one must be compiled again, not read from there.
    assert any((changed / ".engine-cache" / "jinja").iterdir())
    header = changed / "overrides" / "partials" / "header.html"
    header.write_text("<!-- header v2 -->\n" + header.read_text(encoding="utf-8"), encoding="utf-8")
    summary = make_site(changed)
    assert "full build: overrides/ changed" in summary
    assert all("<!-- header v2 -->" in page.read_text(encoding="utf-8") for page in pages(changed / "site"))


def test_hooks_change_rebuilds_every_generated_page(changed: Path) -> None:
    hooks = changed / "generator" / "mkdocs" / "hooks.py"
    text = before = hooks.read_text(encoding="utf-8")
    # Both ways a page's content leaves the hooks: Python-Markdown's, and the shortcut's.
    for returned in ("put_back(html, _SET_ASIDE.pop(page.file.src_uri, []))", "converted.html"):
        assert f"return {returned}\n" in text
        text = text.replace(f"return {returned}\n", f'return {returned} + "<!--h2-->"\n')
    hooks.write_text(text, encoding="utf-8")
    assert hooks.read_text(encoding="utf-8") != before
    summary = make_site(changed)
    assert "generator code, hooks changed" in summary
    papers = sorted((changed / "site" / "papers").glob("*/index.html"))
    assert len(papers) == 89
    assert all("<!--h2-->" in page.read_text(encoding="utf-8") for page in papers)


def test_generator_code_change_rebuilds_what_it_makes(changed: Path) -> None:
    # The hooks put the generator's HTML blocks back with generator/render/html_blocks.py, and the
    # search index reads pages through it: a change there reaches every page and every shard.
    blocks = changed / "generator" / "render" / "html_blocks.py"
    text = blocks.read_text(encoding="utf-8")
    blocks.write_text(text.replace("return _MARKER.sub(", 'return "<!--b2-->" + _MARKER.sub('), encoding="utf-8")
    assert blocks.read_text(encoding="utf-8") != text
    summary = make_site(changed)
    assert "full build: generator code changed" in summary
    assert "3 of 3 shards indexed" in summary
    papers = sorted((changed / "site" / "papers").glob("*/index.html"))
    assert papers and all("<!--b2-->" in page.read_text(encoding="utf-8") for page in papers)


def test_theme_version_change_rebuilds_every_page(changed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade of Material, simulated where the fingerprint reads installed versions."""
    engine_dir = changed / sitecache.CACHE / "mkdocs"
    before = {path: path.stat().st_mtime_ns for path in engine_dir.rglob("*.html")}
    installed = sitecache.installed_packages()
    monkeypatch.setattr(sitecache, "installed_packages",
                        lambda: {**installed, "mkdocs-material": installed["mkdocs-material"] + ".post1"})
    monkeypatch.setenv("READING_LIST_SEARCH_ENGINE", "pagefind")
    monkeypatch.delenv("SITE_URL", raising=False)
    summary = publishing.publish(changed, publishing.engine_named("mkdocs"))
    assert "full build: installed packages changed" in summary
    # A full build's pages are staged after it, by two processes, not as it writes them.
    assert "staged as mkdocs wrote them" not in summary
    assert before and all(path.stat().st_mtime_ns > stamp for path, stamp in before.items())


def spoil(site: Path) -> None:
    """Change site/ by hand: a page rewritten, one deleted, a file added."""
    (site / "index.html").write_text("edited by hand\n", encoding="utf-8")
    next(iter(sorted((site / "papers").glob("*/index.html")))).unlink()
    (site / "stray.html").write_text("<p>not built</p>\n", encoding="utf-8")


def test_the_engines_pages_are_staged_while_the_index_is_written(
        changed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a dump the index can take longer than the engine: its wait comes after the engine's pages."""
    calls: list[str] = []
    stage, finish = siteupdate.SiteUpdate.stage, publishing._finish_indexing

    def staging(update: siteupdate.SiteUpdate, files: dict[str, Path], fresh: set[str],
                final: dict[str, list[int]] | None = None) -> None:
        calls.append(f"stage {len(files)}")
        stage(update, files, fresh, final)

    def finishing(process: subprocess.Popen[str]) -> str:
        calls.append("index done")
        return finish(process)

    monkeypatch.setattr(siteupdate.SiteUpdate, "stage", staging)
    monkeypatch.setattr(publishing, "_finish_indexing", finishing)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    home = changed / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    summary = publishing.publish(changed, publishing.engine_named("mkdocs"))
    engine_files = len(list((changed / ".engine-cache" / "mkdocs").rglob("*.*")))
    assert calls[:2] == [f"stage {engine_files}", "index done"] and calls[2].startswith("stage ")
    # The pages MkDocs rendered again were staged while it ran, as its hooks named them.
    rendered = re.search(r"; (\d+) of \d+ pages rendered again;.*, (\d+) staged as mkdocs wrote them\)$", summary)
    assert rendered and rendered.group(1) == rendered.group(2), summary


def test_a_site_changed_by_hand_is_repaired(changed: Path) -> None:
    built = tree(changed / "site")
    spoil(changed / "site")
    summary = make_site(changed)
    assert re.search(r"; 0 of \d+ pages rendered again", summary), summary
    assert "3 files written" not in summary and "2 files written" in summary
    assert tree(changed / "site") == built


def test_a_run_stopped_while_applying_is_repaired_by_the_next(changed: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed after one changed file is in place: no record is left, so the next run repairs site/."""
    built = tree(changed / "site")
    spoil(changed / "site")
    placed: list[str] = []
    place = siteupdate.place

    def stop_after_one(staged: str, destination: str) -> None:
        if placed:
            raise KeyboardInterrupt
        placed.append(destination)
        place(staged, destination)

    monkeypatch.setattr(siteupdate, "place", stop_after_one)
    monkeypatch.setenv("READING_LIST_SEARCH_ENGINE", "pagefind")
    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(KeyboardInterrupt):
        publishing.publish(changed, publishing.engine_named("mkdocs"))
    assert len(placed) == 1 and tree(changed / "site") != built
    assert sitecache.load(changed / sitecache.CACHE) is None
    assert not list(changed.glob(".site-*"))
    make_site(changed)
    assert tree(changed / "site") == built


def test_a_build_failing_after_docs_is_written_leaves_the_site_as_it_was(changed: Path) -> None:
    """The engine starts once docs/ is complete, while the build still saves its record: when
    that fails, the build's exit status still stops site/ from changing."""
    built = tree(changed / "site")
    (changed / "seeds" / ADDED_NAME).write_text(ADDED, encoding="utf-8")
    record = changed / "docs" / ".generated-inputs.json"
    record.unlink()
    record.mkdir()  # Its record cannot be written: the build fails after writing docs/.
    done = run_site(changed)
    assert done.returncode != 0
    assert "could not write" in done.stderr and "site/ was left as it was" in done.stderr, done.stderr
    assert (changed / "docs" / "papers" / "quokkaformer-marsupial-attention-for-sparse-rewards").is_dir()
    assert tree(changed / "site") == built
    record.rmdir()
    make_site(changed)
    assert (changed / "site" / "papers" / "quokkaformer-marsupial-attention-for-sparse-rewards" / "index.html").is_file()
