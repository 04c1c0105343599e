"""What the generator owns under docs/ is git-ignored, and `clean` removes what builds wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cache import CACHE_FOLDER
from generator.cli import main
from generator.fingerprint import RECORD
from generator.render.docs import OWNED
from generator.write.lock import LOCK_FILE
from generator.write.writer import MANIFEST
from tests.kit.project import REAL_SEEDS, copy_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("own", [*OWNED, MANIFEST, RECORD])
def test_every_generated_path_is_ignored(own: str) -> None:
    ignored = set((ROOT / ".gitignore").read_text(encoding="utf-8").splitlines())
    assert {f"/docs/{own}", f"/docs/{own}/"} & ignored, f"add /docs/{own} to .gitignore"


def test_make_clean_is_the_generators_clean() -> None:
    """One rule for what is ours: `make clean` asks the generator, which asks its manifest."""
    clean = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nclean:", 1)[1].split("\n\n")[0]
    assert "-m generator clean" in clean
    assert "rm " not in clean


def test_clean_removes_what_builds_wrote_and_keeps_the_users_files(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path, REAL_SEEDS[:1])
    before = sorted(path.relative_to(root) for path in root.rglob("*"))
    assert main(["build", "--root", str(root), "-q"]) == 0
    note = root / "docs" / "papers" / "my-note.md"
    note.write_text("mine\n", encoding="utf-8")
    for made in (root / "site" / "index.html", root / ".cache" / "x", root / ".engine-cache" / "z",
                 root / ".site-building-1" / "y"):
        made.parent.mkdir(parents=True, exist_ok=True)  # .cache/ holds the build cache already
        made.write_text("x", encoding="utf-8")
    assert main(["clean", "--root", str(root)]) == 0
    assert "generated files removed" in capsys.readouterr().out
    after = sorted(path.relative_to(root) for path in root.rglob("*"))
    # The slug registry is an input the build keeps (committed with the dumps), never output.
    kept = [Path("docs/papers"), Path("docs/papers/my-note.md"), Path("seeds/slugs.json")]
    assert after == sorted({*before, *kept})
    assert not (root / LOCK_FILE).exists()


def test_the_build_cache_is_ignored() -> None:
    ignored = set((ROOT / ".gitignore").read_text(encoding="utf-8").splitlines())
    parents = [CACHE_FOLDER, *CACHE_FOLDER.parents][:-1]
    assert {f"/{folder.as_posix()}/" for folder in parents} & ignored, f"add /{CACHE_FOLDER}/"
