"""The package reads as the data flow: each stage imports only earlier stages, and the core
never imports the MkDocs adapter or MkDocs itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
# The stages in data-flow order; a stage may import itself and the stages before it.
STAGES = ("read", "enrich", "render", "write", "publish")
# Shared by every stage: the domain's types, identity rules and problems, and the build cache
# (generator/cache.py) each stage keeps its own work in.
DOMAIN = {"model", "identity", "problems", "cache"}
# The engine adapter, at the edge: it may import the core, never the reverse.
ADAPTER = "mkdocs"
ENGINE_PACKAGES = {"mkdocs", "material"}


def _modules() -> list[Path]:
    """Every module of the package."""
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def _imports(path: Path, package: list[str]) -> list[str]:
    """The absolute names a module imports; ``package`` is where it lives, for relative imports."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[:len(package) - node.level + 1], *([base] if base else [])])
            # `from generator import x` / `from generator.read import dumps` import modules.
            names += [f"{base}.{alias.name}" if base in ("generator", *(f"generator.{s}" for s in
                                                         (*STAGES, ADAPTER))) else base
                      for alias in node.names]
    return names


def _place(name: str) -> str:
    """Where an imported generator module lives: a stage, the adapter, or the top level."""
    parts = name.split(".")
    return parts[1] if parts[1] in (*STAGES, ADAPTER) else "top"


def violations(path: Path, place: str) -> list[str]:
    """What a module living in ``place`` (a stage, the adapter or "top") imports that it may not."""
    package = ["generator", *([place] if place != "top" else [])]
    wrong = []
    for name in _imports(path, package):
        root = name.split(".")[0]
        if root in ENGINE_PACKAGES and place != ADAPTER:
            wrong.append(f"{name}: only generator/{ADAPTER}/ may import the engine")
        if root != "generator" or name == "generator":
            continue
        target = _place(name)
        if target == ADAPTER and place != ADAPTER:
            wrong.append(f"{name}: the core never imports the adapter")
        elif place in STAGES and target in STAGES and STAGES.index(target) > STAGES.index(place):
            wrong.append(f"{name}: {place} comes before {target} in the data flow")
        elif place in STAGES and target == "top" and name.split(".")[1] not in DOMAIN:
            wrong.append(f"{name}: a stage imports only the domain from the top level")
    return wrong


def test_every_stage_is_a_folder_and_the_top_level_is_small() -> None:
    """read/, enrich/, render/, write/, publish/ and the adapter exist; the rest is commands,
    the pipeline and the domain."""
    folders = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert folders == {*STAGES, ADAPTER}
    top = {path.stem for path in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "cli", "add", "serve", "pipeline", "fingerprint", *DOMAIN}


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_a_module_imports_only_earlier_stages_and_never_the_adapter(path: Path) -> None:
    """A stage imports itself, earlier stages and the domain; the core never imports MkDocs."""
    parts = path.relative_to(PACKAGE).parts
    assert violations(path, parts[0] if len(parts) > 1 else "top") == []


def test_the_check_sees_wrong_imports(tmp_path: Path) -> None:
    """A reader importing the renderer, the pipeline or MkDocs, or the core importing the adapter."""
    module = tmp_path / "bad.py"
    module.write_text("from generator.render.docs import OWNED\nfrom generator import pipeline\n"
                      "import mkdocs.plugins\nfrom ..mkdocs import hooks\nfrom . import dumps\n",
                      encoding="utf-8")
    assert [line.split(":")[0] for line in violations(module, "read")] == [
        "generator.render.docs", "generator.pipeline", "mkdocs.plugins", "generator.mkdocs.hooks"]
