"""Merging copies of a paper from several dumps, and keeping different papers apart."""

from __future__ import annotations

import datetime as dt

from generator.enrich.merge import merge
from generator.model import Entry, Source

ABSTRACT = "Agents learn reusable skills from demonstrations and sparse rewards in open worlds. " * 3


def entry(dump: str, line: int, title: str = "Skill Learning: A Study", abstract: str = ABSTRACT, **meta) -> Entry:
    return Entry(title, abstract, Source(dump, line), **meta)


def test_copies_merge_keeping_every_field_and_source() -> None:
    records, problems = merge([
        entry("b.txt", 30, abstract=ABSTRACT[:150]),
        entry("a.txt", 12, authors=7, date=dt.date(2025, 2, 9), upvotes=3),
        entry("c.txt", 5, title="skill learning - a study", org="Meta AI", upvotes=9),
    ])
    assert problems == []
    (record,) = records
    paper = record.to_paper("skill-learning-a-study")
    assert paper.abstract == ABSTRACT
    assert (paper.authors, paper.org, paper.date, paper.upvotes) == (7, "Meta AI", dt.date(2025, 2, 9), 9)
    assert paper.sources == [Source("a.txt", 12), Source("b.txt", 30), Source("c.txt", 5)]


def test_longest_abstract_wins_when_one_copy_is_cut_short() -> None:
    (record,), _ = merge([entry("a.txt", 1, abstract=ABSTRACT[:120] + "…"), entry("b.txt", 1)])
    assert record.to_paper("x").abstract == ABSTRACT


def test_same_title_different_abstracts_stay_two_papers_with_a_warning() -> None:
    other = "A completely different study of protein folding with graph networks and physics priors."
    records, problems = merge([entry("a.txt", 4), entry("b.txt", 9, title="SKILL LEARNING: a study!", abstract=other)])
    assert sorted(r.to_paper("x").abstract for r in records) == sorted([ABSTRACT, other])
    (problem,) = problems
    assert problem.file == "b.txt" and problem.line == 9
    assert "same title as the paper at a.txt:4 but a different abstract" in problem.message


def test_merge_is_independent_of_input_order() -> None:
    entries = [entry("a.txt", 1, upvotes=2), entry("b.txt", 2, upvotes=5, date=dt.date(2024, 1, 1)),
               entry("c.txt", 3, title="Other", abstract="Another paper entirely, about planning. " * 4)]
    first = [r.to_paper("x") for r in merge(entries)[0]]
    second = [r.to_paper("x") for r in merge(list(reversed(entries)))[0]]
    assert first == second


def test_conflicting_dates_take_the_most_common_then_earliest() -> None:
    entries = [entry("a.txt", 1, date=dt.date(2024, 5, 1)), entry("b.txt", 1, date=dt.date(2024, 5, 2)),
               entry("c.txt", 1, date=dt.date(2024, 5, 2))]
    (record,), _ = merge(entries)
    assert record.to_paper("x").date == dt.date(2024, 5, 2)
