"""The listing pages rendered in a forked child: the same docs/ as in one process, any failure
of the child costs time only."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import pytest

from generator import pipeline
from generator.cli import main
from generator.fingerprint import RECORD
from tests.kit.corpus import CURATION, DUMPS
from tests.kit.dumps import ABSTRACT, dump_text
from tests.kit.project import new_project, snapshot

FORKS = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="in_fork forks on Linux only")


@FORKS
def test_the_childs_answer_comes_back_whole() -> None:
    pages = {f"tags/t/{number}/index.md": f"é ★ {number} " * 5_000 for number in range(50)}
    parent = os.getpid()
    assert pipeline.in_fork(lambda: (os.getpid() != parent, pages))() == (True, pages)


def test_a_failing_child_leaves_the_work_to_this_process() -> None:
    """An error in the child is raised here, by doing the work here: the same error."""
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            raise ValueError("only in the child")
        return "done here"

    assert pipeline.in_fork(work)() == "done here"

    def failing() -> str:
        raise ValueError("everywhere")

    with pytest.raises(ValueError, match="everywhere"):
        pipeline.in_fork(failing)()


def test_a_child_killed_or_answering_nonsense_leaves_the_work_to_this_process() -> None:
    parent = os.getpid()

    def killed() -> str:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return "done here"

    assert pipeline.in_fork(killed)() == "done here"

    class Unpicklable:
        def __reduce__(self) -> object:
            raise TypeError("no")

    def unpicklable() -> object:
        return Unpicklable() if os.getpid() != parent else "done here"

    assert pipeline.in_fork(unpicklable)() == "done here"


@FORKS
def test_a_process_with_other_threads_does_the_work_itself() -> None:
    """`make serve` regenerates from its watcher's thread: no fork beside other threads."""
    parent = os.getpid()
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        assert pipeline.in_fork(os.getpid)() == parent
    finally:
        waiting.set()
        other.join()
    assert pipeline.in_fork(os.getpid)() != parent


def test_off_linux_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert pipeline.in_fork(os.getpid)() == os.getpid()


def _docs(root: Path) -> dict[str, str]:
    """docs/ as hashes, but for the build's record (it holds the files' times)."""
    return {path: text for path, text in snapshot(root / "docs").items() if path != RECORD}


def test_docs_is_the_same_built_with_or_without_the_child(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build, a build after a new dump, and one after a listing page was edited by
    hand: the pages the child found unchanged are kept, the others written."""
    built = {}
    for apart in (True, False):
        monkeypatch.setattr(pipeline, "PARALLEL", apart)
        root = new_project(tmp_path / str(apart), DUMPS, curation=CURATION)
        assert main(["build", "--root", str(root)]) == 0
        first = _docs(root)
        (root / "seeds" / "2025-11-02-new.txt").write_text(
            dump_text(f"Quokka Planning\n\n{ABSTRACT}\n\n  • 2 authors\n·\nNov 1 4"), encoding="utf-8")
        assert main(["build", "--root", str(root)]) == 0
        second = _docs(root)
        (root / "docs" / "code" / "index.md").write_text("edited", encoding="utf-8")
        assert main(["build", "--root", str(root)]) == 0
        built[apart] = (first, second, _docs(root))
    assert built[True] == built[False]
    first, second, third = built[True]
    assert first != second and second == third
