"""Every generated page is a folder's index.md, and a docs/ of the older layout upgrades."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.fingerprint import RECORD
from generator.pipeline import Project, build_catalog
from generator.problems import WriteError
from generator.render.docs import site_pages
from generator.render.layout import paper_count, paper_files
from generator.write.writer import MANIFEST, Writer
from tests.kit.project import REAL_SEEDS, copy_project


def test_every_generated_page_is_the_index_of_its_url_folder(tmp_path: Path) -> None:
    """MkDocs reads relative links against a page's URL, Zensical against its file: one folder."""
    project = Project(root=copy_project(tmp_path, REAL_SEEDS))
    catalog = build_catalog(project)
    pages = [path for path in site_pages(catalog.papers, catalog.tags, "T") if path.endswith(".md")]
    assert pages and all(path == "index.md" or path.endswith("/index.md") for path in pages)
    assert {f"papers/{paper.slug}/index.md" for paper in catalog.papers} <= set(pages)
    assert {"tags/untagged/index.md", "reading/read/index.md", "reading/favourites/index.md",
            "dates/unknown/index.md"} <= set(pages)
    # The real seeds have a list long enough for a second page.
    assert any(path.count("/") == 3 and path.split("/")[2] == "2" for path in pages)


def old_layout(docs: Path) -> list[str]:
    """Turn a build into what the build before this layout left: ``x/index.md`` as ``x.md``."""
    listed = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    renamed = []
    for path in listed:
        folder = path.removesuffix("/index.md")
        if folder != path and "/" in folder:
            (docs / path).rename(docs / f"{folder}.md")
            renamed.append(f"{folder}.md")
        else:
            renamed.append(path)
    (docs / MANIFEST).write_text(json.dumps(sorted(renamed), indent=0) + "\n", encoding="utf-8")
    (docs / RECORD).unlink()
    return sorted(set(renamed) - set(listed))


def test_a_build_over_the_older_layout_moves_every_page(tmp_path: Path, capsys) -> None:
    """The old ``papers/<slug>.md`` files were ours: removed, never refused as the user's."""
    root = copy_project(tmp_path, REAL_SEEDS)
    assert main(["build", "--root", str(root), "-q"]) == 0
    docs = Project(root=root).docs
    new = sorted(json.loads((docs / MANIFEST).read_text(encoding="utf-8")))
    before = {path: (docs / path).read_bytes() for path in new}
    old = old_layout(docs)
    assert "papers/skill-expansion-and-composition-in-parameter-space.md" in old
    assert "tags/language-models/2.md" in old
    (docs / "about.md").write_text("# About\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(root), "-q"]) == 0, capsys.readouterr().err
    assert not any((docs / path).exists() for path in old)
    assert json.loads((docs / MANIFEST).read_text(encoding="utf-8")) == new
    assert {path: (docs / path).read_bytes() for path in new} == before
    assert (docs / "about.md").read_text(encoding="utf-8") == "# About\n"
    assert sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md")
                  if p.name != "index.md") == ["about.md"]


def test_a_users_file_at_a_pages_url_is_never_shadowed(tmp_path: Path) -> None:
    """``papers/a.md`` of the user's has the URL of ``papers/a/index.md``: the page is refused."""
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "a.md").write_text("mine", encoding="utf-8")
    writer = Writer(tmp_path, ("papers",))
    with pytest.raises(WriteError, match=r"papers/a\.md: not written: this file is yours"):
        writer.write({"papers/a/index.md": "A", "papers/b/index.md": "B"})
    assert not (tmp_path / "papers" / "a").exists()
    assert (tmp_path / "papers" / "a.md").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "papers" / "b" / "index.md").read_text(encoding="utf-8") == "B"


def test_paper_count_counts_what_paper_files_lists(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    assert paper_count(docs) == 0
    for slug in ("a", "b", "c"):
        (docs / "papers" / slug).mkdir(parents=True)
        (docs / "papers" / slug / "index.md").write_text("x", encoding="utf-8")
    (docs / "papers" / "empty").mkdir()
    (docs / "papers" / "stray.md").write_text("x", encoding="utf-8")
    (docs / "papers" / "linked").symlink_to(docs / "papers" / "a")
    assert paper_count(docs) == len(paper_files(docs)) == 4
