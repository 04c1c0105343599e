"""The command line: subcommands, exit codes, summary line, one-line errors."""

from __future__ import annotations

import os
import time

import pytest

from generator import cli
from generator.cli import main
from generator.enrich.taxonomy import load_taxonomy
from generator.problems import GeneratorError
from tests.kit.dumps import ABSTRACT, dump_text

GOOD = dump_text(f"Paper One\n\n{ABSTRACT}\n\n  • 3 authors\n·\nFeb 9, 2024 3")
BAD_DATE = dump_text(f"Paper Two\n\n{ABSTRACT} Two.\n\n  • 3 authors\n·\nFeb 30, 2024")


def run(capsys, project, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--root", str(project.root)])
    out, err = capsys.readouterr()
    return code, out, err


def test_build_prints_one_summary_line_and_writes_pages(make_project, capsys) -> None:
    project = make_project({"a.txt": GOOD})
    # One paper page; per tag a page, its list data and its two feeds; home, tags, dates,
    # papers.json; untagged, the paper's month, code, reading queue, read and favourites, each
    # a page and its list data; the stats page and its 5 charts (the timeline twice: wide and
    # for phones); feed.xml, feed.json; My marks and the data file of every paper it draws from.
    files = 1 + 4 * len(load_taxonomy(project.taxonomy)) + 4 + 2 * 6 + 6 + 2 + 2
    code, out, err = run(capsys, project, "build")
    assert code == 0 and err == ""
    assert out == (
        "1 entries read from 1 dumps: 1 papers (0 merged copies, 1 new); 0 errors, 0 warnings; "
        f"{files} files written, 0 unchanged, 0 removed\n"
    )
    assert (project.docs / "papers" / "paper-one" / "index.md").exists()
    code, out, _ = run(capsys, project, "build", "-q")
    assert "0 new" in out and f"0 files written, {files} unchanged" in out


def test_check_reports_problems_writes_nothing_and_strict_fails(make_project, capsys) -> None:
    project = make_project({"a.txt": GOOD, "b.txt": BAD_DATE})
    code, out, err = run(capsys, project, "check")
    assert code == 0 and not project.docs.exists()
    assert err.splitlines() == [
        "b.txt:19: warning: date line unreadable: Feb 30 is not a day of the calendar; the paper is kept "
        "without a date (write it as the page does: 'Feb 9', 'Feb 9, 2024' or 'Feb 9 3' (3 upvotes))"
    ]
    assert out.startswith("2 entries read from 2 dumps: 2 papers")
    code, _, err = run(capsys, project, "check", "--strict")
    assert code == 1 and "--strict: failing on 1 problems" in err


def test_quiet_hides_problems(make_project, capsys) -> None:
    code, out, err = run(capsys, make_project({"b.txt": BAD_DATE}), "check", "-q")
    assert (code, err) == (0, "") and "1 warnings" in out


def test_config_error_is_one_line_with_exit_2(make_project, capsys) -> None:
    project = make_project({"a.txt": GOOD}, **{"taxonomy.yml": "tags:\n  RL:\n    keywords: [\"(\"]\n    patterns: [\"(\"]\n"})
    code, out, err = run(capsys, project, "build")
    assert code == 2 and out == ""
    assert err == "Error: " + str(project.taxonomy) + ":4: pattern '(' of tag 'RL' is refused: missing ): (; patterns are RE2 regular expressions (Python's syntax without look-around or back-references), which match fast on any text\n"


def test_usage_error_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["publish"])
    assert exit_info.value.code == 2


