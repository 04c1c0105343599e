"""The stats page: SVG charts that are well-formed XML, escaped, and drawn from the catalog;
ranked lists as HTML bars."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from xml.etree import ElementTree as ET

import pytest

from generator.enrich.taxonomy import load_taxonomy
from generator.model import Link, Paper
from generator.render.stats import (
    NARROW_LABEL_GAP,
    NARROW_WIDTH,
    bars,
    months_between,
    papers_per_month,
    stats_charts,
)
from tests.kit.corpus import ROBOT_A, built_site
from tests.kit.project import ROOT

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ["papers-per-month.svg", "papers-per-month-narrow.svg", "tags.svg", "code-share.svg",
          "organisations.svg"]


def chart(name: str) -> ET.Element:
    """A built chart, parsed as XML (fails on anything not well-formed)."""
    return ET.parse(built_site() / "site" / "stats" / name).getroot()


@pytest.mark.slow
@pytest.mark.parametrize("name", CHARTS)
def test_charts_are_well_formed_svg_without_script(name: str) -> None:
    root = chart(name)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text
    assert not list(root.iter(f"{SVG}script"))
    assert not any(key.startswith("on") for element in root.iter() for key in element.attrib)
    assert "href" not in (built_site() / "site" / "stats" / name).read_text(encoding="utf-8")


@pytest.mark.slow
def test_papers_per_month_counts_published_papers_and_keeps_empty_months() -> None:
    root = chart("papers-per-month.svg")
    bars = [rect.find(f"{SVG}title").text for rect in root.iter(f"{SVG}rect")]
    # The hidden paper (February 2025) is not counted; March and April 2025 are empty.
    assert bars == ["December 2024: 1", "February 2025: 2", "May 2025: 1", "June 2025: 2"]
    assert root.find(f"{SVG}title").text == "Papers per month: 6 dated papers over 7 months"
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert "Dec 2024" in labels and "Jan 2025" in labels


@pytest.mark.slow
def test_organisation_names_stay_text() -> None:
    root = chart("organisations.svg")
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert labels[:4] == ["Pixel Org", "2", "Robot Lab <Research> & Co", "1"]
    raw = (built_site() / "site" / "stats" / "organisations.svg").read_text(encoding="utf-8")
    assert "Robot Lab &lt;Research&gt; &amp; Co" in raw


@pytest.mark.slow
def test_code_share() -> None:
    root = chart("code-share.svg")
    assert root.find(f"{SVG}title").text == "Share with code: 1 of 7 papers (14%)"


@pytest.mark.slow
def test_tags_chart_has_a_bar_per_tag() -> None:
    tags = load_taxonomy(ROOT / "taxonomy.yml")
    root = chart("tags.svg")
    # Every taxonomy tag plus the curator's own "My picks".
    assert len(list(root.iter(f"{SVG}rect"))) == len(tags) + 1


@pytest.mark.slow
def test_stats_page_is_in_the_nav_and_shows_the_charts() -> None:
    site = built_site() / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="stats/"' in home
    page = (site / "stats" / "index.html").read_text(encoding="utf-8")
    assert 'srcset="papers-per-month-narrow.svg"' in page and 'src="papers-per-month.svg"' in page
    assert 'src="code-share.svg"' in page
    # The ranked lists are text; their pictures stay published and linked.
    assert 'href="tags.svg"' in page and 'href="organisations.svg"' in page
    assert '<span class="stats-bars__label">Robot Lab &lt;Research&gt; &amp; Co</span>' in page
    assert ROBOT_A.title not in page


@pytest.mark.slow
def test_each_tag_bar_links_its_page_with_its_count() -> None:
    site = built_site() / "site"
    page = (site / "stats" / "index.html").read_text(encoding="utf-8")
    tags = load_taxonomy(ROOT / "taxonomy.yml")
    for tag in tags:
        assert f'<a href="../tags/{tag.slug}/">' in page, tag.slug
        assert (site / "tags" / tag.slug / "index.html").is_file()


def _paper(slug: str, date: dt.date | None) -> Paper:
    return Paper(slug=slug, title=slug, abstract="B", date=date, authors=None, org=None,
                 upvotes=None, sources=[], links=[])


def test_the_narrow_timeline_fits_a_phone_with_year_labels_apart() -> None:
    papers = [_paper("a", dt.date(2018, 3, 27)), _paper("b", dt.date(2025, 12, 29)),
              _paper("c", dt.date(2023, 6, 1))]
    narrow = ET.fromstring(papers_per_month(papers, narrow=True).svg.split("\n", 1)[1])
    wide = ET.fromstring(papers_per_month(papers).svg.split("\n", 1)[1])
    assert narrow.get("width") == str(NARROW_WIDTH)
    assert float(wide.get("width")) > 1.9 * NARROW_WIDTH
    # The same bars, every one inside the picture.
    def titles(root: ET.Element) -> list[str]:
        return [rect.find(f"{SVG}title").text for rect in root.iter(f"{SVG}rect")]
    assert titles(narrow) == titles(wide) == ["March 2018: 1", "June 2023: 1", "December 2025: 1"]
    for rect in narrow.iter(f"{SVG}rect"):
        assert float(rect.get("x")) + float(rect.get("width")) <= NARROW_WIDTH
    labels = [(float(t.get("x")), t.text) for t in narrow.iter(f"{SVG}text")][2:]
    assert [text for _, text in labels] == ["2019", "2021", "2023", "2025"]
    assert all(b - a >= NARROW_LABEL_GAP for (a, _), (b, _) in pairwise(labels))


def test_a_narrow_timeline_without_a_january_names_its_first_month() -> None:
    papers = [_paper("a", dt.date(2025, 3, 2)), _paper("b", dt.date(2025, 5, 9))]
    root = ET.fromstring(papers_per_month(papers, narrow=True).svg.split("\n", 1)[1])
    assert [t.text for t in root.iter(f"{SVG}text")][2:] == ["Mar 2025"]


def test_bars_are_scaled_to_the_largest_and_name_tag_pages() -> None:
    rows = bars([("Robotics", 8), ("Theory", 2), ("Empty", 0)], {"Robotics": "robotics"})
    assert [(b.label, b.count, b.share, b.slug) for b in rows] == [
        ("Robotics", 8, 100.0, "robotics"), ("Theory", 2, 25.0, None), ("Empty", 0, 0.0, None)]
    assert bars([]) == [] and bars([("None yet", 0)])[0].share == 0.0


def test_months_between_crosses_years() -> None:
    assert months_between(dt.date(2024, 11, 5), dt.date(2025, 2, 1)) == [
        (2024, 11), (2024, 12), (2025, 1), (2025, 2)]


def test_charts_of_an_empty_or_undated_catalog_are_still_valid() -> None:
    undated = Paper(slug="a", title="A", abstract="B", date=None, authors=None, org=None,
                    upvotes=None, sources=[], links=[Link("https://github.com/a/b", "code")])
    for papers in ([], [undated]):
        for item in stats_charts(papers, []):
            assert ET.fromstring(item.svg.split("\n", 1)[1]).tag == f"{SVG}svg"
