"""Related papers: sensible neighbours, deterministic order, exact when computed in blocks."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator.enrich import related
from generator.enrich.related import RELATED_COUNT, related_slugs
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
