"""LaTeX read at build time shows as MathML in Chromium, and the list script draws it the same."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.site_build import serve
from tests.kit.dumps import dump_text
from tests.kit.project import copy_project

pytestmark = pytest.mark.slow

# Undated entries (no metadata block): they make one list, dates/unknown/.
ENTRIES = [
    (r"Search with $A^*$ Heuristics", r"We bound the cost by $\mathcal{O}(n \log n)$ and more. "
     "Then other things follow."),
    (r"\textbf{Bold} Claims About $\times$ Products", r"A $2 \times 2$ grid wins 63\% of games. Also more."),
    ("Plain Title Without Formulas", "Nothing special happens here at all. Really nothing."),
    (r"Hostile $\href{javascript:alert(1)}{x}$ Title", r"Text $\text{<b>x</b>}$ stays text. The end."),
]


@pytest.fixture(scope="module")
def math_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site whose undated papers carry LaTeX in titles and first sentences."""
    work = tmp_path_factory.mktemp("math")
    project = copy_project(work / "project", seeds=[])
    body = "\n\n".join(f"{title}\n\n{abstract}" for title, abstract in ENTRIES)
    (project / "seeds" / "2025-10-28-math.txt").write_text(dump_text(body), encoding="utf-8")
    www = work / "www"
    with serve(www) as origin:
        env = {**os.environ, "SITE_URL": origin, "NO_MKDOCS_2_WARNING": "1"}
        for step in ([sys.executable, "-m", "generator", "build", "--quiet", "--root", str(project)],
                     [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                      str(project / "mkdocs.yml"), "--site-dir", str(www)]):
            done = subprocess.run(step, cwd=project, env=env, capture_output=True, text=True,
                                  check=False)
            assert done.returncode == 0, done.stdout + done.stderr
        yield origin


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


_CARDS = """cards => cards.map(card => {
  const copy = card.cloneNode(true);
  copy.querySelectorAll("[href]").forEach(a => a.setAttribute("href", a.href));
  return [card.querySelector(".paper-card__title").href.match(/\\/papers\\/([^/]+)\\/$/)[1], copy.outerHTML];
})"""


def test_formulas_render_as_mathml_with_their_source(math_site: str, page: Page) -> None:
    page.goto(math_site + "papers/search-with-a-heuristics/")
    heading = page.locator("h1.paper-title")
    expect(heading.locator("math")).to_have_attribute("alttext", "$A^*$")
    box = heading.locator("math").bounding_box()
    assert box is not None and box["width"] > 5 and box["height"] > 5
    abstract = page.locator("p.paper-abstract")
    expect(abstract.locator("math")).to_have_attribute("alttext", r"$\mathcal{O}(n \log n)$")
    assert "$" not in abstract.inner_text()
    # The tab's title and the exact text for search stay as written.
    assert page.title().startswith("Search with $A^*$ Heuristics")


def test_hostile_tex_stays_text(math_site: str, page: Page) -> None:
    page.goto(math_site + "papers/hostile-href-javascript-alert-1-x-title/")
    heading = page.locator("h1.paper-title")
    expect(heading).to_have_text(r"Hostile $\href{javascript:alert(1)}{x}$ Title")
    assert heading.locator("math, a").count() == 0
    assert page.locator("p.paper-abstract b").count() == 0


def test_script_draws_the_same_rich_cards(math_site: str, page: Page) -> None:
    page.goto(math_site + "dates/unknown/")
    served = dict(page.eval_on_selector_all(".paper-browser .paper-card", _CARDS))
    assert sum("<math" in card for card in served.values()) == 2
    assert any("<strong>Bold</strong>" in card for card in served.values())
    page.select_option("select[name=sort]", "title")
    expect(page.locator(".paper-browser__status")).to_contain_text("title")
    drawn = dict(page.eval_on_selector_all(".paper-browser .paper-card", _CARDS))
    assert drawn.keys() == served.keys()
    for slug, card in drawn.items():
        assert card == served[slug], slug
