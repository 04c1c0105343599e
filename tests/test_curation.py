"""curation.yml: validation with exact messages, what the site shows, survival across rebuilds."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from generator.enrich.curation import apply_curation, curator_tags, load_curation
from generator.enrich.taxonomy import load_taxonomy
from generator.model import Curation, Paper
from generator.problems import ConfigError, Severity
from tests.kit.corpus import (
    CURATION,
    DIFFUSION_A,
    HIDDEN,
    ROBOT_A,
    ROBOT_B,
    SITE_URL,
    built_site,
    exported,
    page_html,
    slug,
)
from tests.kit.dumps import dump_text, paper
from tests.kit.project import ROOT, generate, new_project

SLUGS = {"diffusion-models-beat-gans", "tactile-grasping", "chain-of-thought"}
TAGS = ["Robotics", "Diffusion models", "Language models"]


def load(tmp_path: Path, text: str, published: set[str] = frozenset()):
    """Check a curation file's text against the papers above."""
    path = tmp_path / "curation.yml"
    path.write_text(text, encoding="utf-8")
    return load_curation(path, SLUGS, SLUGS | set(published), TAGS)


def test_every_field_is_read(tmp_path: Path) -> None:
    curation, problems = load(tmp_path, (
        "tactile-grasping:\n"
        "  note: |\n"
        "    **Read** section 3.\n"
        "  rating: 5\n"
        "  status: reading\n"
        "  tags: [My picks, to-cite]\n"
        "  remove_tags: [Robotics]\n"
        "  featured: true\n"
        "  hidden: false\n"
        "chain-of-thought:\n"
        "  status: to-read\n"
        "diffusion-models-beat-gans:\n"
    ))
    assert problems == []
    assert curation == {
        "tactile-grasping": Curation(
            note="**Read** section 3.", rating=5, status="reading", tags=("My picks", "to-cite"),
            remove_tags=("Robotics",), featured=True, hidden=False,
        ),
        "chain-of-thought": Curation(status="to-read"),
        "diffusion-models-beat-gans": Curation(),
    }
    assert curation["tactile-grasping"].favourite


@pytest.mark.parametrize(("text", "message"), [
    ("tactile-grasping:\n  rating: 7\n",
     "{path}:2: rating of 'tactile-grasping' must be a whole number from 1 to 5, not 7"),
    ("tactile-grasping:\n  rating: 4.5\n",
     "{path}:2: rating of 'tactile-grasping' must be a whole number from 1 to 5, not 4.5"),
    ("tactile-grasping:\n  rating: true\n",
     "{path}:2: rating of 'tactile-grasping' must be a whole number from 1 to 5, not True"),
    ("tactile-grasping:\n\n  status: done\n",
     "{path}:3: status of 'tactile-grasping' must be one of to-read, reading, read, not 'done'"),
    ("tactile-grasping:\n  rateing: 3\n",
     "{path}:2: 'tactile-grasping' has unknown field 'rateing'; did you mean 'rating'? "
     "(allowed: note, rating, status, tags, remove_tags, featured, hidden)"),
    ("tactile-grasping:\n  featured: maybe\n",
     "{path}:2: featured of 'tactile-grasping' must be true or false, not 'maybe'"),
    ("tactile-grasping:\n  hidden: 1\n",
     "{path}:2: hidden of 'tactile-grasping' must be true or false, not 1"),
    ("tactile-grasping:\n  tags: robotics\n",
     "{path}:2: tags of 'tactile-grasping' must be a list of tag names, e.g. [robotics, to-cite]"),
    ("tactile-grasping:\n  remove_tags: [Robotic]\n",
     "{path}:2: remove_tags of 'tactile-grasping' names 'Robotic', which is no tag in "
     "taxonomy.yml; did you mean 'Robotics'?"),
    ("tactile-grasping:\n  note: [a, b]\n",
     "{path}:2: note of 'tactile-grasping' must be text (Markdown); quote it or use 'note: |' "
     "and indent the lines below"),
    ("tactile-grasping: 5\n",
     "{path}:1: 'tactile-grasping' needs fields under it, e.g. 'rating: 4' or 'status: to-read'; "
     "allowed fields: note, rating, status, tags, remove_tags, featured, hidden"),
    ("# mine\ntactile-grasp:\n  rating: 3\n",
     "{path}:2: no paper has the slug 'tactile-grasp'; did you mean 'tactile-grasping'? "
     "(a slug is the last part of a paper's URL: papers/<slug>/)"),
    ("diffusion-model-beat-gan:\n  rating: 3\n",
     "{path}:1: no paper has the slug 'diffusion-model-beat-gan'; did you mean "
     "'diffusion-models-beat-gans'? (a slug is the last part of a paper's URL: papers/<slug>/)"),
    ("zzz:\n  rating: 3\n",
     "{path}:1: no paper has the slug 'zzz' (a slug is the last part of a paper's URL: "
     "papers/<slug>/)"),
    ("- tactile-grasping\n",
     "{path}: expected entries like 'paper-slug: {{rating: 4}}', one per paper, keyed by the "
     "slug in the paper's URL (papers/<slug>/)"),
    ("tactile-grasping:\n  rating: [\n",
     "{path}:3: not valid YAML: expected the node content, but found '<stream end>'"),
])
def test_mistakes_name_file_line_and_what_is_allowed(tmp_path: Path, text: str,
                                                     message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load(tmp_path, text)
    assert str(raised.value) == message.format(path=tmp_path / "curation.yml")


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load(tmp_path, "tactile-grasping:\n  rating: 0\n  status: skimmed\nnope:\n  rating: 1\n")
    path = tmp_path / "curation.yml"
    assert str(raised.value).splitlines() == [
        f"{path}:2: rating of 'tactile-grasping' must be a whole number from 1 to 5, not 0",
        f"{path}:3: status of 'tactile-grasping' must be one of to-read, reading, read, "
        "not 'skimmed'",
        f"{path}:4: no paper has the slug 'nope' (a slug is the last part of a paper's URL: "
        "papers/<slug>/)",
    ]


def test_an_entry_whose_paper_is_gone_is_reported_and_kept(tmp_path: Path) -> None:
    text = "old-paper:\n  rating: 5\n  note: keep me\ntactile-grasping:\n  rating: 2\n"
    curation, problems = load(tmp_path, text, published={"old-paper"})
    assert curation == {"tactile-grasping": Curation(rating=2)}
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'curation.yml'}:1: warning: 'old-paper' is curated but no dump holds its "
        "paper any more; entry kept (restore the dump, or delete the entry if the paper is gone "
        "for good)"
    ]
    assert problems[0].severity == Severity.WARNING
    assert (tmp_path / "curation.yml").read_text(encoding="utf-8") == text


