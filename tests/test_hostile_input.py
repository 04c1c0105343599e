"""Hostile but well-formed entries reach the real built site intact, escaped and inert."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.utils.meta import get_data

from generator.cache import CACHE_FOLDER
from generator.render.formulas import ELEMENTS
from generator.render.listing import gist
from generator.write.lock import LOCK_FILE
from tests.kit.dumps import abstract_for, dump_text, entry_text
from tests.kit.pages import ParsedPage, front_matter, parse_html
from tests.kit.project import changed_paths, is_generated, mkdocs_build, new_project, run_generator, snapshot

LONG_TITLE = ("A Very Long Title " * 30)[:399] + "Z"
# Links written in the forms authors break them into, carrying markup and script URLs.
BROKEN_LINKS = ('Code https: //github.com/o/r?a=1&b="><script>alert(11)</script> and '
                "\\url{javascript:alert(12)} \\href{//github.com/o/s'onclick=alert(13)}{x} Links")
# Titles as a user may paste them; each is also carried inside its paper's abstract.
HOSTILE = [
    "<script>alert('t1')</script> Attacks on Vision Transformers",
    '<img src=x onerror="alert(2)"> Robust Image Models',
    "</title><script>alert(3)</script> Escaping the Title",
    "[click me](javascript:alert(4)) Link Injection in Retrieval",
    "<a href=\"javascript:alert(5)\">anchor</a> and <svg onload=alert(6)> Markup",
    "# Heading **bold** _emphasis_ `code` | a | b | Markdown Soup",
    "{{ config.site_name }} and {% include 'x.html' %} Template Tags",
    "{# comment #} and ${x} and {{7*7}} More Templates",
    "key: value - a YAML mapping in a title",
    "- starts like a list item",
    "# starts like a comment",
    "& starts like an anchor",
    "* starts like an alias",
    "! starts like a tag",
    "'single quoted' title",
    '"double quoted" title with \\"escaped\\" quotes',
    "Backslashes \\ and \\\\ and \\n and \\u0041 in a title",
    r"LaTeX $\alpha + \beta_{i}^{2}$ and B\'ezier \textbf{Curves} $$\frac{a}{b}$$",
    r"Hostile TeX $\href{javascript:alert(1)}{x}$ $\text{<img src=x onerror=alert(1)>}$ $x^2$",
    "Emoji 🚀🔥 and naïve café — 日本語のタイトル — Ünïcödé ½",
    "../../x",
    "CON",
    ".hidden",
    "yes",
    "null",
    "2024-01-01",
    "--- front matter fence ---",
    "Less < than & greater > than &amp; entities &lt;b&gt;",
    "Underscores_in_names and *stars* and __dunder__ and ~~strike~~",
    LONG_TITLE,
    BROKEN_LINKS,
]
# An organisation badge is "handle Display Name"; the display name is dump text as well.
ORG = "<img src=x onerror=alert(7)> Labs & {{ co }}"
ORG_TITLE = "Paper From A Hostile Organisation"
# File names are user input too: they are shown in every paper's "Seen in" list.
HOSTILE_DUMP = "2025-10-28-<img src=x onerror=alert(9)> & 'quotes'.txt"
TWINS = {
    "Attention Is All You Need": "First twin abstract. " + abstract_for("the first twin"),
    "attention is all you need!": "Second twin abstract. " + abstract_for("the second twin"),
}


def hostile_abstract(title: str, index: int) -> str:
    """An abstract that carries the hostile text in the middle of ordinary prose."""
    return f"Paper {index} tests what happens with {title} inside an abstract. " + abstract_for(
        f"case {index}")


HOOKS = "hooks:\n  - generator/mkdocs/hooks.py\n  - generator/mkdocs/chrome.py\n"


def without_hooks(root: Path) -> None:
    """Switch the MkDocs hooks off, as an engine that runs none would: no guarantee is there."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert HOOKS in text, "mkdocs.yml's hooks changed; update this test"
    config.write_text(text.replace(HOOKS, ""), encoding="utf-8")


# (engine, search, hooks): every build that may publish the site, hooks off included.
BUILDS = {
    "mkdocs-material": ("mkdocs", "material", True),
    "mkdocs-pagefind": ("mkdocs", "pagefind", True),
    "mkdocs-no-hooks": ("mkdocs", "material", False),
    "zensical": ("zensical", "pagefind", False),
}


