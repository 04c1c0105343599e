"""Helpers for tests: paths of the project and small dump texts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


HEADER = """new

Get trending papers in your email inbox!

Subscribe

Daily Papers

byAK and the research community

{capture}

"""


def dump_text(body: str, capture: str = "Oct 28") -> str:
    """A dump: the page header with its capture date, then the given entry blocks."""
    return HEADER.format(capture=capture) + body.strip("\n") + "\n"


ABSTRACT = (
    "We study how agents learn skills from sparse rewards in open-ended worlds. Our method "
    "combines exploration with a learned behaviour space and outperforms baselines."
)


PROJECT_FILES = ("mkdocs.yml", "taxonomy.yml", "generator", "overrides", "docs/stylesheets")


def copy_project(target: Path, seeds: list[Path] | None = None) -> Path:
    """A copy of the project's hand-written files in target, with the given dumps as seeds."""
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / name)
    (target / "seeds").mkdir(parents=True, exist_ok=True)
    for dump in REAL_SEEDS if seeds is None else seeds:
        shutil.copy(dump, target / "seeds" / dump.name)
    return target


def publish(project: Path, engine: str = "mkdocs", *extra: str,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m generator.publish`` (what `make site` runs after `docs`) in the project.

    A SITE_URL set in the developer's shell is left out (pass it in ``env`` to test one), so
    the tests build the same site on every machine.
    """
    inherited = {name: value for name, value in os.environ.items() if name not in {"SITE_URL", "ENGINE"}}
    return subprocess.run(
        [sys.executable, "-m", "generator.publish", "--engine", engine, *extra],
        cwd=project, capture_output=True, text=True, check=False, timeout=300,
        env={**inherited, **(env or {})},
    )


def mkdocs_build(project: Path, *extra: str, env: dict[str, str] | None = None,
                 engine: str = "mkdocs") -> Path:
    """Build the site as `make site` does (``mkdocs build --strict`` by default); its folder."""
    result = publish(project, engine, *extra, env=env)
    assert result.returncode == 0, f"{engine} build failed:\n{result.stdout}\n{result.stderr}"
    return project / "site"
