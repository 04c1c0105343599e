"""Squeezing built pages: indentation goes, white space that shows stays."""

from __future__ import annotations

import re
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
    assert squeeze(page).encode() == TOKEN.sub(_keep_tags, page.encode())


@given(st.lists(st.sampled_from(["<p>", "</p>", "<b>", "x", "y z", " ", "  ", "\n", "\n  ",
                                 "\t", "\u00a0", "\r\n"]), max_size=30))
def test_any_run_with_a_line_break_becomes_one(parts: list[str]) -> None:
    text = "".join(parts)
    assert squeeze(text).encode() == TOKEN.sub(_keep_tags, text.encode())


def test_a_site_is_squeezed_in_place(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<rss>\n  <x/>\n</rss>\n", encoding="utf-8")
    done = squeeze_site(tmp_path)
    assert (done.pages, done.before) == (1, len(PAGE.encode()))
    assert (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == squeeze(PAGE)
    assert done.after == len(squeeze(PAGE).encode())
    assert (tmp_path / "feed.xml").read_text(encoding="utf-8") == "<rss>\n  <x/>\n</rss>\n"


# Squeezing as it was first written, in str, line by line in Python; tag names read in
# ASCII (re.A), as HTML reads them (under Unicode's rules "<\u017fcript" was a script, and
# then a KeyError).
REFERENCE_RAW = re.compile(r"<(pre|textarea|script|style)(?=[\s>/])", re.I | re.A)
REFERENCE_MULTILINE = re.compile(r"""=[ \t\r\f\n]*(?:"[^"<>]*|'[^'<>]*)\n""")
REFERENCE_TOKEN = re.compile(r"<[^>]*>|[ \t\r\f]*\n[ \t\r\f\n]*")
REFERENCE_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I | re.A) for name in ("pre", "textarea", "script", "style")}


def _reference_text(html: str) -> str:
    if REFERENCE_MULTILINE.search(html):
        return REFERENCE_TOKEN.sub(lambda match: match.group() if match.group()[0] == "<" else "\n", html)
    lines = html.split("\n")
    if len(lines) == 1:
        return html
    inner = [line for line in (line.strip(" \t\r\f") for line in lines[1:-1]) if line]
    return "\n".join([lines[0].rstrip(" \t\r\f"), *inner, lines[-1].lstrip(" \t\r\f")])


def reference_squeeze(html: str) -> str:
    parts: list[str] = []
    start = 0
    while (found := REFERENCE_RAW.search(html, start)) is not None:
        parts.append(_reference_text(html[start:found.start()]))
        close = REFERENCE_CLOSE[found.group(1).lower()].search(html, found.end())
        end = len(html) if close is None else close.end()
        parts.append(html[found.start():end])
        start = end
    parts.append(_reference_text(html[start:]))
    return "".join(parts)


HTML_PARTS = st.sampled_from(["<p>", "</p>", '<a href="x"\n   class="y">', "<b>", "</b>", "x", "y z",
                              " ", "  ", "\n", "\n  ", "\t", "\u00a0", "\r\n", "\f", "\n\n    ",
                              "<pre>", "</pre>", "<script>", "</script>", 'title="two\n lines"',
                              "<STYLE>", "</style >", "<textarea>", "</textarea>", "=", '"',
                              # Beyond ASCII: Unicode's case and space rules find raw elements.
                              "\u2014", "\U0001f600", "<\u017fcript>", "</\u017fcript>",
                              "<pre\u2003>", "</pre\u2003>", "<TEXTAREA\u00a0>"])


@given(st.lists(HTML_PARTS, max_size=40))
def test_squeeze_matches_the_line_by_line_reference(parts: list[str]) -> None:
    """Byte for byte what squeezing gave before it ran in C on bytes: raw elements kept, values kept."""
    html = "".join(parts)
    assert squeeze(html) == reference_squeeze(html)
