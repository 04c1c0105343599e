"""Slugs: readable, bounded, unique, and stable across added and re-ordered dumps."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from generator.errors import ConfigError
from generator.identity import PaperKey
from generator.slugs import MAX_LENGTH, SlugRegistry, base_slug


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
    assert registry.dump() == SlugRegistry(dict(reversed(registry.entries.items()))).dump()


def test_corrupt_registry_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "slugs.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="slug registry unreadable"):
        SlugRegistry.load(tmp_path / "slugs.json")
