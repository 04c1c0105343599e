"""Building needs requirements.txt alone; tests and tools pin the rest in requirements-dev.txt."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _name(text: str) -> str:
    """A distribution's normalised name (PEP 503)."""
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins(path: Path) -> dict[str, str]:
    """name -> exact version of every `name==version` line (not `-r` includes)."""
    pins = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            name, _, version = line.partition("==")
            assert version, f"{path.name}: '{line}' is not pinned to an exact version"
            pins[_name(name)] = version
    return pins


def _closure(roots: list[str]) -> set[str]:
    """The installed distributions the roots need, transitively, with the extras they ask for."""
    needed: set[str] = set()
    stack = [Requirement(root) for root in roots]
    while stack:
        requirement = stack.pop()
        name = _name(requirement.name)
        if name in needed:
            continue
        needed.add(name)
        for text in importlib.metadata.requires(name) or []:
            child = Requirement(text)
            if child.marker is None or any(child.marker.evaluate({"extra": extra})
                                           for extra in ("", *requirement.extras)):
                stack.append(child)
    return needed


def _project() -> dict:
    """pyproject.toml's [project] table."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_requirements_txt_pins_exactly_what_building_needs() -> None:
    """Every runtime dependency and what it needs is pinned there, and nothing for tests."""
    runtime = _closure(_project()["dependencies"])
    assert set(_pins(ROOT / "requirements.txt")) == runtime


def test_requirements_dev_txt_adds_exactly_the_test_tools() -> None:
    """It includes requirements.txt and pins the test extra's closure, nothing built with."""
    text = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "-r requirements.txt" in text.splitlines()
    runtime = _closure(_project()["dependencies"])
    tools = _closure(_project()["optional-dependencies"]["test"]) - runtime
    assert set(_pins(ROOT / "requirements-dev.txt")) == tools


def test_pins_are_the_installed_versions() -> None:
    """The virtualenv the tests run in holds exactly the pinned versions."""
    for path in (ROOT / "requirements.txt", ROOT / "requirements-dev.txt"):
        for name, version in _pins(path).items():
            assert importlib.metadata.version(name) == version, f"{path.name}: {name}"


def test_make_site_installs_only_the_runtime_requirements() -> None:
    """`make site` (what the Pages workflow runs) never installs requirements-dev.txt."""
    done = subprocess.run(["make", "-n", "-B", "site"], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert "-r requirements.txt" in done.stdout
    assert "requirements-dev.txt" not in done.stdout
    done = subprocess.run(["make", "-n", "-B", "test"], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert "-r requirements-dev.txt" in done.stdout
