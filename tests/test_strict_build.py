"""`make site` fails on MkDocs warnings: --strict must not be silenced by --quiet."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.kit.project import ROOT, copy_project


@pytest.mark.slow
def test_make_site_fails_on_a_page_left_out_of_the_navigation(tmp_path: Path) -> None:
    project = copy_project(tmp_path, seeds=[])
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    (project / ".venv").symlink_to(ROOT / ".venv")
    # A hand-written page missing from `nav:` is a warning, which --strict turns into a failure.
    (project / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    stamp = next((ROOT / ".venv").glob(".installed-[0-9]*"))
    done = subprocess.run(["make", "site", f"STAMP={stamp}"], cwd=project, capture_output=True,
                          text=True, check=False, timeout=300)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "about.md" in done.stdout + done.stderr
