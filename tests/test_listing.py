"""Cards, gists and pagination: the pure parts of the paper lists."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.enrich.taxonomy import Tag
from generator.model import Curation, Link, Paper, Source
from generator.render import cardhtml
from generator.render.cardhtml import card_parts
from generator.render.docs import site_pages
from generator.render.listing import (
    BY_TITLE,
    DATA_FIELDS,
    PAGE_SIZE,
    Card,
    PaperList,
    card,
    gist,
    list_rows,
    page_window,
    paginate,
    relative,
    repo_label,
)
from generator.render.templating import environment
from tests.kit.pages import ParsedPage
from tests.kit.project import ROOT


@pytest.mark.parametrize(("abstract", "expected"), [
    ("We study robots. They learn.", "We study robots."),
    ("Agents learn skills, e.g. walking. A second sentence.", "Agents learn skills, e.g. walking."),
    ("Results improve by 3.5 points on 10 tasks! Next.", "Results improve by 3.5 points on 10 tasks!"),
    ("  Spaces   and\nnew lines collapse.  Then more.", "Spaces and new lines collapse."),
    ("No full stop at all", "No full stop at all"),
    ("", ""),
])
def test_gist_is_the_first_sentence(abstract: str, expected: str) -> None:
    assert gist(abstract) == expected


def test_gist_cuts_a_long_sentence_at_a_word_boundary() -> None:
    sentence = "word " * 60 + "end."
    short = gist(sentence, limit=50)
    assert short.endswith("…") and len(short) <= 50
    assert short.removesuffix("…") == ("word " * 9).strip()
    assert gist("x" * 80, limit=20) == "x" * 19 + "…"  # one long word is cut inside itself


@given(st.text(max_size=400))
def test_gist_is_bounded_and_a_prefix_of_the_text(abstract: str) -> None:
    short = gist(abstract)
    assert len(short) <= 160
    assert " ".join(abstract.split()).startswith(short.removesuffix("…").rstrip(" ,;:-–—"))


@pytest.mark.parametrize(("url", "label"), [
    ("https://github.com/org/repo", "org/repo"),
    ("https://github.com/org/repo/tree/main/src", "org/repo"),
    ("https://gitlab.com/group/project.git", "group/project"),
    ("github.com/org/repo", "org/repo"),
    ("https://huggingface.co/spaces/x/y", "spaces/x"),
    ("https://example.org/", "example.org"),
])
def test_repo_label_names_org_and_repo(url: str, label: str) -> None:
    assert repo_label(url) == label


@given(st.lists(st.integers(), max_size=450), st.integers(min_value=1, max_value=120))
def test_pagination_lists_every_item_once_in_order(items: list[int], size: int) -> None:
    pages = paginate(items, size)
    assert [item for page in pages for item in page] == items
    assert len(pages) == max(1, -(-len(items) // size))
    # Page 1 is full (or the whole list), page 2 holds 1 to size, every later page is full.
    assert len(pages[0]) == min(size, len(items))
    assert all(1 <= len(page) <= size for page in pages[1:2])
    assert all(len(page) == size for page in pages[2:])


@given(st.lists(st.integers(), max_size=450), st.integers(min_value=1, max_value=40), st.data())
def test_an_item_joining_leaves_the_pages_after_it_as_they_were(
    items: list[int], size: int, data: st.DataObject,
) -> None:
    """While the page count holds, only pages 1, 2 and those down to the new item change."""
    at = data.draw(st.integers(min_value=0, max_value=len(items)))
    grown = [*items[:at], -1, *items[at:]]
    before, after = paginate(items, size), paginate(grown, size)
    if len(before) != len(after):
        return
    landed = next(number for number, page in enumerate(after, 1) if -1 in page)
    for number in range(max(3, landed + 1), len(after) + 1):
        assert after[number - 1] == before[number - 1]


def _card(number: int, date: str | None = "2025-01-01") -> Card:
    return Card(f"paper-{number:03d}", f"Paper {number}", date, None, None, None, None, None,
                (), None, None, False, "")


def test_paper_list_pages_urls_and_pager() -> None:
    cards = [_card(n) for n in range(350)]
    pages = PaperList("tag-robots", "tags/robots/index.md", cards).pages()
    assert [page.url for page in pages] == ["tags/robots/", "tags/robots/2/", "tags/robots/3/",
                                            "tags/robots/4/"]
    # Page 1 the first 100, pages 3 and 4 the last 200 in fixed chunks, page 2 the rest.
    assert [len(page.cards) for page in pages] == [PAGE_SIZE, 50, PAGE_SIZE, PAGE_SIZE]
    assert [c for page in pages for c in page.cards] == cards
    first, second, _, last = pages
    assert first.pagination == {"next": "tags/robots/2/"}
    assert second.pagination == {"prev": "tags/robots/", "next": "tags/robots/3/"}
    assert last.pagination == {"prev": "tags/robots/3/"}
    assert (first.up, second.up) == ("../../", "../../../")
    assert (first.href(2), second.href(1), second.href(3)) == ("2/", "../", "../3/")
    assert second.data_url == "../../../lists/tag-robots.json"
    assert [page.first_index for page in pages] == [1, 101, 151, 251]
    assert [page.fixed for page in pages] == [False, False, True, True]
    code = PaperList("code", "code/index.md", cards, BY_TITLE)
    assert [code.page_path(n) for n in (1, 2)] == ["code/index.md", "code/2/index.md"]
    assert [code.page_url(n) for n in (1, 2)] == ["code/", "code/2/"]


def test_pages_of_different_lists_never_share_a_path() -> None:
    lists = [PaperList("tag-a", "tags/a/index.md", []), PaperList("tag-a-2", "tags/a-2/index.md", []),
             PaperList("untagged", "tags/untagged/index.md", []),
             PaperList("date-2025-01", "dates/2025/01/index.md", []),
             PaperList("date-unknown", "dates/unknown/index.md", []),
             PaperList("reading-read", "reading/read/index.md", []),
             PaperList("reading-queue", "reading/index.md", [])]
    paths = [paper_list.page_path(n) for paper_list in lists for n in range(1, 30)]
    assert len(paths) == len(set(paths))


def test_page_window_shows_first_last_and_neighbours() -> None:
    assert page_window(1, 1) == [1]
    assert page_window(1, 4) == [1, 2, 3, 4]
    assert page_window(10, 40) == [1, None, 8, 9, 10, 11, 12, None, 40]
    assert page_window(40, 40) == [1, None, 38, 39, 40]
    assert relative("", "code/") == "../" and relative("code/", "code/") == "./"


def _paper(**fields: object) -> Paper:
    base: dict = {"slug": "full", "title": "Full <b>Paper</b> & co", "date": None,
                  "authors": None, "org": None, "upvotes": None, "sources": [Source("d", 1)],
                  "abstract": "First sentence here. Second one."}
    return Paper(**{**base, **fields})


FULL = _paper(
    date=dt.date(2025, 3, 4), authors=7, org=None, upvotes=0,
    links=[Link("https://example.org/page", "project"), Link("https://github.com/o/r", "code"),
           Link("https://github.com/o/second", "code")],
    tags=["Robotics", "Unknown"],
    curation=Curation(rating=4, status="reading", featured=True),
)


def parse_html_text(html: str) -> ParsedPage:
    page = ParsedPage()
    page.feed(html)
    return page


def _render(c: Card) -> str:
    template = environment().from_string('{% from "_cards.md.j2" import card %}{{ card(c, "../") }}')
    return template.render(c=c)


def test_card_shows_every_field_a_paper_has() -> None:
    html = _render(card(FULL, {"Robotics": "robotics"}))
    page = parse_html_text(html)
    texts = {e.attrs.get("class", ""): e.text for e in page.elements}
    assert texts["paper-card__title"] == "Full <b>Paper</b> & co"
    assert page.find("a", "paper-card__title")[0].attrs["href"] == "../papers/full/"
    assert texts["paper-card__date"] == "2025-03-04"
    assert texts["paper-card__upvotes"] == "▲ 0"
    assert texts["paper-card__authors"] == "7 authors"
    assert texts["paper-card__code"] == "o/r"
    assert page.find("a", "paper-card__code")[0].attrs["href"] == "https://github.com/o/r"
    assert texts["paper-rating"] == "★★★★☆"
    assert texts["paper-status paper-status-reading"] == "Reading"
    assert texts["paper-featured-badge"] == "featured"
    assert texts["paper-card__gist"] == "First sentence here."
    chips = [element for element in page.elements if element.tag == "a" and not element.attrs.get("class")]
    assert [(a.attrs["href"], a.text) for a in chips] == [("../tags/robotics/", "Robotics")]
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_card_leaves_out_what_a_paper_lacks() -> None:
    html = _render(card(_paper(abstract=""), {}))
    assert html == (
        '<li class="paper-card"><a class="paper-card__title" href="../papers/full/">'
        "Full &lt;b&gt;Paper&lt;/b&gt; &amp; co</a></li>")
    org = _render(card(_paper(org="Lab", authors=3), {}))
    assert "paper-card__org" in org and "authors" not in org


def _list_data(cards: list[Card]) -> str:
    """One list's data file, its rows encoded as a build encodes them."""
    return list_rows(cards).data([c.slug for c in cards])


