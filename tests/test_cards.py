"""Collection cards: a title and a card line, with or without an abstract, from dump to page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from generator.enrich.merge import merge
from generator.enrich.related import related_slugs
from generator.enrich.slugs import SlugRegistry
from generator.identity import PaperKey, arxiv_id
from generator.model import Entry, Source
from generator.pipeline import Project, build_catalog, write_site
from generator.read.dumps import read_dump
from generator.render.citation import lookup_links
from generator.render.docs import render_paper
from generator.render.export import paper_record
from tests.kit.corpus import SITE_URL
from tests.kit.dumps import ABSTRACT, dump_text
from tests.kit.project import REAL_SEEDS, ROOT, generate, mkdocs_build, new_project

LARP = "LARP: Language-Agent Role Play for Open-World Games"
LARP_CARD = "Paper • 2312.17653 • Published Dec 24, 2023 • 29"
WORLD = "World Models for Robot Manipulation"
WORLD_CARD = "Paper • 2508.03680 • Published Aug 5, 2025 • 141"
HOSTILE = 'Card </title><script>alert("x")</script> {{ 7*7 }} [a](javascript:x) *b* | c'
HOSTILE_CARD = "Paper • 2401.01234 • Published Jan 2, 2024 • 3"
LARP_ABSTRACT = (
    "Language agents role-play characters in open-world games; we propose a cognitive "
    "architecture with memory and decision making, and show it keeps characters consistent."
)
# What a copy of a collection page looks like: a title, then its card, blank lines between.
CARDS = f"{LARP}\n\n{LARP_CARD}\n\n{WORLD}\n\n{WORLD_CARD}\n\n{HOSTILE}\n\n{HOSTILE_CARD}\n"


def read(text: str, name: str = "cards.txt", year: int | None = None):
    return read_dump(text, name, year)


def fields(entry: Entry) -> tuple:
    return entry.title, entry.abstract, entry.arxiv_id, entry.date, entry.upvotes


# Reading -----------------------------------------------------------------------------------


def test_cards_without_abstracts_are_papers_with_id_date_and_votes() -> None:
    dump = read(CARDS)
    assert [fields(e) for e in dump.entries] == [
        (LARP, "", "2312.17653", dt.date(2023, 12, 24), 29),
        (WORLD, "", "2508.03680", dt.date(2025, 8, 5), 141),
        (HOSTILE, "", "2401.01234", dt.date(2024, 1, 2), 3),
    ]
    assert [e.source.line for e in dump.entries] == [1, 5, 9]
    # Cards always print the year: nothing is inferred, nothing warned.
    assert dump.problems == []


def test_a_hundred_and_twenty_cards_give_a_hundred_and_twenty_papers() -> None:
    text = "".join(f"Paper number {n}\n\nPaper • 2401.{n:05d} • Published Jan 3, 2024 • {n}\n\n"
                   for n in range(120))
    dump = read(text)
    assert len(dump.entries) == 120 and dump.problems == []
    assert dump.entries[7].arxiv_id == "2401.00007" and dump.entries[7].upvotes == 7


def test_glued_copy_of_cards_reads_the_same() -> None:
    glued = "\n".join(line for line in CARDS.splitlines() if line)
    assert [fields(e) for e in read(glued).entries] == [fields(e) for e in read(CARDS).entries]
    # With the Daily Papers boilerplate glued onto the first title, as extractors leave it.
    header = "new\nGet trending papers in your email inbox!\nSubscribe"
    dump = read(f"{header}{glued}")
    assert [fields(e) for e in dump.entries] == [fields(e) for e in read(CARDS).entries]
    assert dump.problems == []


def test_layouts_mix_cards_with_and_without_abstracts_and_listing_entries() -> None:
    body = (
        f"Listing Paper\n\n{ABSTRACT}\n\n  • 4 authors\n·\nMay 4 1\n\n"
        f"{LARP}\n\n{LARP_CARD}\n\n"
        f"Card With Abstract\n\n{ABSTRACT} Two.\n\n{WORLD_CARD}\n\n"
        f"Plain Paper\n\n{ABSTRACT} Three."
    )
    dump = read_dump(dump_text(body), "mix.txt", 2025)
    assert [fields(e) for e in dump.entries] == [
        ("Listing Paper", ABSTRACT, None, dt.date(2025, 5, 4), 1),
        (LARP, "", "2312.17653", dt.date(2023, 12, 24), 29),
        ("Card With Abstract", ABSTRACT + " Two.", "2508.03680", dt.date(2025, 8, 5), 141),
        ("Plain Paper", ABSTRACT + " Three.", None, None, None),
    ]
    assert dump.problems == []


def test_card_years_do_not_set_the_capture_year() -> None:
    # "Feb 9" is in the unknown capture year; the card's printed 2025 is not an earlier year.
    dump = read_dump(dump_text(f"A\n\n{ABSTRACT}\n\n  • 2 authors\n·\nFeb 9\n\n{LARP}\n\n"
                               f"Paper • 2312.17653 • Published Dec 24, 2025 • 29"), "y.txt")
    assert dump.capture_year is None
    assert [e.date for e in dump.entries] == [None, dt.date(2025, 12, 24)]


def test_a_line_above_a_titled_card_is_not_its_abstract() -> None:
    dump = read(f"My robotics collection\n{LARP}\n{LARP_CARD}\n")
    assert [fields(e) for e in dump.entries] == [
        (LARP, "", "2312.17653", dt.date(2023, 12, 24), 29)]
    assert [(p.line, p.message) for p in dump.problems] == [
        (1, "title 'My robotics collection' has no abstract; the entry is skipped")]


HINT = ("a card reads 'Paper • 2508.03680 • Published Aug 5, 2025 • 141'; correct the line as "
        "the page shows it, or delete it")


@pytest.mark.parametrize(("card", "kept", "message"), [
    ("Paper • 2312.1765 • Published Dec 24, 2023 • 29", (None, dt.date(2023, 12, 24), 29),
     "card line unreadable: '2312.1765' is not an arXiv id like 2508.03680; the paper is kept "
     "without its arXiv id"),
    ("Paper • 2313.17653 • Published Dec 24, 2023 • 29", (None, dt.date(2023, 12, 24), 29),
     "card line unreadable: '2313.17653' is not an arXiv id like 2508.03680; the paper is kept "
     "without its arXiv id"),
    ("Paper • 2402.17653 • Published Feb 30, 2024 • 29", ("2402.17653", None, 29),
     "card line unreadable: Feb 30 is not a day of the calendar; the paper is kept without "
     "its date"),
    ("Paper • 2402.17653 • Published Feb 3, 2024 • 2k", ("2402.17653", dt.date(2024, 2, 3), None),
     "card line unreadable: upvote count '2k' is not a number; the paper is kept without its "
     "upvotes"),
    ("Paper • ../x • Out Feb 3, 2024 • many", (None, None, None),
     "card line unreadable: '../x' is not an arXiv id like 2508.03680, no 'Published <date>' "
     "after the id (found 'Out Feb 3, 2024'), upvote count 'many' is not a number; the paper "
     "is kept without its arXiv id and date and upvotes"),
])
def test_an_unreadable_card_line_is_one_warning_and_the_rest_is_kept(
        card: str, kept: tuple, message: str) -> None:
    for text in (f"{LARP}\n\n{card}\n\n{WORLD}\n\n{WORLD_CARD}\n",
                 f"{LARP}\n\n{LARP_ABSTRACT}\n\n{card}\n\n{WORLD}\n\n{WORLD_CARD}\n"):
        dump = read(text)
        assert [e.title for e in dump.entries] == [LARP, WORLD]
        entry = dump.entries[0]
        assert (entry.arxiv_id, entry.date, entry.upvotes) == kept
        assert [(p.file, p.line, p.message, p.hint) for p in dump.problems] == [
            ("cards.txt", text.splitlines().index(card) + 1, message, HINT)]


def test_a_card_with_no_title_above_it_is_reported() -> None:
    dump = read(f"{LARP}\n{LARP_CARD}\n{WORLD_CARD}\n")
    assert [e.title for e in dump.entries] == [LARP]
    assert [(p.line, p.message) for p in dump.problems] == [
        (3, "collection card with no title above it; ignored")]


@pytest.mark.parametrize(("text", "expected"), [
    ("2312.17653", "2312.17653"), ("2312.17653v2", "2312.17653"), ("0704.0001", "0704.0001"),
    ("1412.9999", "1412.9999"), ("1501.00001", "1501.00001"), ("0703.0001", None),
    ("1412.99999", None), ("2312.1765", None), ("2313.17653", None), ("2312.176531", None), ("hep-th/9901001", None),
    ("2312.17653v0", None), ("2312.17653/../x", None), (" 2312.17653", None), ("", None),
])
def test_only_new_style_arxiv_ids_are_accepted(text: str, expected: str | None) -> None:
    assert arxiv_id(text) == expected


# Merging -----------------------------------------------------------------------------------


def card(title: str, ident: str | None, line: int = 1, abstract: str = "", **more) -> Entry:
    return Entry(title, abstract, Source("cards.txt", line), arxiv_id=ident, **more)


def listing(title: str, abstract: str, line: int = 1, **more) -> Entry:
    return Entry(title, abstract, Source("daily.txt", line), **more)


@pytest.mark.parametrize("order", [1, -1])
def test_a_card_joins_the_listing_copy_of_its_paper(order: int) -> None:
    entries = [card(LARP, "2312.17653", date=dt.date(2023, 12, 24), upvotes=29),
               listing(LARP.upper(), LARP_ABSTRACT, authors=6, upvotes=12)][::order]
    records, problems = merge(entries)
    assert problems == [] and len(records) == 1
    paper = records[0].to_paper("larp")
    assert (paper.title, paper.abstract, paper.arxiv_id) == (LARP.upper(), LARP_ABSTRACT, "2312.17653")
    assert (paper.date, paper.upvotes, paper.authors) == (dt.date(2023, 12, 24), 29, 6)
    assert [s.dump for s in paper.sources] == ["cards.txt", "daily.txt"]


def test_arxiv_id_matches_before_title() -> None:
    # The same paper under a reworded title, and another paper that shares the first title.
    records, problems = merge([
        card(LARP, "2312.17653"),
        card("LARP: role play for games", "2312.17653", abstract=LARP_ABSTRACT),
        card(LARP, "2401.00001", line=9),
    ])
    assert sorted((r.key.arxiv_id, len(r.copies)) for r in records) == [
        ("2312.17653", 2), ("2401.00001", 1)]
    assert [p.message.split(";")[0] for p in problems] == [
        f"'{LARP}' has the same title as the paper at cards.txt:1 but a different arXiv id"]


def test_copies_of_one_card_merge() -> None:
    records, problems = merge([card(LARP, "2312.17653"), card(LARP, "2312.17653", line=5),
                               card(WORLD, None), card(WORLD, None, line=7)])
    assert sorted(len(r.copies) for r in records) == [2, 2] and problems == []


def test_registry_claims_strong_matches_before_a_card_takes_a_slug_by_title() -> None:
    first, second = PaperKey.of(LARP, "first abstract"), PaperKey.of(LARP, "second abstract")
    registry = SlugRegistry()
    registry.assign([first, second])
    # A card whose id no published copy had: it must not take a published paper's slug,
    # although its empty abstract sorts first and matches both by title.
    other = PaperKey.of(LARP, "", "2401.00001")
    slugs = SlugRegistry(dict(registry.entries)).assign([other, first, second])
    assert [slugs[first], slugs[second], slugs[other]] == [
        "larp-language-agent-role-play-for-open-world-games",
        "larp-language-agent-role-play-for-open-world-games-2",
        "larp-language-agent-role-play-for-open-world-games-3",
    ]


def test_registry_without_arxiv_ids_loads_and_gains_one_only_where_known(tmp_path: Path) -> None:
    path = tmp_path / "slugs.json"
    path.write_text(json.dumps({"larp": {"title": PaperKey.of(LARP, "").title,
                                         "head": PaperKey.of(LARP, LARP_ABSTRACT).head},
                                "other": {"title": "other", "head": "x"}}), encoding="utf-8")
    registry = SlugRegistry.load(path)
    slugs = registry.assign([PaperKey.of(LARP, LARP_ABSTRACT, "2312.17653"),
                             PaperKey.of("Other", "x y")])
    assert slugs == {PaperKey.of(LARP, LARP_ABSTRACT, "2312.17653"): "larp",
                     PaperKey.of("Other", "x y"): "other"}
    stored = json.loads(registry.dump())
    assert stored["larp"]["arxiv_id"] == "2312.17653" and "arxiv_id" not in stored["other"]


def test_the_real_registry_loads_and_keeps_every_slug() -> None:
    text = (ROOT / "seeds" / "slugs.json").read_text(encoding="utf-8")
    registry = SlugRegistry.load(ROOT / "seeds" / "slugs.json")
    dumps = [read_dump(p.read_text(encoding="utf-8"), p.name) for p in REAL_SEEDS]
    records, _ = merge([entry for dump in dumps for entry in dump.entries])
    slugs = registry.assign([record.key for record in records])
    assert sorted(slugs.values()) == sorted(json.loads(text))
    assert not registry.changed and registry.dump() == text


# Slugs across builds -------------------------------------------------------------------------


def daily(*titles_and_abstracts: tuple[str, str]) -> str:
    return dump_text("\n\n".join(f"{t}\n\n{a}\n\n  • 6 authors\n·\nDec 26, 2023 12"
                                 for t, a in titles_and_abstracts))


def build(root: Path, dumps: dict[str, str]) -> dict[str, dict]:
    """Generate the project with exactly these dumps; its papers.json by title."""
    for old in (root / "seeds").glob("*.txt"):
        old.unlink()
    for name, text in dumps.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    project = Project(root=root)
    write_site(build_catalog(project), project)
    records = json.loads((root / "docs" / "papers.json").read_text(encoding="utf-8"))
    return {record["title"]: record for record in records}


@pytest.mark.parametrize("card_first", [True, False])
def test_urls_never_move_when_card_and_listing_arrive_in_either_order(
        tmp_path: Path, card_first: bool) -> None:
    root = new_project(tmp_path / "p", {}, site_url=SITE_URL)
    other = ("Offline Skills From Play", ABSTRACT)
    cards, listing_dump = {"cards.txt": CARDS}, {"daily.txt": daily((LARP, LARP_ABSTRACT), other)}
    first = build(root, cards if card_first else listing_dump)
    both = build(root, {**cards, **listing_dump})
    assert len(both) == 4  # LARP once: the card and the listing copy are one paper
    larp = both[LARP]
    assert (larp["abstract"], larp["arxiv_id"], larp["date"], larp["upvotes"], larp["authors"]) == (
        LARP_ABSTRACT, "2312.17653", "2023-12-24", 29, 6)
    assert {d["dump"] for d in larp["sources"]} == {"cards.txt", "daily.txt"}
    for title, record in first.items():
        assert both[title]["url"] == record["url"]
    # Either copy alone again: the paper keeps the URL it was published under.
    for alone in (cards, listing_dump):
        assert build(root, alone)[LARP]["url"] == larp["url"]
    registry = json.loads((root / "seeds" / "slugs.json").read_text(encoding="utf-8"))
    # Published by the first build, whichever copy came first.
    assert registry[larp["slug"]] == {"title": PaperKey.of(LARP, "").title, "arxiv_id": "2312.17653",
                                      "head": PaperKey.of(LARP, LARP_ABSTRACT).head, "arrival": 1}


# Page, look-ups, export ----------------------------------------------------------------------


def card_paper(title: str = LARP, ident: str = "2312.17653"):
    """The paper a collection dump of one card gives."""
    dump = read(f"{title}\n\nPaper • {ident} • Published Dec 24, 2023 • 29\n")
    (record,), _ = merge(dump.entries)
    return record.to_paper("larp")


def test_card_only_paper_exports_an_empty_abstract_and_its_id() -> None:
    record = paper_record(card_paper())
    assert (record["abstract"], record["arxiv_id"], record["links"], record["has_code"]) == (
        "", "2312.17653", [], False)
    assert (record["date"], record["upvotes"]) == ("2023-12-24", 29)


def test_look_ups_are_exact_pages_from_a_valid_id_and_searches_otherwise() -> None:
    assert lookup_links(card_paper()) == [
        ("Hugging Face paper page", "https://huggingface.co/papers/2312.17653"),
        ("arXiv 2312.17653", "https://arxiv.org/abs/2312.17653"),
    ]
    forged = dataclasses.replace(card_paper(), arxiv_id="2312.17653/../../evil")
    assert [label for label, _ in lookup_links(forged)] == ["Hugging Face Papers", "arXiv search"]


def test_card_only_page_says_no_abstract_yet_and_escapes_its_title() -> None:
    page = render_paper(card_paper(HOSTILE), {})
    body = page.split("\n---\n", 1)[1]
    assert "No abstract in the dumps yet." in body
    assert '<span class="paper-arxiv">arXiv 2312.17653</span>' in body
    assert '<a href="https://huggingface.co/papers/2312.17653"' in body
    assert "papers?q=" not in body and "<script>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {{ 7*7 }}" in body


def test_related_papers_use_the_title_of_a_card_only_paper() -> None:
    papers = [card_paper(WORLD, "2508.03680")]
    papers[0].slug = "card"
    for n, (title, abstract) in enumerate([
        ("Robot Manipulation With Learned World Models",
         "We learn world models for robot manipulation and plan with them in imagination."),
        ("Diffusion for Images", "We generate images with diffusion models at scale."),
        ("Text Retrieval Benchmarks", "We benchmark retrieval of text passages in many domains."),
    ]):
        (record,), _ = merge([listing(title, abstract)])
        papers.append(record.to_paper(f"p{n}"))
    assert related_slugs(papers)["card"][0] == "p0"


# The real thing ----------------------------------------------------------------------------


@pytest.mark.slow
def test_card_dump_builds_strict_with_pages_tags_and_untagged(tmp_path: Path) -> None:
    root = new_project(tmp_path / "site", {
        "cards.txt": CARDS, "daily.txt": daily(("Offline Skills From Play", ABSTRACT))}, site_url=SITE_URL)
    assert generate(root) == 0
    site = mkdocs_build(root)
    records = {r["title"]: r for r in json.loads((site / "papers.json").read_text("utf-8"))}
    assert set(records) == {LARP, WORLD, HOSTILE, "Offline Skills From Play"}
    hostile = (site / records[HOSTILE]["url"] / "index.html").read_text(encoding="utf-8")
    assert "No abstract in the dumps yet." in hostile
    assert '<script>alert("x")</script>' not in hostile
    assert "{{ 7*7 }}" in hostile and 'href="javascript:x"' not in hostile
    assert 'href="https://huggingface.co/papers/2401.01234"' in hostile
    assert 'href="https://arxiv.org/abs/2401.01234"' in hostile
    # No abstract, no empty description: the site's own stands in.
    assert 'name="description" content=""' not in hostile and 'name="description"' in hostile
    # The title alone tags a card-only paper; one that matches nothing is listed as untagged.
    assert "World models" in records[WORLD]["tags"] and "Robotics" in records[WORLD]["tags"]
    assert records[HOSTILE]["tags"] == []
    untagged = (site / "tags" / "untagged" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'href="\.\./\.\./{re.escape(records[HOSTILE]["url"])}"', untagged)