@pytest.fixture(scope="module", params=list(BUILDS))
def hostile_site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict:
    """One project with every hostile entry (and a clean twin), built once per engine and search."""
    engine, search, hooks = BUILDS[request.param]
    entries = [entry_text(title, hostile_abstract(title, i), "  • 3 authors\n·\nFeb 9 3")
               for i, title in enumerate(HOSTILE)]
    twins = [entry_text(title, abstract) for title, abstract in TWINS.items()]
    twins.append(entry_text(ORG_TITLE, abstract_for("organisations"), f"evil-org {ORG}\n·\nFeb 9 3"))
    root = new_project(tmp_path_factory.mktemp("hostile"),
                       {"2025-10-28-hostile.txt": dump_text(entries), HOSTILE_DUMP: dump_text(twins)}, about=True)
    before = snapshot(root)
    done = run_generator(root, "build")
    assert done.returncode == 0, done.stderr
    after = snapshot(root)
    clean = new_project(tmp_path_factory.mktemp("clean"), {"2025-10-28-clean.txt": dump_text(
        [entry_text(f"Plain Paper {n} on Vision Transformers",
                    abstract_for(f"plain {n}") + f" Code: https://github.com/org/plain{n}.",
                    "  • 3 authors\n·\nFeb 9 3" if n else "cleanlab Clean Lab\n·\nFeb 9 3")
         for n in range(3)])}, about=True)
    if not hooks:
        without_hooks(root)
        without_hooks(clean)
    site = mkdocs_build(root, search_engine=search, engine=engine)
    assert run_generator(clean, "build").returncode == 0
    clean_site = mkdocs_build(clean, search_engine=search, engine=engine)
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    return {"engine": engine, "search": search, "root": root, "site": site, "clean_site": clean_site,
            "before": before, "after": after, "papers": papers, "stderr": done.stderr}


def paper_of(papers: list[dict], title: str) -> dict:
    """The exported record of the paper with exactly this title."""
    matches = [paper for paper in papers if paper["title"] == title]
    assert len(matches) == 1, f"{title!r}: {len(matches)} papers"
    return matches[0]


def material_scripts(site: Path) -> set[str]:
    """Scripts Material puts on a paper page of a clean build."""
    scripts: set[str] = set()
    for page in (site / "papers").glob("*/index.html"):
        scripts |= set(parse_html(page).scripts)
    return scripts


@pytest.mark.slow
def test_every_hostile_entry_is_read_without_problems(hostile_site: dict) -> None:
    """All entries are published; only the near-twins get their "kept as two papers" note."""
    assert len(hostile_site["papers"]) == len(HOSTILE) + 3
    lines = [line for line in hostile_site["stderr"].splitlines() if ": warning:" in line]
    assert len(lines) == 1 and "kept as two papers" in lines[0], hostile_site["stderr"]


def as_read(text: str) -> str:
    """Text as the site shows it, formulas as their source: emphasis and \\% / \\& read."""
    text = re.sub(r"\\(?:textbf|textit|emph)\{([^{}\\$]{1,200})\}", r"\1", text)
    return re.sub(r"\\([%&])", r"\1", text)


