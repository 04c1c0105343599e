"""Every input counts: a rebuild reflects a change to any input the build declares it reads."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import pipeline as build_module
from generator.cache import CACHE_FOLDER
from generator.cli import main
from generator.fingerprint import RECORD, unchanged
from generator.pipeline import Project
from generator.render import docs as site_module
from generator.write.lock import LOCK_FILE
from generator.write.writer import is_temporary
from tests.kit.dumps import ABSTRACT, dump_text
from tests.kit.project import ROOT

MKDOCS = 'site_name: Mine\nsite_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\n'
ONE = dump_text(f"Paper One\n\n{ABSTRACT}\n\n  • 3 authors\n·\nFeb 9 3")
TWO = dump_text(f"Robot Two\n\nRobots grasp things. {ABSTRACT}\n\n  • 2 authors\n·\nMar 1, 2024")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.delenv("SITE_URL", raising=False)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(ONE, encoding="utf-8")
    (tmp_path / "seeds" / "dumps.yaml").write_text("a.txt: {captured: 2024-10-28}\n",
                                                   encoding="utf-8")
    shutil.copy(ROOT / "taxonomy.yml", tmp_path / "taxonomy.yml")
    (tmp_path / "curation.yml").write_text("paper-one: {note: first}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return Project(root=tmp_path)


def build(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["build", "--root", str(project.root)])
    out, err = capsys.readouterr()
    return code, out, err


def page(project: Project, relative: str = "papers/paper-one/index.md") -> str:
    return (project.docs / relative).read_text(encoding="utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _hidden(project: Project, _: pytest.MonkeyPatch) -> Callable[[], bool]:
    (project.curation).write_text("paper-one: {hidden: true}\n", encoding="utf-8")
    return lambda: not (project.docs / "papers" / "paper-one" / "index.md").exists() and \
        "paper-one" not in (project.docs / "papers.json").read_text(encoding="utf-8")


def _rating(project: Project, _: pytest.MonkeyPatch) -> Callable[[], bool]:
    (project.curation).write_text("paper-one: {rating: 5}\n", encoding="utf-8")
    return lambda: "paper-one" in page(project, "reading/favourites/index.md")


def _site_url_variable(project: Project, monkeypatch: pytest.MonkeyPatch) -> Callable[[], bool]:
    monkeypatch.setenv("SITE_URL", "https://me.github.io/rl/")
    return lambda: ("https://me.github.io/rl/papers/paper-one/" in page(project, "feed.xml")
                    and "127.0.0.1" not in page(project, "feed.json")
                    # The JSON-LD and citation tags of the page come from its front matter.
                    and "https://me.github.io/rl/papers/paper-one/" in page(project))


def _site_url_line(project: Project, _: pytest.MonkeyPatch) -> Callable[[], bool]:
    _edit(project.root / "mkdocs.yml", "http://127.0.0.1:8000/", "https://lab.example/list")
    return lambda: "https://lab.example/list/papers/paper-one/" in page(project)


def _site_name(project: Project, _: pytest.MonkeyPatch) -> Callable[[], bool]:
    _edit(project.root / "mkdocs.yml", "site_name: Mine", "site_name: Our Lab's Papers")
    return lambda: ("# Our Lab" in page(project, "index.md")
                    and "Our Lab" in page(project, "feed.xml")
                    and "Our Lab" in page(project, "feed.json"))


def _dump(project: Project, _: pytest.MonkeyPatch) -> Callable[[], bool]:
    _edit(project.seeds / "a.txt", "3 authors", "7 authors")
    return lambda: "7 authors" in page(project) or "3 authors" not in page(project)


def _new_dump(project: Project, _: pytest.MonkeyPatch) -> Callable[[], bool]:
    (project.seeds / "b.txt").write_text(TWO, encoding="utf-8")
    return (project.docs / "papers" / "robot-two" / "index.md").exists


def _dumps_yaml(project: Project, _: pytest.MonkeyPatch) -> Callable[[], bool]:
    _edit(project.seeds / "dumps.yaml", "2024-10-28", "2023-10-28")
    return lambda: "2023-02-09" in page(project)


def _registry(project: Project, _: pytest.MonkeyPatch) -> Callable[[], bool]:
    project.registry.unlink()
    return lambda: project.registry.exists() and "paper-one" in json.loads(
        project.registry.read_text(encoding="utf-8"))


def _taxonomy(project: Project, _: pytest.MonkeyPatch) -> Callable[[], bool]:
    project.taxonomy.write_text("tags:\n  Skills:\n    keywords: [skills]\n", encoding="utf-8")
    return (project.docs / "tags" / "skills" / "index.md").exists


CHANGES = {
    "curation.yml hides a paper": _hidden,
    "curation.yml rates a paper": _rating,
    "SITE_URL set": _site_url_variable,
    "mkdocs.yml site_url": _site_url_line,
    "mkdocs.yml site_name": _site_name,
    "a dump edited": _dump,
    "a dump added": _new_dump,
    "dumps.yaml": _dumps_yaml,
    "slugs.json": _registry,
    "taxonomy.yml": _taxonomy,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_rebuild_reflects_every_input(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    assert build(project, capsys)[0] == 0
    assert "nothing changed" in build(project, capsys)[1]
    reflected = CHANGES[change](project, monkeypatch)
    assert not reflected(), "the change shows before any rebuild: the test proves nothing"
    code, out, err = build(project, capsys)
    assert (code, err) == (0, ""), err
    assert "nothing changed" not in out
    assert reflected()
    # Rebuilt with the cache of the first build: the same bytes as a build without one.
    assert (project.root / CACHE_FOLDER / "pages.pickle").exists()
    assert tree(project.docs) == tree(cold_build(project, capsys))
    assert "nothing changed" in build(project, capsys)[1]


def tree(docs: Path) -> dict[str, bytes]:
    """Every file under docs/ but the build's record (which holds times and absolute paths)."""
    return {path.relative_to(docs).as_posix(): path.read_bytes() for path in docs.rglob("*")
            if path.is_file() and path.name != RECORD}


