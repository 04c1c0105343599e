"""Citation metadata in real built HTML: Highwire meta tags, JSON-LD, look-up links, escaped."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_plus

import pytest

from generator.render.citation import DESCRIPTION_MAX, description
from tests.browser.reader import ServedSite
from tests.kit.corpus import ODD, ROBOT_A, SITE_URL, UNDATED, built_site, exported, page_html, slug
from tests.kit.pages import parse_markup


@dataclass(frozen=True)
class Head:
    """What a citation tool reads: the citation meta tags, JSON-LD blocks, every script, and
    the page's links by their text."""

    meta: list[tuple[str, str]]
    json_ld: list[str]
    scripts: list[dict[str, str]]
    links: dict[str, str]


def head_of(html: str) -> Head:
    """The page parsed the way a browser's HTML parser splits it."""
    page = parse_markup(html)
    return Head(meta=[(e.attrs["name"], e.attrs.get("content", "")) for e in page.find("meta")
                      if e.attrs.get("name", "").startswith("citation_")],
                json_ld=page.data_blocks, scripts=[e.attrs for e in page.find("script")],
                links={e.text.strip(): e.attrs["href"] for e in page.find("a")
                       if e.text.strip() and e.attrs.get("href")})


def record(title: str) -> dict:
    """The paper's papers.json record."""
    return next(r for r in exported(built_site()) if r["slug"] == slug(title))


@pytest.mark.slow
def test_highwire_tags_carry_the_hostile_title_and_abstract_as_text() -> None:
    head = head_of(page_html(built_site(), ODD.title))
    assert head.meta == [
        ("citation_title", ODD.title),
        ("citation_publication_date", "2025/06/03"),
    ] + [("citation_keywords", tag) for tag in record(ODD.title)["tags"]]


@pytest.mark.slow
def test_hostile_text_never_becomes_markup() -> None:
    html = page_html(built_site(), ODD.title)
    head = head_of(html)
    # As many scripts as on a page with a plain title: the title opened none.
    assert head.scripts == head_of(page_html(built_site(), ROBOT_A.title)).scripts
    assert len(head.json_ld) == 1
    assert '<script>alert("x")' not in html
    assert "</title><script>" not in html
    assert "<b>markup</b>" not in html


@pytest.mark.slow
def test_json_ld_is_a_scholarly_article_safe_inside_script() -> None:
    head = head_of(page_html(built_site(), ODD.title))
    raw = head.json_ld[0]
    assert not set(raw) & {"<", ">", "&"}
    assert json.loads(raw) == {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": ODD.title,
        "url": f"{SITE_URL}papers/{slug(ODD.title)}/",
        "datePublished": "2025-06-03",
    }


@pytest.mark.slow
def test_the_page_describes_itself_by_its_abstract_once() -> None:
    """The description is the abstract's opening as text; the abstract is not in the head."""
    html = page_html(built_site(), ODD.title)
    descriptions = [e.attrs["content"] for e in parse_markup(html).find("meta")
                    if e.attrs.get("name") == "description"]
    assert descriptions == [description(ODD.abstract)]
    assert ODD.abstract.startswith(descriptions[0].removesuffix("…"))
    assert "citation_abstract" not in html
    assert "<b>markup</b>" not in html


def test_description_ends_at_a_sentence_or_a_word() -> None:
    first = "A" * 150 + " ends here. "
    assert description(first + "Then more words " * 30) == first.strip()
    cut = description("word " * 100)
    assert cut is not None and len(cut) <= DESCRIPTION_MAX and cut.endswith("word…")
    assert description("Short, e.g. this.  ") == "Short, e.g. this."
    assert description("  ") is None


@pytest.mark.slow
def test_undated_paper_has_no_publication_date() -> None:
    head = head_of(page_html(built_site(), UNDATED.title))
    assert "citation_publication_date" not in dict(head.meta)
    assert "datePublished" not in json.loads(head.json_ld[0])


@pytest.mark.slow
@pytest.mark.parametrize("title", [ODD.title, ROBOT_A.title])
def test_look_up_links_are_url_encoded(title: str) -> None:
    links = head_of(page_html(built_site(), title)).links
    assert links["Hugging Face Papers"] == f"https://huggingface.co/papers?q={quote_plus(title)}"
    assert links["arXiv search"] == (
        f"https://arxiv.org/search/?query={quote_plus(title)}&searchtype=title")


@pytest.mark.slow
def test_real_dumps_build_with_citations_on_every_page(real_site: Callable[[str], ServedSite]) -> None:
    """The real dumps through the generator and mkdocs --strict: every page is cited."""
    served = real_site("root")  # The session's one build at a server root (tests/conftest.py).
    site = served.folder
    records = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    assert len(records) > 200
    for item in records:
        head = head_of((site / item["url"] / "index.html").read_text(encoding="utf-8"))
        meta = dict(head.meta)
        assert meta["citation_title"] == item["title"]
        assert json.loads(head.json_ld[0])["url"] == served.url + item["url"]
    for name in ("feed.xml", "feed.json", "stats/index.html", "reading/index.html"):
        assert (site / name).exists()
