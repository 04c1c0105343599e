"""Slugs: readable, bounded, unique, and stable across added and re-ordered dumps."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.enrich.slugs import MAX_LENGTH, SlugRegistry, base_slug
from generator.identity import PaperKey
from generator.problems import ConfigError
from tests.kit.dumps import ABSTRACT, dump_text


def key(title: str, abstract: str = "An abstract about learning.") -> PaperKey:
    return PaperKey.of(title, abstract)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("SLIM: Skill Learning with Multiple Critics", "slim-skill-learning-with-multiple-critics"),
        ("B\\'ezier Curves for $\\alpha$-Policies", "bezier-curves-for-alpha-policies"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-paper"),
        (".hidden", "hidden"),
        ("???", "paper"),
        ("Ünïcödé — Tïtle", "unicode-title"),
    ],
)
def test_readable_safe_slugs(title: str, slug: str) -> None:
    assert base_slug(title) == slug


def test_slugs_are_bounded_at_a_word_boundary() -> None:
    slug = base_slug("Learning " * 60)
    assert len(slug) <= MAX_LENGTH and slug.endswith("learning")


def test_colliding_titles_get_unique_slugs_whatever_the_order() -> None:
    keys = [key("Deep RL", "first abstract"), key("Deep RL!", "second abstract"), key("Deep-RL", "third")]
    results = {tuple(sorted(SlugRegistry().assign(list(order)).items())) for order in itertools.permutations(keys)}
    assert len(results) == 1
    assert sorted(dict(next(iter(results))).values()) == ["deep-rl", "deep-rl-2", "deep-rl-3"]


def test_published_slugs_never_change_when_papers_are_added(tmp_path: Path) -> None:
    path = tmp_path / "slugs.json"
    registry = SlugRegistry()
    first = registry.assign([key("Deep RL", "zzz later abstract")])
    path.write_text(registry.dump(), encoding="utf-8")
    # A new paper with the same title sorts first, but the published one keeps its slug.
    second = SlugRegistry.load(path).assign([key("Deep RL", "aaa earlier abstract"), key("Deep RL", "zzz later abstract")])
    assert second[key("Deep RL", "zzz later abstract")] == first[key("Deep RL", "zzz later abstract")] == "deep-rl"
    assert second[key("Deep RL", "aaa earlier abstract")] == "deep-rl-2"


def test_a_longer_copy_of_the_abstract_keeps_the_slug() -> None:
    registry = SlugRegistry()
    registry.assign([key("Deep RL", "short abstract")])
    assert registry.assign([key("Deep RL", "short abstract, now with the rest of it")]) == {
        key("Deep RL", "short abstract, now with the rest of it"): "deep-rl"
    }


def test_registry_file_is_stable_json(tmp_path: Path) -> None:
    registry = SlugRegistry()
    registry.assign([key("B"), key("A")])
    assert SlugRegistry.load(tmp_path / "missing.json").entries == {}
    (tmp_path / "s.json").write_text(registry.dump(), encoding="utf-8")
    assert SlugRegistry.load(tmp_path / "s.json").entries == registry.entries
    assert registry.dump() == SlugRegistry(dict(reversed(registry.entries.items())),
                                           arrivals=registry.arrivals).dump()


def test_each_build_numbers_the_slugs_it_publishes(tmp_path: Path) -> None:
    """Arrivals order the search shards: a later build's papers come after, whatever their dump."""
    path = tmp_path / "slugs.json"
    # A registry from before arrivals were kept: its slugs stay without one, as they were.
    path.write_text(json.dumps({"old": {"title": "old", "head": "an abstract about learning"}}),
                    encoding="utf-8")
    registry = SlugRegistry.load(path)
    registry.assign([key("Old"), key("B"), key("A")])
    assert registry.arrivals == {"a": 1, "b": 1}
    path.write_text(registry.dump(), encoding="utf-8")
    assert '"old": {\n  "head": "an abstract about learning",\n  "title": "old"\n }' in path.read_text()
    again = SlugRegistry.load(path)
    assert again.arrivals == {"a": 1, "b": 1}
    again.assign([key("A"), key("C")])
    assert again.arrivals == {"a": 1, "b": 1, "c": 2}


def test_corrupt_registry_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "slugs.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="slug registry unreadable"):
        SlugRegistry.load(tmp_path / "slugs.json")


ONE = {"title": "paper one", "head": "we study how agents learn"}
TWO = {"title": "paper two", "head": "a different abstract"}


def entry(slug: str, value: dict) -> str:
    """One registry entry as a build writes it (indent=1)."""
    return f' "{slug}": ' + json.dumps(value, indent=1).replace("\n", "\n ")


def registry_text(*entries: str) -> str:
    return "{\n" + ",\n".join(entries) + "\n}\n"


