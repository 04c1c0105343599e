"""The reader benchmark's parts: page kinds from paths, and a host that gzips as Pages does."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

import pytest

from bench.reader import page_kind, pages_by_kind, serve_gzipped


@pytest.mark.parametrize(("path", "kind"), [
    ("index.html", "home"),
    ("tags/index.html", "tags"),
    ("tags/agents/index.html", "tags/*"),
    ("tags/agents/2/index.html", "tags/*/N"),
    ("dates/2025/10/index.html", "dates/N/N"),
    ("papers/some-paper/index.html", "papers/*"),
])
def test_page_kind_generalises_slugs_and_numbers(path: str, kind: str) -> None:
    assert page_kind(path) == kind


def _site(root: Path) -> Path:
    for relative, size in {"index.html": 10, "tags/a/index.html": 30, "tags/b/index.html": 50,
                           "assets/x/index.html": 99, "papers/p/index.html": 20}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("<p>" + "x" * size, encoding="utf-8")
    return root


def test_largest_page_of_each_kind_assets_left_out(tmp_path: Path) -> None:
    pages = pages_by_kind(_site(tmp_path))
    assert set(pages) == {"home", "tags/*", "papers/*"}
    assert pages["tags/*"] == tmp_path / "tags/b/index.html"


def test_text_is_served_gzipped_only_to_clients_that_accept_it(tmp_path: Path) -> None:
    site = _site(tmp_path)
    with serve_gzipped(site) as base:
        request = urllib.request.Request(base + "tags/b/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()) == (site / "tags/b/index.html").read_bytes()
        with urllib.request.urlopen(base + "tags/b/") as response:
            assert response.headers["Content-Encoding"] is None
            assert response.read() == (site / "tags/b/index.html").read_bytes()
