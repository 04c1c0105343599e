"""Reading dumps: every layout and variant the brief describes, and what cannot be read."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.corpus import format_dump
from generator.model import Entry, Source
from generator.read.dumps import decode, read_dump
from tests.kit.dumps import ABSTRACT, HEADER, dump_text
from tests.kit.project import REAL_SEEDS


def read(body: str, capture: str = "Oct 28", year: int | None = 2025):
    return read_dump(dump_text(body, capture), "d.txt", year)


def test_entry_without_metadata() -> None:
    dump = read(f"Learning Skills\n\n{ABSTRACT}")
    (entry,) = dump.entries
    assert (entry.title, entry.abstract, entry.source) == ("Learning Skills", ABSTRACT, Source("d.txt", 13))
    assert (entry.authors, entry.org, entry.date, entry.upvotes) == (None, None, None, None)
    assert dump.problems == []


def test_author_count_date_without_year_and_upvotes() -> None:
    (entry,) = read(f"T\n\n{ABSTRACT}\n\n  • 7 authors\n·\nFeb 9 3").entries
    assert (entry.authors, entry.date, entry.upvotes) == (7, dt.date(2025, 2, 9), 3)


def test_org_badge_and_date_with_year() -> None:
    (entry,) = read(f"T\n\n{ABSTRACT}\n\nMicrosoftResearch Microsoft Research\n·\nOct 9, 2023").entries
    assert (entry.org_handle, entry.org, entry.authors) == ("MicrosoftResearch", "Microsoft Research", None)
    assert (entry.date, entry.upvotes) == (dt.date(2023, 10, 9), None)


def test_date_with_year_and_upvotes_and_single_author() -> None:
    (entry,) = read(f"T\n\n{ABSTRACT}\n\n  • 1 authors\n·\nDec 17, 2024 2").entries
    assert (entry.authors, entry.date, entry.upvotes) == (1, dt.date(2024, 12, 17), 2)


def test_layouts_mix_within_one_file() -> None:
    body = (
        f"A\n\n{ABSTRACT}\n\n  • 4 authors\n·\nMay 4 1\n\n"
        f"B\n\n{ABSTRACT} B.\n\n"
        f"C\n\n{ABSTRACT} C.\n\ntencent Tencent\n·\nMar 8\n\n"
        f"D\n\n{ABSTRACT} D."
    )
    entries = read(body).entries
    assert [e.title for e in entries] == ["A", "B", "C", "D"]
    assert [e.authors for e in entries] == [4, None, None, None]
    assert [e.org for e in entries] == [None, None, "Tencent", None]
    assert [e.date for e in entries] == [dt.date(2025, 5, 4), None, dt.date(2025, 3, 8), None]


@pytest.mark.parametrize(
    "subscription", ["Get trending papers in your email inbox!", "Get trending papers in your email inbox once a day!"]
)
def test_both_subscription_lines_are_boilerplate(subscription: str) -> None:
    text = HEADER.replace("Get trending papers in your email inbox!", subscription).format(capture="Jan 1")
    dump = read_dump(text + f"Title\n\n{ABSTRACT}\n", "d.txt", 2026)
    assert [e.title for e in dump.entries] == ["Title"]
    assert (dump.capture.month, dump.capture.day) == (1, 1)


def test_extractor_without_blank_lines_and_title_glued_to_subscribe() -> None:
    text = (
        "new\nGet trending papers in your email inbox!\nSubscribeFirst Paper\n"
        f"{ABSTRACT}\n  • 2 authors\n·\nJun 6 2\nSecond Paper\n{ABSTRACT} Two."
    )
    dump = read_dump(text, "d.txt", 2025)
    assert [(e.title, e.authors, e.upvotes) for e in dump.entries] == [
        ("First Paper", 2, 2),
        ("Second Paper", None, None),
    ]


def test_collection_card_gives_arxiv_id_date_and_upvotes() -> None:
    (entry,) = read(f"T\n\n{ABSTRACT}\n\nPaper • 2508.03680 • Published Aug 5, 2025 • 141").entries
    assert (entry.arxiv_id, entry.date, entry.upvotes) == ("2508.03680", dt.date(2025, 8, 5), 141)


def test_unreadable_parts_are_reported_and_the_rest_kept() -> None:
    body = (
        f"Good One\n\n{ABSTRACT}\n\n  • 3 authors\n·\nFeb 30 2\n\n"
        f"Good Two\n\n{ABSTRACT} Two.\n\n  • many authors\n·\nMar 3"
    )
    dump = read(body)
    assert [e.title for e in dump.entries] == ["Good One", "Good Two"]
    assert dump.entries[0].date is None and dump.entries[1].date == dt.date(2025, 3, 3)
    messages = [(p.line, p.message.split(";")[0]) for p in dump.problems]
    assert messages == [
        (19, "date line unreadable: Feb 30 is not a day of the calendar"),
        (25, "unknown metadata line '• many authors'"),
    ]
    assert all(p.file == "d.txt" and p.hint for p in dump.problems)


def test_real_dumps_read_without_problems_other_than_inferred_year() -> None:
    for path in REAL_SEEDS:
        text, problems = decode(path.read_bytes(), path.name)
        dump = read_dump(text, path.name)
        assert problems == []
        assert all("capture year inferred" in p.message for p in dump.problems), dump.problems
        assert all(e.abstract and e.title for e in dump.entries)


def test_format_dump_round_trips() -> None:
    entries = [
        Entry("A: x", ABSTRACT, Source("r.txt", 0), authors=5, date=dt.date(2025, 2, 1), upvotes=4),
        Entry("B", ABSTRACT + " B.", Source("r.txt", 0), org="Meta AI", org_handle="meta",
              date=dt.date(2023, 9, 1)),
        Entry("C", ABSTRACT + " C.", Source("r.txt", 0)),
    ]
    back = read_dump(format_dump(entries, dt.date(2025, 10, 28)), "r.txt", 2025)
    assert [(e.title, e.abstract, e.authors, e.org, e.date, e.upvotes) for e in back.entries] == [
        (e.title, e.abstract, e.authors, e.org, e.date, e.upvotes) for e in entries
    ]
    assert back.problems == []
