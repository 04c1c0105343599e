"""Shared fixtures: a throw-away project with the real taxonomy and chosen dumps."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from generator.pipeline import Project
from tests.browser.reader import ServedSite
from tests.browser.site_build import build_site, serve
from tests.kit.project import ROOT

# A GitHub project site lives under /<repo>/: the sub-path layouts serve the site there,
# with nothing at the server root, so any link that escapes the sub-path is a 404.
SUBPATH = "reading-list/"
# The real site's layouts: at the server root or under a sub-path, by MkDocs or Zensical.
LAYOUTS = {"root": ("mkdocs", False), "subpath": ("mkdocs", True), "zensical": ("zensical", True)}
# What only a test marked `slow` may start: an engine, Pagefind, a browser, make, `generator
# site` (which runs an engine). `pytest -m "not slow"` is the fast subset; this keeps it fast.
SLOW_PROGRAMS = frozenset({"mkdocs", "zensical", "pagefind", "pagefind_extended", "chromium", "make"})
SLOW_MODULES = frozenset({"mkdocs", "zensical", "generator.publish.engines", "generator.publish.pagefind",
                          "generator.serve", "bench",
                          "bench.queries", "bench.reader", "pagefind"})


def slow_program(args: object) -> str | None:
    """The program or module in a command line that only a slow test may start, if any."""
    words = [os.fsdecode(word) for word in ([args] if isinstance(args, str | bytes) else list(args))]
    if len(words) == 1:
        words = words[0].split()
    if "--help" in words or words[:2] == ["make", "-n"]:  # Says what it would do, does nothing.
        return None
    for position, word in enumerate(words[:6]):
        if "playwright" in word:
            return "playwright"
        if Path(word).name in SLOW_PROGRAMS:
            return Path(word).name
        after = words[position + 1:position + 3]
        if word == "-m" and after and (after[0] in SLOW_MODULES or after[:2] == ["generator", "site"]):
            return " ".join(after)
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A test not marked slow (with its fixtures) fails when it starts a build or a browser."""
    if item.get_closest_marker("slow"):
        yield
        return
    popen = subprocess.Popen

    class Guarded(popen):  # type: ignore[misc, valid-type]
        def __init__(self, args: object, *rest: object, **options: object) -> None:
            program = slow_program(args)
            if program:
                raise AssertionError(f"{item.nodeid} starts {program}: mark it @pytest.mark.slow "
                                     "(it runs in make test, not in the fast subset)")
            super().__init__(args, *rest, **options)  # type: ignore[arg-type]

    subprocess.Popen = Guarded  # type: ignore[misc]
    try:
        yield
    finally:
        subprocess.Popen = popen  # type: ignore[misc]


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """Build a project folder in tmp_path holding the given dumps (name → text or bytes)."""

    def make(dumps: dict[str, str | bytes], **files: str) -> Project:
        seeds = tmp_path / "seeds"
        seeds.mkdir(exist_ok=True)
        for name, content in dumps.items():
            path = seeds / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        for relative, content in files.items():
            (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / relative).write_text(content, encoding="utf-8")
        if not (tmp_path / "taxonomy.yml").exists():
            shutil.copy(ROOT / "taxonomy.yml", tmp_path / "taxonomy.yml")
        return Project(root=tmp_path)

    return make


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], ServedSite]]:
    """The site built from the real seeds in a layout (see LAYOUTS), served on 127.0.0.1.

    Each layout is built once for the whole session, on first use, and shared by the link
    crawl, the engine comparison and the browser tests: the real build is the slow part.
    """
    built: dict[str, ServedSite] = {}
    with ExitStack() as servers:

        def site(layout: str) -> ServedSite:
            if layout not in built:
                engine, under_subpath = LAYOUTS[layout]
                workdir = tmp_path_factory.mktemp(f"site-{layout}")
                www = workdir / "www"
                # The server starts first so the site is built for the exact URL it is read
                # at (SITE_URL).
                origin = servers.enter_context(serve(www))
                url, folder = (origin + SUBPATH, www / SUBPATH.strip("/")) if under_subpath \
                    else (origin, www)
                build_site(workdir, url, folder, engine=engine)
                built[layout] = ServedSite(name=layout, url=url, folder=folder)
            return built[layout]

        yield site
