"""Dumps are regular files inside seeds/: links, pipes and folders are refused, never read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.cli import main
from generator.fingerprint import fingerprint
from generator.pipeline import Project
from tests.kit.dumps import ABSTRACT, dump_text

GOOD = dump_text(f"Paper One\n\n{ABSTRACT}\n\n  • 3 authors\n·\nFeb 9, 2024 3")
OUTSIDE = dump_text(f"Secret Paper From Elsewhere\n\n{ABSTRACT} Elsewhere.\n\n  • 2 authors\n·\nFeb 9, 2024 3")
HINT = "(replace it with a copy of the page text saved as a file, or remove it)"


def refused(name: str, kind: str) -> str:
    """The one line a refused dump gives."""
    return f"{name}: error: refused: this is {kind}; a dump must be a regular file inside seeds/ {HINT}"


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """Run ``build`` in-process; its exit status and the problem lines it printed."""
    status = main(["build", "--root", str(root), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, [line for line in err.splitlines() if not line.startswith("--strict")]


def published(root: Path) -> tuple[list[str], list[str]]:
    """Titles in papers.json and slugs in seeds/slugs.json."""
    papers = json.loads((root / "docs" / "papers.json").read_text(encoding="utf-8"))
    slugs = json.loads((root / "seeds" / "slugs.json").read_text(encoding="utf-8"))
    return sorted(paper["title"] for paper in papers), sorted(slugs)


@pytest.fixture
def root(make_project) -> Path:
    """A project with one good dump."""
    return make_project({"2025-10-28-good.txt": GOOD}).root


def test_a_link_to_a_host_file_is_refused_and_never_published(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ln -s /etc/passwd seeds/2025-10-28-x.txt`: one line naming it; passwd reaches nothing."""
    (root / "seeds" / "2025-10-28-x.txt").symlink_to("/etc/passwd")
    status, lines = build(root, capsys)
    assert (status, lines) == (0, [refused("2025-10-28-x.txt", "a symbolic link")])
    assert published(root) == (["Paper One"], ["paper-one"])
    everything = "".join(path.read_text(encoding="utf-8", errors="replace")
                         for path in (root / "docs").rglob("*") if path.is_file())
    assert "root:" not in everything and "/bin/" not in everything


def test_a_link_to_a_readable_dump_elsewhere_is_refused_and_its_slug_never_recorded(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A link to a well-formed dump: its paper gets no page and no slug, then or after."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text(OUTSIDE, encoding="utf-8")
    link = root / "seeds" / "2025-10-28-link.txt"
    link.symlink_to(elsewhere)
    status, lines = build(root, capsys, "--strict")
    assert (status, lines) == (1, [refused(link.name, "a symbolic link")])
    assert published(root) == (["Paper One"], ["paper-one"])
    link.unlink()
    assert build(root, capsys, "--strict") == (0, [])
    assert published(root) == (["Paper One"], ["paper-one"])


def test_a_link_to_a_dump_inside_seeds_is_refused_too(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One dump twice under two names, one of them a link: only the file is read."""
    (root / "seeds" / "2025-10-29-again.txt").symlink_to("2025-10-28-good.txt")
    status, lines = build(root, capsys)
    assert (status, lines) == (0, [refused("2025-10-29-again.txt", "a symbolic link")])
    assert published(root) == (["Paper One"], ["paper-one"])


@pytest.mark.timeout(60)
def test_a_pipe_and_a_folder_are_refused_without_waiting(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A named pipe would block a reader for ever; a folder named like a dump was skipped silently."""
    os.mkfifo(root / "seeds" / "2025-10-28-pipe.txt")
    (root / "seeds" / "2025-10-28-folder.txt").mkdir()
    status, lines = build(root, capsys)
    assert status == 0
    assert lines == [refused("2025-10-28-folder.txt", "a folder"),
                     refused("2025-10-28-pipe.txt", "a named pipe")]
    assert published(root) == (["Paper One"], ["paper-one"])
    check = main(["check", "--strict", "--root", str(root)])
    assert check == 1 and capsys.readouterr().err.count("refused: ") == 2
    # `add` reads the stored dumps to say what is new: the pipe must not hang it either.
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(OUTSIDE, encoding="utf-8")
    status = main(["add", str(pasted), "--captured", "2025-10-30", "--root", str(root)])
    assert status == 0 and "new: Secret Paper From Elsewhere" in capsys.readouterr().out


def test_the_nothing_changed_check_never_reads_through_a_link(root: Path, tmp_path: Path) -> None:
    """The fingerprint takes a refused link as where it points, not the host file's bytes."""



    host = tmp_path / "host-file"
    host.write_text("secret one\n", encoding="utf-8")
    (root / "seeds" / "2025-10-28-x.txt").symlink_to(host)
    before = fingerprint(Project(root=root))
    host.write_text("secret two, longer\n", encoding="utf-8")
    assert fingerprint(Project(root=root)) == before
    (root / "seeds" / "2025-10-28-x.txt").unlink()
    (root / "seeds" / "2025-10-28-x.txt").symlink_to(tmp_path / "elsewhere")
    assert fingerprint(Project(root=root)) != before