def test_missing_or_empty_file_means_nothing_curated(tmp_path: Path) -> None:
    assert load_curation(tmp_path / "curation.yml", SLUGS, SLUGS, TAGS) == ({}, [])
    assert load(tmp_path, "# nothing yet\n") == ({}, [])


def test_extra_tags_join_the_taxonomy_or_become_tags_of_their_own() -> None:
    tags = load_taxonomy(ROOT / "taxonomy.yml")
    curation = {"a": Curation(tags=("robotics", "My picks", "index")), "b": Curation(
        tags=("My picks",), remove_tags=("Robotics",))}
    extra = curator_tags(curation, tags)
    assert [(tag.name, tag.slug) for tag in extra] == [("index", "index-2"), ("My picks", "my-picks")]
    a = paper("A", "Robot arms.", dt.date(2025, 1, 1))
    b = paper("B", "Robot arms.", dt.date(2025, 1, 1))
    papers = [Paper(slug=s, title=e.title, abstract=e.abstract, date=e.date, authors=None,
                    org=None, upvotes=None, sources=[], tags=["Robotics"])
              for s, e in (("a", a), ("b", b))]
    published, hidden, all_tags = apply_curation(papers, curation, tags)
    assert hidden == []
    assert published[0].tags == ["Robotics", "index", "My picks"]
    assert published[1].tags == ["My picks"]
    assert all_tags[len(tags):] == extra


# The built site from the shared corpus (tests/kit/corpus.py): the curation shows.

@pytest.mark.slow
def test_paper_page_shows_note_rating_and_status() -> None:
    html = page_html(built_site(), ROBOT_A.title)
    notes = html.split('id="curators-notes"', 1)[1].split('id="abstract"', 1)[0]
    assert 'title="rated 5 of 5">★★★★★</span>' in notes
    assert '<span class="paper-status paper-status-read">Read</span>' in notes
    # The note is the curator's Markdown: rendered, and its link to another paper resolved.
    assert "<strong>Must read.</strong>" in notes
    assert f'href="../{slug(ROBOT_B.title)}/">the tactile paper</a>' in notes


@pytest.mark.slow
def test_reading_queue_read_and_favourites_pages() -> None:
    site = built_site() / "site"
    queue = (site / "reading" / "index.html").read_text(encoding="utf-8")
    assert queue.index(DIFFUSION_A.title) < queue.index(ROBOT_B.title)  # reading, then to-read
    assert ROBOT_A.title not in queue.split('class="paper-cards"', 1)[1].split("</article>")[0]
    assert re.findall(r'class="paper-status paper-status-([a-z-]+)"', queue) == ["reading", "to-read"]
    read = (site / "reading" / "read" / "index.html").read_text(encoding="utf-8")
    assert ROBOT_A.title in read and DIFFUSION_A.title not in read
    favourites = (site / "reading" / "favourites" / "index.html").read_text(encoding="utf-8")
    body = favourites.split("<article", 1)[1]
    assert body.index(ROBOT_A.title) < body.index(DIFFUSION_A.title)  # 5 stars before 4
    assert ROBOT_B.title not in body


