"""Two runs at once take turns; what they write is readable; a closed pipe is no error."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.write.lock import LOCK_FILE, TIMEOUT_VARIABLE
from tests.kit.dumps import ABSTRACT, dump_text
from tests.kit.project import REAL_SEEDS, copy_project

# Every test here runs builds in processes of their own, at once.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def paper(n: int) -> str:
    """One entry with its own title and abstract."""
    return f"Paper Number {n}\n\nNumber {n}: {ABSTRACT}\n\n  • 3 authors\n·\nOct 2{n % 9}, 2025 3"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "2025-10-01-first.txt").write_text(dump_text(paper(0)), encoding="utf-8")
    (tmp_path / "taxonomy.yml").write_bytes((ROOT / "taxonomy.yml").read_bytes())
    return tmp_path


def generator(root: Path, *args: str, env: dict[str, str] | None = None,
              **popen: object) -> subprocess.Popen:
    """``python -m generator ARGS`` in the project, as a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=root, text=True,
        stdout=popen.pop("stdout", subprocess.PIPE), stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        **popen,
    )


@contextmanager
def held(root: Path) -> Iterator[None]:
    """The project's lock, held here as another run would hold it."""
    with (root / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def wait_for(process: subprocess.Popen, text: str, seconds: float = 60) -> str:
    """Lines of the process's stderr read up to one holding ``text``."""
    seen = ""
    deadline = time.monotonic() + seconds
    while text not in seen:
        assert time.monotonic() < deadline, f"no {text!r} in {seen!r}"
        line = process.stderr.readline()
        assert line, f"exited ({process.wait()}) without saying {text!r}: {seen!r}"
        seen += line
    return seen


def test_an_add_waits_for_the_run_holding_the_lock(project: Path) -> None:
    (project / "new.txt").write_text(dump_text(paper(1)), encoding="utf-8")
    with held(project):
        process = generator(project, "add", "new.txt", "--captured", "2025-10-28")
        said = wait_for(process, "waiting for another run")
        assert str(project / LOCK_FILE) in said or LOCK_FILE in said
        time.sleep(0.5)
        assert process.poll() is None, "add did not wait"
        assert not (project / "seeds" / "dumps.yaml").exists(), "add wrote while locked"
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "1 new" in out and "2025-10-28" in (project / "seeds" / "dumps.yaml").read_text()


def test_a_build_gives_up_after_the_timeout_with_what_to_do(project: Path) -> None:
    with held(project):
        process = generator(project, "build", env={TIMEOUT_VARIABLE: "0.5"})
        out, err = process.communicate(timeout=60)
    assert process.returncode == 2 and out == ""
    assert "Traceback" not in err
    assert "Error: gave up after 0 s: another run (build, add or make site) still holds" in err
    assert "let it finish or stop it, then run this again" in err
    assert not (project / "docs").exists()


def test_six_adds_at_once_record_all_six_dumps(project: Path) -> None:
    for n in range(6):
        (project / f"d{n}.txt").write_text(dump_text(paper(n + 1)), encoding="utf-8")
    processes = [generator(project, "add", f"d{n}.txt", "--captured", f"2025-10-{n + 10}")
                 for n in range(6)]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0 and "Traceback" not in err, err
    recorded = yaml.safe_load((project / "seeds" / "dumps.yaml").read_text(encoding="utf-8"))
    stored = sorted(path.name for path in (project / "seeds").glob("2025-10-1*.txt"))
    assert len(stored) == 6 and sorted(recorded) == stored


def test_builds_at_once_never_fail(project: Path) -> None:
    for n in range(1, 40):
        (project / "seeds" / f"2025-10-{n % 28 + 1:02d}-{n}.txt").write_text(
            dump_text(paper(n)), encoding="utf-8")
    processes = [generator(project, "build", "-q") for _ in range(3)]
    results = [(process.wait(timeout=120), process.stderr.read()) for process in processes]
    assert [code for code, _ in results] == [0] * 3, results
    # Remove most dumps: removals are what collided ("could not remove ...").
    for path in sorted((project / "seeds").glob("2025-10-*.txt"))[5:]:
        path.unlink()
    processes = [generator(project, "build", "-q") for _ in range(3)]
    results = [(process.wait(timeout=120), process.stderr.read()) for process in processes]
    assert [code for code, _ in results] == [0] * 3, results
    assert len(list((project / "docs" / "papers").glob("*/index.md"))) == 5


@pytest.mark.slow
def test_two_make_sites_at_once_both_build_the_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", seeds=REAL_SEEDS[:2])
    # The first holds the lock through its MkDocs build; the second waits, then builds.
    first = generator(root, "site")
    second = generator(root, "site")
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0 and "Traceback" not in err, err
    assert (root / "site" / "index.html").exists() and (root / "site" / "papers").is_dir()


@pytest.mark.slow
def test_site_holds_the_lock_through_its_mkdocs_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", seeds=REAL_SEEDS[:1])
    with held(root):
        process = generator(root, "site")
        wait_for(process, "waiting for another run")
        assert not (root / "site").exists()
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert (root / "site" / "index.html").exists()


def test_a_closed_pipe_ends_add_without_a_traceback(project: Path) -> None:
    (project / "new.txt").write_text(dump_text(paper(1)), encoding="utf-8")
    read, write = os.pipe()
    os.close(read)  # `| head -n1` gone before anything is printed.
    try:
        process = generator(project, "add", "new.txt", stdout=write)
    finally:
        os.close(write)
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert process.returncode == 141
    assert len(list((project / "seeds").glob("*.txt"))) == 2, "the dump was stored all the same"


def test_what_build_and_add_write_is_readable_by_others(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "new.txt").write_text(dump_text(paper(1)), encoding="utf-8")
    old = os.umask(0o022)
    try:
        assert main(["add", str(project / "new.txt"), "--root", str(project)]) == 0
        assert main(["build", "--root", str(project)]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    written = [*(project / "seeds").iterdir(), *(p for p in (project / "docs").rglob("*")
                                                 if p.is_file())]
    modes = {str(p.relative_to(project)): oct(stat.S_IMODE(p.stat().st_mode)) for p in written
             if p.name != "2025-10-01-first.txt"}
    assert "seeds/slugs.json" in modes and "seeds/dumps.yaml" in modes
    assert {mode for mode in modes.values()} == {"0o644"}, modes
