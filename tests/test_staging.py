"""Staging files beside site/: the same result on one core and shared with a helper process."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.publish import staging
from generator.publish.staging import Task, stage_all
from generator.publish.whitespace import squeeze_bytes

PAGE = b"<html>\n  <body>\n    <p>Text</p>\n\n  </body>\n</html>\n"


def _tasks(tmp_path: Path, count: int, kind: str) -> list[Task]:
    """``count`` files, every third one already in site/ as published; outputs under ``kind``."""
    engine, site, out = tmp_path / "engine", tmp_path / "site", tmp_path / kind
    for folder in (engine, site, out):
        folder.mkdir(exist_ok=True)
    tasks = []
    for number in range(count):
        name = f"page-{number}.html" if number % 2 else f"data-{number}.json"
        data = PAGE.replace(b"Text", str(number).encode()) if name.endswith(".html") else b'{"n": %d}' % number
        (engine / name).write_bytes(data)
        published = None
        if number % 3 == 0:
            (site / name).write_bytes(squeeze_bytes(data) if name.endswith(".html") else data)
            published = str(site / name)
        tasks.append(Task(name, str(engine / name), published, str(out / str(number))))
    return tasks


def test_a_helper_process_stages_as_this_one_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = stage_all(_tasks(tmp_path, 50, "alone"))
    monkeypatch.setattr(staging, "PARALLEL_FROM", 10)
    shared_tasks = _tasks(tmp_path, 50, "shared")
    shared = stage_all(shared_tasks)
    assert shared == alone
    assert [staged.written for staged in shared] == [number % 3 != 0 for number in range(50)]
    assert sorted(path.name for path in (tmp_path / "shared").iterdir()) == sorted(
        path.name for path in (tmp_path / "alone").iterdir())
    for path in (tmp_path / "shared").iterdir():
        assert path.read_bytes() == (tmp_path / "alone" / path.name).read_bytes()
    page = next(task for task in shared_tasks if task.relative == "page-1.html")
    assert Path(page.output).read_bytes() == b"<html>\n<body>\n<p>1</p>\n</body>\n</html>\n"


def test_a_helper_that_fails_fails_the_update(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "PARALLEL_FROM", 2)
    tasks = _tasks(tmp_path, 4, "out")
    Path(tasks[1].source).unlink()  # Every other file goes to the helper, this one with them.
    with pytest.raises(OSError, match=r"staging files beside site/ failed: .*No such file"):
        stage_all(tasks)
