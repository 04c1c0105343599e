"""Broken dumps: one clear message each, --strict fails, and the good entries still publish."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from tests.kit.dumps import abstract_for, dump_text, entry_text
from tests.kit.pages import parse_html
from tests.kit.project import ROOT, mkdocs_build, new_project, run_generator

META = "  • 3 authors\n·\nFeb 9 3"
DATE_HINT = "write it as the page does: 'Feb 9', 'Feb 9, 2024' or 'Feb 9 3' (3 upvotes)"
NO_ABSTRACT_HINT = "paste the abstract on the line after the title"
UNKNOWN_META_HINT = ("the page prints '• N authors' or an organisation, then '·', then a date "
                     "like 'Feb 9 3'; fix or delete the line")


@dataclass
class Case:
    """A broken dump: its bytes, the problems it must yield and the good titles around them."""

    name: str
    data: bytes
    problems: list[str]
    good: list[str]

    @property
    def file(self) -> str:
        """The dump's file name; dated, so no year has to be inferred."""
        return f"2025-10-28-{self.name}.txt"


def good(case: str, number: int) -> tuple[str, str]:
    """A well-formed entry of the case: its title and its text with metadata."""
    title = f"{case.title()} Good Paper {number}"
    return title, entry_text(title, abstract_for(f"{case} {number}"), META)


def around(case: str, middle: str) -> tuple[str, list[str]]:
    """A dump with a good entry before and after the broken part, and their titles."""
    (first, before), (second, after) = good(case, 1), good(case, 2)
    return dump_text([before, middle, after]), [first, second]


def line_of(text: str, marker: str) -> int:
    """1-based number of the first line holding the marker."""
    return next(n for n, line in enumerate(text.split("\n"), start=1) if marker in line)


def problem(case: str, line: int, message: str, hint: str, severity: str = "warning") -> str:
    """A problem as the CLI prints it."""
    where = f"2025-10-28-{case}.txt" + (f":{line}" if line else "")
    return f"{where}: {severity}: {message} ({hint})"


def clean_case(name: str, transform) -> Case:
    """Whitespace and line-end variants: read as if clean, no problem at all."""
    text, titles = around(name, entry_text(f"{name.title()} Middle Paper",
                                           abstract_for(f"{name} middle"), META))
    return Case(name, transform(text), [], [*titles, f"{name.title()} Middle Paper"])


def middle_case(name: str, middle: str, marker: str, message: str, hint: str) -> Case:
    """A broken part between two good entries, reported at the line holding the marker."""
    text, titles = around(name, middle)
    return Case(name, text.encode("utf-8"), [problem(name, line_of(text, marker), message, hint)],
                titles)


