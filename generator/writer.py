"""The one writer: owns the generated folders under docs/, writes atomically and only changes."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import WriteError

MANIFEST = ".generated.json"


@dataclass
class WriteReport:
    """What a write did: files written, unchanged and removed."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace a file in one step: readers see the old or the new content, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Writer:
    """Writes generated pages under a root, refusing paths outside the folders it owns."""

    def __init__(self, root: Path, owned: tuple[str, ...]) -> None:
        self.root = root
        self.owned = owned

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
        for relative in files:
            path = self._check(relative)
            key = str(path).casefold()
            if key in targets:
                raise WriteError(f"two pages for one path: '{targets[key]}' and '{relative}'")
            targets[key] = relative
        for relative in sorted(files):
            path = self._check(relative)
            data = files[relative].encode("utf-8")
            try:
                if path.read_bytes() == data:
                    report.unchanged += 1
                    continue
            except OSError:
                pass
            report.written.append(relative)
            if not dry_run:
                atomic_write(path, data)
        for relative in sorted(set(self.previous()) - set(files)):
            try:
                path = self._check(relative)
            except WriteError:
                continue  # A tampered manifest never makes us delete outside our folders.
            if path.is_file():
                report.removed.append(relative)
                if not dry_run:
                    path.unlink()
                    _prune(path.parent, self.root)
        if not dry_run:
            manifest = json.dumps(sorted(files), indent=0) + "\n"
            manifest_path = self.root / MANIFEST
            if not manifest_path.exists() or manifest_path.read_text(encoding="utf-8") != manifest:
                atomic_write(manifest_path, manifest.encode("utf-8"))
        return report


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty, up to the root."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
