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

from generator import identity
from generator.enrich import links, related
from generator.enrich.taxonomy import _keyword, parse_taxonomy, tag_text
from generator.model import Paper
from generator.read import dumps
from generator.render.frontmatter import front_matter, read_front_matter

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


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(st.dictionaries(TEXT, VALUES, max_size=6))
def test_front_matter_as_written_reads_back_without_yaml(data: dict) -> None:
    """MkDocs' hook reads the generator's front matter with ``read_front_matter``: exactly as
    LibYAML would, or not at all (None: YAML reads it)."""
    written = front_matter(data)[4:-4]
    read = read_front_matter(written)
    assert read is None or read == data
    if data and not any("\\x" in line for line in written.split("\n")) and "&id" not in written:
        assert read == data  # Every page the generator writes, but for C1 controls and aliases.


# Lines in and around the form front_matter writes: keys plain and quoted, words YAML reads
# as booleans or null, scalars, dashes, indents, escapes JSON and YAML read differently.
FRONT_LINES = st.lists(st.tuples(
    st.sampled_from(["", "  ", "    ", " ", "\t"]),
    st.sampled_from(["", "- ", "-", "-  "]),
    st.sampled_from(["a", "on", "Yes", "null", "_k", '"@c"', '"a: b"', "x y", "1", "", "<<", "a\"b"]),
    st.sampled_from([":", ": ", ":  ", ""]),
    st.sampled_from(["", '"t"', '"\\x41"', '"\\/"', '"\\u00e9"', '"\\u2028"', '"a\\"b"', "null",
                     "true", "True", "~", "01", "0", "-3", "1_0", "[]", "{}", "[1]", '"\x85"',
                     '"a" # c', "'s'", "&a x", "*a", "|", '"\\ud83d\\ude00"', '"é"', '"\\t"'])),
    max_size=8).map(lambda lines: "".join("".join(parts) + "\n" for parts in lines))


@settings(max_examples=1500, deadline=None)
@given(FRONT_LINES)
@example('a:\n- b: 1\n  c:\n  - "d"\n-\n  - 2\n"on": {}\n')
@example('a: "t"\na:\n- "u"\n')
def test_reading_front_matter_without_yaml_gives_what_yaml_gives_or_nothing(text: str) -> None:
    read = read_front_matter(text)
    if read is None:
        return
    assert read == yaml.load(text, Loader=yaml.CSafeLoader)
    assert read == yaml.load(text, Loader=yaml.SafeLoader)


def test_the_front_matter_of_every_kind_of_page_reads_without_yaml() -> None:
    data = {"title": "x", "n": -3, "ok": True, "none": None, "empty": [], "map": {},
            "tags": ["a", "b"], "sources": [{"dump": "d.txt", "line": 2}, {"dump": "e.txt", "line": 3}],
            "nested": [["a", ["b"]], {"c": {"d": [1]}}], "on": "é\u2028\x01\"\\"}
    assert read_front_matter(front_matter(data)[4:-4]) == data
    # What only YAML may read: a C1 control's \x escape, a key YAML reads as a boolean, a comment.
    for text in ('a: "\\x85"\n', "on: 1\n", 'a: "b" # c\n', "a: b\n", "- a\n", "a:\n", ""):
        assert read_front_matter(text) is None, text


def test_front_matter_quotes_every_string_and_our_keys_stay_plain() -> None:
    written = front_matter({"title": "yes", "@context": "x", "on": ["null", "a: b"], "n": 3})
    assert written == ('---\ntitle: "yes"\n"@context": "x"\n"on":\n- "null"\n- "a: b"\nn: 3\n---\n')


def test_front_matter_leaves_aliases_and_unusual_types_to_pyyaml() -> None:
    shared, entry = ["a", "b"], {"dump": "a.txt", "line": 3}
    for data in ({"x": shared, "y": shared}, {"when": dt.date(2024, 1, 2)}, {"f": 1.5},
                 {"sources": [entry, entry]}):
        assert _read_back(front_matter(data), yaml.SafeLoader) == data
    assert "&id001" in front_matter({"sources": [entry, entry]})


