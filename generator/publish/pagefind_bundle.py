"""Pagefind's bundle made byte-identical for identical input: its filter values put in order.

Pagefind (1.5) writes each filter's values, and the filters in its metadata, in the order of
a Rust hash map, which changes on every run: five files differ on every build of the same
pages, and a deploy cache sees a new index each time. The files are gzipped CBOR after a
``pagefind_dcd`` mark; the values are sorted here, and the renamed files (a file's name is a
hash of its content) are referenced from the metadata and the bundle's entry file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

MARK = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
# Lengths of the hashes Pagefind names filter and metadata files with (en_1234567).
FILTER_HASH, META_HASH = 7, 10


def read_data_file(path: Path) -> Any:
    """A Pagefind data file's content."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MARK):
        raise ValueError(f"{path}: not a Pagefind data file")
    return cbor2.loads(data[len(MARK):])


def _write(folder: Path, pattern: str, language: str, length: int, content: Any) -> str:
    """Write content as a Pagefind data file named by its hash; the hash."""
    data = MARK + cbor2.dumps(content)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"
    (folder / pattern.format(name)).write_bytes(gzip.compress(data, mtime=0))
    return name


def _sorted_filter(content: list) -> list:
    """A filter's values (each with the pages carrying it) in order of value."""
    name, values = content
    return [name, sorted(([value, sorted(pages)] for value, pages in values),
                         key=lambda item: item[0])]


def put_in_order(bundle: Path) -> None:
    """Rewrite a bundle's filters and metadata in a stable order (no-op when already so)."""
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in sorted(entry.get("languages", {}).items()):
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = read_data_file(meta_path)
        # [version, pages, index chunks, filters as [name, hash], sorts, meta fields]
        if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[0], str)
                and all(isinstance(f, list) and len(f) == 2 for f in meta[3])):
            raise ValueError(f"{meta_path}: metadata laid out as no known Pagefind version")
        filters = []
        for name, old in meta[3]:
            path = bundle / "filter" / f"{old}.pf_filter"
            new = _write(bundle / "filter", "{}.pf_filter", language, FILTER_HASH,
                         _sorted_filter(read_data_file(path)))
            if new != old:
                path.unlink()
            filters.append([name, new])
        meta[3] = sorted(filters)
        new_meta = _write(bundle, "pagefind.{}.pf_meta", language, META_HASH, meta)
        if new_meta != details["hash"]:
            meta_path.unlink()
            details["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
