"""The build cache in .cache/generator/: work of earlier builds, reused only for the same inputs.

Each table is one file holding entries keyed by a digest of exactly what the entry was
computed from. A table's file also carries a stamp: the generator's code and templates, the
Python and library versions, and whatever else the table's entries depend on as a whole. A
missing, unreadable, corrupt or foreign file is an empty table; nothing read from the
cache is ever trusted beyond its key, so a cache miss only costs time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from generator.problems import WriteError
from generator.write.writer import atomic_write, remove_stale_temporaries

CACHE_FOLDER = Path(".cache") / "generator"
# Raised whenever the layout of a table's entries changes, so an old file reads as foreign.
FORMAT = 1
# Libraries whose output lands in pages (templates, escaping, front matter, related papers).
LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "numpy", "scipy", "google-re2",
             "python-slugify", "text-unidecode", "latex2mathml")


def digest(*parts: str | bytes) -> str:
    """A digest of the parts, each delimited so that no two lists of parts collide."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def installed_version(name: str) -> str:
    """An installed distribution's version, or "absent"."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def code_stamp(code: list[Path]) -> str:
    """What every entry depends on: the generator's files, the Python and library versions."""
    parts: list[str | bytes] = [f"format {FORMAT}", sys.version]
    parts += [f"{name} {installed_version(name)}" for name in LIBRARIES]
    for path in code:
        parts += [path.as_posix(), path.read_bytes()]
    return digest(*parts)


class Table:
    """One kind of cached work: key → value; entries this build did not use are dropped on save."""

    def __init__(self, path: Path, stamp: str) -> None:
        self.path = path
        self.stamp = stamp
        self.entries = self._load()
        self.used: dict[str, Any] = {}
        self.changed = False

    def _load(self) -> dict[str, Any]:
        """The file's entries when it is this table's, with this stamp; else nothing."""
        try:
            with self.path.open("rb") as stream:
                stamp, entries = pickle.load(stream)
        # Missing, unreadable, truncated, damaged or of another format: all a miss.
        except Exception:
            return {}
        if stamp != self.stamp or not isinstance(entries, dict):
            return {}
        return entries

    def get(self, key: str, kind: type) -> Any | None:
        """The value stored under the key when it is of that kind, or None."""
        value = self.entries.get(key)
        if not isinstance(value, kind):
            return None
        self.used[key] = value
        return value

    def drop(self, key: str) -> None:
        """Forget the entry under the key."""
        if self.used.pop(key, None) is not None or key in self.entries:
            self.changed = True

    def put(self, key: str, value: Any) -> None:
        """Store a value under its key."""
        self.used[key] = value
        self.changed = True

    def save(self) -> None:
        """Keep what this build used, when that differs from the file; failing costs nothing."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        remove_stale_temporaries(self.path.parent, {self.path.name}.__contains__)
        data = pickle.dumps((self.stamp, self.used), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            atomic_write(self.path, data)
        except WriteError:
            # A cache that cannot be written is only a slower next build.
            return


class BuildCache:
    """The tables of one project's cache folder, all stamped with the generator's code."""

    def __init__(self, folder: Path, code: list[Path]) -> None:
        self.folder = folder
        self.code = code_stamp(code)
        self.tables: list[Table] = []

    def table(self, name: str, *depends: str | bytes) -> Table:
        """The table of that name; ``depends``: what all its entries depend on besides the code."""
        table = Table(self.folder / f"{name}.pickle", digest(self.code, *depends))
        self.tables.append(table)
        return table

    def save(self) -> None:
        """Write every table that changed."""
        for table in self.tables:
            table.save()


def _identity(path: str) -> tuple[int, int, int, int] | None:
    """What changes whenever a file is written or replaced: inode, size and change times."""
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


class Reuse:
    """Pages earlier builds left in docs/: path → (key of what rendered it, the file as written).

    A page is reused when its key is the same and its file is still the one the build
    wrote or found equal (same inode, size and times): an edit, a removal, an interrupted
    write or another build's file all change that, and the page is rendered again.
    """

    def __init__(self, table: Table, docs: Path) -> None:
        self.table = table
        self.docs = docs
        # A string: a Path made for each of ~10,000 pages a build cost ~0.05 s.
        self._docs = os.fspath(docs)
        # Files to keep as they are, and pages rendered this build with their keys.
        self.kept: set[str] = set()
        self.pending: dict[str, str] = {}

    def holds(self, relative: str, key: str) -> bool:
        """Whether docs/ holds the page of that path exactly as these inputs render it."""
        entry = self.table.get(relative, tuple)
        if (entry is not None and len(entry) == 2 and entry[0] == key
                and entry[1] == _identity(os.path.join(self._docs, relative))):
            self.kept.add(relative)
            return True
        self.table.drop(relative)
        return False

    def rendered(self, relative: str, key: str) -> None:
        """Note a page rendered anew, to record once it is written."""
        self.pending[relative] = key

    def record(self, refused: list[str]) -> None:
        """Record the pages rendered anew as they now are in docs/; a refused one is not ours."""
        for relative in set(refused):
            self.pending.pop(relative, None)
        for relative, key in self.pending.items():
            identity = _identity(os.path.join(self._docs, relative))
            if identity is not None:
                self.table.put(relative, (key, identity))