def cases() -> list[Case]:
    """Every kind of broken dump the issue names, and a few more seen in the wild."""
    result = [
        clean_case("bom", lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")),
        clean_case("crlf", lambda text: text.replace("\n", "\r\n").encode("utf-8")),
        clean_case("cr", lambda text: text.replace("\n", "\r").encode("utf-8")),
        clean_case("spaces", lambda text: text.replace("Good Paper", "Good\tPaper").replace(
            "Middle Paper", "Middle\u00a0 Paper").replace("  •", "\t•").encode("utf-8")),
        middle_case("lonely", entry_text("Lonely Title Without Abstract", ""),
                    "Lonely Title", "title 'Lonely Title Without Abstract' has no abstract; the entry "
                    "is skipped", NO_ABSTRACT_HINT),
        middle_case("lonelymeta", entry_text("Lonely Title Before Metadata", "", META.strip()),
                    "Lonely Title", "title 'Lonely Title Before Metadata' has no abstract; the entry "
                    "is skipped", NO_ABSTRACT_HINT),
        middle_case("bullet", entry_text("Bullet Paper", abstract_for("bullet"),
                                         "  • three authors\n·\nFeb 9"),
                    "three authors", "unknown metadata line '• three authors'; ignored",
                    UNKNOWN_META_HINT),
        middle_case("oneline", entry_text("Oneline Paper", abstract_for("oneline"),
                                          "· 7 authors · Feb 9"),
                    "7 authors ·", "unknown metadata line '· 7 authors · Feb 9'; ignored",
                    UNKNOWN_META_HINT),
        middle_case("published", entry_text("Published Paper", abstract_for("published"),
                                            "Published on Feb 9\n·\nFeb 9"),
                    "Published on", "unknown metadata line 'Published on Feb 9'; ignored",
                    UNKNOWN_META_HINT),
        middle_case("count", entry_text("Count Paper", abstract_for("count"),
                                        "  • 2 authors\n·\nFeb 9\n42"),
                    "42", "unknown metadata line '42'; ignored", UNKNOWN_META_HINT),
        middle_case("feb30", entry_text("Feb Paper", abstract_for("feb"), "  • 2 authors\n·\nFeb 30"),
                    "Feb 30", "date line unreadable: Feb 30 is not a day of the calendar; the "
                    "paper is kept without a date", DATE_HINT),
        middle_case("foo3", entry_text("Foo Paper", abstract_for("foo"),
                                       "  • 2 authors\n·\nFoo 3, 2024"),
                    "Foo 3", "date line unreadable: 'Foo' is not a month name; the paper is "
                    "kept without a date", DATE_HINT),
        middle_case("upvotes", entry_text("Upvote Paper", abstract_for("upvotes"),
                                          "  • 2 authors\n·\nFeb 9 lots"),
                    "lots", "upvote count 'lots' is not a number; the paper is kept without "
                    "upvotes", "write the count in digits after the date, as in 'Feb 9 3'"),
    ]
    # Each of these also publishes its middle paper, with what could be read of it.
    result[-3].good.append("Feb Paper")
    result[-2].good.append("Foo Paper")
    result[-1].good.append("Upvote Paper")
    for case in result[-7:-3]:
        case.good.append(case.name.title() + " Paper")

    text, titles = around("latin", entry_text("Caf\udce9 Paper", abstract_for("latin")))
    latin = text.encode("utf-8", errors="surrogateescape")  # one byte 0xE9: Latin-1 "é"
    result.append(Case("latin", latin, [problem(
        "latin", line_of(text, "Caf"), "bytes that are not UTF-8 were replaced by '\ufffd'",
        "re-save the dump as UTF-8 and rebuild")], [*titles, "Caf\ufffd Paper"]))

    text, titles = around("cp1252", entry_text("Na\udcefve Paper", "Caf\udce9 " + abstract_for("x"))
                          + entry_text("R\udcf6ntgen Paper", abstract_for("cp1252")))
    result.append(Case("cp1252", text.encode("utf-8", errors="surrogateescape"), [problem(
        "cp1252", line_of(text, "Na"), "bytes that are not UTF-8 were replaced by '\ufffd' (and on "
        "2 more lines)", "re-save the dump as UTF-8 and rebuild")],
        [*titles, "Na\ufffdve Paper", "R\ufffdntgen Paper"]))

    result.append(Case("empty", b"", [problem(
        "empty", 0, "the file is empty", "paste the page text into it, or delete it")], []))
    boilerplate = dump_text([])
    result.append(Case("boilerplate", boilerplate.encode("utf-8"), [problem(
        "boilerplate", 1, "no papers found, only page boilerplate",
        "copy the whole listing, titles and abstracts included")], []))
    orphan = dump_text([META + "\n\n", good("orphan", 1)[1]])
    result.append(Case("orphan", orphan.encode("utf-8"), [problem(
        "orphan", line_of(orphan, "• 3"), "metadata with no paper above it; ignored",
        "paste the title and abstract lines back above it, or delete it")],
        [good("orphan", 1)[0]]))
    capture = dump_text([good("capture", 1)[1]], captured="Oct 32")
    result.append(Case("capture", capture.encode("utf-8"), [problem(
        "capture", line_of(capture, "Oct 32"),
        "capture date unreadable: Oct 32 is not a day of the calendar",
        "keep the date line under 'byAK and the research community' as the page shows it")],
        [good("capture", 1)[0]]))

    not_text = {
        "html": (b"<!DOCTYPE html>\n<html><head><title>Daily Papers</title></head></html>", 1,
                 "this is HTML source, not page text",
                 "open the page, select its text and save that instead"),
        "fragment": (b"\n\n<div class=\"papers\"><h3>Title</h3><p>Abstract.</p></div>\n", 3,
                     "this is HTML source, not page text",
                     "open the page, select its text and save that instead"),
        "json": (b'[{"title": "A paper", "abstract": "Text."}]\n', 1,
                 "this is JSON, not the text of a Daily Papers page",
                 "save the page text as shown in the browser"),
        "jsoncut": (b'{\n  "papers": [\n    {"title": "A pap', 1,
                    "this is JSON, not the text of a Daily Papers page",
                    "save the page text as shown in the browser"),
        "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, 0,
                "this is a binary file, not a text dump", "save the page text as a .txt file"),
        "random": (bytes((n * 73 + 41) % 256 for n in range(1, 3000)).replace(b"\x00", b"\x01"),
                   0, "this is a binary file, not a text dump",
                   "save the page text as a .txt file"),
    }
    for name, (data, line, message, hint) in not_text.items():
        result.append(Case(name, data, [problem(name, line, message, hint, "error")], []))
    return result


