"""The shortcuts that keep 10,000 papers fast give exactly what the slow paths give."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.enrich.taxonomy import load_taxonomy, parse_taxonomy, tag_text
from generator.fingerprint import RECORD
from generator.pipeline import Project
from generator.publish.pagefind import arrival, shard_plan
from generator.read.siteconfig import markdown_extensions, read_config
from generator.render.html_blocks import put_back, set_aside

ROOT = Path(__file__).resolve().parent.parent
PAGE = """<h1 class="paper-title">A &lt;b&gt; title</h1>

<p class="paper-meta">
<span class="paper-date">2024-02-09</span>
</p>

## Abstract

<p class="paper-abstract">Text with *stars*, [brackets](x) and htmlblock0x0.</p>

Some *Markdown* paragraph with a [link](https://example.org).

<small>inline tag opens a paragraph, so Markdown handles it</small>

<ul class="paper-list">
<li><a href="../papers/x/">X</a></li>
</ul>
"""


def _convert(text: str) -> str:
    """Python-Markdown with the extensions MkDocs builds this project's pages with."""
    extensions = markdown_extensions(read_config(ROOT))
    return markdown.Markdown(extensions=list(extensions), extension_configs=extensions).convert(text)


def _blank_lines_folded(html: str) -> str:
    return re.sub(r"\n+", "\n", html)


def test_html_blocks_set_aside_convert_like_markdown() -> None:
    text, blocks = set_aside(PAGE)
    assert len(blocks) == 4
    assert "paper-abstract" not in text
    assert _blank_lines_folded(put_back(_convert(text), blocks)) == _blank_lines_folded(_convert(PAGE))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>/pulah1 *_[]()#-\n`&;\"'="), max_size=120))
def test_any_markdown_converts_like_markdown(text: str) -> None:
    aside, blocks = set_aside(text)
    assert _blank_lines_folded(put_back(_convert(aside), blocks)) == \
        _blank_lines_folded(_convert(text))


def test_tagging_shortcut_agrees_with_the_regex() -> None:
    tags = load_taxonomy(ROOT / "taxonomy.yml")
    texts = [
        ("Deep-RL for robots", "We use Q-learning and PPO on a quadruped."),
        ("World models", "A world-model for offline reinforcement learning, not RLHF."),
        ("Ünïcode títle", "Large language models (LLMs) as agents; tool use."),
        ("Nothing", "A paper about cooking pasta."),
        ("Kelvin", "\u212aelvin-scale robot"),
    ]
    for title, abstract in texts:
        expected = [t.name for t in tags if t.pattern.search(f"{title}\n{abstract}")]
        assert tag_text(title, abstract, tags) == expected


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from("abrl -_.QPOqpo\nRL"), max_size=60))
def test_tagging_shortcut_agrees_on_any_text(text: str) -> None:
    tags = parse_taxonomy({"tags": {"RL": {"keywords": ["RL", "deep RL", "Q-learning", "po"]}}},
                          Path("t.yml"))
    assert tag_text("", text, tags) == [t.name for t in tags if t.pattern.search(f"\n{text}")]


def test_shards_take_papers_in_order_of_arrival() -> None:
    """A new dump's papers go to the newest shard; the older shards keep their pages."""
    page = "---\ntitle: T\nsources:\n- dump: {dump}\n  line: {line}\n- dump: 900_late.txt\n  line: 1\n---\n\nx\n"
    old = [(1, *arrival(page.format(dump="001_a.txt", line=line), f"old-{line}")) for line in range(7)]
    new = [(2, *arrival(page.format(dump="002_b.txt", line=1), "aaa-new"))]
    assert arrival(page.format(dump="000_a.txt", line=3), "s") == ("000_a.txt", 3, "s")
    before, after = shard_plan(old, 3), shard_plan(old + new, 3)
    assert before == [["old-0", "old-1", "old-2"], ["old-3", "old-4", "old-5"], ["old-6"]]
    assert after == [*before[:2], ["old-6", "aaa-new"]]
    # A later build's dump that sorts first (a backfilled week) joins the newest shard too;
    # papers published before the registry kept arrivals (0) come first.
    backfilled = [(2, *arrival(page.format(dump="000_early.txt", line=1), "aaa-early"))]
    assert shard_plan(old + backfilled, 3) == [*before[:2], ["old-6", "aaa-early"]]
    legacy = [(0, *arrival(page.format(dump="009_z.txt", line=1), "zzz-legacy"))]
    assert shard_plan(old + legacy, 3)[0] == ["zzz-legacy", "old-0", "old-1"]
    assert shard_plan([], 3) == []


@pytest.fixture
def project(tmp_path: Path) -> Project:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for dump in sorted((ROOT / "seeds").glob("00[01]_*.txt")):
        (seeds / dump.name).write_bytes(dump.read_bytes())
    (tmp_path / "taxonomy.yml").write_bytes((ROOT / "taxonomy.yml").read_bytes())
    return Project(root=tmp_path)


def _build(project: Project, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["build", "-q", "--root", str(project.root)]) == 0
    return capsys.readouterr().out


def test_second_build_replays_the_report_and_writes_nothing(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    first = _build(project, capsys)
    assert " new)" in first and "(nothing changed" not in first
    record = project.docs / RECORD
    stamp = record.stat().st_mtime_ns
    second = _build(project, capsys)
    assert second.endswith("0 removed (nothing changed since the last build)\n")
    assert "0 files written" in second and ", 0 new)" in second
    assert record.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("change", ["edit output", "delete output", "touch dump", "new dump"])
def test_any_change_means_a_real_build(
        project: Project, capsys: pytest.CaptureFixture[str], change: str) -> None:
    _build(project, capsys)
    page = next((project.docs / "papers").glob("*/index.md"))
    dump = next(project.seeds.glob("*.txt"))
    if change == "edit output":
        page.write_text(page.read_text(encoding="utf-8") + "\nedited\n", encoding="utf-8")
    elif change == "delete output":
        page.unlink()
    elif change == "touch dump":
        dump.write_bytes(dump.read_bytes() + b"\n")
    else:
        (project.seeds / "extra.txt").write_bytes((ROOT / "seeds" / "002_fdd32db76a4734cf.txt")
                                                  .read_bytes())
    out = _build(project, capsys)
    assert "(nothing changed" not in out
    if change in ("edit output", "delete output"):
        assert "1 files written" in out
