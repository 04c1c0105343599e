"""Related papers: sensible neighbours, deterministic order, exact when computed in blocks."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.enrich import related
from generator.enrich.related import RELATED_COUNT, related_index, related_slugs
from generator.model import Paper
from generator.pipeline import Project, build_catalog
from tests.kit.corpus import (
    DIFFUSION_A,
    DIFFUSION_B,
    LANGUAGE,
    ROBOT_A,
    ROBOT_B,
    SITE_URL,
    built_site,
    page_html,
    slug,
)
from tests.kit.project import ROOT, new_project


def make(slug_: str, title: str, abstract: str) -> Paper:
    """A published paper with just what similarity reads."""
    return Paper(slug=slug_, title=title, abstract=abstract, date=None, authors=None, org=None,
                 upvotes=None, sources=[])


def corpus() -> list[Paper]:
    """The shared test corpus' papers."""
    return [make(slug(e.title), e.title, e.abstract)
            for e in (ROBOT_A, ROBOT_B, DIFFUSION_A, DIFFUSION_B, LANGUAGE)]


def test_neighbours_share_the_topic() -> None:
    related = related_slugs(corpus())
    assert related[slug(ROBOT_A.title)][0] == slug(ROBOT_B.title)
    assert related[slug(ROBOT_B.title)][0] == slug(ROBOT_A.title)
    assert related[slug(DIFFUSION_A.title)][0] == slug(DIFFUSION_B.title)
    assert related[slug(DIFFUSION_B.title)][0] == slug(DIFFUSION_A.title)


def test_same_lists_whatever_the_input_order() -> None:
    papers = corpus()
    expected = related_slugs(papers)
    for seed in range(5):
        shuffled = papers[:]
        random.Random(seed).shuffle(shuffled)
        assert related_slugs(shuffled) == expected


def test_ties_go_to_the_earlier_slug_and_a_paper_is_never_its_own_neighbour() -> None:
    text = "Graph neural networks for molecule property prediction."
    papers = [make(s, "Molecules", text) for s in ("g", "c", "a", "f", "b", "e", "d")]
    related = related_slugs(papers)
    assert related["a"] == ["b", "c", "d", "e", "f"]
    assert related["d"] == ["a", "b", "c", "e", "f"]
    assert all(s not in others for s, others in related.items())


def test_nothing_in_common_means_no_neighbours() -> None:
    papers = [make("a", "Protein folding", "Protein structure from sequence."),
              make("b", "Galaxy surveys", "Redshift catalogues of distant quasars.")]
    assert related_slugs(papers) == {"a": [], "b": []}
    assert related_slugs(papers[:1]) == {"a": []}
    assert related_slugs([]) == {}
    # Texts with no word at all (only numbers and symbols) are handled, not crashed on.
    assert related_slugs([make("x", "42", "$1$"), make("y", "7", "%")]) == {"x": [], "y": []}


def test_real_dumps_give_every_paper_five_deterministic_neighbours(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p", {p.name: p.read_text(encoding="utf-8")
                                         for p in (ROOT / "seeds").glob("*.txt")}, site_url=SITE_URL)
    papers = build_catalog(Project(root=root)).papers
    first = {paper.slug: paper.related for paper in papers}
    again = related_slugs(list(reversed(papers)))
    assert first == again
    slugs = set(first)
    assert len(slugs) > 200
    for paper_slug, others in first.items():
        assert len(others) == RELATED_COUNT
        assert paper_slug not in others
        assert set(others) <= slugs


@pytest.mark.slow
def test_related_list_on_the_built_page_links_existing_pages() -> None:
    root = built_site()
    html = page_html(root, ROBOT_A.title)
    section = html.split('id="related-papers"', 1)[1].split("</ul>", 1)[0]
    assert f'href="../{slug(ROBOT_B.title)}/">{ROBOT_B.title}</a>' in section
    for href in section.split('href="../')[1:]:
        target = href.split('"', 1)[0]
        assert (root / "site" / "papers" / target / "index.html").exists()


