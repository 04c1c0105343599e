"""Projects for tests: the repository's paths, throw-away copies, and builds as `make site` runs them."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.cli import main
from generator.fingerprint import RECORD
from generator.render.docs import OWNED
from generator.write.writer import MANIFEST, owns

ROOT = Path(__file__).resolve().parents[2]
REAL_SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PROJECT_FILES = ("mkdocs.yml", "taxonomy.yml", "generator", "overrides", "docs/stylesheets")
NAV_END = "  - Stats: stats/index.md\n"


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


def new_project(root: Path, dumps: dict[str, str | bytes], *, curation: str | None = None,
                registry: str | None = None, site_url: str | None = None, about: bool = False) -> Path:
    """A copy of the project with these dumps (and curation.yml, slugs.json); its root.

    ``site_url`` fixes mkdocs.yml's address; ``about`` adds a hand-written page in the nav,
    as the user guide tells users to, for tests of what the generator must leave alone.
    """
    copy_project(root, seeds=[])
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if site_url is not None:
        config = config.replace('site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]',
                                f'site_url: "{site_url}"')
        assert site_url in config, "mkdocs.yml's site_url line changed; update tests/kit/project.py"
    if about:
        (root / "docs" / "about.md").write_text("# About\n\nHand-written page.\n", encoding="utf-8")
        assert NAV_END in config, "mkdocs.yml's nav changed; update tests/kit/project.py"
        config = config.replace(NAV_END, NAV_END + "  - About: about.md\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name, content in dumps.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (root / "seeds" / name).write_bytes(data)
    if curation is not None:
        (root / "curation.yml").write_text(curation, encoding="utf-8")
    if registry is not None:
        (root / "seeds" / "slugs.json").write_text(registry, encoding="utf-8")
    return root


def generate(root: Path, *extra: str) -> int:
    """``python -m generator build`` on the project, in process; its exit status."""
    return main(["build", "--root", str(root), *extra])


def run_generator(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` in the project, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=root,
                          capture_output=True, text=True, timeout=120, check=False)


def publish(project: Path, engine: str = "mkdocs", *extra: str,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m generator.publish.engines`` (what `make site` runs after `docs`) in the project.

    A SITE_URL set in the developer's shell is left out (pass it in ``env`` to test one), so
    the tests build the same site on every machine.
    """
    inherited = {name: value for name, value in os.environ.items() if name not in {"SITE_URL", "ENGINE"}}
    return subprocess.run(
        [sys.executable, "-m", "generator.publish.engines", "--engine", engine, *extra],
        cwd=project, capture_output=True, text=True, check=False, timeout=300,
        env={**inherited, **(env or {})},
    )


def mkdocs_build(project: Path, *extra: str, env: dict[str, str] | None = None,
                 engine: str = "mkdocs", search_engine: str | None = None) -> Path:
    """Build the site as `make site` does (``mkdocs build --strict`` by default); its folder.

    ``search_engine`` (auto, material, pagefind) overrides extra.search.engine.
    """
    if search_engine is not None:
        env = {**(env or {}), "READING_LIST_SEARCH_ENGINE": search_engine}
    result = publish(project, engine, *extra, env=env)
    assert result.returncode == 0, f"{engine} build failed:\n{result.stdout}\n{result.stderr}"
    return project / "site"


def is_generated(path: str) -> bool:
    """True for a project path under docs/ that the generator owns, its manifest and record included."""
    relative = path.removeprefix("docs/")
    return path.startswith("docs/") and (relative in (MANIFEST, RECORD) or owns(OWNED, relative))


def snapshot(root: Path) -> dict[str, str]:
    """Every file under the root (the site folder aside) with a hash of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] != "site"
        and "__pycache__" not in path.parts
    }


def changed_paths(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """Paths added, removed or modified between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
