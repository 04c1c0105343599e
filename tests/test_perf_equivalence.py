"""The generator's fast paths give exactly what the plain library calls give."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

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
