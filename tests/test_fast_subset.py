"""The guard that keeps `pytest -m "not slow"` fast knows a build or a browser when it sees one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import slow_program


@pytest.mark.parametrize(("command", "program"), [
    ([sys.executable, "-m", "mkdocs", "build", "--strict"], "mkdocs build"),
    ([sys.executable, "-m", "zensical", "build"], "zensical build"),
    ([sys.executable, "-m", "generator", "site", "--engine", "mkdocs"], "generator site"),
    ([sys.executable, "-m", "generator.publish.pagefind", "docs", "out"], "generator.publish.pagefind docs"),
    (["make", "site"], "make"),
    ("/usr/bin/chromium --headless", "chromium"),
    (["/venv/lib/playwright/driver/node", "cli.js", "run-driver"], "playwright"),
    (["/venv/bin/pagefind_extended", "--site", "x"], "pagefind_extended"),
])
def test_builds_and_browsers_are_slow(command: object, program: str) -> None:
    assert slow_program(command) == program


@pytest.mark.parametrize("command", [
    ["git", "clone", "a", "b"], [sys.executable, "-m", "generator", "check"],
    [sys.executable, "-m", "bench", "--help"], ["make", "-n", "site"],
])
def test_other_commands_are_not(command: list[str]) -> None:
    assert slow_program(command) is None


def test_an_unmarked_test_cannot_start_an_engine() -> None:
    """This test is not marked slow: starting MkDocs here fails at once, naming the fix."""
    with pytest.raises(AssertionError, match=r"mark it @pytest\.mark\.slow"):
        subprocess.run([sys.executable, "-m", "mkdocs", "--version"], check=False)
