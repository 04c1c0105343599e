"""generator/mkdocs/partial.py: MkDocs' --dirty build renders the planned pages, read when asked."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from generator.mkdocs import partial
from generator.publish.engines import GO, PARTIAL, engine_named, look_before, start_early
from tests.kit.corpus import DUMPS
from tests.kit.project import generate, new_project


@pytest.fixture
def restored() -> Iterator[None]:
    """File.is_modified as MkDocs has it, whatever a test patched."""
    by_mtime = File.is_modified
    yield
    File.is_modified = by_mtime  # type: ignore[method-assign]


def _file(src_uri: str, src_dir: Path, site: Path) -> File:
    (src_dir / src_uri).parent.mkdir(parents=True, exist_ok=True)
    (src_dir / src_uri).write_text("x", encoding="utf-8")
    return File(src_uri, str(src_dir), str(site), use_directory_urls=True)


def test_docs_files_are_modified_exactly_when_planned_and_the_plan_is_read_once(
        tmp_path: Path, restored: None) -> None:
    docs, theme, site = tmp_path / "docs", tmp_path / "theme", tmp_path / "site"
    reads: list[str] = []

    def plan() -> str:
        reads.append("read")
        return '["papers/a/index.md", "lists/all.json"]'

    partial.modified_as_planned(str(docs), plan)
    planned, unplanned = _file("papers/a/index.md", docs, site), _file("papers/b/index.md", docs, site)
    data = _file("lists/all.json", docs, site)
    theme_file = _file("assets/x.js", theme, site)
    assert not reads  # Not before MkDocs asks.
    # b has no output, so MkDocs' mtimes would call it modified: the plan says it is not.
    assert (planned.is_modified(), unplanned.is_modified(), data.is_modified()) == (True, False, True)
    assert theme_file.is_modified()  # By mtime: its output does not exist.
    Path(theme_file.abs_dest_path).parent.mkdir(parents=True)
    Path(theme_file.abs_dest_path).write_text("x", encoding="utf-8")
    assert not theme_file.is_modified()
    assert reads == ["read"]


@pytest.mark.parametrize("text", ["", "{}", '{"rendered": []}', "[1]", "not json"])
def test_anything_but_a_list_of_paths_is_no_plan(text: str) -> None:
    with pytest.raises(partial.NoPlan, match="no build plan on standard input"):
        partial.read_plan(text)


def _partial(tmp_path: Path) -> list[str]:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    return [sys.executable, str(PARTIAL), "--docs", str(tmp_path / "docs"), "build", "--dirty"]


@pytest.mark.parametrize(("given", "said"), [
    ("", "standard input closed before docs/ was complete"),
    ("something else\n", "standard input closed before docs/ was complete"),
    (f"{GO}\n", "no build plan on standard input"),
])
def test_a_partial_build_without_its_go_or_its_plan_stops_and_says_why(
        tmp_path: Path, given: str, said: str) -> None:
    command = _partial(tmp_path)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    done = subprocess.run(command, cwd=tmp_path, input=given, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode != 0
    assert said in done.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_partial_build_started_early_reads_docs_only_once_told(tmp_path: Path) -> None:
    """engines.start_early starts it before docs/ is written: what it builds is what is there
    when the line comes, not when it started."""
    command = _partial(tmp_path)
    (tmp_path / "docs" / "index.md").write_text("# Before\n", encoding="utf-8")
    engine = subprocess.Popen(command, cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    # However long the wait, it has read nothing: MkDocs' build has not begun.
    time.sleep(3)
    assert engine.poll() is None and not (tmp_path / "site").exists()
    (tmp_path / "docs" / "index.md").write_text("# After\n", encoding="utf-8")
    (tmp_path / "docs" / "new.md").write_text("# New\n", encoding="utf-8")
    _, errors = engine.communicate(f'{GO}\n["index.md", "new.md"]', timeout=120)
    assert engine.returncode == 0, errors
    assert "After" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "new" / "index.html").exists()


def test_the_script_and_the_publisher_agree_on_the_line() -> None:
    assert partial.GO == GO


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_engine_is_started_early_for_a_full_build(tmp_path: Path, engine: str) -> None:
    """Before a project's first publish, or with an engine that has no partial build, every
    page is rendered: the engine starts once docs/ is complete, with nothing to hold."""
    root = new_project(tmp_path / "project", DUMPS)
    assert generate(root) == 0
    chosen = engine_named(engine)
    assert start_early(root, chosen, look_before(root, chosen)) is None
