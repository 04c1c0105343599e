"""The one writer: owns the generated folders under docs/, writes atomically and only changes."""

from __future__ import annotations

import heapq
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.problems import WriteError

MANIFEST = ".generated.json"
# Present while a write runs: found at the start of the next one, it says a run was stopped
# half-way, and only then are the folders searched for the temporary files it left (a
# search of every folder took ~0.4 s a build at 10,000 papers).
WRITING = ".generated.writing"
INDEX = "index.md"
# A path the writer takes as it is: names joined by single slashes, none "." or "..", no
# leading slash. Anything else is checked and normalised as a PurePosixPath.
_PLAIN_PATH = re.compile(r"(?!\.\.?(?:/|$))[^/]+(?:/(?!\.\.?(?:/|$))[^/]+)*")
# The temporary file atomic_write writes beside ``name`` (mkstemp's eight random characters).
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")


@dataclass
class WriteReport:
    """What a write did: files written, unchanged, removed and refused."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    # Paths left alone: a file of the user's is there, or at the same URL (see Writer._theirs).
    refused: list[str] = field(default_factory=list)
    # The user's file in the way of each refused path.
    blocked_by: dict[str, str] = field(default_factory=dict)


def atomic_write(path: Path, data: bytes, folders: set[Path] | None = None) -> None:
    """Replace a file in one step: readers see the old or the new content, never half.

    ``folders``: folders known to exist, and where to note those made (one check each).
    """
    try:
        if folders is None or path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            if folders is not None:
                folders.add(path.parent)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteError(_cannot("write", path, error)) from None
    try:
        # mkstemp makes the file 0600; a file written is readable as any other (0644 under
        # the usual umask 022), so a web server run by another user can serve it.
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise WriteError(_cannot("write", path, error)) from None
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it; set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_temporary(name: str) -> bool:
    """Whether a file name is that of a temporary file atomic_write writes."""
    return _TEMPORARY.fullmatch(name) is not None


def remove_stale_temporaries(folder: Path, owned: Callable[[str], bool]) -> list[Path]:
    """Remove temporary files atomic_write left in ``folder`` when a run was killed mid-write.

    Only ``.<name>.XXXXXXXX.tmp`` for a ``name`` that ``owned`` accepts goes: runs hold the
    project's lock, so no other run is writing one. Returns what was removed.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    removed = []
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match and owned(match["name"]) and entry.is_file(
                follow_symlinks=False):
            path = Path(entry.path)
            try:
                path.unlink()
            except OSError as error:
                raise WriteError(_cannot("remove", path, error)) from None
            removed.append(path)
    return removed


def _cannot(verb: str, path: Path, error: OSError) -> str:
    """A failed write as one line: what, why, and that a rerun repairs it."""
    return (f"could not {verb} {path}: {error.strerror or error}; every file is either as before "
            "or complete, fix the cause and run the build again")


def owns(owned: tuple[str, ...], relative: str) -> bool:
    """Whether a docs/-relative path is one of the ``owned`` files or inside an owned folder:
    the one rule for "is this path the generator's"."""
    return any(relative == own or relative.startswith(own.rstrip("/") + "/") for own in owned)


