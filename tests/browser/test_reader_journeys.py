"""A reader's journeys through the built site in Chromium, at the root and under a sub-path."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from playwright.sync_api import ViewportSize, expect

from tests.browser.reader import OpenReader, Reader, ServedSite, search_site

pytestmark = pytest.mark.slow

PHONE: ViewportSize = {"width": 390, "height": 844}
# Material's search splits words on whitespace and hyphens; a token of letters only is
# indexed as it is written, so a query of such tokens finds the page when typed as is.
WORD = re.compile(r"[A-Za-z]{6,}")


def _words(paper: dict[str, Any]) -> set[str]:
    """The plain words of a paper's title and abstract, lower-cased."""
    tokens = re.split(r"[\s\-]+", f"{paper['title']} {paper['abstract']}")
    return {token.lower() for token in tokens if WORD.fullmatch(token)}


def _rare_words(papers: list[dict[str, Any]], paper: dict[str, Any], count: int) -> list[str]:
    """Words of a paper's abstract that fewest other papers use: a query that should find it."""
    frequency = Counter(word for other in papers for word in _words(other))
    abstract = {word for word in _words({"title": "", "abstract": paper["abstract"]})}
    return sorted(abstract, key=lambda word: (frequency[word], word))[:count]


def _paper_link(page_path: str) -> str:
    """A CSS selector for links to one paper page, however the href is written."""
    return f'[href*="{page_path}"]'


def test_search_finds_a_paper_by_words_of_its_abstract(reader: Reader) -> None:
    """Words from an abstract find the paper; its page shows the abstract and the code link."""
    papers = reader.site.papers()
    paper = next(paper for paper in papers if paper["has_code"])
    query = " ".join(_rare_words(papers, paper, 2))
    reader.open()

    results = search_site(reader.page, query)

    hit = results.and_(reader.page.locator(_paper_link(f"/{paper['url']}"))).first
    expect(hit, f"{paper['title']!r} not among the results for {query!r}").to_be_visible()
    hit.click()
    reader.page.wait_for_url(re.compile(re.escape(reader.site.url + paper["url"])))
    assert reader.path() == paper["url"]
    expect(reader.page.locator(".paper-title")).to_have_text(paper["title"])
    expect(reader.page.locator(".paper-abstract")).to_have_text(paper["abstract"])
    code = next(link["url"] for link in paper["links"] if link["kind"] == "code")
    expect(reader.page.get_by_role("link", name=code, exact=True)).to_have_attribute("href", code)


def test_search_results_stay_inside_the_site(reader: Reader) -> None:
    """Every search result links to a page of this site, also under a sub-path."""
    reader.open()
    results = search_site(reader.page, "reinforcement")
    expect(results.first).to_be_visible()
    hrefs = results.evaluate_all("links => links.map(link => link.href)")
    assert hrefs
    outside = [href for href in hrefs if not href.startswith(reader.site.url)]
    assert not outside, f"search results outside {reader.site.url}: {outside[:5]}"


def _heading(text: str) -> re.Pattern[str]:
    """A page heading's text: as given, then the permalink sign MkDocs' toc adds."""
    return re.compile(rf"^{re.escape(text)}\s*¶?$")


