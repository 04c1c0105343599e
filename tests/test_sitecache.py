"""What the publish step reads from docs/ to plan a partial build: links between pages."""

from __future__ import annotations

from generator.publish.sitecache import has_markdown_link, link_targets

KNOWN = frozenset({"papers/a/index.md", "papers/b/index.md", "papers/c/index.md", "notes/x.md",
                   "notes/y/index.md", "index.md"})


def test_link_targets_resolve_as_mkdocs_reads_links() -> None:
    page = (b"See [B](../b/index.md#links), [C](../c/) and [x](../../notes/x.md?v=1).\n"
            b"[out](https://example.org/papers/a/index.md) [here](#top) [root](/index.md)\n"
            b"[y]: ../../notes/y \"a title\"\n  [z]: <../../notes/missing.md>\n")
    assert link_targets("papers/a/index.md", page, KNOWN) == {
        "papers/b/index.md", "papers/c/index.md", "notes/x.md", "notes/y/index.md"}


def test_a_page_without_markdown_links_points_nowhere() -> None:
    page = b'<a href="../b/">B</a> and [not a link] (here)\n'
    assert not has_markdown_link(page)
    assert link_targets("papers/a/index.md", page, KNOWN) == set()