class Writer:
    """Writes generated pages under a root, refusing paths outside the folders it owns."""

    def __init__(self, root: Path, owned: tuple[str, ...],
                 order: Callable[[str], int] | None = None) -> None:
        self.root = root
        self._root = os.fspath(root).rstrip("/") or "/"
        self.owned = owned
        # Rank of a file in the write order; the site ranks pages before the pages linking them.
        self.order = order or (lambda relative: 0)

    def _check(self, relative: str) -> Path:
        """The absolute path of a generated file, refused when outside the owned folders."""
        return Path(self._checked(relative))

    def _checked(self, relative: str) -> str:
        """``_check`` as a string: a build checks every page (~11,000 at 10,000 papers), and
        making a Path of each cost ~0.2 s; only the files written become Paths."""
        if not is_plain_path(relative):
            posix = PurePosixPath(relative)
            if posix.is_absolute() or ".." in posix.parts or not posix.parts:
                raise WriteError(f"refusing to write '{relative}': not a plain relative path")
            relative_parts = "/".join(posix.parts)
        else:
            relative_parts = relative
        if not owns(self.owned, relative):
            raise WriteError(f"refusing to write '{relative}': outside the generated folders")
        return f"{self._root}/{relative_parts}"

    def previous(self) -> list[str]:
        """Files the last run wrote, from its manifest."""
        manifest = self.root / MANIFEST
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [path for path in data if isinstance(path, str)] if isinstance(data, list) else []

    def write(self, files: Mapping[str, str | bytes],
              kept: set[str] | frozenset[str] = frozenset()) -> WriteReport:
        """Write every changed file, then remove what the last run wrote and this one did not.

        ``kept``: files already holding what this run would write (the build cache knows),
        counted unchanged without being read.
        """
        report = WriteReport()
        targets = {}
        paths = {relative: self._checked(relative) for relative in [*files, *kept]}
        for relative, path in paths.items():
            key = path.casefold()
            if key in targets:
                raise WriteError(f"two pages for one path: '{targets[key]}' and '{relative}'")
            targets[key] = relative
        previous = self.previous()
        exists = {relative: os.path.lexists(path) for relative, path in paths.items()
                  if relative in files}
        recorded = set(previous)
        report.blocked_by = self._theirs(files, paths, exists, recorded)
        # A kept file is ours (the cache saw this run's content there), but a file of the
        # user's at its URL blocks it as it would block writing it.
        for relative in kept:
            twin = _url_twin(relative)
            if twin and twin not in recorded and twin not in files and twin not in kept and \
                    os.path.lexists(self.root / twin):
                report.blocked_by[relative] = twin
        kept = set(kept) - set(report.blocked_by)
        report.unchanged = len(kept)
        report.refused = sorted(report.blocked_by)
        ours = {relative: text for relative, text in files.items() if relative not in report.refused}
        marker = self.root / WRITING
        interrupted = marker.exists()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError as error:
            raise WriteError(_cannot("write", marker, error)) from None
        # Record what this run may create before creating it: a run stopped half-way leaves
        # no file the next run would not know to remove.
        self._record(sorted(set(previous) | set(ours) | set(kept)), previous)
        # Within a rank, new files come first: until they are all in place, no file of the
        # previous build links to them, so a stop half-way leaves that build's links whole.
        folders: set[Path] = set()
        for relative in sorted(ours, key=lambda r: (self.order(r), exists[r], r)):
            path = paths[relative]
            data = _bytes(ours[relative])
            if exists[relative] and holds(path, data):
                report.unchanged += 1
                continue
            report.written.append(relative)
            atomic_write(Path(path), data, folders)
        # Stale files go only once every new file is in place, so no link dangles meanwhile.
        emptied: set[Path] = set()
        for relative in sorted(set(previous) - set(files) - set(kept)):
            try:
                path = self._check(relative)
            except WriteError:
                continue  # A tampered manifest never makes us delete outside our folders.
            if path.is_file():
                report.removed.append(relative)
                try:
                    path.unlink()
                except OSError as error:
                    raise WriteError(_cannot("remove", path, error)) from None
                emptied.add(path.parent)
        if interrupted:
            self._clean(previous, [*ours, *kept])
        # Once, at the end: pruning after each file re-listed its folder (quadratic).
        _prune(emptied, self.root)
        self._record(sorted([*ours, *kept]), self.previous())
        marker.unlink(missing_ok=True)
        if report.refused:
            # Raised once every other file is written: the site is whole but for these paths.
            raise WriteError("\n".join(
                f"{self.root / report.blocked_by[relative]}: not written: this file is yours "
                f"({self.root / MANIFEST} does not list it), so it stays as it is; move your text "
                "elsewhere (a paper's note goes in curation.yml, 'note:') or rename the file, then "
                "build again; if an earlier build made it, delete it" for relative in report.refused))
        return report

    def _clean(self, previous: list[str], files: list[str]) -> None:
        """Remove the temporary files a killed run left beside the files this writer owns."""
        names: dict[Path, set[str]] = {self.root: {MANIFEST}}
        for relative in [*previous, *files]:
            posix = PurePosixPath(relative)
            names.setdefault(self.root.joinpath(*posix.parts[:-1]), set()).add(posix.name)
        for folder, owned in names.items():
            remove_stale_temporaries(folder, owned.__contains__)

    def _theirs(self, files: Mapping[str, str | bytes], paths: dict[str, str], exists: dict[str, bool],
                recorded: set[str]) -> dict[str, str]:
        """Paths to write that a file of the user's is in the way of, each with that file.

        A file the manifest does not list is the user's (a note put in docs/papers/), unless
        it already holds exactly what would be written: that is a page of ours whose
        manifest was lost, adopted again without a change. ``x.md`` is in the way of
        ``x/index.md`` too: both are published at the URL ``x/``.
        """
        theirs = {}
        for relative in sorted(files):
            twin = _url_twin(relative)
            if twin and twin not in recorded and twin not in files and os.path.lexists(
                    self.root / twin):
                theirs[relative] = twin
                continue
            if not exists[relative] or relative in recorded:
                continue
            path = paths[relative]
            try:
                ours = not os.path.islink(path) and _read(path) == _bytes(files[relative])
            except OSError:
                ours = False
            if not ours:
                theirs[relative] = relative
        return theirs

    def _record(self, paths: list[str], recorded: list[str]) -> None:
        """Write the manifest when it would change."""
        if paths != sorted(recorded) or not (self.root / MANIFEST).exists():
            atomic_write(self.root / MANIFEST, (json.dumps(paths, indent=0) + "\n").encode("utf-8"))


