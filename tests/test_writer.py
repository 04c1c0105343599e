"""The writer: only its own folders, only changed files, only its own stale files removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import WriteError
from generator.writer import Writer

OWNED = ("index.md", "papers")


def test_writes_only_what_changed_and_removes_only_its_own_stale_files(tmp_path: Path) -> None:
    writer = Writer(tmp_path, OWNED)
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "hand-written.md").write_text("mine", encoding="utf-8")
    first = writer.write({"index.md": "home", "papers/a.md": "A", "papers/b.md": "B"})
    assert first.written == ["index.md", "papers/a.md", "papers/b.md"]
    before = (tmp_path / "papers" / "a.md").stat().st_mtime_ns
    second = writer.write({"index.md": "home", "papers/a.md": "A"})
    assert (second.written, second.unchanged, second.removed) == ([], 2, ["papers/b.md"])
    assert (tmp_path / "papers" / "a.md").stat().st_mtime_ns == before
    assert (tmp_path / "papers" / "hand-written.md").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("path", ["../escape.md", "/etc/passwd", "about.md", "papers/../../x.md", ""])
def test_refuses_paths_outside_its_folders(tmp_path: Path, path: str) -> None:
    with pytest.raises(WriteError, match="refusing to write"):
        Writer(tmp_path, OWNED).write({path: "x"})


def test_refuses_two_pages_on_one_path(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="two pages for one path"):
        Writer(tmp_path, OWNED).write({"papers/A.md": "1", "papers/a.md": "2"})


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    report = Writer(tmp_path, OWNED).write({"papers/a.md": "A"}, dry_run=True)
    assert report.written == ["papers/a.md"] and not any(tmp_path.iterdir())
