"""Squeezed pages (generator/publish/whitespace.py) look the same in Chromium as the engine wrote them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.publish.whitespace import squeeze_site
from tests.browser.site_build import serve
from tests.kit.project import REAL_SEEDS, copy_project

pytestmark = pytest.mark.slow

# A hand-written page with every kind of white space that shows: preformatted code, a text
# area, inline elements side by side, no-break spaces.
SPACES = """\
# White space

Words  with <b>bold</b> <i>italic</i>
<code>inline  code</code> and&nbsp;&nbsp;no-break spaces.

```
def indented():
    return  "kept"

    # after a blank line
```

<textarea aria-label="notes">
  line one
    line two
</textarea>

<p><span>a</span>
   <span>b</span><span>c</span>
</p>
"""
PAGES = ("", "papers/{paper}/", "tags/", "tags/{tag}/", "dates/", "stats/", "reading/spaces/")
# Every element's box and the text a reader gets (innerText follows the layout).
LAYOUT = """() => [document.body.innerText,
  [...document.querySelectorAll("body *")].map(e => {
    const r = e.getBoundingClientRect();
    return [e.tagName, r.x, r.y, r.width, r.height].join(" ");
  })]"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One project built by MkDocs as it is (raw/) and squeezed (squeezed/), served."""
    work = tmp_path_factory.mktemp("squeeze")
    project = copy_project(work / "project", seeds=REAL_SEEDS[:1])
    (project / "docs" / "reading").mkdir(parents=True, exist_ok=True)
    (project / "docs" / "reading" / "spaces.md").write_text(SPACES, encoding="utf-8")
    www = work / "www"
    with serve(www) as origin:
        env = {**os.environ, "SITE_URL": origin + "raw/", "NO_MKDOCS_2_WARNING": "1"}
        for step in ([sys.executable, "-m", "generator", "build", "--quiet", "--root", str(project)],
                     [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                      str(project / "mkdocs.yml"), "--site-dir", str(www / "raw")]):
            done = subprocess.run(step, cwd=project, env=env, capture_output=True, text=True,
                                  check=False)
            assert done.returncode == 0, done.stdout + done.stderr
        shutil.copytree(www / "raw", www / "squeezed")
        squeezed = squeeze_site(www / "squeezed")
        assert squeezed.after < squeezed.before
        yield origin, www


def _settled(page: Page) -> list:
    """The layout once Material's scripts stop moving boxes: two reads 100 ms apart agree.

    Read at the load event alone, a sidebar sized by script was caught half-way once, when
    `make test` ran two processes on a loaded machine.
    """
    page.wait_for_load_state("networkidle")
    last = page.evaluate(LAYOUT)
    for _ in range(30):
        page.wait_for_timeout(100)
        now = page.evaluate(LAYOUT)
        if now == last:
            break
        last = now
    return last


def test_squeezed_pages_show_the_same(sites: tuple[str, Path], browser: Browser) -> None:
    origin, www = sites
    paper = next((www / "raw" / "papers").iterdir()).name
    tag = next(path.name for path in (www / "raw" / "tags").iterdir() if path.is_dir())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        for pattern in PAGES:
            path = pattern.format(paper=paper, tag=tag)
            raw, squeezed = (www / "raw" / path / "index.html", www / "squeezed" / path / "index.html")
            assert len(squeezed.read_bytes()) < len(raw.read_bytes()), path
            page.goto(f"{origin}raw/{path}")
            before = _settled(page)
            # Same URL path under the squeezed copy: only the bytes differ.
            page.goto(f"{origin}squeezed/{path}")
            after = _settled(page)
            assert after[0] == before[0], path
            assert after[1] == before[1], path
    finally:
        context.close()


def test_white_space_that_shows_is_kept(sites: tuple[str, Path]) -> None:
    _, www = sites
    raw, squeezed = (
        (www / folder / "reading" / "spaces" / "index.html").read_text(encoding="utf-8")
        for folder in ("raw", "squeezed"))
    for element in ("pre", "textarea"):
        block = raw[raw.index(f"<{element}"):raw.index(f"</{element}>")]
        assert "\n  " in block and block in squeezed, element
    assert "&nbsp;&nbsp;no-break" in squeezed
    # Indentation between tags is gone from the rest of the page.
    assert "\n  <" in raw and "\n  <" not in squeezed.replace(raw[raw.index("<pre"):raw.index("</pre>")], "")