def test_list_data_carries_every_card_in_order() -> None:
    cards = [card(FULL, {"Robotics": "robotics"}), card(_paper(slug="bare"), {})]
    data = json.loads(_list_data(cards))
    assert data["fields"] == list(DATA_FIELDS)
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["papers"]]
    assert [row["slug"] for row in rows] == ["full", "bare"]
    assert rows[0]["code_label"] == "o/r" and rows[0]["status"] == "reading"
    assert [data["tags"][index] for index in rows[0]["tags"]] == [["robotics", "Robotics"]]
    assert rows[1]["date"] is None and rows[1]["tags"] == []
    assert json.loads(_list_data([card(_paper(title="</script>"), {})]))["papers"][0][1] == "</script>"


def test_lists_share_one_tag_table_and_each_cards_row() -> None:
    """Rows are encoded once a build: a card's row is the same bytes in every list holding it."""
    tagged = card(FULL, {"Robotics": "robotics"})
    other = card(_paper(slug="other", title="Other \u00e9", tags=["Vision"]), {"Vision": "vision"})
    rows = list_rows([tagged, other])
    alone, both = json.loads(rows.data(["other"])), json.loads(rows.data(["full", "other"]))
    assert alone["tags"] == both["tags"] == [["robotics", "Robotics"], ["vision", "Vision"]]
    assert alone["papers"][0] == both["papers"][1]
    assert [both["tags"][index] for index in both["papers"][0][8]] == [["robotics", "Robotics"]]
    # The joined file is what encoding the whole structure gives, ASCII only.
    assert rows.data(["full", "other"]) == json.dumps(
        {"fields": DATA_FIELDS, "tags": both["tags"], "statuses": both["statuses"],
         "papers": both["papers"]}, separators=(",", ":")) + "\n"
    assert rows.data([]).endswith('"papers":[]}\n')


