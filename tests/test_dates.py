"""Dates: parsing date lines, and the capture year stated, read from the name, or inferred."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.model import PaperDate
from generator.problems import ConfigError
from generator.read.dates import DateError, parse_date_line
from generator.read.dumps import read_dump
from generator.read.seeds import read_seeds
from tests.kit.dumps import ABSTRACT, dump_text


@pytest.mark.parametrize(
    ("line", "date", "upvotes"),
    [
        ("Feb 9", PaperDate(2, 9), None),
        ("Feb 12", PaperDate(2, 12), None),
        ("Feb 9 3", PaperDate(2, 9), 3),
        ("Feb 9, 2024", PaperDate(2, 9, 2024), None),
        ("Dec 17, 2024 2", PaperDate(12, 17, 2024), 2),
        ("Sep 29, 2024 2", PaperDate(9, 29, 2024), 2),
        ("Feb 29", PaperDate(2, 29), None),
    ],
)
def test_date_lines(line: str, date: PaperDate, upvotes: int | None) -> None:
    parsed = parse_date_line(line)
    assert (parsed.date, parsed.upvotes) == (date, upvotes)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Feb 30", "Feb 30 is not a day of the calendar"),
        ("Foo 3, 2024", "'Foo' is not a month name"),
        ("Feb 9 x3", "upvote count 'x3' is not a number"),
        ("Feb 29, 2023", "Feb 29 is not a day of the calendar"),
    ],
)
def test_impossible_dates_say_what_is_wrong(line: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date_line(line)


ENTRIES = (
    f"A\n\n{ABSTRACT}\n\n  • 2 authors\n·\nFeb 9 3\n\n"
    f"B\n\n{ABSTRACT} B.\n\n  • 2 authors\n·\nOct 9, 2023\n\n"
    f"C\n\n{ABSTRACT} C.\n\n  • 2 authors\n·\nJan 15, 2024 2"
)


def test_capture_year_inferred_from_latest_printed_year_with_a_warning() -> None:
    dump = read_dump(dump_text(ENTRIES), "d.txt")
    assert [e.date for e in dump.entries] == [dt.date(2025, 2, 9), dt.date(2023, 10, 9), dt.date(2024, 1, 15)]
    assert dump.year_inferred and dump.capture_year == 2025
    (problem,) = dump.problems
    assert problem.message.startswith("capture year inferred as 2025")
    assert "dumps.yaml" in problem.hint
    assert dump.captured_on == dt.date(2025, 10, 28)


def test_stated_capture_year_is_used_without_warning() -> None:
    dump = read_dump(dump_text(ENTRIES), "d.txt", capture_year=2026)
    assert dump.entries[0].date == dt.date(2026, 2, 9)
    assert dump.problems == [] and not dump.year_inferred


def test_stated_year_contradicting_printed_years_is_reported() -> None:
    dump = read_dump(dump_text(ENTRIES), "d.txt", capture_year=2024)
    assert [p.message for p in dump.problems] == [
        "stated capture year 2024 is not later than printed year 2024"
    ]


def test_unknown_capture_year_keeps_paper_undated_with_a_warning() -> None:
    dump = read_dump(dump_text(f"A\n\n{ABSTRACT}\n\n  • 2 authors\n·\nFeb 9 3"), "d.txt")
    assert dump.entries[0].date is None
    assert [(p.line, p.message.split(";")[0]) for p in dump.problems] == [
        (19, "date has no year and the capture year is unknown")
    ]


def test_capture_dates_from_dumps_yaml_and_from_file_names(make_project) -> None:
    body = dump_text(f"A\n\n{ABSTRACT}\n\n  • 2 authors\n·\nFeb 9 3")
    project = make_project(
        {"2024-11-02-first.txt": body, "plain.txt": body},
        **{"seeds/dumps.yaml": "plain.txt:\n  captured: 2023-10-28\n"},
    )
    dumps = {d.name: d for d in read_seeds(project.seeds)}
    assert dumps["2024-11-02-first.txt"].entries[0].date == dt.date(2024, 2, 9)
    assert dumps["plain.txt"].entries[0].date == dt.date(2023, 2, 9)
    assert dumps["plain.txt"].captured_on == dt.date(2023, 10, 28)
    assert all(not d.problems for d in dumps.values())


def test_bad_dumps_yaml_names_file_line_and_fix(make_project) -> None:
    project = make_project({}, **{"seeds/dumps.yaml": "a.txt:\n  captured: 2024-01-01\nb.txt:\n  captured: soon\n"})
    with pytest.raises(ConfigError, match=r"dumps.yaml:4: 'b.txt' needs 'captured: YYYY-MM-DD'"):
        read_seeds(project.seeds)


def test_a_dump_named_twice_in_dumps_yaml_is_an_error_naming_both_lines(make_project) -> None:
    project = make_project({}, **{"seeds/dumps.yaml": "a.txt:\n  captured: 2024-01-01\na.txt:\n  captured: 2024-02-01\n"})
    with pytest.raises(ConfigError, match=r"dumps.yaml:3: not valid YAML: 'a.txt' appears twice \(first on line 1\); keep one entry"):
        read_seeds(project.seeds)
