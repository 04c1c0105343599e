"""generator/mkdocs/partial.py: MkDocs' --dirty build renders the planned pages, read when asked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from generator.mkdocs import partial
from generator.publish.engines import PARTIAL


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


def test_a_partial_build_without_its_plan_stops_and_says_why(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(PARTIAL), "--docs", str(tmp_path / "docs"), "build",
                           "--dirty"], cwd=tmp_path, input="", capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode != 0
    assert "no build plan on standard input" in done.stderr
    assert not (tmp_path / "site" / "index.html").exists()
