"""site/ updated from the engine's output: pages staged as the engine names them count only
when they are still what the engine left."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.mkdocs import hooks
from generator.publish import sitecache
from generator.publish.siteupdate import Follower, SiteUpdate
from generator.publish.whitespace import squeeze_bytes

PAGE = b"<html>\n  <body>\n    <p>%s</p>\n  </body>\n</html>\n"


def _engine(tmp_path: Path, pages: dict[str, bytes]) -> tuple[Path, SiteUpdate]:
    """An engine's output holding ``pages``, and an update of an empty site/ from it."""
    output, work, site = tmp_path / "engine", tmp_path / "work", tmp_path / "site"
    for folder in (output, work, site):
        folder.mkdir()
    for relative, data in pages.items():
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_bytes(data)
    return output, SiteUpdate(site, work, None, {})


def _publish(update: SiteUpdate, output: Path) -> dict[str, bytes]:
    """Stage and apply every file of ``output`` as the publish step does; site/'s files."""
    built = sitecache.stats(output)
    update.stage({path: output / path for path in built}, set(built), built)
    update.apply(set(built))
    return {path.relative_to(update.target).as_posix(): path.read_bytes()
            for path in update.target.rglob("*") if path.is_file()}


def test_a_page_staged_early_and_left_as_it_was_is_taken_as_staged(tmp_path: Path) -> None:
    output, update = _engine(tmp_path, {"a/index.html": PAGE % b"A", "b/index.html": PAGE % b"B"})
    update.stage_early("a/index.html", str(output / "a/index.html"))
    site = _publish(update, output)
    assert update.done.early == 1 and update.done.squeezed == 2
    assert site == {"a/index.html": squeeze_bytes(PAGE % b"A"), "b/index.html": squeeze_bytes(PAGE % b"B")}


def test_a_page_changed_after_it_was_staged_early_is_staged_again(tmp_path: Path) -> None:
    output, update = _engine(tmp_path, {"a/index.html": PAGE % b"first"})
    update.stage_early("a/index.html", str(output / "a/index.html"))
    (output / "a/index.html").write_bytes(PAGE % b"second, longer")
    site = _publish(update, output)
    assert update.done.early == 0
    assert site == {"a/index.html": squeeze_bytes(PAGE % b"second, longer")}


def test_a_page_named_that_is_not_there_is_staged_with_the_rest(tmp_path: Path) -> None:
    output, update = _engine(tmp_path, {"a/index.html": PAGE % b"A"})
    update.stage_early("gone/index.html", str(output / "gone/index.html"))
    assert _publish(update, output) == {"a/index.html": squeeze_bytes(PAGE % b"A")}
    assert update.done.early == 0


def test_the_follower_stages_the_pages_named_on_its_pipe(tmp_path: Path) -> None:
    output, update = _engine(tmp_path, {"a/index.html": PAGE % b"A", "b/index.html": PAGE % b"B"})
    pages, named = os.pipe()
    follower = Follower(update, output, pages)
    # Names outside the engine's output are not followed.
    for name in ("a/index.html", "../site/x.html", "/etc/passwd", "", "b/index.html", "a/index.html"):
        os.write(named, os.fsencode(name) + b"\n")
    os.close(named)
    follower.join()
    assert sorted(update.early) == ["a/index.html", "b/index.html"]
    assert _publish(update, output) == {"a/index.html": squeeze_bytes(PAGE % b"A"),
                                        "b/index.html": squeeze_bytes(PAGE % b"B")}
    assert update.done.early == 2


def _name(pages: list[str]) -> None:
    """What MkDocs' build does with the hooks: each page rendered, then the build's end."""
    for name in pages:
        page = SimpleNamespace(file=SimpleNamespace(dest_uri=name))
        assert hooks.on_post_page("<html></html>", page, None) == "<html></html>"
    hooks.on_post_build(None)


def test_the_hooks_name_each_page_after_it_is_written(monkeypatch: pytest.MonkeyPatch) -> None:
    pages, named = os.pipe()
    monkeypatch.setenv(sitecache.PAGES_WRITTEN_FD, str(named))
    monkeypatch.setitem(hooks._NAMING, "pipe", hooks._pages_pipe())
    try:
        _name(["a/index.html", "b/index.html"])
    finally:
        os.close(named)
    with open(pages, "rb") as pipe:
        assert pipe.read() == b"a/index.html\nb/index.html\n"


def test_the_hooks_go_on_when_nobody_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full pipe drops names (staged later), a closed one ends the naming; the build goes on."""
    pages, named = os.pipe()
    os.set_blocking(named, False)
    monkeypatch.setitem(hooks._NAMING, "pipe", named)
    _name([f"page-{number}/index.html" for number in range(20_000)])  # Far beyond 64 KB.
    assert hooks._NAMING["pipe"] == named
    os.close(pages)
    _name(["last/index.html", "one more/index.html"])
    assert hooks._NAMING["pipe"] is None
    os.close(named)


@pytest.mark.parametrize("given", [None, "not a number", "a file", "closed"])
def test_the_hooks_name_nothing_without_a_pipe_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     given: str | None) -> None:
    monkeypatch.delenv(sitecache.PAGES_WRITTEN_FD, raising=False)
    with open(tmp_path / "file", "wb") as file:
        pages, named = os.pipe()
        os.close(pages)
        os.close(named)
        value = {"a file": str(file.fileno()), "closed": str(named)}.get(given or "", given)
        if value is not None:
            monkeypatch.setenv(sitecache.PAGES_WRITTEN_FD, value)
        assert hooks._pages_pipe() is None
