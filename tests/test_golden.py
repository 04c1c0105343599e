"""Golden file: one real paper page as the build writes it, compared line by line; refresh
with ``make golden``."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from generator.cli import main
from tests.kit.project import ROOT, copy_project

GOLDEN = Path(__file__).parent / "golden" / "skill-expansion-and-composition-in-parameter-space.md"


def test_paper_page_matches_golden(tmp_path: Path) -> None:
    """The page `build` writes from the real seeds and the example curation.yml, related
    papers and site address included."""
    root = copy_project(tmp_path)
    shutil.copy(ROOT / "curation.yml", root / "curation.yml")
    assert main(["build", "--root", str(root), "-q"]) == 0
    page = (root / "docs" / "papers" / GOLDEN.stem / "index.md").read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(page, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), page.splitlines(True), "golden", "now"))
    assert not diff, f"paper page changed; if intended, run `make golden`:\n{diff}"