def _reference_top(scores: np.ndarray, count: int) -> list[list[int]]:
    """Per row the columns of the best positive scores, ties to the lower column, sorting all."""
    return [sorted((c for c in range(scores.shape[1]) if row[c] > 0), key=lambda c: (-row[c], c))[:count]
            for row in scores]


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 90), st.integers(1, 60), st.integers(1, 6),
       st.tuples(st.booleans(), st.booleans()))
def test_best_scores_rank_as_sorting_every_score_does(seed: int, rows: int, columns: int,
                                                      count: int, layout: tuple[bool, bool]) -> None:
    by_column, cut = layout
    rng = np.random.default_rng(seed)
    # Few distinct values and many zeros: ties and rows with fewer than ``count`` positive
    # scores are common.
    raw = rng.choice(np.array([0, 0, 0, 1, 2, 3, 900, 901, 4_000_000], dtype=np.float32),
                     size=(rows, columns))
    if by_column:  # laid out as the product of the blocked computation is
        raw = np.ascontiguousarray(raw.T).T
    saved = related.CUT_COLUMNS
    related.CUT_COLUMNS = 0 if cut else saved  # rows longer than their number: cut first
    try:
        found_rows, found_columns, _ = related._best(raw, count)
    finally:
        related.CUT_COLUMNS = saved
    top: list[list[int]] = [[] for _ in range(rows)]
    for row, column in zip(found_rows.tolist(), found_columns.tolist(), strict=True):
        top[row].append(column)
    assert top == _reference_top(raw, count)


def test_no_rows_have_no_best_scores() -> None:
    for columns in (0, 3, 5000):
        assert [len(part) for part in related._best(np.zeros((0, columns), np.float32), 5)] == [0, 0, 0]


def _papers(count: int) -> list[Paper]:
    rng = random.Random(11)
    words = [f"{a}{b}" for a in ("neur", "graph", "robo", "diffu", "token", "vision")
             for b in ("al", "ic", "er", "ing", "ity", "ion", "ics", "ous")]
    return [Paper(slug=f"p{i:04d}", title=" ".join(rng.sample(words, 4)),
                  abstract=" ".join(rng.choices(words, k=rng.randint(5, 40))), date=None,
                  authors=None, org=None, upvotes=None, sources=[]) for i in range(count)]


def test_each_pair_scored_once_gives_what_a_dense_product_gives(monkeypatch) -> None:
    """Blocks of rows, each pair scored once, rank as the whole float64 product does."""
    papers = _papers(700)
    monkeypatch.setattr(related, "BLOCK_FLOATS", 700 * 90)  # blocks of 90 rows
    index = related.related_index(papers)
    weights = related._weights(index)
    dense = np.zeros((len(index.slugs), len(index.vocabulary)))
    rows = np.repeat(np.arange(len(index.slugs)), np.diff(index.indptr))
    dense[rows, index.indices] = weights
    scores = dense @ dense.T
    np.fill_diagonal(scores, 0)
    expected = {index.slugs[r]: [index.slugs[c] for c in top]
                for r, top in enumerate(_reference_top(scores, related.RELATED_COUNT))}
    assert index.lists() == expected
    # Every score is a whole number held exactly in float32 (so summing order cannot matter).
    assert np.array_equal(scores, np.round(scores)) and scores.max() < 2**24


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


# Pieces that folding changes the length of: LaTeX accents, letters that casefold or decompose
# to several, combining marks, runs of punctuation and space.
FOLDED = ["\\'{e}", "\\\"o", "ß", "ﬁ", "ﷺ", "e\u0301", " - ", "...", "  ", "_", "Ab", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FOLDED), min_size=150, max_size=700).map("".join))
@example("a" * 1000)
@example("\\'{e}" * 200)
def test_an_abstracts_head_is_folded_from_its_opening_alone(abstract: str) -> None:
    assert identity.abstract_head(abstract) == identity.normalise_text(abstract)[:identity.HEAD_CHARS]