NEEDS = ("slugs.json:2: 'paper-one' needs exactly {\"title\": ..., \"head\": ...} (and \"arxiv_id\" "
         "when known, \"arrival\" a whole number from 1), each once, as a build writes them; put "
         "back the entry it had")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (registry_text(entry("paper-one", ONE), entry("paper-one", TWO)),
         "slugs.json:6: slug 'paper-one' is given twice (first on line 2), to papers 'paper one' "
         "and 'paper two'; keep the entry of the paper published at papers/paper-one/ (git log -p "
         "{path} shows it) and delete the other: a paper without a slug gets a new one"),
        (registry_text(entry("paper-one", ONE), entry("aaa-alias", ONE)),
         "slugs.json:6: 'aaa-alias' and 'paper-one' (line 2) are one paper ('paper one'), which "
         "has one URL; keep the slug it was published under (git log -p {path} shows it) and "
         "delete the other entry"),
        (registry_text(entry("paper-one", ONE),
                       entry("paper-one-2", {**ONE, "head": ONE["head"] + " more"})),
         "slugs.json:6: 'paper-one-2' and 'paper-one' (line 2) are one paper ('paper one'), which "
         "has one URL; keep the slug it was published under (git log -p {path} shows it) and "
         "delete the other entry"),
        ("{\n<<<<<<< HEAD\n" + entry("paper-one", ONE) + "\n=======\n" + entry("paper-two", TWO)
         + "\n>>>>>>> other\n}\n",
         "slugs.json:2: git merge conflict markers (and on lines 7, 12); keep the entries of both "
         "sides, each slug once, delete the marker lines and build again"),
        (registry_text(entry("../escape", ONE)),
         "slugs.json:2: '../escape' is not a slug the generator gives (lower-case letters, digits "
         "and single hyphens); put back the slug it had"),
        (registry_text(entry("paper-one", {"title": "paper one"})),
         NEEDS),
        ('{\n "paper-one": {"title": "a", "title": "b", "head": ""}\n}',
         NEEDS),
        ('{\n "paper-one": {"title": "a", "head": "", "arrival": 0}\n}', NEEDS),
        ('{\n "paper-one": {"title": "a", "head": "", "arrival": "2"}\n}', NEEDS),
        ('{\n "paper-one": {"title": "a", "head": ""},\n}',
         "slugs.json:3: slug registry unreadable (Expecting property name enclosed in double "
         "quotes); restore it from git (git checkout seeds/slugs.json): it keeps published URLs "
         "stable"),
    ],
    ids=["duplicate-key", "alias", "alias-longer-head", "conflict-markers", "unsafe-slug",
         "missing-head", "duplicate-field", "arrival-zero", "arrival-text", "trailing-comma"],
)
def test_a_registry_that_could_move_a_url_is_refused_naming_both_entries(
        tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "slugs.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        SlugRegistry.load(path)
    assert str(error.value) == f"{tmp_path}/" + message.replace("{path}", str(path))


def test_every_registry_mistake_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "slugs.json"
    path.write_text(registry_text(entry("a", ONE), entry("a", TWO), entry("b", ONE), entry("c", TWO),
                                  entry("d", TWO)), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        SlugRegistry.load(path)
    assert [line.split(": ", 1)[0] for line in str(error.value).splitlines()] == [
        f"{path}:6", f"{path}:10", f"{path}:18"]


def test_a_hand_edited_registry_moves_no_published_page(make_project, capsys) -> None:
    """The issue's steps: build, then a merge resolution adds an alias or a duplicate key."""
    project = make_project({"a.txt": dump_text(f"Paper One\n\n{ABSTRACT}")})
    assert main(["build", "--root", str(project.root), "-q"]) == 0
    published = json.loads(project.registry.read_text(encoding="utf-8"))
    before = sorted(path.name for path in (project.docs / "papers").iterdir())
    for extra in ({"aaa-alias": published["paper-one"]},
                  {"paper-one": {"title": "another", "head": "paper"}}):
        text = project.registry.read_text(encoding="utf-8")
        project.registry.write_text(text.rstrip()[:-1].rstrip() + ",\n" + ",\n".join(
            entry(slug, value) for slug, value in extra.items()) + "\n}\n", encoding="utf-8")
        capsys.readouterr()
        assert main(["build", "--root", str(project.root), "-q"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"Error: {project.registry}:") and err.count("\n") == 1
        assert sorted(path.name for path in (project.docs / "papers").iterdir()) == before
        project.registry.write_text(json.dumps(published), encoding="utf-8")


def test_one_arxiv_id_under_two_slugs_is_refused_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "slugs.json"
    path.write_text(registry_text(
        entry("card-title", {"arxiv_id": "2312.17653", "head": "", "title": "card title"}),
        entry("listing-title", {"arxiv_id": "2312.17653", "head": "we", "title": "listing title"}),
    ), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        SlugRegistry.load(path)
    message = str(error.value)
    assert message.startswith(f"{path}:7: 'listing-title' and 'card-title' (line 2)")
    assert "arXiv 2312.17653" in message


def test_an_arxiv_id_is_kept_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "slugs.json"
    path.write_text(registry_text(
        entry("card-title", {"arxiv_id": "2312.17653", "head": "", "title": "card title"})),
        encoding="utf-8")
    registry = SlugRegistry.load(path)
    assert registry.entries["card-title"].arxiv_id == "2312.17653"
    assert json.loads(registry.dump()) == json.loads(path.read_text(encoding="utf-8"))
