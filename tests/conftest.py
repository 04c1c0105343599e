"""Shared fixtures: a throw-away project with the real taxonomy and chosen dumps."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import Project
from tests.support import ROOT


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
