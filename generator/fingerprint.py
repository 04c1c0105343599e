"""Nothing changed, nothing done: a fingerprint of a build's inputs, kept beside its manifest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .writer import MANIFEST, atomic_write

if TYPE_CHECKING:
    from .build import Project

RECORD = ".generated-inputs.json"
CODE = Path(__file__).resolve().parent


@dataclass
class LastBuild:
    """What the last build read (its fingerprint), wrote (sizes and mtimes) and reported."""

    fingerprint: str
    outputs: dict[str, list[int]] = field(default_factory=dict)
    summary: str = ""
    problems: list[str] = field(default_factory=list)


def _inputs(project: Project, registry: bool) -> list[Path]:
    """Every file a build reads: dumps and their settings, the taxonomy, the generator itself."""
    code = sorted(CODE.glob("*.py")) + sorted((CODE / "templates").glob("*.j2"))
    seeds = sorted(p for p in project.seeds.iterdir() if p.is_file())
    return [p for p in seeds if registry or p != project.registry] + [project.taxonomy, *code]


def fingerprint(project: Project, registry: bool = True) -> str:
    """A digest of every input's name and bytes (the slug registry too, unless told not to)."""
    digest = hashlib.sha256(project.site_title.encode("utf-8"))
    for path in _inputs(project, registry):
        if path.is_file():
            digest.update(f"\0{path.name}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stat(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
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
    for relative, stat in last.outputs.items():
        if _stat(docs / relative) != stat:
            return None
    return last


def record(project: Project, before: str, summary: str, problems: list[str]) -> None:
    """Remember this build; ``before`` is ``fingerprint(project, registry=False)`` at its start."""
    docs = project.docs
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
    outputs = {p: s for p in [*paths, MANIFEST] if isinstance(p, str) and (s := _stat(docs / p))}
    data = asdict(LastBuild(fingerprint(project), outputs, summary, problems))
    atomic_write(docs / RECORD, (json.dumps(data, indent=0, sort_keys=True) + "\n").encode("utf-8"))

