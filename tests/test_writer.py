"""The writer: only its own folders, only changed files, only its own stale files removed."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.problems import WriteError
from generator.write.writer import WRITING, Writer, atomic_write, owns
from tests.kit.dumps import ABSTRACT, dump_text

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


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["papers", "a", ".", "..", "", ".x", "x.md", "..y", " "]), max_size=5),
       st.booleans())
def test_a_path_is_checked_and_placed_as_a_posix_path_would_be(names: list[str], absolute: bool) -> None:
    """The writer's string check (no Path per page) agrees with PurePosixPath's reading."""
    relative = ("/" if absolute else "") + "/".join(names)
    root = Path("/project/docs")
    posix = PurePosixPath(relative)
    writer = Writer(root, OWNED)
    if posix.is_absolute() or ".." in posix.parts or not posix.parts or not owns(OWNED, relative):
        with pytest.raises(WriteError, match="refusing to write"):
            writer._check(relative)
    else:
        assert writer._check(relative) == root.joinpath(*posix.parts)


def test_refuses_two_pages_on_one_path(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="two pages for one path"):
        Writer(tmp_path, OWNED).write({"papers/A.md": "1", "papers/a.md": "2"})


def test_a_killed_runs_temporary_files_are_removed_and_nothing_else(tmp_path: Path) -> None:
    writer = Writer(tmp_path, OWNED)
    writer.write({"index.md": "home", "papers/a.md": "A", "papers/b.md": "B"})
    # What atomic_write leaves when a run is killed between creating and renaming its file.
    left = [tmp_path / "papers" / ".a.md.k2j_x9q1.tmp", tmp_path / ".index.md.abcdefgh.tmp",
            tmp_path / "..generated.json.0a1b2c3d.tmp", tmp_path / "papers" / ".b.md.zzzzzzzz.tmp"]
    # Files of the user's that only look alike: not the writer's temporary files of its pages.
    mine = [tmp_path / "papers" / ".notes.md.abcdefgh.tmp", tmp_path / "papers" / ".a.md.tmp",
            tmp_path / "papers" / "a.md.abcdefgh.tmp"]
    for path in left + mine:
        path.write_bytes(b"")
    # A run that finished searches no folder for them: only a run stopped half-way leaves some.
    writer.write({"index.md": "home", "papers/a.md": "A", "papers/b.md": "B"})
    assert all(path.exists() for path in left + mine)
    (tmp_path / WRITING).touch()  # What the killed run leaves beside them.
    writer.write({"index.md": "home", "papers/a.md": "A"})  # b.md goes: its leftover too.
    assert [path.name for path in left if path.exists()] == []
    assert all(path.exists() for path in mine)
    assert not (tmp_path / WRITING).exists()


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_files_are_written_readable_as_the_umask_allows(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        Writer(tmp_path, OWNED).write({"index.md": "home", "papers/a.md": "A"})
        atomic_write(tmp_path / "other.json", b"{}")
    finally:
        os.umask(old)
    for path in (tmp_path / "index.md", tmp_path / "papers" / "a.md", tmp_path / "other.json",
                 tmp_path / ".generated.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path


def test_emptied_folders_go_and_folders_holding_anything_stay(tmp_path: Path) -> None:
    writer = Writer(tmp_path, ("papers",))
    pages = {f"papers/{group}/{deeper}/{n}.md": "x" for group in "abc" for deeper in "xy"
             for n in range(30)}
    writer.write(pages)
    (tmp_path / "papers" / "b" / "y" / "mine.md").write_text("mine", encoding="utf-8")
    report = writer.write({"papers/c/x/0.md": "x"})
    assert len(report.removed) == len(pages) - 1
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert left == [".generated.json", "papers", "papers/b", "papers/b/y", "papers/b/y/mine.md",
                    "papers/c", "papers/c/x", "papers/c/x/0.md"]


def test_a_file_of_the_users_in_an_owned_folder_is_never_overwritten(tmp_path: Path) -> None:
    """A note where a page goes: left as it is, not recorded, every other file written."""
    writer = Writer(tmp_path, OWNED)
    writer.write({"index.md": "home", "papers/a.md": "A"})
    (tmp_path / "papers" / "b.md").write_text("# my note", encoding="utf-8")
    with pytest.raises(WriteError) as refused:
        writer.write({"index.md": "home 2", "papers/a.md": "A", "papers/b.md": "B", "papers/c.md": "C"})
    assert str(refused.value) == (
        f"{tmp_path}/papers/b.md: not written: this file is yours ({tmp_path}/.generated.json does "
        "not list it), so it stays as it is; move your text elsewhere (a paper's note goes in "
        "curation.yml, 'note:') or rename the file, then build again; if an earlier build made "
        "it, delete it")
    assert (tmp_path / "papers" / "b.md").read_text(encoding="utf-8") == "# my note"
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == "home 2"
    assert (tmp_path / "papers" / "c.md").read_text(encoding="utf-8") == "C"
    assert writer.previous() == ["index.md", "papers/a.md", "papers/c.md"]
    # The paper leaves: the note is not the writer's to remove.
    assert writer.write({"index.md": "home"}).removed == ["papers/a.md", "papers/c.md"]
    assert (tmp_path / "papers" / "b.md").read_text(encoding="utf-8") == "# my note"


def test_a_link_of_the_users_is_never_replaced(tmp_path: Path) -> None:
    """A symbolic link in an owned folder is the user's even when it points at the same text."""
    (tmp_path / "papers").mkdir()
    (tmp_path / "mine.md").write_text("A", encoding="utf-8")
    (tmp_path / "papers" / "a.md").symlink_to(tmp_path / "mine.md")
    writer = Writer(tmp_path, OWNED)
    with pytest.raises(WriteError, match=r"papers/a\.md: not written: this file is yours"):
        writer.write({"papers/a.md": "A"})
    assert (tmp_path / "papers" / "a.md").is_symlink()


