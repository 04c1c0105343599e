"""The MkDocs hooks (generator/mkdocs/) are for speed only: they change no byte of the site."""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File as MkDocsFile
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.pages import _ExtractTitleTreeprocessor
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import YAML_RE, get_data

from generator.mkdocs import hooks, pages, plain
from generator.read.siteconfig import markdown_extensions, read_config
from generator.render.frontmatter import read_front_matter
from generator.render.html_blocks import put_back, set_aside
from tests.kit.corpus import CURATION, DUMPS, ROBOT_A, built_site, slug
from tests.kit.project import generate, mkdocs_build, new_project

ROOT = Path(__file__).resolve().parent.parent
# The project's Markdown settings as MkDocs hands them to the hooks (its built-ins first).
EXTENSIONS = markdown_extensions(read_config(ROOT))
CONFIG = {"markdown_extensions": ["toc", "tables", "fenced_code", *EXTENSIONS],
          "mdx_configs": EXTENSIONS}


def python_markdown(text: str, config: dict[str, Any] = CONFIG
                    ) -> tuple[str, list[dict[str, Any]], str | None]:
    """What the build's Python-Markdown makes of a text: its HTML, table of contents and the
    title MkDocs reads from it."""
    md = markdown.Markdown(extensions=config["markdown_extensions"],
                           extension_configs=config["mdx_configs"])
    title = _ExtractTitleTreeprocessor()
    title._register(md)
    return md.convert(text), md.toc_tokens, title.title


# Lines of set-aside Markdown: markers, headings the shortcut takes, and what it must refuse.
LINES = st.sampled_from([
    "<p>block</p>", '<ul class="x">\n<li>item</li>\n</ul>', "## Abstract", "## Related papers",
    "## Look it up", "## Seen in", "## A, b: (c) - 2.0.", "## Curator's notes", "### Deeper",
    "# Title", "## *Stars*", "## Code `x`", "## Trailing ##", "##  Two spaces", "Some text.",
    "- a list item", "", "  ", "## Tab\there", "# Vision\\-language\\-action, page 3",
    "# May 2025", "# \\(x\\) 2\\.0 a\\.", "# Ends -", "# \\*Star\\*", "#  Two", "### Three",
    "# Curator's (2.0) pick: x", "# a\\\\b",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=12), st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]), min_size=12,
                                             max_size=12))
def test_the_shortcut_converts_as_python_markdown_does_or_not_at_all(lines: list[str],
                                                                      breaks: list[str]) -> None:
    page = "".join(line + end for line, end in zip(lines, breaks, strict=False))
    text, _ = set_aside(page)
    converted = plain.convert(text)
    if converted is not None:
        assert (converted.html, converted.toc_tokens, converted.title) == python_markdown(text)


def test_a_paper_page_takes_the_shortcut_a_page_with_notes_does_not() -> None:
    text, _ = set_aside("<h1>T</h1>\n\n## Abstract\n\n<p>a</p>\n\n## Related papers\n\n<ul>\n</ul>\n")
    assert plain.convert(text) is not None
    text, _ = set_aside("<h1>T</h1>\n\n## Curator's notes\n\nRead *this* first.\n")
    assert plain.convert(text) is None


@pytest.mark.parametrize("toc", [{"permalink": "#"}, {"permalink": True, "permalink_title": "Link"},
                                 {"permalink": True, "toc_depth": 1}, {"permalink": False},
                                 {"permalink": True, "separator": "_"}])
def test_other_markdown_settings_turn_the_shortcut_off(toc: dict[str, Any]) -> None:
    assert plain.agrees(python_markdown)
    other = {**CONFIG, "mdx_configs": {**EXTENSIONS, "toc": toc}}
    assert not plain.agrees(lambda text: python_markdown(text, other))


def _outline(items: Any) -> list[tuple[str, str, int, list[Any]]]:
    """A table of contents as plain data: each entry's title, id, level and children."""
    return [(item.title, item.id, item.level, _outline(item.children)) for item in items]


@dataclass
class File:
    """What the hooks read of an MkDocs file: its path under docs/."""

    src_uri: str


@dataclass
class Page:
    """What the hooks read and set of an MkDocs page."""

    file: File
    toc: Any = None
    present_anchor_ids: set[str] = field(default_factory=set)


def test_generated_pages_read_as_python_markdown_makes_them(tmp_path: Path) -> None:
    """Every page of the shared corpus through the hooks, as MkDocs calls them."""
    root = new_project(tmp_path / "project", DUMPS, curation=CURATION)
    assert generate(root) == 0
    hooks.on_config(CONFIG)
    shortcut = set()
    pages = sorted((root / "docs").rglob("*.md"))
    assert len(pages) > 20
    for path in pages:
        source, _ = get_data(path.read_text(encoding="utf-8"))
        page = Page(File(path.relative_to(root / "docs").as_posix()))
        converted = hooks.on_page_markdown(source, page=page, config=CONFIG, files=None)
        html, tokens, _ = python_markdown(converted)
        content = hooks.on_page_content(html, page=page, config=CONFIG, files=None)
        if converted == "" and source.strip():
            shortcut.add(page.file.src_uri)
            html, tokens, title = python_markdown(set_aside(source)[0])
            assert _outline(page.toc) == _outline(get_toc(tokens))
            assert page._title_from_render == title
            assert page.present_anchor_ids == {token["id"] for token in tokens}
        # As the hooks converted it before the shortcut: blocks set aside, the rest by
        # Python-Markdown (tests/test_scale.py checks that against Python-Markdown alone).
        aside, blocks = set_aside(source) if hooks._generated(page.file.src_uri) else (source, [])
        assert content == put_back(python_markdown(aside)[0], blocks), page.file.src_uri
    papers = {path.relative_to(root / "docs").as_posix()
              for path in (root / "docs" / "papers").glob("*/index.md")}
    # Every paper page takes it but the one whose curator's note is Markdown.
    assert papers - shortcut == {f"papers/{slug(ROBOT_A.title)}/index.md"}


