"""The listing pages rendered in a forked child: the same docs/ as in one process, any failure
of the child costs time only.

in_fork forks only in a process with no other thread, and a test worker may hold threads
other tests left (a browser's event loop, a server): what needs a real child runs in a
fresh Python of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from generator import pipeline
from generator.cli import main
from generator.fingerprint import RECORD
from tests.kit.corpus import CURATION, DUMPS
from tests.kit.dumps import ABSTRACT, dump_text
from tests.kit.project import ROOT, new_project, snapshot

FORKS = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="in_fork forks on Linux only")
NEW_DUMP = dump_text(f"Quokka Planning\n\n{ABSTRACT}\n\n  • 2 authors\n·\nNov 1 4")


def _fresh_python(script: str, *args: str) -> object:
    """What a script run by a Python of its own prints last, read as JSON."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@FORKS
def test_the_child_works_and_its_answer_comes_back_whole_or_is_done_here() -> None:
    answers = _fresh_python("""
        import json, os, signal, threading
        from generator.pipeline import in_fork
        parent = os.getpid()
        pages = {f"tags/t/{n}/index.md": f"é ★ {n} ".encode() * 5_000 for n in range(50)}

        def in_child():
            return os.getpid() != parent

        def failing_in_child():
            if in_child():
                raise ValueError("only in the child")
            return "done here"

        def killed_in_child():
            if in_child():
                os.kill(os.getpid(), signal.SIGKILL)
            return "done here"

        class Unpicklable:
            def __reduce__(self):
                raise TypeError("no")

        def unpicklable_in_child():
            return Unpicklable() if in_child() else "done here"

        waiting = threading.Event()
        other = threading.Thread(target=waiting.wait)
        other.start()
        beside_a_thread = in_fork(in_child)()
        waiting.set()
        other.join()
        print(json.dumps({
            "forked": in_fork(in_child)(),
            "whole": in_fork(lambda: pages)() == pages,
            "failing": in_fork(failing_in_child)(),
            "killed": in_fork(killed_in_child)(),
            "unpicklable": in_fork(unpicklable_in_child)(),
            "beside a thread": beside_a_thread,
        }))
    """)
    assert answers == {"forked": True, "whole": True, "failing": "done here", "killed": "done here",
                       "unpicklable": "done here", "beside a thread": False}


def test_an_error_is_raised_here_as_without_the_child() -> None:
    def failing() -> str:
        raise ValueError("everywhere")

    with pytest.raises(ValueError, match="everywhere"):
        pipeline.in_fork(failing)()


def test_beside_other_threads_or_off_linux_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make serve` regenerates from its watcher's thread: no fork beside other threads."""
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        assert pipeline.in_fork(os.getpid)() == os.getpid()
    finally:
        waiting.set()
        other.join()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert pipeline.in_fork(os.getpid)() == os.getpid()


def _docs(root: Path) -> dict[str, str]:
    """docs/ as hashes, but for the build's record (it holds the files' times)."""
    return {path: text for path, text in snapshot(root / "docs").items() if path != RECORD}


BUILDS = """
    import json, os, sys
    from pathlib import Path
    from generator import pipeline
    from generator.cli import main
    forks = []
    fork = os.fork
    os.fork = lambda: forks.append(1) or fork()
    root = Path(sys.argv[1])
    assert main(["build", "--root", str(root), "-q"]) == 0
    (root / "seeds" / "2025-11-02-new.txt").write_text(sys.argv[2], encoding="utf-8")
    assert main(["build", "--root", str(root), "-q"]) == 0
    (root / "docs" / "code" / "index.md").write_text("edited", encoding="utf-8")
    assert main(["build", "--root", str(root), "-q"]) == 0
    print(json.dumps(len(forks)))
"""


@FORKS
def test_docs_is_the_same_built_with_or_without_the_child(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build, a build after a new dump, and one after a listing page was edited by
    hand: the pages the child found unchanged are kept, the others written."""
    apart = new_project(tmp_path / "apart", DUMPS, curation=CURATION)
    # Three builds, each forking its listing child.
    assert _fresh_python(BUILDS, str(apart), NEW_DUMP) == 3
    monkeypatch.setattr(pipeline, "PARALLEL", False)
    here = new_project(tmp_path / "here", DUMPS, curation=CURATION)
    assert main(["build", "--root", str(here), "-q"]) == 0
    first = _docs(here)
    (here / "seeds" / "2025-11-02-new.txt").write_text(NEW_DUMP, encoding="utf-8")
    assert main(["build", "--root", str(here), "-q"]) == 0
    second = _docs(here)
    (here / "docs" / "code" / "index.md").write_text("edited", encoding="utf-8")
    assert main(["build", "--root", str(here), "-q"]) == 0
    assert first != second == _docs(here) == _docs(apart)