@pytest.mark.slow
def test_featured_papers_on_the_home_page() -> None:
    home = (built_site() / "site" / "index.html").read_text(encoding="utf-8")
    featured = home.split('id="featured"', 1)[1].split('id="newest-additions"', 1)[0]
    assert ROBOT_A.title in featured
    assert DIFFUSION_A.title not in featured


@pytest.mark.slow
def test_hidden_paper_is_published_nowhere() -> None:
    root = built_site()
    hidden_slug = slug(HIDDEN.title)
    assert not (root / "docs" / "papers" / hidden_slug / "index.md").exists()
    assert not (root / "site" / "papers" / hidden_slug).exists()
    assert hidden_slug not in {record["slug"] for record in exported(root)}
    for path in (root / "site").rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".svg"}:
            text = path.read_text(encoding="utf-8")
            assert HIDDEN.title not in text, path
            assert hidden_slug not in text, path
    # Its slug stays reserved: hiding never hands its URL to another paper.
    assert hidden_slug in json.loads((root / "seeds" / "slugs.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_extra_and_removed_tags_reach_the_export_and_tag_pages() -> None:
    root = built_site()
    record = next(r for r in exported(root) if r["slug"] == slug(ROBOT_B.title))
    assert "My picks" in record["tags"] and "Robotics" not in record["tags"]
    page = (root / "site" / "tags" / "my-picks" / "index.html").read_text(encoding="utf-8")
    assert ROBOT_B.title in page


# Survival: the generator never writes curation.yml, and no change to the dumps loses it.

def test_curation_survives_adding_reordering_and_removing_dumps(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    first = dump_text([ROBOT_A, ROBOT_B], dt.date(2025, 3, 1))
    second = dump_text([DIFFUSION_A], dt.date(2025, 6, 15))
    root = new_project(tmp_path / "p", {"2025-03-01-a.txt": first}, curation=CURATION.split(
        f"{slug(DIFFUSION_A.title)}:")[0], site_url=SITE_URL)
    curation_file = root / "curation.yml"
    before = curation_file.read_bytes()

    def page(title: str) -> str:
        return (root / "docs" / "papers" / slug(title) / "index.md").read_text(encoding="utf-8")

    assert generate(root) == 0
    assert "**Must read.**" in page(ROBOT_A.title)
    # A new dump, then the same dumps under names that sort the other way round.
    (root / "seeds" / "2025-06-15-b.txt").write_text(second, encoding="utf-8")
    assert generate(root) == 0
    (root / "seeds" / "2025-03-01-a.txt").rename(root / "seeds" / "2025-09-09-z.txt")
    (root / "seeds" / "2025-06-15-b.txt").rename(root / "seeds" / "2025-01-01-a.txt")
    assert generate(root) == 0
    assert "**Must read.**" in page(ROBOT_A.title)
    assert "★★★★★" in page(ROBOT_A.title)
    # The dump holding the curated papers goes away: the entries are reported, not lost.
    (root / "seeds" / "2025-09-09-z.txt").unlink()
    capsys.readouterr()
    assert generate(root, "--strict") == 1
    err = capsys.readouterr().err
    assert f"curation.yml:2: warning: '{slug(ROBOT_A.title)}' is curated but no dump holds" in err
    assert f"'{slug(ROBOT_B.title)}' is curated but no dump holds its paper" in err
    assert curation_file.read_bytes() == before
    # The dump comes back: so does everything curated about its papers.
    (root / "seeds" / "2025-09-09-z.txt").write_text(first, encoding="utf-8")
    assert generate(root, "--strict") == 0
    assert "**Must read.**" in page(ROBOT_A.title)
    assert curation_file.read_bytes() == before


def test_cli_refuses_a_bad_curation_file_with_one_clear_line(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = new_project(tmp_path / "p", {"2025-03-01-a.txt": dump_text([ROBOT_A], dt.date(
        2025, 3, 1))}, curation=f"{slug(ROBOT_A.title)}:\n  status: finished\n", site_url=SITE_URL)
    assert generate(root) == 2
    err = capsys.readouterr().err
    assert err == (
        f"Error: {root / 'curation.yml'}:2: status of '{slug(ROBOT_A.title)}' must be one of "
        "to-read, reading, read, not 'finished'\n"
    )
    assert not (root / "docs" / "papers").exists()
    assert re.search(r"Traceback", err) is None
