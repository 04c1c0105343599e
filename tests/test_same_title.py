"""Papers sharing a title: the indexed merge and slug assignment decide as comparing every pair did."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.catalog import _rank, merge
from generator.identity import HeadIndex, PaperKey
from generator.model import Entry, Source
from generator.slugs import SlugRegistry, base_slug_from_key

# Few letters, so abstracts often start one another (cut-short copies) or are equal.
ABSTRACTS = st.text(alphabet="ab ", max_size=6)
TITLES = st.sampled_from(["Same Title", "same title!", "Other"])


def pairwise_merge(entries: list[Entry]) -> list[list[Entry]]:
    """The merge as it was: each copy compared with every record of its title."""
    by_title: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_title[PaperKey.of(entry.title, "").title].append(entry)
    groups: list[list[Entry]] = []
    for title in sorted(by_title):
        records: list[tuple[PaperKey, list[Entry]]] = []
        for entry in sorted(by_title[title], key=_rank):
            key = PaperKey.of(entry.title, entry.abstract)
            record = next((r for r in records if r[0].same_paper(key)), None)
            if record is None:
                records.append((key, [entry]))
            else:
                record[1].append(entry)
        groups.extend(copies for _, copies in records)
    return groups


def pairwise_assign(entries: dict[str, PaperKey], keys: list[PaperKey]) -> dict[PaperKey, str]:
    """Slug assignment as it was: every published slug of the title tried, in name order."""
    by_title: dict[str, list[str]] = {}
    for slug, known in entries.items():
        by_title.setdefault(known.title, []).append(slug)
    result: dict[PaperKey, str] = {}
    taken = set(entries)
    for key in sorted(keys):
        slug = next((s for s in sorted(by_title.get(key.title, ())) if entries[s].same_paper(key)
                     and s not in result.values()), None)
        if slug is None:
            base = base_slug_from_key(key)
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            entries[slug] = key
            taken.add(slug)
        elif len(key.head) > len(entries[slug].head):
            entries[slug] = key
        result[key] = slug
    return result


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TITLES, ABSTRACTS), max_size=12))
def test_merge_groups_as_the_pairwise_comparison_did(papers: list[tuple[str, str]]) -> None:
    entries = [Entry(title, abstract, Source("a.txt", n + 1)) for n, (title, abstract) in enumerate(papers)]
    records, _ = merge(entries)
    assert [record.copies for record in records] == pairwise_merge(entries)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TITLES, ABSTRACTS), max_size=8),
       st.lists(st.tuples(TITLES, ABSTRACTS), max_size=8))
def test_slugs_are_assigned_as_the_pairwise_comparison_did(
        published: list[tuple[str, str]], read: list[tuple[str, str]]) -> None:
    registry = SlugRegistry()
    registry.assign([PaperKey.of(title, abstract) for title, abstract in published])
    expected = dict(registry.entries)  # pairwise_assign updates it as assign updates its own
    keys = list(dict.fromkeys(PaperKey.of(title, abstract) for title, abstract in read))
    assert registry.assign(keys) == pairwise_assign(expected, keys)
    assert registry.entries == expected


def test_the_index_finds_heads_either_way_and_forgets_removed_ones() -> None:
    index: HeadIndex[str] = HeadIndex()
    for head in ("ab", "abc", "abd", "b", ""):
        index.add(head, head or "empty")
    assert sorted(index.matching("abcd")) == ["ab", "abc"]
    assert sorted(index.matching("a")) == ["ab", "abc", "abd"]
    assert index.matching("") == [] and index.matching("c") == []
    index.remove("abc", "abc")
    assert sorted(index.matching("abcd")) == ["ab"]


def test_thousands_of_papers_of_one_title_stay_apart_with_unique_slugs() -> None:
    """Correctness at scale; the time it takes is budgeted in `make bench`."""
    entries = [Entry("One Title", f"Abstract number {n} says something else.", Source("a.txt", n))
               for n in range(2_000)]
    records, problems = merge(entries)
    assert len(records) == 2_000 and len(problems) == 1_999
    slugs = SlugRegistry().assign([record.key for record in records])
    assert sorted(set(slugs.values())) == sorted(["one-title", *(f"one-title-{n}" for n in range(2, 2_001))])