@pytest.mark.slow
@pytest.mark.parametrize("title", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_title_is_shown_exactly_and_inert(hostile_site: dict, title: str) -> None:
    """Page exists; title and abstract show as written in h1, <title>, header and lists."""
    site, paper = hostile_site["site"], paper_of(hostile_site["papers"], title)
    index = HOSTILE.index(title)
    # A plain folder name on every system: bounded, no dots, no reserved device names.
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", paper["slug"]), paper["slug"]
    assert len(paper["slug"]) <= 80 and paper["slug"] not in {"con", "index", "search", "assets"}
    assert paper["abstract"] == hostile_abstract(title, index)
    built = site / "papers" / paper["slug"] / "index.html"
    if set(title) & set("<>&"):
        assert title not in built.read_text(encoding="utf-8")  # escaped in the source
    page = parse_html(built)
    # Shown as written, formulas as MathML made from the very LaTeX written (their alttext),
    # \\textbf{...} in bold, \\% as %.
    [heading] = page.find("h1", "paper-title")
    assert heading.source == as_read(title)
    [abstract] = page.find("p", "paper-abstract")
    assert abstract.source == as_read(hostile_abstract(title, index))
    [head_title] = page.find("title")
    assert head_title.text == f"{title} - ML Reading List"
    topics = [e.text.strip() for e in page.find("span", "md-ellipsis")]
    assert title in topics, topics
    for block in page.data_blocks:
        data = json.loads(block)
        assert data.get("headline", title) == title and data.get("abstract", paper["abstract"]) \
            == paper["abstract"]
    # Exactly once as the page's own heading text: never dropped, never doubled.
    assert sum(e.source == as_read(title) for e in page.find("h1")) == 1

    # Its card on the month's list and in the list's data file: the text as written, once.
    links = [a.source for a in parse_html(site / "dates" / "2025" / "02" / "index.html").find(
        "a", "paper-card__title") if a.attrs.get("href", "").endswith(f"papers/{paper['slug']}/")]
    assert links == [as_read(title)]
    month = parse_html(site / "dates" / "2025" / "02" / "index.html")
    [card] = [c for c, a in zip(month.find("li", "paper-card"), month.find("a", "paper-card__title"),
                                strict=True) if a.attrs["href"].endswith(f"papers/{paper['slug']}/")]
    assert as_read(gist(hostile_abstract(title, index))) in card.source
    data = json.loads((site / "lists" / "date-2025-02.json").read_text(encoding="utf-8"))
    [row] = [row for row in data["papers"] if row[0] == paper["slug"]]
    fields = data["fields"]
    assert row[fields.index("title")] == title
    assert row[fields.index("gist")] == gist(hostile_abstract(title, index))


@pytest.mark.slow
def test_broken_links_become_escaped_web_links(hostile_site: dict) -> None:
    """Mended links carry only http(s) URLs, cut before any markup, shown exactly."""
    paper = paper_of(hostile_site["papers"], BROKEN_LINKS)
    expected = ["https://github.com/o/r?a=1&b=", "https://github.com/o/s"]
    assert [link["url"] for link in paper["links"]] == expected
    page = parse_html(hostile_site["site"] / "papers" / paper["slug"] / "index.html")
    shown = [(a.attrs["href"], a.text) for a in page.find("a") if a.inside("paper-links")]
    assert shown == [(url, url) for url in expected]


def risky_attributes(page: ParsedPage) -> set[tuple[str, str, str]]:
    """Event handlers and javascript: URLs on a page, as (tag, attribute, value)."""
    return {
        (element.tag, name, value)
        for element in page.elements
        for name, value in element.attrs.items()
        if name.startswith("on") or re.match(r"\s*javascript:", value, re.IGNORECASE)
    }


def content_tags(page: ParsedPage) -> set[str]:
    """Tags inside the page's content area, where dump text is rendered."""
    return {element.tag for element in page.elements if element.inside("md-content")}


def image_sources(page: ParsedPage) -> set[str]:
    """Where the page's images come from (the site's own charts and icons only)."""
    return {e.attrs.get("src", "") for e in page.elements if e.tag in {"img", "image", "iframe"}}


@pytest.mark.slow
def test_no_script_handler_or_javascript_link_reaches_the_html(hostile_site: dict) -> None:
    """Only Material's own scripts, handlers and tags; every page of the site is checked."""
    clean = [parse_html(path) for path in hostile_site["clean_site"].rglob("*.html")]
    scripts = set().union(*(set(page.scripts) for page in clean))
    attributes = set().union(*(risky_attributes(page) for page in clean))
    # The MathML formulas.py makes of dump LaTeX: allowlisted elements, rebuilt by us.
    tags = set().union(*(content_tags(page) for page in clean)) | ELEMENTS
    images = set().union(*(image_sources(page) for page in clean))
    pages = sorted(hostile_site["site"].rglob("*.html"))
    assert len(pages) > len(HOSTILE)
    for path in pages:
        page = parse_html(path)
        assert set(page.scripts) <= scripts, path
        for block in page.data_blocks:
            # Structured data may carry dump text, but never a "<" that could end the block.
            assert "<" not in block and isinstance(json.loads(block), dict), path
        assert risky_attributes(page) <= attributes, path
        assert content_tags(page) <= tags, (path, content_tags(page) - tags)
        if path.parent.parent.name == "papers":
            assert not content_tags(page) & {"script", "img", "svg", "iframe", "object", "style"}
        assert image_sources(page) <= images, path


@pytest.mark.slow
def test_nothing_is_written_outside_the_generated_folders(hostile_site: dict) -> None:
    """The build touched only its own folders, the slug registry, its (empty) lock file and
    its cache."""
    changed = changed_paths(hostile_site["before"], hostile_site["after"])
    cache = f"{CACHE_FOLDER.as_posix()}/"
    outside = {p for p in changed if not is_generated(p) and not p.startswith(cache)
               and p not in ("seeds/slugs.json", LOCK_FILE)}
    assert not outside
    hand_written = {"docs/about.md", "docs/stylesheets/reading-list.css", "mkdocs.yml",
                    "taxonomy.yml", "seeds/2025-10-28-hostile.txt"}
    assert hand_written <= set(hostile_site["before"]) and not hand_written & changed
    papers = {p for p in changed if p.startswith("docs/papers/")}
    assert len(papers) == len(HOSTILE) + 3
    assert all(re.fullmatch(r"docs/papers/[a-z0-9-]+/index\.md", p) for p in papers)


@pytest.mark.slow
def test_front_matter_round_trips_exactly(hostile_site: dict) -> None:
    """The YAML library and MkDocs' own reader both give back the title as written, as the
    HTML engines print unescaped (no "<" left); the exact text is in citation.title."""
    docs = hostile_site["root"] / "docs" / "papers"
    for paper in hostile_site["papers"]:
        text = (docs / paper["slug"] / "index.md").read_text(encoding="utf-8")
        loaded = yaml.safe_load(front_matter(text))
        assert html.unescape(loaded["title"]) == paper["title"] == loaded["citation"]["title"]
        assert "<" not in loaded["title"] and ">" not in loaded["title"]
        _, meta = get_data(text)
        assert meta["title"] == loaded["title"]


def html_text(fragment: str) -> ParsedPage:
    """An HTML fragment (as the search index holds) parsed."""
    page = ParsedPage()
    page.feed(fragment)
    page.close()
    return page


@pytest.mark.slow
def test_search_index_and_export_carry_the_text_safely(hostile_site: dict) -> None:
    """The search index (Pagefind's fragments) holds the text as data that reads back exactly;
    papers.json is exact."""
    if hostile_site["search"] == "pagefind":
        fragments = {}
        for path in (hostile_site["site"] / "pagefind" / "fragment").glob("*.pf_fragment"):
            data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
            fragments[data["url"]] = data
        for paper in hostile_site["papers"]:
            fragment = fragments["/" + paper["url"]]
            # Pagefind keeps the page's text as text; the header search shows it via textContent.
            assert fragment["meta"]["title"] == paper["title"]
            assert f"Abstract. {paper['abstract']}" in fragment["content"]
    else:
        index = json.loads((hostile_site["site"] / "search" / "search_index.json").read_text("utf-8"))
        documents = {doc["location"]: doc for doc in index["docs"]}
        for paper in hostile_site["papers"]:
            # Material's search shows titles and text as HTML: both must hold escaped text.
            title = html_text(f"<div>{documents[paper['url']]['title']}</div>").elements
            assert [(e.tag, e.text) for e in title] == [("div", paper["title"])]
            abstract = html_text(f"<div>{documents[paper['url'] + '#abstract']['text']}</div>").elements
            assert [(e.tag, e.text) for e in abstract] == [("div", paper["abstract"]),
                                                           ("p", paper["abstract"])]
    exported = json.loads((hostile_site["root"] / "docs" / "papers.json").read_text("utf-8"))
    expected = {title: hostile_abstract(title, i) for i, title in enumerate(HOSTILE)} | TWINS | {
        ORG_TITLE: abstract_for("organisations")}
    assert sorted((p["title"], p["abstract"]) for p in exported) == sorted(expected.items())
    assert (hostile_site["site"] / "papers.json").read_bytes() == (
        hostile_site["root"] / "docs" / "papers.json").read_bytes()


@pytest.mark.slow
def test_near_twins_keep_their_own_pages_and_abstracts(hostile_site: dict) -> None:
    """Titles equal up to case and punctuation: two slugs, two pages, each its own abstract."""
    slugs = set()
    for title, abstract in TWINS.items():
        paper = paper_of(hostile_site["papers"], title)
        slugs.add(paper["slug"])
        page = parse_html(hostile_site["site"] / "papers" / paper["slug"] / "index.html")
        assert [e.text for e in page.find("h1", "paper-title")] == [title]
        assert [e.text for e in page.find("p", "paper-abstract")] == [abstract]
        seen = [e.text for e in page.find("code") if e.inside("paper-sources")]
        assert seen == [HOSTILE_DUMP]
    assert len(slugs) == 2


@pytest.mark.slow
def test_organisation_name_is_shown_exactly(hostile_site: dict) -> None:
    """The badge's display name reaches the page, the export and front matter as written."""
    paper = paper_of(hostile_site["papers"], ORG_TITLE)
    assert paper["org"] == ORG
    page = parse_html(hostile_site["site"] / "papers" / paper["slug"] / "index.html")
    assert [e.text for e in page.find("span", "paper-org")] == [ORG]
    cards = parse_html(hostile_site["site"] / "dates" / "2025" / "02" / "index.html")
    assert [e.text for e in cards.find("span", "paper-card__org")] == [ORG]
    text = (hostile_site["root"] / "docs" / "papers" / paper["slug"] / "index.md").read_text("utf-8")
    assert yaml.safe_load(front_matter(text))["org"] == ORG
