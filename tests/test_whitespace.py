"""Squeezing built pages: indentation goes, white space that shows stays."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.publish.whitespace import TOKEN, _keep_tags, squeeze, squeeze_site

PAGE = """<!doctype html>
<html>
  <head>
    <script>
      var kept = `a
        b`;
    </script>
  </head>
  <body>
    <p>Two  spaces stay on one line, <b>bold</b>
       <i>italic</i>\u00a0\u00a0
    </p>
    <pre>  first
      second

  </pre>
    <textarea>
  typed
    </textarea>
    <a title="spans
      lines">link</a>
  </body>
</html>
"""


def test_indentation_goes_and_what_shows_stays() -> None:
    slim = squeeze(PAGE)
    assert "\n  <" not in slim.split("<pre>")[0]
    assert "Two  spaces stay on one line, <b>bold</b>\n<i>italic</i>\u00a0\u00a0\n</p>" in slim
    for kept in ("var kept = `a\n        b`;\n    </script>", "<pre>  first\n      second\n\n  </pre>",
                 "<textarea>\n  typed\n    </textarea>", 'title="spans\n      lines"'):
        assert kept in slim, kept
    assert squeeze(slim) == slim


def test_line_by_line_matches_tag_by_tag() -> None:
    page = PAGE.split("<pre>", maxsplit=1)[0].replace("<script>", "").replace("</script>", "")
    assert squeeze(page) == TOKEN.sub(_keep_tags, page)


@given(st.lists(st.sampled_from(["<p>", "</p>", "<b>", "x", "y z", " ", "  ", "\n", "\n  ",
                                 "\t", "\u00a0", "\r\n"]), max_size=30))
def test_any_run_with_a_line_break_becomes_one(parts: list[str]) -> None:
    text = "".join(parts)
    assert squeeze(text) == TOKEN.sub(_keep_tags, text)


def test_a_site_is_squeezed_in_place(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<rss>\n  <x/>\n</rss>\n", encoding="utf-8")
    done = squeeze_site(tmp_path)
    assert (done.pages, done.before) == (1, len(PAGE.encode()))
    assert (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == squeeze(PAGE)
    assert done.after == len(squeeze(PAGE).encode())
    assert (tmp_path / "feed.xml").read_text(encoding="utf-8") == "<rss>\n  <x/>\n</rss>\n"
