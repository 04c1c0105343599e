"""The engine's last build, kept under .engine-cache/ so the next one renders only what changed.

A build records a fingerprint of everything a built page depends on besides its own source
(mkdocs.yml as resolved, overrides/, hooks, the generator's code, installed packages, the
navigation), a digest of every file under docs/, and the size and mtime of every file the
engine wrote and of every file published in site/. The next build renders only the sources
whose digest changed while the fingerprint is the same, and a full build otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# Not under .cache/: Zensical's `build --clean` clears that folder (a search index being
# written there beside it vanished).
CACHE = Path(".engine-cache")
STATE = "state.json"
SEARCH = "search"
GENERATOR = Path(__file__).resolve().parents[1]
# What MkDocs reads from the environment besides mkdocs.yml's !ENV values (the build date).
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
ENVIRONMENT = (SOURCE_DATE_EPOCH,)
# The pipe (a file descriptor) on which MkDocs' hooks name each page once written, for the
# publish step to stage it while the engine renders the rest (generator/publish/siteupdate.py).
PAGES_WRITTEN_FD = "READING_LIST_PAGES_WRITTEN_FD"
# A Markdown link or link definition: MkDocs rewrites it against the set of files, so a page
# holding one is rendered again when a file appears or goes. Raw HTML links are left as written.
MARKDOWN_LINK = re.compile(rb"\]\(|^ {0,3}\[[^\]\n]+\]:", re.M)


# Where a Markdown link points: an inline link's target or a link definition's.
LINK_TARGET = re.compile(rb"\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M)


def link_targets(source: str, data: bytes, known: frozenset[str] | set[str]) -> set[str]:
    """The files of ``known`` that the Markdown links of ``source`` (its bytes: ``data``) point to.

    As MkDocs reads them: relative to the page's own file, with or without ``.md`` or
    ``index.md``; links to other sites, to the site root and within the page point to none.
    """
    found: set[str] = set()
    folder = posixpath.dirname(source)
    for match in LINK_TARGET.finditer(data):
        target = (match.group(1) or match.group(2)).decode("utf-8", "replace")
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path or path.startswith("/") or urlsplit(path).scheme:
            continue
        resolved = posixpath.normpath(posixpath.join(folder, path))
        found |= {resolved, f"{resolved}.md", f"{resolved}/index.md"} & known
    return found


def has_markdown_link(data: bytes) -> bool:
    """Whether a page holds a Markdown link; the literal tests first (70 MB of lists: 0.6 s to 0.05 s)."""
    return (b"](" in data or b"]:" in data) and MARKDOWN_LINK.search(data) is not None


@dataclass
class State:
    """What the last successful build read, the engine wrote and site/ holds."""

    fingerprint: dict[str, str]
    sources: dict[str, str]
    engine: dict[str, list[int]]
    search: dict[str, list[int]] = field(default_factory=dict)
    published: dict[str, list[int]] = field(default_factory=dict)
    target: str = ""
    # Each source's size, mtime, ctime and inode when digested, and those holding links.
    source_stats: dict[str, list[int]] = field(default_factory=dict)
    linking: list[str] = field(default_factory=list)


def load(cache: Path) -> State | None:
    """The last build's state, or None when there is none or it is unreadable."""
    try:
        return State(**json.loads((cache / STATE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def save(cache: Path, state: State) -> None:
    """Record a successful build (written whole, then renamed into place)."""
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cache / f".{STATE}.tmp"
    # vars, not asdict: the fields hold only dicts, lists and scalars, and asdict's deep copy
    # of ~280,000 of them took most of a second at 10,000 papers.
    temporary.write_text(json.dumps(vars(state), sort_keys=True, separators=(",", ":")),
                         encoding="utf-8")
    temporary.replace(cache / STATE)


def forget(cache: Path) -> None:
    """Drop the record before the engine writes: a build that stops half-way forces a full one."""
    (cache / STATE).unlink(missing_ok=True)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree_digest(folder: Path) -> str:
    """Every file's path and bytes under ``folder`` (compiled Python left out)."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
                digest.update(_digest(path.read_bytes()).encode())
    return digest.hexdigest()


def installed_packages() -> dict[str, str]:
    """Every installed distribution and its version: the theme, MkDocs, Markdown, Pagefind..."""
    return {str(dist.metadata["Name"]).lower(): dist.version for dist in metadata.distributions()}


def _nav_titled(nav: Any) -> bool:
    """Whether every page in the navigation has its title written in mkdocs.yml."""
    if isinstance(nav, list):
        return all(_nav_titled(item) for item in nav)
    if isinstance(nav, dict):
        return all(isinstance(value, str) or _nav_titled(value) for value in nav.values())
    return False  # A bare page: its title comes from its own Markdown.


def fingerprint(root: Path, config: dict, engine: str, search: str) -> dict[str, str]:
    """What every built page depends on besides its own source, part by part (digests)."""
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    hooks = config.get("hooks") if isinstance(config.get("hooks"), list) else []
    custom = str(theme.get("custom_dir") or "")
    packages = installed_packages()
    return {
        "engine": f"{engine}, search {search}",
        "mkdocs.yml": _digest((root / "mkdocs.yml").read_bytes()) if (root / "mkdocs.yml").exists() else "",
        # Resolved: the values mkdocs.yml reads with !ENV (SITE_URL, where to write...).
        "settings": _digest(json.dumps(config, sort_keys=True, default=str).encode()),
        "environment": _digest(json.dumps({name: os.environ.get(name) for name in ENVIRONMENT}).encode()),
        "overrides/": tree_digest(root / custom) if custom else "",
        "hooks": _digest(json.dumps({str(hook): tree_digest(root / str(hook)) if (root / str(hook)).is_dir()
                                     else _digest((root / str(hook)).read_bytes())
                                     if (root / str(hook)).is_file() else "" for hook in hooks},
                                    sort_keys=True).encode()),
        "generator code": tree_digest(GENERATOR),
        "installed packages": _digest(json.dumps(packages, sort_keys=True).encode()),
    }


def changed_parts(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """The parts of the fingerprint that differ."""
    return [name for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]


@dataclass(frozen=True)
class Sources:
    """Every file under docs/ the engine reads (by digest), and the pages holding Markdown links."""

    digests: dict[str, str]
    linking: frozenset[str]
    stats: dict[str, list[int]]


def read_sources(docs: Path, last: State | None = None) -> Sources:
    """Digest every file MkDocs reads under docs/ (it skips names starting with a dot).

    A file whose size, mtime, ctime and inode are those it had when ``last`` digested it
    keeps that digest unread: rewriting a file, or setting its mtime back, changes its ctime.
    """
    digests: dict[str, str] = {}
    linking: set[str] = set()
    found: dict[str, list[int]] = {}
    known = last.source_stats if last is not None else {}
    was_linking = set(last.linking) if last is not None else set()
    start = len(os.fspath(docs)) + 1
    for folder, names, files in os.walk(docs):
        names[:] = sorted(name for name in names if not name.startswith("."))
        prefix = f"{folder[start:]}/" if len(folder) >= start else ""
        for name in files:
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            relative = prefix + name
            status = os.stat(path)
            found[relative] = stat = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
            if last is not None and known.get(relative) == stat and relative in last.sources:
                digests[relative] = last.sources[relative]
                if relative in was_linking:
                    linking.add(relative)
                continue
            with open(path, "rb") as handle:
                data = handle.read()
            digests[relative] = _digest(data)
            if name.endswith(".md") and has_markdown_link(data):
                linking.add(relative)
    return Sources(digests, frozenset(linking), found)


def destination(source: str) -> str:
    """Where MkDocs (directory URLs) writes a file of docs/: ``a/b.md`` goes to ``a/b/index.html``."""
    if not source.endswith(".md"):
        return source
    parent, _, name = source.rpartition("/")
    stem = name[:-3]
    page = "index.html" if stem in {"index", "README"} else f"{stem}/index.html"
    return f"{parent}/{page}" if parent else page


def stats(folder: Path, *, inode: bool = False) -> dict[str, list[int]]:
    """Size and mtime of every file under ``folder`` (and its inode), by path relative to it.

    Strings and os.scandir, no Path per file: a build walks ~21,000 files several times.
    Symbolic links to folders are not followed (as os.walk does not).
    """
    found: dict[str, list[int]] = {}
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        pending.append((f"{prefix}{entry.name}/", entry.path))
                    continue
                status = entry.stat()
                found[prefix + entry.name] = [status.st_size, status.st_mtime_ns,
                                              *([status.st_ino] if inode else [])]
    return found


def published(folder: Path) -> dict[str, list[int]]:
    """Size, mtime and inode of every file in a published site: what a later build links."""
    return stats(folder, inode=True)


def nav_from_pages(config: dict) -> bool:
    """Whether the navigation reads titles (or the list of pages) from the pages themselves."""
    nav = config.get("nav")
    return nav is None or not _nav_titled(nav)
