"""Nothing changed, nothing done: a fingerprint of a build's inputs, kept beside its manifest."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.write.writer import MANIFEST, atomic_write, remove_stale_temporaries

if TYPE_CHECKING:
    from generator.pipeline import Project

RECORD = ".generated-inputs.json"


@dataclass
class LastBuild:
    """What the last build read (its fingerprint), wrote (sizes and mtimes) and reported."""

    fingerprint: str
    outputs: dict[str, list[int]] = field(default_factory=dict)
    summary: str = ""
    problems: list[str] = field(default_factory=list)


def fingerprint(project: Project, registry: bool = True) -> str:
    """A digest of what ``Project.inputs`` and ``Project.settings`` declare a build reads.

    Every input file's path and bytes (a missing one counts as missing), and the settings as
    resolved; the slug registry too, unless told not to.
    """
    digest = hashlib.sha256()
    for name, value in sorted(asdict(project.settings()).items()):
        digest.update(f"setting\0{name}\0{value}\0".encode())
    for path in project.inputs():
        if not registry and path == project.registry:
            continue
        try:
            if path.is_symlink() and path.parent == project.seeds:
                # A link in seeds/ is refused, never read (seeds.dump_paths): what counts is
                # that it is there and where it points, not the bytes of a host file.
                data = f"link to {os.readlink(path)}".encode("utf-8", "surrogateescape")
            else:
                data = path.read_bytes() if path.is_file() else None
        except OSError:
            data = None
        size = -1 if data is None else len(data)
        # Absolute, so `make site` (root ".") and `make serve` (an absolute root) agree.
        where = os.path.abspath(path)
        digest.update(f"file\0{where}\0{size}\0".encode("utf-8", "surrogateescape"))
        digest.update(data or b"")
    return digest.hexdigest()


def _stat(path: str) -> list[int] | None:
    # A string, not a Path: a build records ~11,000 outputs.
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def load(docs: Path) -> LastBuild | None:
    """The record of the last build, or None when there is none or it is unreadable."""
    try:
        data = json.loads((docs / RECORD).read_text(encoding="utf-8"))
        return LastBuild(**data)
    except (OSError, ValueError, TypeError):
        return None


def unchanged(project: Project) -> LastBuild | None:
    """The last build's record when its inputs and its output files are exactly as left."""
    docs = project.docs
    last = load(docs)
    if last is None or not project.seeds.is_dir() or last.fingerprint != fingerprint(project):
        return None
    # Output edited or deleted by hand: rebuild, so the writer puts it back.
    top = os.fspath(docs)
    for relative, stat in last.outputs.items():
        if _stat(os.path.join(top, relative)) != stat:
            return None
    return last


def record(project: Project, before: str, summary: str, problems: list[str]) -> None:
    """Remember this build; ``before`` is ``fingerprint(project, registry=False)`` at its start."""
    docs = project.docs
    remove_stale_temporaries(docs, {RECORD}.__contains__)
    # The build writes the slug registry itself; any other input changed while it ran means
    # the output may not match, so nothing is recorded and the next run rebuilds.
    if fingerprint(project, registry=False) != before:
        (docs / RECORD).unlink(missing_ok=True)
        return
    manifest = docs / MANIFEST
    try:
        paths = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        paths = []
    top = os.fspath(docs)
    outputs = {p: s for p in [*paths, MANIFEST] if isinstance(p, str) and (s := _stat(os.path.join(top, p)))}
    # vars, not asdict: plain values only, and asdict's deep copy of every output's stat cost
    # ~0.1 s at 10,000 papers.
    data = vars(LastBuild(fingerprint(project), outputs, summary, problems))
    atomic_write(docs / RECORD, (json.dumps(data, indent=0, sort_keys=True) + "\n").encode("utf-8"))

