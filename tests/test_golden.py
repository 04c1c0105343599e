"""Golden file: one real paper page, compared line by line; refresh with ``make golden``."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from generator.build import Project, build_catalog
from generator.site import render_paper
from tests.support import ROOT, copy_project

GOLDEN = Path(__file__).parent / "golden" / "skill-expansion-and-composition-in-parameter-space.md"


def test_paper_page_matches_golden(tmp_path: Path) -> None:
    project = Project(root=copy_project(tmp_path))
    project.taxonomy = ROOT / "taxonomy.yml"
    catalog = build_catalog(project)
    paper = next(p for p in catalog.papers if p.slug == GOLDEN.stem)
    page = render_paper(paper, {tag.name: tag for tag in catalog.tags})
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(page, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), page.splitlines(True), "golden", "now"))
    assert not diff, f"paper page changed; if intended, run `make golden`:\n{diff}"
