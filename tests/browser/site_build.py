"""Build the real site from the project's seeds into a scratch folder, and serve it locally."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from bench.browser import QuietServer
from generator.render.docs import OWNED
from generator.write.writer import MANIFEST

PROJECT = Path(__file__).resolve().parents[2]

# Never copied into the scratch project: tools, outputs, caches, and the tests themselves.
_SKIPPED_AT_ROOT = {".git", ".venv", "site", "tests", ".bench"}
_SKIPPED_ANYWHERE = {"__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}
# docs/ files the generator writes: left behind, so every build starts from the seeds alone.
_GENERATED_IN_DOCS = {*OWNED, MANIFEST}


def _ignore(folder: str, names: list[str]) -> set[str]:
    """Names shutil.copytree leaves out of the scratch copy of the project."""
    skipped = {name for name in names if name in _SKIPPED_ANYWHERE}
    here = Path(folder).resolve()
    if here == PROJECT:
        skipped |= _SKIPPED_AT_ROOT.intersection(names)
    elif here == PROJECT / "docs":
        skipped |= _GENERATED_IN_DOCS.intersection(names)
    return skipped


def build_site(workdir: Path, site_url: str, output: Path, engine: str = "mkdocs",
               env: dict[str, str] | None = None, *, curation: str | None = None) -> Path:
    """Copy the project to workdir, then run the same two steps as `make site` into output;
    ``curation``, when given, is the copy's curation.yml.

    What the steps printed is kept in workdir/build.log.
    """
    project = workdir / "project"
    shutil.copytree(PROJECT, project, ignore=_ignore)
    if curation is not None:
        (project / "curation.yml").write_text(curation, encoding="utf-8")
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    steps = [
        [sys.executable, "-m", "generator", "build", "--quiet", "--root", str(project)],
        [sys.executable, "-m", "generator.publish.engines", "--engine", engine,
         "--root", str(project), "--site-dir", str(output)],
    ]
    log = []
    for step in steps:
        done = subprocess.run(step, cwd=project, env=env, capture_output=True, text=True,
                              check=False)
        log.append(done.stdout + done.stderr)
        (workdir / "build.log").write_text("".join(log), encoding="utf-8")
        if done.returncode != 0:
            raise AssertionError(
                f"{' '.join(step[1:4])} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        """Stay silent: pytest output is for failures."""


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve a folder on a free 127.0.0.1 port; yields the server's root URL."""
    root.mkdir(parents=True, exist_ok=True)
    server = QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