CASES = cases()


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Run ``check --strict`` in-process; exit status and the problem lines printed."""
    status = main(["check", "--strict", "--root", str(root)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, [line for line in err.splitlines() if not line.startswith("--strict")]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_broken_dump_gives_one_clear_message(
        case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Exactly the expected problem lines; --strict fails on them; good entries are read."""
    (tmp_path / "seeds").mkdir()
    shutil.copy(ROOT / "taxonomy.yml", tmp_path / "taxonomy.yml")
    (tmp_path / "seeds" / case.file).write_bytes(case.data)
    status, lines = check(tmp_path, capsys)
    assert lines == case.problems
    assert status == (1 if case.problems else 0)
    assert main(["build", "--root", str(tmp_path), "-q"]) == 0
    capsys.readouterr()
    exported = json.loads((tmp_path / "docs" / "papers.json").read_text(encoding="utf-8"))
    assert sorted(paper["title"] for paper in exported) == sorted(case.good)


def test_clean_variants_keep_line_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """CRLF, CR, BOM and odd spaces do not shift the line numbers a paper is cited with."""
    sources = {}
    for case in CASES[:4]:
        root = tmp_path / case.name
        (root / "seeds").mkdir(parents=True)
        shutil.copy(ROOT / "taxonomy.yml", root / "taxonomy.yml")
        (root / "seeds" / "2025-10-28-x.txt").write_bytes(case.data)
        assert main(["build", "--root", str(root), "-q"]) == 0
        exported = json.loads((root / "docs" / "papers.json").read_text(encoding="utf-8"))
        sources[case.name] = sorted((p["sources"][0]["line"], p["date"], p["upvotes"],
                                     p["authors"]) for p in exported)
    capsys.readouterr()
    expected = [(line, "2025-02-09", 3, 3) for line in (13, 21, 29)]
    assert sources == {name: expected for name in ("bom", "crlf", "cr", "spaces")}


@pytest.mark.slow
def test_whole_seeds_folder_of_broken_dumps_still_builds_the_site(tmp_path: Path) -> None:
    """All broken dumps together: check --strict fails, build and mkdocs --strict publish."""
    root = new_project(tmp_path, {case.file: case.data for case in CASES}, about=True)
    checked = run_generator(root, "check", "--strict")
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    expected = sorted(line for case in CASES for line in case.problems)
    assert [line for line in checked.stderr.splitlines() if not line.startswith("--strict")] \
        == expected
    built = run_generator(root, "build")
    assert built.returncode == 0 and "Traceback" not in built.stderr
    site = mkdocs_build(root)
    exported = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    assert sorted(p["title"] for p in exported) == sorted(t for case in CASES for t in case.good)
    for paper in exported:
        page = parse_html(site / "papers" / paper["slug"] / "index.html")
        assert [e.text for e in page.find("h1", "paper-title")] == [paper["title"]]
