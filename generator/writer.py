"""The one writer: owns the generated folders under docs/, writes atomically and only changes."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import WriteError

MANIFEST = ".generated.json"


@dataclass
class WriteReport:
    """What a write did: files written, unchanged, removed and refused."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    # Paths left alone: a file of the user's is there (see Writer._theirs).
    refused: list[str] = field(default_factory=list)


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
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise WriteError(_cannot("write", path, error)) from None
        raise


def _cannot(verb: str, path: Path, error: OSError) -> str:
    """A failed write as one line: what, why, and that a rerun repairs it."""
    return (f"could not {verb} {path}: {error.strerror or error}; every file is either as before "
            "or complete, fix the cause and run the build again")


class Writer:
    """Writes generated pages under a root, refusing paths outside the folders it owns."""

    def __init__(self, root: Path, owned: tuple[str, ...],
                 order: Callable[[str], int] | None = None) -> None:
        self.root = root
        self.owned = owned
        # Rank of a file in the write order; the site ranks pages before the pages linking them.
        self.order = order or (lambda relative: 0)

    def _check(self, relative: str) -> Path:
        """The absolute path of a generated file, refused when outside the owned folders."""
        posix = PurePosixPath(relative)
        if posix.is_absolute() or ".." in posix.parts or not posix.parts:
            raise WriteError(f"refusing to write '{relative}': not a plain relative path")
        if not any(relative == own or relative.startswith(own.rstrip("/") + "/") for own in self.owned):
            raise WriteError(f"refusing to write '{relative}': outside the generated folders")
        return self.root.joinpath(*posix.parts)

    def previous(self) -> list[str]:
        """Files the last run wrote, from its manifest."""
        manifest = self.root / MANIFEST
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [path for path in data if isinstance(path, str)] if isinstance(data, list) else []

    def write(self, files: dict[str, str], dry_run: bool = False) -> WriteReport:
        """Write every changed file, then remove what the last run wrote and this one did not."""
        report = WriteReport()
        targets = {}
        paths = {relative: self._check(relative) for relative in files}
        for relative, path in paths.items():
            key = str(path).casefold()
            if key in targets:
                raise WriteError(f"two pages for one path: '{targets[key]}' and '{relative}'")
            targets[key] = relative
        previous = self.previous()
        exists = {relative: os.path.lexists(path) for relative, path in paths.items()}
        report.refused = self._theirs(files, paths, exists, set(previous))
        ours = {relative: text for relative, text in files.items() if relative not in report.refused}
        if not dry_run:
            # Record what this run may create before creating it: a run stopped half-way
            # leaves no file the next run would not know to remove.
            self._record(sorted(set(previous) | set(ours)), previous)
        # Within a rank, new files come first: until they are all in place, no file of the
        # previous build links to them, so a stop half-way leaves that build's links whole.
        folders: set[Path] = set()
        for relative in sorted(ours, key=lambda r: (self.order(r), exists[r], r)):
            path = paths[relative]
            data = ours[relative].encode("utf-8")
            try:
                if exists[relative] and path.read_bytes() == data:
                    report.unchanged += 1
                    continue
            except OSError:
                pass
            report.written.append(relative)
            if not dry_run:
                atomic_write(path, data, folders)
        # Stale files go only once every new file is in place, so no link dangles meanwhile.
        for relative in sorted(set(previous) - set(files)):
            try:
                path = self._check(relative)
            except WriteError:
                continue  # A tampered manifest never makes us delete outside our folders.
            if path.is_file():
                report.removed.append(relative)
                if not dry_run:
                    try:
                        path.unlink()
                        _prune(path.parent, self.root)
                    except OSError as error:
                        raise WriteError(_cannot("remove", path, error)) from None
        if not dry_run:
            self._record(sorted(ours), self.previous())
        if report.refused and not dry_run:
            # Raised once every other file is written: the site is whole but for these paths.
            raise WriteError("\n".join(
                f"{self.root / relative}: not written: this file is yours ({self.root / MANIFEST} "
                "does not list it), so it stays as it is; move your text elsewhere (a paper's "
                "note goes in curation.yml, 'note:') or rename the file, then build again; if an "
                "earlier build made it, delete it" for relative in report.refused))
        return report

    @staticmethod
    def _theirs(files: dict[str, str], paths: dict[str, Path], exists: dict[str, bool],
                recorded: set[str]) -> list[str]:
        """Paths to write that hold a file of the user's: there, but never written by us.

        A file the manifest does not list is the user's (a note put in docs/papers/), unless
        it already holds exactly what would be written: that is a page of ours whose
        manifest was lost, adopted again without a change.
        """
        theirs = []
        for relative in sorted(files):
            if not exists[relative] or relative in recorded:
                continue
            path = paths[relative]
            try:
                ours = not path.is_symlink() and path.read_bytes() == files[relative].encode("utf-8")
            except OSError:
                ours = False
            if not ours:
                theirs.append(relative)
        return theirs

    def _record(self, paths: list[str], recorded: list[str]) -> None:
        """Write the manifest when it would change."""
        if paths != sorted(recorded) or not (self.root / MANIFEST).exists():
            atomic_write(self.root / MANIFEST, (json.dumps(paths, indent=0) + "\n").encode("utf-8"))


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty, up to the root."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
