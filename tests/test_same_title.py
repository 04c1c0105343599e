"""Papers sharing a title: the indexed merge and slug assignment decide as comparing every pair did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.enrich.merge import _rank, merge
from generator.enrich.slugs import SlugRegistry, base_slug_from_key
from generator.identity import HeadIndex, Match, PaperKey
from generator.model import Entry, Source

# Few letters, so abstracts often start one another (cut-short copies) or are equal.
ABSTRACTS = st.text(alphabet="ab ", max_size=6)
TITLES = st.sampled_from(["Same Title", "same title!", "Other"])
# Now and then an arXiv id (cards carry one), from a small set so ids meet.
IDS = st.sampled_from([None, None, None, "2312.17653", "2401.00001"])


def pairwise_merge(entries: list[Entry]) -> list[list[Entry]]:
    """The merge by comparing each copy with every record of its title (and of its arXiv id):
    the strongest match wins (arXiv id, abstract, title alone), the first made of equals."""
    records: list[tuple[list[PaperKey], list[Entry]]] = []
    for entry in sorted(entries, key=_rank):
        key = PaperKey.of(entry.title, entry.abstract, entry.arxiv_id)
        best, found = Match.NONE, None
        for record in records:
            strength = record[0][0].match(key)
            if strength > best:
                best, found = strength, record
        if found is None:
            records.append(([key], [entry]))
        else:
            found[1].append(entry)
            if key.arxiv_id and not found[0][0].arxiv_id:
                found[0][0] = PaperKey(found[0][0].title, found[0][0].head, key.arxiv_id)
    records.sort(key=lambda record: record[0][0].title)
    return [copies for _, copies in records]


def pairwise_assign(entries: dict[str, PaperKey], keys: list[PaperKey]) -> dict[PaperKey, str]:
    """Slug assignment trying every published slug, in name order, strongest matches first."""
    result: dict[PaperKey, str] = {}
    pending = sorted(keys)
    for strength in (Match.ARXIV, Match.ABSTRACT, Match.TITLE):
        unmatched = []
        for key in pending:
            slug = next((s for s in sorted(entries) if s not in result.values()
                         and entries[s].match(key) is strength), None)
            if slug is None:
                unmatched.append(key)
                continue
            entries[slug] = entries[slug].joined(key)
            result[key] = slug
        pending = unmatched
    taken = set(entries)
    for key in pending:
        base = base_slug_from_key(key)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        entries[slug] = key
        taken.add(slug)
        result[key] = slug
    return result


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TITLES, ABSTRACTS, IDS), max_size=12))
def test_merge_groups_as_the_pairwise_comparison_did(papers: list[tuple[str, str, str | None]]) -> None:
    entries = [Entry(title, abstract, Source("a.txt", n + 1), arxiv_id=arxiv)
               for n, (title, abstract, arxiv) in enumerate(papers)]
    records, _ = merge(entries)
    assert [record.copies for record in records] == pairwise_merge(entries)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TITLES, ABSTRACTS, IDS), max_size=8),
       st.lists(st.tuples(TITLES, ABSTRACTS, IDS), max_size=8))
def test_slugs_are_assigned_as_the_pairwise_comparison_did(
        published: list[tuple[str, str, str | None]], read: list[tuple[str, str, str | None]]) -> None:
    registry = SlugRegistry()
    registry.assign([PaperKey.of(title, abstract, arxiv) for title, abstract, arxiv in published])
    expected = dict(registry.entries)  # pairwise_assign updates it as assign updates its own
    keys = list(dict.fromkeys(PaperKey.of(title, abstract, arxiv) for title, abstract, arxiv in read))
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
