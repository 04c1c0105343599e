"""The GitHub Pages workflow: actionlint finds nothing, and it builds and deploys as documented."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[1]
WORKFLOW = PROJECT / ".github" / "workflows" / "pages.yml"
# A full release tag (v1.2.3) or a commit SHA: a moving major tag (v4) is not a pin.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")


def _actionlint() -> str:
    """The actionlint binary that requirements-dev.txt installs into the virtualenv."""
    beside_python = Path(sys.executable).parent / "actionlint"
    found = str(beside_python) if beside_python.is_file() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is missing: run `make test` (pip installs requirements-dev.txt)")
    return found


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    """Run actionlint on workflow files; its findings come on stdout, one per line."""
    return subprocess.run(
        [_actionlint(), "-no-color", "-oneline", *map(str, files)],
        capture_output=True, text=True, check=False, cwd=files[0].parents[2],
    )


def _workflow() -> dict[str, Any]:
    """The workflow as data."""
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """Every step of every job, in order."""
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_workflow_passes_actionlint() -> None:
    """actionlint reports nothing on the Pages workflow."""
    done = _lint(WORKFLOW)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    """The linter really checks: an unknown context and a missing runs-on are findings."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    steps:\n"
        "      - run: echo ${{ github.no_such_thing }}\n",
        encoding="utf-8",
    )
    done = _lint(broken)
    assert done.returncode == 1
    assert "runs-on" in done.stdout
    assert "no_such_thing" in done.stdout


def test_workflow_runs_on_pushes_to_the_default_branch_and_by_hand() -> None:
    """Pushes to main/master trigger it, only the default branch builds, and it runs by hand."""
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert set(triggers) == {"push", "workflow_dispatch"}
    assert "main" in triggers["push"]["branches"]
    assert "default_branch" in workflow["jobs"]["build"]["if"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_workflow_builds_with_make_site_for_the_pages_address() -> None:
    """The site is built by `make site` with SITE_URL from Pages, overridable by a variable."""
    steps = _steps(_workflow())
    build = next(step for step in steps if step.get("run") == "make site")
    assert "vars.SITE_URL" in build["env"]["SITE_URL"]
    assert "steps.pages.outputs.base_url" in build["env"]["SITE_URL"]
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"


def test_workflow_deploys_site_with_the_pages_actions_and_least_permissions() -> None:
    """site/ goes up as the Pages artifact; only the deploy job may write Pages and get a token."""
    workflow = _workflow()
    upload = next(step for step in _steps(workflow)
                  if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert workflow["permissions"] == {"contents": "read"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])


def test_every_action_is_pinned_to_a_release_or_commit() -> None:
    """Each `uses:` names a full version tag or a commit SHA, never a branch or a major tag."""
    uses = [step["uses"] for step in _steps(_workflow()) if "uses" in step]
    assert len(uses) == 5
    assert [ref for ref in uses if not PINNED.match(ref)] == []
