"""site/ brought to hold a build's files, touching only those that changed.

Changed files are written beside site/ first (staged: HTML pages squeezed, a file whose
bytes site/ already holds left out) and put in place only once everything succeeded. While
a partial build still renders, the pages it has written can be staged already: MkDocs' hooks
name each one on a pipe (generator/mkdocs/hooks.py), and ``Follower`` stages them on this
process's otherwise idle wait. Nothing depends on those names: a page staged early counts
only when the engine's output, listed once the engine has ended, still has the size and
mtime it was staged at; any other page is staged then.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from generator.publish import sitecache
from generator.publish.staging import Staged, Task, stage, stage_all
from generator.write.writer import is_plain_path


@dataclass
class Written:
    """What updating site/ did: pages squeezed, their bytes, files written anew."""

    squeezed: int = 0
    before: int = 0
    after: int = 0
    written: int = 0
    # Files staged while the engine was still writing, and taken as they were.
    early: int = 0


@dataclass(frozen=True)
class _Early:
    """A file staged while the engine was still writing: its size and mtime then, the result."""

    stat: list[int]
    staged: Staged
    output: str


class SiteUpdate:
    """``target`` brought to hold a build's files (published path: where it comes from),
    touching only what changed.

    ``now``: what ``target`` holds (``sitecache.published``). A file neither rebuilt
    (``fresh``) nor changed in site/ since the last build is left as it is; a rebuilt one is
    compared with site/'s and left too when the bytes match. The others are written into
    ``work`` first (``stage``, once for the engine's files and once for the index's, so the
    first can run while the index is still being written; ``stage_early`` for a page the
    engine has just written), and only when all are written do they replace site/'s one by
    one (os.replace), and files no longer built go (``apply``): the cost follows the files
    that changed. A failure before that leaves site/ as it was; one while applying leaves no
    record of the build, so the next one compares every file and repairs site/.
    """

    def __init__(self, target: Path, work: Path, state: sitecache.State | None,
                 now: dict[str, list[int]]) -> None:
        self.target, self.work, self.now = target, work, now
        self.top = os.fspath(target)
        self.last = state.published if state is not None and state.target == str(target) else {}
        self.done = Written()
        self.staged: dict[str, str] = {}
        self.early: dict[str, _Early] = {}
        self.count = 0

    def _task(self, relative: str, source: str) -> Task:
        # Flat names: no folder made per file; where each goes is in ``staged`` (a path
        # staged twice, the index's file over the engine's, takes the later one).
        output = os.path.join(self.work, str(self.count))
        self.count += 1
        published = os.path.join(self.top, relative) if relative in self.now else None
        return Task(relative, source, published, output)

    def stage_early(self, relative: str, source: str) -> None:
        """Stage a file the engine has written, noting its size and mtime (``stage`` checks them)."""
        if relative in self.early:
            return
        try:
            status = os.stat(source)
            task = self._task(relative, source)
            self.early[relative] = _Early([status.st_size, status.st_mtime_ns], stage(task), task.output)
        except OSError:  # Gone or unreadable now: ``stage`` takes it as any other file.
            pass

    def stage(self, files: dict[str, Path], fresh: set[str],
              final: dict[str, list[int]] | None = None) -> None:
        """Write beside site/ each of ``files`` whose published bytes change.

        ``final``: the size and mtime of each file as the engine left it; a file staged early
        at those is not staged again.
        """
        tasks: list[Task] = []
        results: list[tuple[str, Staged, str]] = []
        for relative, source in sorted(files.items()):
            unchanged_here = relative in self.now and self.last.get(relative) == self.now[relative]
            if unchanged_here and relative not in fresh:
                continue
            early = self.early.pop(relative, None)
            if early is not None and final is not None and final.get(relative) == early.stat:
                results.append((relative, early.staged, early.output))
                self.done.early += 1
            else:
                tasks.append(self._task(relative, os.fspath(source)))
        results += [(task.relative, staged, task.output)
                    for task, staged in zip(tasks, stage_all(tasks), strict=True)]
        done = self.done
        for relative, staged, output in results:
            if staged.squeezed:
                done.squeezed, done.before, done.after = (done.squeezed + 1, done.before + staged.before,
                                                          done.after + staged.after)
            if staged.written:
                self.staged[relative] = output

    def apply(self, files: set[str]) -> tuple[Written, dict[str, list[int]]]:
        """Put the staged files in place and remove those not in ``files`` (every published
        path of the build); what was done and what site/ now holds (size, mtime, inode)."""
        target, done = self.target, self.done
        done.written = len(self.staged)
        gone = sorted(set(self.now) - files)
        if not self.staged and not gone:
            return done, self.now
        published = dict(self.now)
        # Gone files first: a path that was a file may now be a folder, and the other way round.
        for relative in gone:
            (target / relative).unlink(missing_ok=True)
            del published[relative]
            prune(target / relative, target)
        # Strings, and each folder made once: a cold build places ~21,000 files in ~11,000 folders.
        folders: set[str] = set()
        for relative, output in self.staged.items():
            destination = os.path.join(self.top, relative)
            folder = os.path.dirname(destination)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            place(output, destination)
            status = os.stat(destination)
            published[relative] = [status.st_size, status.st_mtime_ns, status.st_ino]
        return done, published


class Follower:
    """Stages each page the engine names on a pipe as written, until the engine closes it."""

    def __init__(self, update: SiteUpdate, output: Path, pipe: int) -> None:
        self._update, self._output = update, os.fspath(output)
        self._thread = threading.Thread(target=self._follow, args=(pipe,), daemon=True,
                                        name="pages staged as the engine writes them")
        self._thread.start()

    def _follow(self, pipe: int) -> None:
        with open(pipe, "rb") as names:
            for line in names:
                relative = os.fsdecode(line.rstrip(b"\n"))
                # Only a plain path inside the engine's output: anything else is staged later.
                if is_plain_path(relative):
                    self._update.stage_early(relative, os.path.join(self._output, relative))

    def join(self) -> None:
        """Wait until the engine has closed the pipe (it ended) and every page named is staged."""
        self._thread.join()


def place(staged: str, destination: str) -> None:
    """Put a staged file in place of the published one, atomically where the two share a disk."""
    try:
        os.replace(staged, destination)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.move(staged, destination)  # site/ on another file system: copied, then removed.


def prune(removed: Path, top: Path) -> None:
    """Remove the folders a removed file leaves empty, up to ``top``."""
    for folder in removed.parents:
        if folder == top or not folder.is_relative_to(top):
            return
        try:
            folder.rmdir()
        except OSError:  # Not empty (or gone already): the folders above are not empty either.
            return