def is_plain_path(relative: str) -> bool:
    """Whether ``relative`` is a plain relative path: names joined by single slashes, none
    "." or "..", no leading slash (it stays inside whatever folder it is joined to)."""
    return _PLAIN_PATH.fullmatch(relative) is not None


def holds(path: str, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (a file missing or unreadable does
    not): ``Writer.write`` would leave it as it is, and may be told so (its ``kept``)."""
    try:
        return os.path.getsize(path) == len(data) and _read(path) == data
    except OSError:
        return False


def _bytes(text: str | bytes) -> bytes:
    """A file's content as written: text in UTF-8 (bytes come encoded, from a forked child)."""
    return text if isinstance(text, bytes) else text.encode("utf-8")


def _read(path: str) -> bytes:
    """A file's bytes."""
    with open(path, "rb") as stream:
        return stream.read()


def _url_twin(relative: str) -> str | None:
    """The other file published at the URL of a folder's ``index.md``: ``x/index.md`` → ``x.md``."""
    folder, _, name = relative.rpartition("/")
    return f"{folder}.md" if folder and name == INDEX else None


def _prune(folders: set[Path], root: Path) -> None:
    """Remove the folders left empty, and their parents left empty, up to the root."""
    # Deepest first, so a parent is tried once its emptied children are gone.
    pending = [(-len(folder.parts), str(folder), folder) for folder in folders]
    heapq.heapify(pending)
    tried: set[Path] = set()
    while pending:
        folder = heapq.heappop(pending)[2]
        if folder in tried or folder == root or root not in folder.parents:
            continue
        tried.add(folder)
        try:
            folder.rmdir()  # Fails, leaving it, unless it is empty: no listing needed.
        except OSError:
            continue
        heapq.heappush(pending, (-len(folder.parent.parts), str(folder.parent), folder.parent))
