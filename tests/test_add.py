"""``python -m generator add FILE|-``: check, store under a dated name, record, say what is new."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.add import dump_name
from generator.cli import main
from tests.kit.corpus import DIFFUSION_A, LANGUAGE, ROBOT_A, ROBOT_B, SITE_URL, slug
from tests.kit.dumps import dump_text, paper
from tests.kit.project import ROOT, generate, new_project

DUMPS_YAML = "# Capture dates of my dumps.\nold.txt: {captured: 2025-01-02}  # from January\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one dump already on the site and a hand-written dumps.yaml."""
    root = new_project(tmp_path / "p", {"old.txt": dump_text([ROBOT_A, LANGUAGE],
                                                              dt.date(2025, 1, 2))}, site_url=SITE_URL)
    (root / "seeds" / "dumps.yaml").write_text(DUMPS_YAML, encoding="utf-8")
    assert generate(root) == 0
    return root


def run_add(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The real command line, as a user types it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "add", *args, "--root", str(root)],
        input=stdin, capture_output=True, cwd=ROOT, timeout=120, check=False,
    )


def test_add_file_stores_records_and_lists_new_and_known(project: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    text = dump_text([DIFFUSION_A, ROBOT_A], dt.date(2025, 6, 15))
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(text, encoding="utf-8")
    assert main(["add", str(pasted), "--captured", "2025-06-15", "--root", str(project)]) == 0
    name = f"2025-06-15-{hashlib.sha256(text.encode()).hexdigest()[:8]}.txt"
    out = capsys.readouterr().out
    assert out == (
        f"stored {project / 'seeds' / name} (captured 2025-06-15): 2 papers, 1 new, "
        "1 already on the site\n"
        f"  new: {DIFFUSION_A.title}\n"
        f"  already on the site: {ROBOT_A.title} (papers/{slug(ROBOT_A.title)}/)\n"
        "next: make site (or python -m generator build), then commit seeds/ and push\n"
    )
    assert (project / "seeds" / name).read_text(encoding="utf-8") == text
    # The user's dumps.yaml keeps its comments and entries; the new dump is appended.
    assert (project / "seeds" / "dumps.yaml").read_text(encoding="utf-8") == (
        DUMPS_YAML + f"{name}:\n  captured: 2025-06-15\n"
    )
    assert generate(project) == 0
    titles = {r["title"] for r in json.loads((project / "docs" / "papers.json").read_text())}
    assert DIFFUSION_A.title in titles


def test_add_from_standard_input(project: Path) -> None:
    text = dump_text([ROBOT_B], dt.date(2025, 3, 1)).encode()
    result = run_add(project, "-", "--captured", "2025-03-01", stdin=text)
    assert result.returncode == 0, result.stderr
    name = dump_name(text, dt.date(2025, 3, 1))
    assert result.stdout.decode().splitlines()[:2] == [
        f"stored {project / 'seeds' / name} (captured 2025-03-01): 1 papers, 1 new, "
        "0 already on the site",
        f"  new: {ROBOT_B.title}",
    ]
    assert (project / "seeds" / name).read_bytes() == text


def test_capture_date_gives_yearless_dates_their_year(project: Path) -> None:
    # "Feb 9" on a page copied in 2024: the paper is from Feb 9, 2024, whatever today is.
    entry = paper("Sparse Mixtures of Experts at Scale", "We scale sparse mixtures of experts to "
                  "a trillion parameters with stable routing.", dt.date(2024, 2, 9), authors=3)
    text = dump_text([entry], dt.date(2024, 3, 1)).encode()
    assert b"Feb 9\n" in text
    assert run_add(project, "-", "--captured", "2024-03-01", stdin=text).returncode == 0
    assert generate(project, "--strict") == 0
    records = json.loads((project / "docs" / "papers.json").read_text(encoding="utf-8"))
    assert next(r for r in records if r["title"] == entry.title)["date"] == "2024-02-09"


def test_default_capture_date_is_today(project: Path) -> None:
    text = dump_text([ROBOT_B], dt.date.today()).encode()
    result = run_add(project, "-", stdin=text)
    assert result.returncode == 0, result.stderr
    assert (project / "seeds" / dump_name(text, dt.date.today())).exists()
    assert result.stderr == b""


def test_a_header_date_that_disagrees_is_pointed_out(project: Path) -> None:
    text = dump_text([ROBOT_B], dt.date(2025, 10, 28)).encode()
    result = run_add(project, "-", "--captured", "2025-11-02", stdin=text)
    assert result.returncode == 0
    assert result.stderr.decode() == (
        "note: the page says it was captured on Oct 28, not 2025-11-02; if so, add it again "
        "with --captured YYYY-10-28 (dates without a year take the capture year)\n"
    )


@pytest.mark.parametrize("text", [b"", b"just one line copied by mistake\n",
                                  b"new\n\nSubscribe\n\nDaily Papers\n\nOct 28\n"])
def test_text_without_entries_is_refused_and_nothing_written(project: Path, text: bytes) -> None:
    before = sorted(p.name for p in (project / "seeds").iterdir())
    result = run_add(project, "-", stdin=text)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == (
        "Error: standard input: no paper entries could be read; copy the whole text of a Hugging "
        "Face Daily Papers page (each paper's title, abstract and date) and try again"
    )
    assert result.stdout == b""
    assert sorted(p.name for p in (project / "seeds").iterdir()) == before
    assert (project / "seeds" / "dumps.yaml").read_text(encoding="utf-8") == DUMPS_YAML


def test_binary_and_missing_files_are_refused(project: Path, tmp_path: Path) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\x00\x00\x00")
    result = run_add(project, str(binary))
    assert result.returncode == 2
    assert result.stderr.decode().startswith(f"Error: {binary}: not a text dump (")
    result = run_add(project, str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"Error: {tmp_path / 'missing.txt'}: cannot read: No such file or directory\n")


def test_adding_the_same_text_twice_stores_it_once(project: Path) -> None:
    text = dump_text([ROBOT_B], dt.date(2025, 3, 1)).encode()
    assert run_add(project, "-", "--captured", "2025-03-01", stdin=text).returncode == 0
    again = run_add(project, "-", "--captured", "2025-03-01", stdin=text)
    assert again.returncode == 0
    name = dump_name(text, dt.date(2025, 3, 1))
    assert again.stdout.decode().splitlines()[0] == (
        f"already stored as {project / 'seeds' / name}, nothing written (captured 2025-03-01): "
        "1 papers, 0 new, 1 already on the site"
    )
    assert len(list((project / "seeds").glob("*.txt"))) == 2
    assert (project / "seeds" / "dumps.yaml").read_text(encoding="utf-8").count(name) == 1


def test_bad_capture_date_is_a_usage_error(project: Path) -> None:
    result = run_add(project, "-", "--captured", "28/10/2025", stdin=b"x")
    assert result.returncode == 2
    assert "argument --captured: '28/10/2025' is not a date; write YYYY-MM-DD" in (
        result.stderr.decode())


def test_a_dumps_yaml_that_cannot_take_an_entry_stops_before_writing(project: Path) -> None:
    (project / "seeds" / "dumps.yaml").write_text("{old.txt: {captured: 2025-01-02}}\n")
    text = dump_text([ROBOT_B], dt.date(2025, 3, 1)).encode()
    result = run_add(project, "-", "--captured", "2025-03-01", stdin=text)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"Error: {project / 'seeds' / 'dumps.yaml'}: cannot append "
        f"'{dump_name(text, dt.date(2025, 3, 1))}: {{captured: 2025-03-01}}'; keep the file a "
        "plain list of 'dump-name.txt: {captured: YYYY-MM-DD}' entries, one per line\n"
    )
    assert sorted(p.name for p in (project / "seeds").glob("*.txt")) == ["old.txt"]


def test_the_real_dumps_can_be_added_back(tmp_path: Path) -> None:
    """Every real dump read through add: all its papers are already on a site built from it."""
    real = sorted((ROOT / "seeds").glob("*.txt"))
    root = new_project(tmp_path / "p", {path.name: path.read_text(encoding="utf-8")
                                         for path in real}, site_url=SITE_URL)
    result = run_add(root, str(real[-1]), "--captured", "2025-10-28")
    assert result.returncode == 0, result.stderr
    first = result.stdout.decode().splitlines()[0]
    assert first.startswith(f"already stored as {root / 'seeds' / real[-1].name}")
    assert ", 0 new, " in first