def _paper_sharing_a_tag(papers: list[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    """The first paper with a tag that at least one other paper carries, and that tag."""
    counts = Counter(tag for paper in papers for tag in paper["tags"])
    for paper in papers:
        for tag in paper["tags"]:
            if counts[tag] > 1:
                return paper, tag
    raise AssertionError("no two papers share a tag: the seeds cannot exercise tag pages")


def test_tag_chip_leads_to_the_tag_page_and_another_paper(reader: Reader) -> None:
    """A paper's tag chip opens the tag's page, which lists another paper to read next."""
    paper, tag = _paper_sharing_a_tag(reader.site.papers())
    reader.open(paper["url"])
    page = reader.page

    page.locator(".paper-tags a.md-tag", has_text=tag).first.click()
    page.wait_for_url(re.compile(r"/tags/[^/]+/$"))
    assert reader.path().startswith("tags/")
    expect(page.locator("article h1")).to_have_text(_heading(tag))
    expect(page.locator(f"article a{_paper_link(paper['url'])}").first).to_be_visible()

    other = page.locator(f'article a[href*="papers/"]:not({_paper_link(paper["url"])})').first
    other_title = other.inner_text()
    other.click()
    page.wait_for_url(re.compile(r"/papers/[^/]+/$"))
    assert reader.path() != paper["url"]
    expect(page.locator(".paper-title")).to_have_text(other_title)
    expect(page.locator(".paper-tags a.md-tag", has_text=tag).first).to_be_visible()

    page.go_back()
    expect(page.locator("article h1")).to_have_text(_heading(tag))


def _follow_first_paper(reader: Reader, tab: str, index_path: str, heading: str) -> tuple[str, str]:
    """Open a navigation tab, check it is the index, follow its first paper link."""
    page = reader.page
    page.locator(".md-tabs__link", has_text=tab).click()
    page.wait_for_url(re.compile(re.escape(reader.site.url + index_path) + "$"))
    # Instant navigation changes the URL before it swaps the content: wait for the new page.
    expect(page.locator("article h1")).to_have_text(re.compile("^" + re.escape(heading)))
    first = page.locator('article li a[href*="papers/"]').first
    title = first.inner_text()
    entry = first.locator("xpath=..").inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/papers/[^/]+/$"))
    expect(page.locator(".paper-title")).to_have_text(title)
    return title, entry


def test_date_index_leads_to_a_month_and_its_papers_with_their_dates(reader: Reader) -> None:
    """By date is an overview of years and months; a month lists its papers newest first,
    and a card opens the paper, dated as listed."""
    reader.open()
    page = reader.page
    page.locator(".md-tabs__link", has_text="By date").click()
    page.wait_for_url(re.compile(re.escape(reader.site.url + "dates/") + "$"))
    expect(page.locator("article h1")).to_have_text(_heading("By date"))
    page.locator("article p a").first.click()
    page.wait_for_url(re.compile(r"/dates/\d{4}/\d{2}/$"))
    year, month = reader.path().split("/")[1:3]
    expect(page.locator("article h1")).to_contain_text(year)
    listed_dates = page.locator("article .paper-card__date").all_inner_texts()
    assert listed_dates and listed_dates == sorted(listed_dates, reverse=True)
    assert all(date.startswith(f"{year}-{month}-") for date in listed_dates)
    first = page.locator("article .paper-card__title").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/papers/[^/]+/$"))
    expect(page.locator(".paper-title")).to_have_text(title)
    expect(page.locator(".paper-date")).to_have_text(listed_dates[0])
    page.go_back()
    assert reader.path() == f"dates/{year}/{month}/"


def test_code_index_links_to_papers_with_their_repositories(reader: Reader) -> None:
    """The With code tab lists papers with a repository; a link opens the paper with that link."""
    reader.open()
    page = reader.page
    page.locator(".md-tabs__link", has_text="With code").click()
    page.wait_for_url(re.compile(re.escape(reader.site.url + "code/") + "$"))
    repository = page.locator("article a.paper-card__code").first.get_attribute("href")
    assert repository
    _follow_first_paper(reader, "With code", "code/", "Papers with code")
    expect(page.locator(".paper-code-badge")).to_be_visible()
    expect(page.locator(".paper-links").get_by_role("link", name=repository, exact=True)
           ).to_have_attribute("href", repository)


def _color_scheme(reader: Reader) -> str | None:
    """The palette Material shows: "default" (light) or "slate" (dark)."""
    return reader.page.locator("body").get_attribute("data-md-color-scheme")


def test_dark_mode_toggle_switches_and_is_remembered(reader: Reader) -> None:
    """The palette switch turns the site dark; the choice holds on the next page."""
    reader.open()
    page = reader.page
    assert _color_scheme(reader) == "default"
    page.locator("form[data-md-component=palette] label:visible").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.locator(".md-tabs__link", has_text="By date").click()
    page.wait_for_url(re.compile(r"/dates/$"))
    assert _color_scheme(reader) == "slate"
    reader.open("code/")
    assert _color_scheme(reader) == "slate"
    page.locator("form[data-md-component=palette] label:visible").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")


# Elements of a part of the page whose box reaches past the screen's edges, unless they sit
# in a box the reader can scroll sideways (code blocks, wide tables).
STICKING_OUT = """([selector, width]) => {
  const scrollable = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };
  const found = [];
  for (const element of document.querySelectorAll(`${selector} *`)) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if ((box.right > width + 1 || box.left < -1) && !scrollable(element)) {
      const name = element.tagName.toLowerCase() + "." + element.className;
      found.push(`${name} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
    }
  }
  return found.slice(0, 10);
}"""


def _widest_paper(papers: list[dict[str, Any]]) -> dict[str, Any]:
    """The paper hardest to fit on a phone: the longest unbroken link, then the longest title."""
    return max(papers, key=lambda paper: (
        max((len(link["url"]) for link in paper["links"]), default=0), len(paper["title"])
    ))


def test_paper_page_fits_a_phone_screen(open_reader: OpenReader) -> None:
    """On a 390 px wide phone a paper page reads without sideways scrolling."""
    reader = open_reader(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)
    paper = _widest_paper(reader.site.papers())
    reader.open(paper["url"])
    page = reader.page
    expect(page.locator(".paper-title")).to_be_visible()
    expect(page.locator(".paper-abstract")).to_be_visible()
    # A phone widens its layout viewport to fit wide content, so compare with the screen's
    # width, not window.innerWidth; and Material clips the page's sideways overflow
    # (html: overflow-x hidden), so also measure what sticks out: that text is cut off.
    page_width = page.evaluate("document.documentElement.scrollWidth")
    sticking_out = page.evaluate(STICKING_OUT, [".md-content", PHONE["width"]])
    assert not sticking_out, f"{paper['url']} is wider than a phone: {sticking_out}"
    assert page_width <= PHONE["width"], f"{paper['url']} is {page_width} px wide on a phone"
    # The header collapses to buttons on a phone; the drawer still reaches the indexes.
    page.locator("label.md-header__button[for=__drawer]").click()
    page.locator(".md-nav__link", has_text="With code").first.click()
    page.wait_for_url(re.compile(r"/code/$"))


@pytest.mark.parametrize("path", ["", "tags/", "dates/", "code/", "404.html"])
def test_every_kind_of_page_loads_without_errors(reader: Reader, path: str) -> None:
    """Home, indexes and the 404 page load with their styles and scripts (errors fail the test)."""
    response = reader.page.goto(reader.site.url + path)
    assert response is not None and response.ok
    expect(reader.page.locator(".md-header")).to_be_visible()
    assert reader.page.evaluate("() => typeof document$ !== 'undefined'"), (
        "Material's JavaScript bundle did not run"
    )


def test_served_site_is_the_real_build(served_site: ServedSite) -> None:
    """The site under test was built from the seeds (not an empty or stale folder)."""
    papers = served_site.papers()
    assert len(papers) > 100
    assert all((served_site.folder / paper["url"] / "index.html").is_file() for paper in papers)
    assert f'href="{served_site.url}"' in (served_site.folder / "index.html").read_text(
        encoding="utf-8"
    ), "the canonical link does not carry the SITE_URL the site was built for"



def test_a_mistyped_address_gets_a_page_that_leads_back(reader: Reader) -> None:
    """GitHub Pages answers any address the site lacks with 404.html, at that address: its
    links (from the site's root) still lead home, to the tags, the dates and the code list."""
    not_found = (reader.site.folder / "404.html").read_text(encoding="utf-8")
    wrong = reader.site.url + "papers/no-such-paper/deeper/"
    # Served with status 200: the reader's watch fails a test on any 404, and the status
    # changes nothing the page shows or where its links lead.
    reader.page.route(wrong, lambda route: route.fulfill(status=200, body=not_found,
                                                         content_type="text/html"))
    reader.page.goto(wrong)
    article = reader.page.locator("article")
    expect(article.locator("h1")).to_have_text("Page not found")
    expect(reader.page.locator(".md-header")).to_be_visible()
    for name, heading in (("Tags", "Tags"), ("By date", "By date"), ("With code", "Papers with code")):
        reader.page.goto(wrong)
        article.get_by_role("link", name=name, exact=True).click()
        expect(reader.page.locator("article h1").first).to_contain_text(heading)
    reader.page.goto(wrong)
    article.get_by_role("link", name="Home", exact=True).click()
    reader.page.wait_for_url(reader.site.url + "**")
    expect(reader.page.locator(".paper-entry-points")).to_be_visible()