def test_blocked_computation_equals_one_block(monkeypatch) -> None:
    """Thousands of papers computed block by block give exactly the one-block answer.

    How long it takes is measured by `make bench`, not here.
    """
    rng = random.Random(7)
    vocabulary = [f"{a}{b}" for a in ("neur", "graph", "robo", "diffu", "token", "vision",
                                      "speech", "reward", "causal", "sparse")
                  for b in ("al", "ic", "er", "ing", "ity", "ion", "ics", "ous", "ive", "ant",
                                       "ism", "ure", "ness", "ment", "ward")]
    papers = [
        make(f"p{i:05d}", " ".join(rng.sample(vocabulary, 8)),
             " ".join(rng.choices(vocabulary, k=120)))
        for i in range(2000)
    ]
    blocked = related_slugs(papers)
    assert all(len(others) == RELATED_COUNT for others in blocked.values())
    assert all(slug_ not in others for slug_, others in blocked.items())
    monkeypatch.setattr(related, "BLOCK_FLOATS", 10**12)
    assert related_slugs(papers) == blocked


# Words drawn as often as their rank says (Zipf): a few common to most papers, many rare.
VOCABULARY = [f"{a}{b}{c}" for a in ("neur", "graph", "robo", "diffu", "token", "vision", "spee")
              for b in ("al", "ic", "er", "ing", "ity", "ion")
              for c in ("", "s", "ed", "ward", "ly", "ize", "ish", "oid", "ent", "ure")]
FREQUENCY = [1 / rank for rank in range(1, len(VOCABULARY) + 1)]


def zipf_paper(rng: random.Random, slug_: str) -> Paper:
    """A paper of words drawn by frequency."""
    return make(slug_, " ".join(rng.choices(VOCABULARY, FREQUENCY, k=5)),
                " ".join(rng.choices(VOCABULARY, FREQUENCY, k=rng.randint(0, 60))))


def counting_full_computations(monkeypatch) -> list[int]:
    """Note each computation from nothing (the size it was done at)."""
    calls: list[int] = []
    full = related._compute_all
    monkeypatch.setattr(related, "_compute_all", lambda index: calls.append(len(index.slugs)) or
                        full(index))
    return calls


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**32 - 1),
       st.lists(st.tuples(st.sampled_from(["add", "edit", "remove", "duplicate"]),
                          st.integers(1, 12)), min_size=1, max_size=6))
def test_an_update_equals_a_computation_from_nothing(seed: int, steps: list[tuple[str, int]]
                                                     ) -> None:
    """Papers added, edited (a word more, or a rare word gained), removed, copied: each
    updated index gives exactly the lists of an index computed from nothing."""
    rng = random.Random(seed)
    papers = [zipf_paper(rng, f"p{i:04d}") for i in range(300)]
    index = related_index(papers)
    for number, (step, size) in enumerate(steps):
        chosen = rng.sample(range(len(papers)), size)
        if step == "add":
            papers += [zipf_paper(rng, f"n{number}-{i}") for i in range(size)]
        elif step == "edit":
            for i in chosen:
                paper = papers[i]
                papers[i] = make(paper.slug, paper.title, f"{paper.abstract} {rng.choice(VOCABULARY)}")
        elif step == "remove":
            papers = [paper for i, paper in enumerate(papers) if i not in set(chosen)]
        else:  # a copy ties with its original on every score: ties go to the earlier slug
            papers += [make(f"c{number}-{i}", papers[i].title, papers[i].abstract) for i in chosen]
        index = related_index(papers, index)
        assert index.lists() == related_index(papers).lists()