def test_site_builds_in_a_child_that_exits_before_publishing(make_project, capfd, monkeypatch, tmp_path) -> None:
    """The build's memory is gone before the engine starts: its process has exited by then."""
    project = make_project({"a.txt": GOOD})
    builder = tmp_path / "builder"
    published: list[int] = []

    def build(*_: object) -> int:
        builder.write_text(str(os.getpid()), encoding="utf-8")
        print("built")
        return cli.EXIT_OK

    def publish(*_: object) -> int:
        published.append(int(builder.read_text(encoding="utf-8")))
        return cli.EXIT_OK

    monkeypatch.setattr(cli, "_build", build)
    monkeypatch.setattr(cli, "_publish", publish)
    assert main(["site", "--root", str(project.root)]) == cli.EXIT_OK
    assert published and published[0] != os.getpid()
    assert capfd.readouterr().out == "built\n"


def test_site_reads_what_publishing_compares_with_while_the_child_builds(
        make_project, monkeypatch, tmp_path) -> None:
    """The publish step's walks of site/ and its caches run beside the build, not after it."""
    project = make_project({"a.txt": GOOD})
    looked = tmp_path / "looked"
    handed: list[object] = []

    def build(*_: object) -> int:
        # Ends only once the parent has looked: were the look after the build, it never would.
        deadline = time.monotonic() + 20
        while not looked.exists():
            if time.monotonic() > deadline:
                return cli.EXIT_ERROR
            time.sleep(0.01)
        return cli.EXIT_OK

    def look(*_: object) -> tuple[str, None]:
        looked.write_text("seen", encoding="utf-8")
        return "what was read", None

    monkeypatch.setattr(cli, "_build", build)
    monkeypatch.setattr(cli, "_prepare", look)
    monkeypatch.setattr(cli, "_publish", lambda _project, _engine, before, settled, _early:
                        handed.append((before, settled())) or 0)
    assert main(["site", "--root", str(project.root)]) == cli.EXIT_OK
    assert handed == [("what was read", cli.EXIT_OK)]


@pytest.mark.parametrize("code", [cli.EXIT_OK, cli.EXIT_ERROR])
def test_publishing_starts_once_docs_is_written_and_waits_for_the_builds_end(
        make_project, monkeypatch, tmp_path, code: int) -> None:
    """The build's last steps (its cache, its record) run beside the engine's start; publishing
    gets the build's exit status before it touches site/."""
    project = make_project({"a.txt": GOOD})
    started = tmp_path / "started"
    seen: list[int] = []

    def build(_project: object, _args: object, docs_written) -> int:
        docs_written()
        # Ends only once publishing has started: were it started after the build, it never would.
        deadline = time.monotonic() + 20
        while not started.exists():
            if time.monotonic() > deadline:
                return 99
            time.sleep(0.01)
        return code

    def publish(_project: object, _engine: object, _before: object, settled, _early: object) -> int:
        started.write_text("started", encoding="utf-8")
        seen.append(settled())
        return cli.EXIT_OK if seen[-1] == cli.EXIT_OK else cli.EXIT_ERROR

    monkeypatch.setattr(cli, "_build", build)
    monkeypatch.setattr(cli, "_prepare", lambda *_: (None, None))
    monkeypatch.setattr(cli, "_publish", publish)
    assert main(["site", "--root", str(project.root)]) == code
    assert seen == [code]


@pytest.mark.parametrize("case", [
    ("problems", 1, ""), ("error", 2, "Error: the dumps are unreadable\n"),
    ("crash", 1, "ZeroDivisionError")])
def test_site_keeps_the_builds_exit_status_and_publishes_only_after_success(
        make_project, capfd, monkeypatch, case: tuple[str, int, str]) -> None:
    outcome, code, said = case

    def build(*_: object) -> int:
        if outcome == "error":
            raise GeneratorError("the dumps are unreadable")
        if outcome == "crash":
            return 1 // 0
        return cli.EXIT_PROBLEMS

    monkeypatch.setattr(cli, "_build", build)
    monkeypatch.setattr(cli, "_publish", lambda *_: pytest.fail("published after a failed build"))
    project = make_project({"a.txt": GOOD})
    assert main(["site", "--root", str(project.root)]) == code
    assert said in capfd.readouterr().err
