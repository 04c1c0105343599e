"""The generator's fast paths give exactly what the plain library calls give."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import links
from generator.related import DECIMALS, _nearest, _top
from generator.render import _DUMPER, _PYTHON_ONLY, _strings, front_matter
from generator.taxonomy import parse_taxonomy, tag_text

# Letters that match ASCII ones under IGNORECASE without lower-casing to them (Kelvin sign,
# long s, dotless and dotted i), and an accent that makes a word non-ASCII.
ALPHABET = "abrlks -_.QPOqpo\nRLK\u212a\u017f\u0131\u0130é"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=60))
def test_tagging_agrees_with_the_regex_on_non_ascii_text(text: str) -> None:
    tags = parse_taxonomy({"tags": {
        "RL": {"keywords": ["RL", "deep RL", "Q-learning", "po"]},
        "K": {"keywords": ["ks", "sk", "k-is", "li"]},
    }}, Path("t.yml"))
    assert tag_text("", text, tags) == [t.name for t in tags if t.pattern.search(f"\n{text}")]


def _dumped(data: dict) -> str:
    """Front matter as yaml.dump writes it, the emitter chosen as front_matter chooses it."""
    texts = list(_strings(data))
    dumper = yaml.SafeDumper if any(_PYTHON_ONLY.search(t) for t in texts) else _DUMPER
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{body}---\n"


# Pieces of text that change how YAML quotes a scalar, or which emitter writes it.
PIECES = [*"ab: -#'\"\\\n\t{}[],&*!|>%@`?~=01.", "yes", "null", "2024-01-02", "\x85", "\u2028",
          "\ufeff", "é", "😀", "\x07"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
SCALARS = st.one_of(TEXT, st.integers(-10**12, 10**12), st.booleans(), st.none())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TEXT, VALUES, max_size=6))
def test_front_matter_writes_what_yaml_dump_writes(data: dict) -> None:
    assert front_matter(data) == _dumped(data)


def test_front_matter_keeps_aliases_and_unusual_types() -> None:
    shared = ["a", "b"]
    for data in ({"x": shared, "y": shared}, {"when": dt.date(2024, 1, 2)}, {"f": 1.5}):
        assert front_matter(data) == _dumped(data)
    assert "&id001" in front_matter({"x": shared, "y": shared})


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.integers(1, 30), st.integers(2, 6))
def test_nearest_ranks_as_rounding_every_score_does(seed: int, rows: int, columns: int,
                                                    count: int) -> None:
    rng = np.random.default_rng(seed)
    # Few distinct values, some a hair apart across a rounding boundary, many zeros: ties
    # and rows with fewer than ``count`` positive scores are common.
    values = np.array([0, 0, 0, 1e-7, 4.9999e-7, 5.0001e-7, 0.1, 0.1000004, 0.1000006, 0.3, 0.9],
                      dtype=np.float32)
    raw = rng.choice(values, size=(rows, columns)) * rng.choice([1, 1, 0.5], size=(rows, 1))
    raw = raw.astype(np.float32)
    assert _nearest(raw, count) == _top(np.round(raw, DECIMALS), count)


URL_PIECES = ["https://", "HTTP://", "www.", "github", ".com", ".io", ".CO", ".uk", "u\u212a", ".", "/",
              "a", "-", " ", "(", ")", "e.g.", "Node.js", "ſ", "@", "x.org/p"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(URL_PIECES), max_size=12).map("".join))
def test_link_hint_never_hides_a_link(text: str) -> None:
    found = links.extract_links(text)
    saved, links._HINT = links._HINT, re.compile("")  # the full pattern on every text
    try:
        assert found == links.extract_links(text)
    finally:
        links._HINT = saved