def test_a_build_stopped_half_way_leaves_no_content_for_the_next() -> None:
    """Under `mkdocs serve` the hooks live on between builds: a page converted by a build
    that stopped before its content event must be converted again, not given that content."""
    hooks.on_config(CONFIG)
    page = Page(File("papers/a/index.md"))
    assert hooks.on_page_markdown("<p>old</p>\n\n## Abstract\n", page=page, config=CONFIG,
                                  files=None) == ""
    # The build stops here. The next one finds the page with Markdown to parse.
    hooks.on_config(CONFIG)
    source = "<p>new</p>\n\nRead *this*.\n"
    aside = hooks.on_page_markdown(source, page=page, config=CONFIG, files=None)
    content = hooks.on_page_content(python_markdown(aside)[0], page=page, config=CONFIG, files=None)
    assert "old" not in content and "<em>this</em>" in content and "<p>new</p>" in content


@pytest.mark.slow
def test_a_build_without_the_hooks_writes_the_same_files(tmp_path: Path) -> None:
    """The hooks are for speed only: Zensical, or MkDocs without them, get the same bytes."""
    root = built_site()
    project = tmp_path / "project"
    shutil.copytree(root, project, symlinks=True, ignore=shutil.ignore_patterns("site"))
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    hooks_block = "hooks:\n  - generator/mkdocs/hooks.py\n  - generator/mkdocs/chrome.py\n"
    assert hooks_block in text, "mkdocs.yml's hooks changed; update this test"
    config.write_text(text.replace(hooks_block, ""), encoding="utf-8")
    plain_build = mkdocs_build(project)
    with_hooks = root / "site"
    files = sorted(path.relative_to(with_hooks) for path in with_hooks.rglob("*") if path.is_file())
    assert sorted(path.relative_to(plain_build) for path in plain_build.rglob("*")
                  if path.is_file()) == files
    assert len(files) > 50
    _, mismatch, errors = filecmp.cmpfiles(with_hooks, plain_build, files, shallow=False)
    assert (mismatch, errors) == ([], [])



def _mkdocs_page(root: Path, path: str, markdown_text: str, extensions: dict[str, Any]
                 ) -> tuple[MkDocsPage, MkDocsConfig, Files]:
    """A real MkDocs page of a project at ``root``, its Markdown read, and its build's config."""
    (root / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(root / "docs"), "site_dir": str(root / "site"),
                      "markdown_extensions": [{name: value} for name, value in extensions.items()]})
    assert config.validate() == ([], [])
    file = MkDocsFile(path, str(root / "docs"), str(root / "site"), True)
    page = MkDocsPage(None, file, config)
    page.markdown = markdown_text
    return page, config, Files([file])


def _rendered(render: Any, page: MkDocsPage, config: MkDocsConfig, files: Files, converted: bool
              ) -> tuple[Any, ...]:
    """What a render gives a page: content, table of contents, title, anchors, links."""
    pages.install(lambda page: converted)
    try:
        render(page, config, files)
    finally:
        pages.install(lambda page: False)
    return (page.content, [(item.title, item.id) for item in page.toc], page._title_from_render,
            page.present_anchor_ids, None if page.links_to_anchors is None else
            {file.src_uri: links for file, links in page.links_to_anchors.items()})


def test_a_page_the_hooks_converted_renders_as_python_markdown_renders_nothing(tmp_path: Path) -> None:
    """pages.render skips Python-Markdown for a converted page: MkDocs' own render of its
    empty Markdown gives the same content, table of contents, title, anchors and links."""
    by_mkdocs = _rendered(pages._BY_MKDOCS_RENDER, *_mkdocs_page(tmp_path, "papers/a/index.md", "", EXTENSIONS),
                          converted=True)
    ours = _rendered(pages.render, *_mkdocs_page(tmp_path, "papers/a/index.md", "", EXTENSIONS),
                     converted=True)
    assert by_mkdocs == ours == ("", [], None, set(), {})


def test_pages_with_markdown_or_not_converted_are_rendered_by_mkdocs(tmp_path: Path) -> None:
    for converted, text in ((True, "# Title\n\nText."), (False, ""), (False, "# Title\n\nText.")):
        ours = _rendered(pages.render, *_mkdocs_page(tmp_path, "a.md", text, EXTENSIONS), converted)
        assert ours == _rendered(pages._BY_MKDOCS_RENDER, *_mkdocs_page(tmp_path, "a.md", text, EXTENSIONS),
                                 converted)
        if text:
            assert ours[2] == "Title" and ours[1] == [("Title", "title")]


def test_every_generated_page_reads_as_mkdocs_reads_it_without_yaml(tmp_path: Path) -> None:
    """pages.get_data gives MkDocs' page and front matter for each page of the shared corpus
    (hostile text included), and reads every generated page's front matter without YAML."""
    root = new_project(tmp_path / "project", DUMPS, curation=CURATION)
    assert generate(root) == 0
    texts = {path: path.read_text(encoding="utf-8") for path in sorted((root / "docs").rglob("*.md"))}
    assert len(texts) > 20
    for path, text in texts.items():
        assert pages.get_data(text) == pages._BY_MKDOCS_GET_DATA(text), path
        found = YAML_RE.match(text)
        if found:
            assert read_front_matter(found.group(1)) is not None, path