def test_updates_do_not_compute_everything_again(monkeypatch) -> None:
    rng = random.Random(3)
    papers = [zipf_paper(rng, f"p{i:04d}") for i in range(400)]
    calls = counting_full_computations(monkeypatch)
    index = related_index(papers)
    papers = papers[5:] + [zipf_paper(rng, f"n{i}") for i in range(20)]
    updated = related_index(papers, index)
    assert calls == [400]
    assert updated.lists() == related_index(papers).lists()
    assert related_index(papers, updated) is updated  # nothing changed: nothing computed
    # Too much changed: computed from nothing, the same way.
    more = papers + [zipf_paper(rng, f"m{i}") for i in range(100)]
    assert related_index(more, updated).lists() == related_index(more).lists()
    assert calls == [400, 415, 515, 515]


def test_a_new_paper_changes_only_the_lists_it_enters() -> None:
    """Weights do not drift as papers arrive: an old list changes only to take a new paper,
    and a new paper closer than an old paper's neighbours is among them."""
    rng = random.Random(5)
    papers = [zipf_paper(rng, f"p{i:04d}") for i in range(400)]
    before = related_slugs(papers)
    twin = make("twin", papers[7].title, papers[7].abstract + " neuring")
    added = [zipf_paper(rng, f"n{i}") for i in range(10)] + [twin]
    after = related_slugs(papers + added)
    new = {paper.slug for paper in added}
    changed = [s for s in before if after[s] != before[s]]
    assert changed
    assert all(set(after[s]) & new for s in changed)
    assert after["p0007"][0] == "twin"


def test_a_damaged_index_is_computed_again() -> None:
    papers = corpus()
    index = related_index(papers)
    index.known.pop()
    assert not index.valid()
    assert related_index(papers, index).lists() == related_slugs(papers)


def test_the_build_cache_updates_related_papers_as_a_cold_build_finds_them(
        tmp_path: Path, monkeypatch) -> None:
    dumps = sorted((ROOT / "seeds").glob("*.txt"))
    root = new_project(tmp_path / "p", {p.name: p.read_text(encoding="utf-8") for p in dumps[:-1]},
                       site_url=SITE_URL)
    project = Project(root=root)
    cache = project.build_cache()
    build_catalog(project, cache=cache)
    cache.save()
    shutil.copy(dumps[-1], root / "seeds" / dumps[-1].name)
    # The last real dump adds a quarter of the papers: still update.
    monkeypatch.setattr(related, "UPDATE_SHARE", 0.5)
    calls = counting_full_computations(monkeypatch)
    cached = build_catalog(project, cache=project.build_cache())
    assert calls == []  # the last build's index, updated
    cold = build_catalog(project)
    assert calls == [len(cold.papers)]
    assert [(p.slug, p.related) for p in cached.papers] == [(p.slug, p.related) for p in cold.papers]


def test_a_paper_whose_neighbours_all_changed_is_computed_again(monkeypatch) -> None:
    """A list left with fewer than five known papers is not filled from below its floor."""
    rng = random.Random(9)
    papers = [zipf_paper(rng, f"p{i:04d}") for i in range(200)]
    topic = "glacier moraine sediment ice sheet meltwater"
    cluster = [make(f"g{i}", f"Glacier study {i}", f"{topic} {VOCABULARY[i]}") for i in range(11)]
    index = related_index(papers + cluster)
    assert set(index.lists()["g0"]) <= {paper.slug for paper in cluster}
    # Six of g0's ten known neighbours now write of something else.
    edited = [make(p.slug, p.title, "protein folding " * 3) if p.slug in {f"g{i}" for i in range(1, 7)}
              else p for p in cluster]
    computed: list[int] = []
    keep = related._keep_best
    monkeypatch.setattr(related, "_keep_best", lambda index, rows, scores: computed.append(len(rows))
                        or keep(index, rows, scores))
    updated = related_index(papers + edited, index)
    assert computed[0] == 6 and computed[1] >= 1  # the edited papers, then those left short
    assert updated.lists() == related_index(papers + edited).lists()


