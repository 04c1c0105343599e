"""The seeds folder: every dump, and the capture dates the user stated for them."""

from __future__ import annotations

import datetime as dt
import pickle
import re
import stat
from pathlib import Path

from generator.cache import Table, digest
from generator.problems import ConfigError, Problem
from generator.read.dumps import Dump, load_dump, parse_dump, read_regular
from generator.read.yamlfile import line_of, load_yaml, parse_day, shown

DUMPS_FILE = "dumps.yaml"
DATED_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def stated_captures(folder: Path) -> dict[str, dt.date]:
    """Capture dates from ``dumps.yaml`` (``name: {captured: YYYY-MM-DD}``); all mistakes at once."""
    path = folder / DUMPS_FILE
    if not path.exists():
        return {}
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected 'dump-file-name: {{captured: YYYY-MM-DD}}' entries")
    captures: dict[str, dt.date] = {}
    errors = []
    for name, spec in data.items():
        captured = parse_day(spec.get("captured")) if isinstance(spec, dict) else None
        if captured is None:
            written = spec.get("captured") if isinstance(spec, dict) else None
            line = line_of(spec, "captured") or line_of(data, name)
            said = f", not {shown(written)}" if written is not None else ""
            errors.append(f"{path}:{line}: '{name}' needs 'captured: YYYY-MM-DD', the day the "
                          f"page was saved, a real day without a time{said}")
            continue
        captures[str(name)] = captured
    if errors:
        raise ConfigError("\n".join(errors))
    return captures


def capture_date(name: str, stated: dict[str, dt.date]) -> dt.date | None:
    """The stated capture date of a dump: from dumps.yaml, else from a dated file name."""
    if name in stated:
        return stated[name]
    match = DATED_NAME.match(name)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            return None
    return None


def dump_entries(folder: Path) -> list[Path]:
    """Every ``*.txt`` entry of the folder, whatever its kind, in name order."""
    return sorted(folder.glob("*.txt"))


def dump_paths(folder: Path) -> list[Path]:
    """Every dump in the folder: regular files only, links never followed, in name order."""
    paths = []
    for path in dump_entries(folder):
        try:
            if stat.S_ISREG(path.lstat().st_mode):
                paths.append(path)
        except OSError:
            continue
    return paths


def read_seeds(folder: Path, parsed: Table | None = None) -> list[Dump]:
    """Read every dump in the folder, resolving years from stated capture dates.

    ``parsed``: dumps read by earlier builds, by name, capture year and bytes (see cached_dump).
    """
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such folder; put your dumps (*.txt) there")
    stated = stated_captures(folder)
    dumps = []
    # Every entry is read, so what is refused (a link, a pipe) is reported, not skipped.
    for path in dump_entries(folder):
        captured = capture_date(path.name, stated)
        year = captured.year if captured else None
        dump = load_dump(path, year) if parsed is None else cached_dump(path, year, parsed)
        if captured is not None:
            dump.captured = captured
        dumps.append(dump)
    return dumps


def cached_dump(path: Path, capture_year: int | None, parsed: Table) -> Dump:
    """``load_dump``, reusing the reading of the same bytes under the same name and year."""
    data = read_regular(path)
    if isinstance(data, Problem):
        return Dump(name=path.name, problems=[data])
    key = digest(path.name, str(capture_year), data)
    stored = parsed.get(key, bytes)
    if stored is not None:
        try:
            return pickle.loads(stored)
        except Exception:  # A damaged entry: the dump is read again.
            pass
    dump = parse_dump(data, path.name, capture_year)
    # Each copy's identity is worked out now and kept with the reading (Entry.key): folding
    # every title and abstract again took ~0.2 s of every build at 10,000 papers.
    for entry in dump.entries:
        _ = entry.key
    # Kept as bytes: read_seeds sets the capture date on the dump it returns, which the
    # stored reading must not carry into a build with other dates.
    parsed.put(key, pickle.dumps(dump, protocol=pickle.HIGHEST_PROTOCOL))
    return dump
