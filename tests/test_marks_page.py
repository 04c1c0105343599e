"""My marks and the hooks of the reader's marks in the built site (the browser side is in
tests/browser/test_marks.py)."""

from __future__ import annotations

import json
import re

import pytest

from tests.kit.corpus import ROBOT_A, built_site, exported, page_html, slug


@pytest.mark.slow
def test_my_marks_is_in_the_nav_with_the_list_controls_and_no_card_of_its_own() -> None:
    site = built_site() / "site"
    page = (site / "marks" / "index.html").read_text(encoding="utf-8")
    browser = re.search(r'<div class="paper-browser"[^>]*>', page)
    assert browser is not None
    assert 'data-list="../lists/all.json"' in browser[0] and 'data-marked="1"' in browser[0]
    for name in ("sort", "code", "year", "tag", "hide_read", "hide_hidden", "starred"):
        assert f'name="{name}"' in page, name
    assert 'class="paper-card"' not in page
    assert 'href="marks/"' in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_published_paper_is_in_the_data_file_of_my_marks_newest_first() -> None:
    site = built_site() / "site"
    data = json.loads((site / "lists" / "all.json").read_text(encoding="utf-8"))
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["papers"]]
    published = exported(built_site())
    assert sorted(row["slug"] for row in rows) == sorted(paper["slug"] for paper in published)
    dated = [row["date"] for row in rows if row["date"]]
    assert dated == sorted(dated, reverse=True)


@pytest.mark.slow
def test_paper_pages_carry_the_marks_mount_and_the_deferred_script() -> None:
    page = page_html(built_site(), ROBOT_A.title)
    assert f'<div class="paper-mine paper-mine--page" data-slug="{slug(ROBOT_A.title)}"' in page
    assert '<script src="../../assets/javascripts/paper-marks.js" defer>' in page
    # The export and import tools load on My marks only, by the marks script.
    assert "paper-marks-page.js" not in page


@pytest.mark.slow
def test_the_marks_scripts_set_text_never_markup() -> None:
    """Marks, titles and imported files reach the page through textContent and attributes."""
    folder = built_site() / "site" / "assets" / "javascripts"
    for name in ("paper-marks.js", "paper-marks-page.js"):
        script = (folder / name).read_text("utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in script, (name, sink)