def test_a_list_that_overflows_keeps_a_floor() -> None:
    """A paper that knew every paper it shares a word with, then more than it keeps: the
    ones it drops rank below its floor, and come back when those above it leave."""
    rng = random.Random(4)
    papers = [zipf_paper(rng, f"p{i:04d}") for i in range(100)]

    def glacier(slug_: str, ice: int) -> Paper:
        return make(slug_, "Glacier", "moraine sediment ice sheet meltwater" + " ice" * ice)

    first = [glacier(f"g{i:02d}", i) for i in range(4)]
    index = related_index(papers + first)
    assert index.floors[[p.slug for p in index_order(papers + first)].index("g00")] == related.COMPLETE
    more = [glacier(f"h{i:02d}", i) for i in range(12)]
    index = related_index(papers + first + more, index)
    assert index.lists() == related_slugs(papers + first + more)
    fewer = papers + first + [paper for paper in more if paper.slug >= "h08"]
    assert related_index(fewer, index).lists() == related_slugs(fewer)


def index_order(papers: list[Paper]) -> list[Paper]:
    """Papers in the order an index holds them."""
    return sorted(papers, key=lambda paper: paper.slug)


def test_worker_process_computes_the_same_index_as_the_build() -> None:
    """The worker process' index equals one computed in the build's own process."""
    from generator.enrich.related_worker import RelatedWorker  # noqa: PLC0415

    papers = sorted(corpus(), key=lambda p: p.slug)
    slugs, texts = [p.slug for p in papers], [related.paper_text(p) for p in papers]
    worker = RelatedWorker(slugs, texts, texts)
    index = worker.index()
    assert worker.index() is index  # asked again: the same answer, no second wait
    assert index.lists() == related.full_index(slugs, texts, texts).lists() == related_slugs(papers)
    assert index.lists()[slugs[0]]  # not an empty answer


def test_a_failing_worker_is_reported_and_its_work_done_in_the_build(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A worker that dies leaves the build correct: the index is computed in process."""
    from generator.enrich import related_worker  # noqa: PLC0415

    monkeypatch.setattr(related_worker.sys, "executable", "/bin/false")
    papers = sorted(corpus(), key=lambda p: p.slug)
    slugs, texts = [p.slug for p in papers], [related.paper_text(p) for p in papers]
    assert related_worker.RelatedWorker(slugs, texts, texts).index().lists() == related_slugs(papers)
    assert "worker process failed (exit status 1)" in capsys.readouterr().err


def test_a_catalog_built_with_the_worker_equals_one_built_without(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """build_catalog(background=True) attaches the worker's related papers on settle, and caches them."""
    from generator import pipeline  # noqa: PLC0415

    root = new_project(tmp_path / "p", {p.name: p.read_text(encoding="utf-8")
                                         for p in (ROOT / "seeds").glob("*.txt")}, site_url=SITE_URL)
    project = Project(root=root)
    expected = {p.slug: p.related for p in build_catalog(project).papers}
    monkeypatch.setattr(pipeline, "WORKER_PAPERS", 0)
    cache = project.build_cache()
    catalog = build_catalog(project, background=True, cache=cache)
    assert isinstance(catalog.related, pipeline.Related)
    assert all(p.related == [] for p in catalog.papers)  # not attached before settle
    catalog.settle()
    assert catalog.related is None
    assert {p.slug: p.related for p in catalog.papers} == expected
    assert all(expected.values())
    cache.save()
    # The next build reuses the worker's index from the cache: no worker, the same lists.
    class NoWorker(pipeline.RelatedWorker):
        def __init__(self, *_: object) -> None:
            raise AssertionError("a cached index needs no worker")

    monkeypatch.setattr(pipeline, "RelatedWorker", NoWorker)
    again = build_catalog(project, background=True, cache=project.build_cache())
    again.settle()
    assert {p.slug: p.related for p in again.papers} == expected
