"""What the generator owns under docs/ is git-ignored and removed by `make clean`, every entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cache import CACHE_FOLDER
from generator.site import OWNED
from generator.writer import MANIFEST

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("own", [*OWNED, MANIFEST])
def test_every_generated_path_is_ignored_and_cleaned(own: str) -> None:
    ignored = set((ROOT / ".gitignore").read_text(encoding="utf-8").splitlines())
    assert {f"/docs/{own}", f"/docs/{own}/"} & ignored, f"add /docs/{own} to .gitignore"
    clean = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nclean:", 1)[1].split("\n\n")[0]
    assert f"docs/{own}" in clean.split(), f"add docs/{own} to `make clean`"


def test_the_build_cache_is_ignored_and_cleaned() -> None:
    ignored = set((ROOT / ".gitignore").read_text(encoding="utf-8").splitlines())
    parents = [CACHE_FOLDER, *CACHE_FOLDER.parents][:-1]
    assert {f"/{folder.as_posix()}/" for folder in parents} & ignored, f"add /{CACHE_FOLDER}/"
    clean = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nclean:", 1)[1].split("\n\n")[0]
    assert CACHE_FOLDER.as_posix() in clean.split(), f"add {CACHE_FOLDER} to `make clean`"