def test_the_list_script_sets_text_never_markup() -> None:
    """Data from a list file reaches the page through textContent and attributes only."""
    script = (ROOT / "overrides" / "assets" / "javascripts" / "paper-lists.js").read_text("utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink


def test_a_tags_own_list_leaves_its_chip_out_of_every_card() -> None:
    two = card(_paper(tags=["Robotics", "Vision"]), {"Robotics": "robotics", "Vision": "vision"})
    template = environment().from_string(
        '{% from "_cards.md.j2" import card %}{{ card(c, "../", own) }}')
    assert 'href="../tags/robotics/"' in template.render(c=two, own=None)
    own = template.render(c=two, own="robotics")
    assert 'href="../tags/robotics/"' not in own and '<a href="../tags/vision/">Vision</a>' in own
    alone = card(_paper(tags=["Robotics"]), {"Robotics": "robotics"})
    assert "paper-card__tags" not in template.render(c=alone, own="robotics")


HOSTILE_TAG = ("x", '<\x00up\x00> & "q"')
CARD_CASES = [
    card(FULL, {"Robotics": "robotics"}),
    card(_paper(abstract=""), {}),
    card(_paper(slug="marks", title="<\x00up\x00> $x^2$ \x00 {{ up }}", org="<\x00up\x00>",
                abstract="Has <\x00up\x00> in it. Then more.", tags=["A", "B"]),
         {"A": "a", "B": "b"}),
]


@pytest.mark.parametrize("up", ["", "../", "../../../"])
@pytest.mark.parametrize("own", [None, "robotics", "a", "b"])
def test_cards_joined_from_parts_equal_the_card_macro(up: str, own: str | None) -> None:
    """Heads and chips rendered once give each card byte for byte, hostile text included."""
    cards = {c.slug: c for c in CARD_CASES}
    cards["x"] = replace(CARD_CASES[0], slug="x", tags=(HOSTILE_TAG, ("robotics", "Robotics")))
    parts = card_parts(cards)
    whole = environment().from_string('{% from "_cards.md.j2" import card %}{{ card(c, up, own) }}')
    for slug, c in cards.items():
        assert parts.html(slug, up, own) == whole.render(c=c, up=up, own=own)
    assert parts.items(["x", "full"], up, own) == [parts.html("x", up, own), parts.html("full", up, own)]


def test_each_card_head_and_each_chip_is_rendered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The macros run once per paper and once per tag, however many lists show the cards."""
    module = environment().get_template("_cards.md.j2").module
    calls: list[str] = []
    for name in ("card_head", "chip"):
        macro = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _m=macro, _n=name: calls.append(_n) or _m(*a))
    monkeypatch.setattr(cardhtml, "environment", lambda: SimpleNamespace(
        get_template=lambda _: SimpleNamespace(module=module)))
    tags = {"A": "a", "B": "b"}
    cards = {f"p{n}": card(_paper(slug=f"p{n}", tags=["A", "B"]), tags) for n in range(5)}
    parts = card_parts(cards)
    for up in ("", "../", "../../"):
        parts.items(list(cards), up, "a")
    assert calls.count("card_head") == 5 and calls.count("chip") == 2


def test_a_new_paper_rewrites_only_the_list_pages_down_to_where_it_lands() -> None:
    """At 350 papers, one newer than all: pages 1 and 2 change, the fixed pages 3 and 4 do not."""
    robots = Tag("robots", "Robots", "", re.compile("robot"))
    day = dt.date(2025, 1, 1)
    papers = [_paper(slug=f"p{n:03d}", title=f"Robot {n}", date=day - dt.timedelta(days=n),
                     tags=["Robots"]) for n in range(350)]
    newest = _paper(slug="new", title="Robot new", date=day + dt.timedelta(days=1), tags=["Robots"])
    before = site_pages(papers, [robots], "T")
    after = site_pages([newest, *papers], [robots], "T")
    changed = {path for path in before if path.startswith("tags/robots/") and path.endswith(".md")
               and before[path] != after[path]}
    assert changed == {"tags/robots/index.md", "tags/robots/2/index.md"}
    assert "Papers 101–151 of 351" in after["tags/robots/2/index.md"]
    assert "Page 4 of 4: 100 papers, newest first." in after["tags/robots/4/index.md"]
    assert "p349" in after["tags/robots/4/index.md"]


def test_empty_reading_lists_speak_to_readers_and_link_their_own_marks() -> None:
    pages = site_pages([_paper()], [], "T")
    for path, up in (("reading/index.md", "../"), ("reading/read/index.md", "../../"),
                     ("reading/favourites/index.md", "../../")):
        text = pages[path]
        assert "The curator has" in text, path
        # A Markdown link, so the engine checks it and rewrites it for its URLs.
        assert f"[My marks]({up}marks/index.md)" in text, path
        assert "Curating this site? Give a paper `" in text and "paper-browser" not in text


def test_a_filter_that_cannot_narrow_a_list_is_hidden() -> None:
    coded = [card(_paper(slug=f"p{n}", date=dt.date(2024 + n % 2, 5, 1),
                         links=[Link(f"https://github.com/o/r{n}", "code")]), {}) for n in range(4)]
    plain = [card(_paper(slug=f"q{n}", date=dt.date(2025, 5, 1)), {}) for n in range(3)]
    code_page, = PaperList("code", "code/index.md", coded).pages()
    month_page, = PaperList("m", "dates/2025/05/index.md", plain).pages()
    assert code_page.all_code and code_page.years == [2025, 2024]
    assert not month_page.all_code and month_page.years == [2025]
    template = environment().from_string(
        '{% from "_cards.md.j2" import paper_browser %}{{ paper_browser(page, "") }}')
    code_html, month_html = (template.render(page=page) for page in (code_page, month_page))
    assert '<label hidden><input type="checkbox" name="code"' in code_html
    assert '<label>Year <select name="year">' in code_html
    assert '<label><input type="checkbox" name="code"' in month_html
    assert '<label hidden>Year <select name="year">' in month_html
