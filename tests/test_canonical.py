"""generator/mkdocs/canonical.py gives every page the canonical URL MkDocs' own method gives."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import example, given
from hypothesis import strategies as st

from generator.mkdocs import canonical

SEGMENTS = st.sampled_from(["papers", "a", ".", "..", "x.html", "tags", "é", "a b", "%41", "?q", "#f",
                            ";p", "A-Z_~", "", "2", "index.html", "//"])
URLS = st.lists(SEGMENTS, max_size=4).map("/".join) | st.lists(SEGMENTS, max_size=4).map(
    lambda parts: "/".join(parts) + "/")
BASES = st.sampled_from(["http://127.0.0.1:8000/", "https://user.github.io/repo", "https://h.example/a/./b/",
                         "https://h.example/a/../", "HTTPS://H.example/", "https://h.example/?q=1",
                         "https://h.example/#f", "https://h.example//", "/relative/", "", "https://h.example"]) | \
    st.builds(lambda path: f"https://h.example/{path}", URLS)


def _both(base: str, url: str) -> tuple[tuple, tuple]:
    ours, theirs = SimpleNamespace(url=url), SimpleNamespace(url=url)
    canonical._set_canonical_url(ours, base)
    canonical._BY_MKDOCS(theirs, base)
    return (ours.canonical_url, ours.abs_url), (theirs.canonical_url, theirs.abs_url)


@given(BASES, URLS)
@example("https://h.example/a/./b/", "papers/")  # urljoin removes the base's dot segments,
@example("https://h.example/a/../", "x/")
@example("HTTPS://H.example/", "a/")  # lowers the scheme's case,
@example("https://h.example/", "../x/")  # and resolves the page's own.
def test_the_same_canonical_url_as_mkdocs(base: str, url: str) -> None:
    ours, theirs = _both(base, url)
    assert ours == theirs


def test_the_pages_of_a_site_take_the_short_way() -> None:
    assert canonical._base_path("https://user.github.io/repo/") == "/repo/"
    assert _both("https://user.github.io/repo", "papers/a-b/")[0] == (
        "https://user.github.io/repo/papers/a-b/", "/repo/papers/a-b/")
    assert canonical._PLAIN_URL.fullmatch("papers/a-b/") and not canonical._PLAIN_URL.fullmatch("../x/")