def test_a_lost_manifest_adopts_the_files_that_hold_what_would_be_written(tmp_path: Path) -> None:
    """Pages identical to the new ones are ours again; a differing one is kept and named."""
    writer = Writer(tmp_path, OWNED)
    writer.write({"index.md": "home", "papers/a.md": "A", "papers/b.md": "B"})
    (tmp_path / ".generated.json").unlink()
    with pytest.raises(WriteError, match=r"papers/b\.md: not written") as refused:
        writer.write({"index.md": "home", "papers/a.md": "A", "papers/b.md": "B changed"})
    assert str(refused.value).count("\n") == 0
    assert writer.previous() == ["index.md", "papers/a.md"]
    assert (tmp_path / "papers" / "b.md").read_text(encoding="utf-8") == "B"
    # The user deletes it as told: the next write is clean and the page is ours.
    (tmp_path / "papers" / "b.md").unlink()
    report = writer.write({"index.md": "home", "papers/a.md": "A", "papers/b.md": "B changed"})
    assert (report.written, report.refused) == (["papers/b.md"], [])


def test_the_users_note_survives_its_paper_arriving_and_leaving(make_project, capsys) -> None:
    """The issue's steps: a note at docs/papers/<slug>.md, a dump holding that paper, build."""
    project = make_project({"2025-10-28-a.txt": dump_text(f"Paper One\n\n{ABSTRACT}")})
    assert main(["build", "--root", str(project.root), "-q"]) == 0
    note = project.docs / "papers" / "attention-is-all-you-need.md"
    note.write_text("# my note\n", encoding="utf-8")
    arriving = project.seeds / "2025-10-29-b.txt"
    arriving.write_text(dump_text(f"Attention Is All You Need\n\n{ABSTRACT} Attention."),
                        encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(project.root), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {note}: not written: this file is yours") and err.count("\n") == 1
    assert note.read_text(encoding="utf-8") == "# my note\n"
    exported = json.loads((project.docs / "papers.json").read_text(encoding="utf-8"))
    assert sorted(paper["title"] for paper in exported) == ["Attention Is All You Need", "Paper One"]
    arriving.unlink()
    assert main(["build", "--root", str(project.root), "-q"]) == 0
    assert note.read_text(encoding="utf-8") == "# my note\n"