def cold_build(project: Project, capsys: pytest.CaptureFixture[str]) -> Path:
    """docs/ as a build of the same inputs writes it in a fresh folder, with no cache."""
    fresh = project.root.parent / f"{project.root.name}-cold"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(project.root, fresh, ignore=shutil.ignore_patterns("docs", ".cache"))
    assert main(["build", "--root", str(fresh)]) == 0
    capsys.readouterr()
    return fresh / "docs"


def test_code_and_templates_count(project: Project, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code = tmp_path / "code"
    shutil.copytree(build_module.CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_module, "CODE", code)
    assert build(project, capsys)[0] == 0
    assert unchanged(project) is not None
    _edit(code / "render" / "templates" / "paper.md.j2", "{", "{ ")
    assert unchanged(project) is None
    build(project, capsys)
    (code / "fingerprint.py").write_text("# changed\n", encoding="utf-8")
    assert unchanged(project) is None


def test_code_and_templates_invalidate_the_cache(
        project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    code = tmp_path / "code"
    shutil.copytree(build_module.CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_module, "CODE", code)
    rendered: list[str] = []
    real = site_module.PaperPage.render
    monkeypatch.setattr(site_module.PaperPage, "render",
                        lambda page: rendered.append(page.paper.slug) or real(page))
    assert build(project, capsys)[0] == 0
    assert rendered == ["paper-one"]
    # The site's name is on no paper page: the page comes from the cache.
    _edit(project.root / "mkdocs.yml", "site_name: Mine", "site_name: Ours")
    assert build(project, capsys)[0] == 0
    assert rendered == ["paper-one"]
    for edited in ("render/templates/paper.md.j2", "render/templating.py"):
        rendered.clear()
        _edit(code / edited, "\n", "\n\n")
        assert build(project, capsys)[0] == 0
        assert rendered == ["paper-one"], edited


def test_a_curation_mistake_fails_build_as_it_fails_check(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(project, capsys)[0] == 0
    project.curation.write_text("paper-one: {rating: 9}\n", encoding="utf-8")
    checked = main(["check", "--root", str(project.root)]), capsys.readouterr()
    built = main(["build", "--root", str(project.root)]), capsys.readouterr()
    assert checked[0] == built[0] == 2
    assert checked[1].err == built[1].err
    assert "rating of 'paper-one' must be a whole number from 1 to 5" in built[1].err
    assert "first" in page(project), "the last good build's pages stay"


def test_a_build_reads_only_what_it_declares(project: Project, tmp_path: Path) -> None:
    """Every file a build opens in the project is a declared input, mkdocs.yml or an output."""
    (project.seeds / "b.txt").write_text(TWO, encoding="utf-8")
    opened: list[str] = []
    tracing = [True]

    def hook(event: str, args: tuple) -> None:
        if tracing[0] and event == "open" and isinstance(args[0], str | Path):
            opened.append(str(Path(args[0]).absolute()))

    sys.addaudithook(hook)  # Audit hooks stay for the process: `tracing` switches it off.
    try:
        assert main(["build", "-q", "--root", str(project.root)]) == 0
    finally:
        tracing[0] = False
    declared = {str(path.absolute()) for path in project.inputs()}
    allowed = declared | {str((project.root / name).absolute()) for name in ("mkdocs.yml", LOCK_FILE)}
    docs = str(project.docs.absolute())
    # The build cache holds work keyed by these inputs (generator/cache.py), no input itself.
    cache = str((project.root / CACHE_FOLDER).absolute())
    # The build's own writes outside docs/ (slugs.json) go through a temporary file.
    inside = [path for path in opened if path.startswith(str(tmp_path)) and
              not path.startswith((docs + "/", cache + "/")) and not is_temporary(Path(path).name)]
    assert str(project.curation.absolute()) in inside and str(project.registry.absolute()) in inside
    assert set(inside) <= allowed, set(inside) - allowed
