"""The generator's fast paths give exactly what the plain library calls give."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import numpy as np
import pytest
import re2
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import sparse

from generator.enrich import links, related
from generator.enrich.related import DECIMALS
from generator.enrich.taxonomy import _keyword, parse_taxonomy, tag_text
from generator.model import Paper
from generator.read import dumps
from generator.render.frontmatter import front_matter

# Letters that match ASCII ones under IGNORECASE without lower-casing to them (Kelvin sign,
# long s, dotless and dotted i), and an accent that makes a word non-ASCII.
ALPHABET = "abrlks -_.QPOqpo\nRLK\u212a\u017f\u0131\u0130é"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=60))
@example("a ks")
@example("q. rl")
@example("bb")
@example("ll")
def test_tagging_agrees_with_the_regex_on_non_ascii_text(text: str) -> None:
    spec = {
        "RL": {"keywords": ["RL", "deep RL", "Q-learning", "po"]},
        "K": {"keywords": ["ks", "sk", "k-is", "li"]},
        # Keywords and patterns, searched apart.
        "P": {"keywords": ["po", "RL"], "patterns": [r"\b(q|p)\w*\b[^.]{0,5}\brl\b", r"ks\.?$"]},
        "B": {"keywords": ["li"], "patterns": [r"(a|b)b", r"^k"]},
        "N": {"patterns": [r"(l)l", "o$"]},
    }
    tags = parse_taxonomy({"tags": spec}, Path("t.yml"))
    assert [t.parts is not None for t in tags] == [False, False, True, True, True]
    # The plain library calls: one regex of all keywords, each pattern through RE2.
    options = re2.Options()
    options.case_sensitive = False
    expected = [name for name, tag in spec.items() if (tag.get("keywords") and re.search(
        "|".join(f"(?:{_keyword(w)})" for w in tag["keywords"]), f"\n{text}", re.IGNORECASE))
        or any(re2.compile(p, options).search(f"\n{text}") for p in tag.get("patterns", []))]
    assert tag_text("", text, tags) == expected


# Pieces of text YAML reads specially: indicators, words it takes for booleans or null, the
# characters it reads as line breaks or refuses raw, a byte-order mark, astral characters.
PIECES = [*"ab: -#'\"\\\n\t\r{}[],&*!|>%@`?~=01.", "yes", "on", "Y", "~", "null", "2024-01-02",
          "---", "...", "\x00", "\x07", "\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\ufeff",
          "\ufffe", "\uffff", "é", "😀"]
TEXT = st.one_of(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), st.text(max_size=12))
SCALARS = st.one_of(TEXT, st.integers(-10**12, 10**12), st.booleans(), st.none())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)


def _read_back(text: str, loader: type) -> dict:
    assert text.startswith("---\n") and text.endswith("---\n")
    return yaml.load(text[4:-4], Loader=loader) or {}


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(st.dictionaries(TEXT, VALUES, max_size=6))
def test_front_matter_reads_back_as_written(data: dict) -> None:
    written = front_matter(data)
    # LibYAML (MkDocs reads front matter with it) and PyYAML's own reader alike.
    assert _read_back(written, yaml.CSafeLoader) == data
    assert _read_back(written, yaml.SafeLoader) == data


def test_front_matter_quotes_every_string_and_our_keys_stay_plain() -> None:
    written = front_matter({"title": "yes", "@context": "x", "on": ["null", "a: b"], "n": 3})
    assert written == ('---\ntitle: "yes"\n"@context": "x"\n"on":\n- "null"\n- "a: b"\nn: 3\n---\n')


def test_front_matter_leaves_aliases_and_unusual_types_to_pyyaml() -> None:
    shared = ["a", "b"]
    for data in ({"x": shared, "y": shared}, {"when": dt.date(2024, 1, 2)}, {"f": 1.5}):
        assert _read_back(front_matter(data), yaml.SafeLoader) == data


def _reference_top(scores: np.ndarray, count: int) -> list[list[int]]:
    """Ranking as it was: round every score, then per row the best, ties to the lower column."""
    if scores.shape[1] > count:
        threshold = np.partition(scores, -count, axis=1)[:, -count][:, None]
        candidates = (scores >= threshold) & (scores > 0)
    else:
        candidates = scores > 0
    rows, columns = np.nonzero(candidates)
    order = np.lexsort((columns, -scores[rows, columns], rows))
    top: list[list[int]] = [[] for _ in range(len(scores))]
    for row, column in zip(rows[order].tolist(), columns[order].tolist(), strict=True):
        if len(top[row]) < count:
            top[row].append(column)
    return top


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 90), st.integers(1, 30), st.integers(1, 6),
       st.booleans())
def test_best_scores_rank_as_rounding_every_score_does(seed: int, rows: int, columns: int,
                                                       count: int, by_column: bool) -> None:
    rng = np.random.default_rng(seed)
    # Few distinct values, some a hair apart across a rounding boundary, many zeros: ties
    # and rows with fewer than ``count`` positive scores are common.
    values = np.array([0, 0, 0, 1e-7, 4.9999e-7, 5.0001e-7, 0.1, 0.1000004, 0.1000006, 0.3, 0.9],
                      dtype=np.float32)
    raw = rng.choice(values, size=(rows, columns)) * rng.choice([1, 1, 0.5], size=(rows, 1))
    raw = raw.astype(np.float32)
    if by_column:  # laid out as the product of the blocked computation is
        raw = np.ascontiguousarray(raw.T).T
    found: related.Found = ([], [], [])
    related._add(found, related._best(raw, count), 0, 0)
    assert related._ranked(*found, rows, count) == _reference_top(np.round(raw, DECIMALS), count)


def _papers(count: int) -> list[Paper]:
    rng = random.Random(11)
    words = [f"{a}{b}" for a in ("neur", "graph", "robo", "diffu", "token", "vision")
             for b in ("al", "ic", "er", "ing", "ity", "ion", "ics", "ous")]
    return [Paper(slug=f"p{i:04d}", title=" ".join(rng.sample(words, 4)),
                  abstract=" ".join(rng.choices(words, k=rng.randint(5, 40))), date=None,
                  authors=None, org=None, upvotes=None, sources=[]) for i in range(count)]


def test_each_pair_scored_once_gives_what_every_pair_scored_gives(monkeypatch) -> None:
    papers = _papers(700)
    halves: list[bool] = []
    same_order = related._same_word_order
    monkeypatch.setattr(related, "_same_word_order", lambda m: halves.append(same_order(m)) or
                        halves[-1])
    monkeypatch.setattr(related, "BLOCK_FLOATS", 700 * 90)  # blocks of 90 rows
    by_halves = related.related_slugs(papers)
    assert halves == [True]  # TF-IDF stores every row's words in one order
    monkeypatch.setattr(related, "_same_word_order", lambda m: False)
    assert related.related_slugs(papers) == by_halves
    monkeypatch.setattr(related, "BLOCK_FLOATS", 10**12)
    assert related.related_slugs(papers) == by_halves


def test_word_order_check_sees_rows_that_disagree() -> None:
    rows = sparse.csr_matrix(np.array([[1, 0, 2, 0], [0, 0, 3, 1], [1, 1, 0, 1]],
                                       dtype=np.float32))
    assert not related._same_word_order(rows)  # only the order of first storage is tried
    rows = sparse.csr_matrix(np.array([[1, 0, 2, 0], [0, 0, 3, 1], [1, 0, 0, 1]],
                                       dtype=np.float32))
    assert related._same_word_order(rows)
    disagree = sparse.csr_matrix((np.ones(4, dtype=np.float32), [0, 2, 2, 0], [0, 2, 4]),
                                 shape=(2, 4))
    assert not related._same_word_order(disagree)


URL_PIECES = ["https://", "HTTP://", "www.", "github", ".com", ".io", ".CO", ".uk", "u\u212a", ".", "/",
              "a", "-", " ", "(", ")", "e.g.", "Node.js", "ſ", "@", "x.org/p",
              "https: //", ":", "//", "\\url{", "}", "\\_", "ab.kr"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(URL_PIECES), max_size=12).map("".join))
def test_link_hint_never_hides_a_link(text: str) -> None:
    found = links.extract_links(text)
    saved, links._HINT = links._HINT, re.compile("")  # the full pattern on every text
    try:
        assert found == links.extract_links(text)
    finally:
        links._HINT = saved


SPACES = [" ", "  ", "\t", "\u00a0", "\u2003", "\u200b", "\u202f", "\u3000", "\ufeff", "\u2028",
          "\x00", "\x1f", "\x85", "\x9f", "\u1680", "\r", "a", "é", "_", "x y"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SPACES), max_size=10).map("".join))
def test_clean_lines_as_the_whitespace_pattern_does(line: str) -> None:
    assert dumps.clean(line) == dumps.WHITESPACE.sub(" ", line).strip()
