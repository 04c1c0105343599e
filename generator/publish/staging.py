"""Files as published, written beside site/ before they replace its own: the per-file work
of updating site/, shared with a second process when there are many.

A file's published bytes are the engine's (or the index's), HTML pages squeezed
(generator/publish/whitespace.py); one whose bytes equal the file site/ holds is not
written. After a full build that is ~10,700 pages (270 MB) to read, squeeze, compare and
write: a second process takes every other file, so both cores share it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import astuple, dataclass
from pathlib import Path

from generator.publish.whitespace import squeeze_bytes
from generator.write.writer import holds

# Below this many files a second process costs more to start than it saves.
PARALLEL_FROM = 400


@dataclass(frozen=True)
class Task:
    """One file to stage: where it comes from, site/'s file to compare with, where it goes."""

    relative: str
    source: str
    # site/'s file at the same path, when site/ has one.
    published: str | None
    output: str


@dataclass(frozen=True)
class Staged:
    """What staging a file did: written or not; for a page, its bytes before and after squeezing."""

    written: bool
    squeezed: bool
    before: int
    after: int


def stage(task: Task) -> Staged:
    """Write a file's published bytes to ``task.output``, unless site/'s file already holds them."""
    with open(task.source, "rb") as handle:
        data = handle.read()
    before = len(data)
    squeezed = task.relative.endswith(".html")
    if squeezed:
        data = squeeze_bytes(data)
    if task.published is not None and holds(task.published, data):
        return Staged(False, squeezed, before, len(data))
    with open(task.output, "wb") as handle:
        handle.write(data)
    return Staged(True, squeezed, before, len(data))


def stage_all(tasks: list[Task]) -> list[Staged]:
    """Every task staged, in order; many of them on two cores (the other half by a helper)."""
    if len(tasks) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return [stage(task) for task in tasks]
    package_root = Path(__file__).resolve().parents[2]
    try:
        helper = subprocess.Popen([sys.executable, "-m", "generator.publish.staging"], cwd=package_root,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
    except OSError:
        return [stage(task) for task in tasks]
    try:
        # The helper reads every task before it writes a result: this write cannot block on it.
        assert helper.stdin is not None and helper.stdout is not None and helper.stderr is not None
        helper.stdin.write(json.dumps([astuple(task) for task in tasks[1::2]]))
        helper.stdin.close()
        ours = [stage(task) for task in tasks[0::2]]
        # Its standard error holds a traceback at most: reading its output first cannot stall it.
        output, errors = helper.stdout.read(), helper.stderr.read()
        helper.wait()
    except BaseException:
        helper.kill()
        helper.wait()
        raise
    if helper.returncode != 0:
        detail = (errors.strip().splitlines() or [f"exit {helper.returncode}"])[-1]
        raise OSError(f"staging files beside site/ failed: {detail}")
    theirs = [Staged(*row) for row in json.loads(output)]
    merged: list[Staged] = []
    for number in range(len(tasks)):
        merged.append(ours[number // 2] if number % 2 == 0 else theirs[number // 2])
    return merged


def main() -> int:
    """``python -m generator.publish.staging``: tasks as JSON on standard input, results out."""
    tasks = [Task(*row) for row in json.loads(sys.stdin.read())]
    print(json.dumps([astuple(stage(task)) for task in tasks]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
