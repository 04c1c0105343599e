"""Property tests: dumps written by format_dump read back exactly; mutated dumps, YAML and slugs.json never crash."""

from __future__ import annotations

import datetime as dt
import html
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.corpus import format_dump
from generator.enrich.curation import load_curation
from generator.enrich.merge import merge
from generator.enrich.slugs import SlugRegistry
from generator.enrich.taxonomy import load_taxonomy, tag_text
from generator.model import Entry, Source
from generator.problems import ConfigError, Problem
from generator.read.dates import looks_like_date
from generator.read.dumps import AUTHORS, CARD, DOT, HEADER_LINES, clean, decode, read_dump
from generator.read.seeds import stated_captures
from generator.render.docs import site_pages
from tests.kit.pages import front_matter
from tests.kit.project import ROOT

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TAGS = load_taxonomy(ROOT / "taxonomy.yml")
NAME = "fuzz.txt"
# Letters, digits, punctuation, symbols and marks: everything a title may hold but spaces
# and control characters (which the reader folds into single spaces by design).
CHARACTERS = st.characters(categories=("L", "N", "P", "S", "M"), exclude_characters="\ufffd")
WORD = st.text(CHARACTERS, min_size=1, max_size=10)
HOSTILE_WORD = st.sampled_from([
    "<script>", "</p>", "{{", "}}", "{%", "#", "-", "*", "&amp;", "key:", "[a](javascript:x)",
    "\\", '"', "'", "$\\alpha$", "|", "`", "🚀", "日本語", "CON", "../..", ".hidden", "!", "&",
])
# Bounded for `make test`; FUZZ_EXAMPLES=5000 runs a longer fuzzing session by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
SETTINGS = settings(max_examples=EXAMPLES or 120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def words(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Words (some hostile) joined by single spaces."""
    return st.lists(st.one_of(WORD, HOSTILE_WORD), min_size=min_size, max_size=max_size).map(
        " ".join)


def is_title(text: str) -> bool:
    """A line the page could show as a title: not boilerplate, a date or a metadata line."""
    return (
        clean(text) == text
        and not text.startswith(("•", HEADER_LINES[1][:10], *HEADER_LINES[2:]))
        and text not in (DOT, *HEADER_LINES)
        and not looks_like_date(text)
        and AUTHORS.match(text) is None
        and CARD.match(text) is None
    )


TITLES = words(1, 25).filter(is_title)
# Random words first (an abstract may start with anything), then enough prose to be long.
ABSTRACTS = words(3, 40).map(
    lambda text: text + " and we report careful experiments on many public benchmarks against "
    "strong baselines, with code.").filter(
    lambda text: clean(text) == text and len(text) >= 120 and not text.startswith(("•", "·"))
    and CARD.match(text) is None)
HANDLES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,15}", fullmatch=True)
ORG_NAMES = st.lists(st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True), min_size=1,
                     max_size=3).map(" ".join)
CAPTURED = st.dates(dt.date(2021, 1, 1), dt.date(2026, 12, 31))


@st.composite
def entries(draw: st.DrawFn, captured: dt.date) -> Entry:
    """A well-formed entry: title, abstract and any metadata shape the page prints."""
    shape = draw(st.sampled_from(["none", "authors", "org", "authors+date", "org+date", "date"]))
    date = draw(st.dates(dt.date(2015, 1, 1), captured)) if "date" in shape else None
    upvotes = draw(st.none() | st.integers(1, 5000)) if date else None
    handle = draw(HANDLES) if "org" in shape else None
    return Entry(
        title=draw(TITLES), abstract=draw(ABSTRACTS), source=Source(NAME, 0),
        authors=draw(st.integers(1, 300)) if "authors" in shape else None,
        org=draw(ORG_NAMES) if handle else None, org_handle=handle,
        date=date, upvotes=upvotes,
    )


@st.composite
def listings(draw: st.DrawFn) -> tuple[dt.date, list[Entry]]:
    """A capture date and the entries of one page."""
    captured = draw(CAPTURED)
    return captured, draw(st.lists(entries(captured), min_size=1, max_size=8))


def comparable(entry: Entry) -> tuple:
    """Everything an entry carries but where it was read."""
    return (entry.title, entry.abstract, entry.authors, entry.org, entry.org_handle, entry.date,
            entry.upvotes, entry.arxiv_id)


@pytest.mark.slow
@SETTINGS
@given(listings())
def test_format_then_read_gives_the_same_records(listing: tuple[dt.date, list[Entry]]) -> None:
    """Round trip: entries → format_dump → read_dump are the same entries, no problem."""
    captured, written = listing
    text = format_dump(written, captured)
    dump = read_dump(text, NAME, captured.year)
    assert dump.problems == []
    assert [comparable(e) for e in dump.entries] == [comparable(e) for e in written]
    lines = text.split("\n")
    assert all(lines[e.source.line - 1] == e.title for e in dump.entries)
    # The same text through the bytes reader, as a CRLF file with a BOM.
    decoded, problems = decode(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), NAME)
    assert problems == [] and decoded is not None
    again = read_dump(decoded, NAME, captured.year)
    assert [comparable(e) for e in again.entries] == [comparable(e) for e in written]


def mutate(data: bytes, draw: st.DrawFn) -> bytes:
    """One to four edits a copy-paste or a disk can make: lines and bytes."""
    for _ in range(draw(st.integers(1, 4))):
        lines = data.split(b"\n")
        kind = draw(st.sampled_from(["drop", "duplicate", "swap", "truncate", "flip", "insert"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "drop":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, max(len(lines) - 1, 0)))
            lines[at], lines[other] = lines[other], lines[at]
        data = b"\n".join(lines)
        if kind in {"truncate", "flip", "insert"} and data:
            offset = draw(st.integers(0, len(data) - 1))
            if kind == "truncate":
                data = data[:offset]
            elif kind == "flip":
                data = data[:offset] + bytes([data[offset] ^ draw(st.integers(1, 255))]) + \
                    data[offset + 1:]
            else:
                data = data[:offset] + draw(st.binary(min_size=1, max_size=8)) + data[offset:]
    return data


@st.composite
def mutated_seeds(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real dump from seeds/ with random edits."""
    path = draw(st.sampled_from(SEEDS))
    return path.name, mutate(path.read_bytes(), draw)


@pytest.mark.slow
@settings(SETTINGS, max_examples=EXAMPLES or 60)
@given(mutated_seeds(), st.none() | st.integers(2020, 2026))
def test_mutated_dumps_give_papers_or_problems_never_a_crash(
        dump: tuple[str, bytes], capture_year: int | None) -> None:
    """Decode, read, merge, slug, tag and render a mutated dump: only entries and Problems."""
    name, data = dump
    text, problems = decode(data, name)
    entries_read: list[Entry] = []
    if text is not None:
        read = read_dump(text, name, capture_year)
        problems += read.problems
        entries_read = read.entries
        line_count = len(text.splitlines()) + 1
        assert all(0 < e.source.line <= line_count and e.title and e.abstract
                   for e in entries_read)
    assert all(isinstance(p, Problem) and p.file == name and str(p) for p in problems)
    records, merge_problems = merge(entries_read)
    assert all(isinstance(p, Problem) for p in merge_problems)
    slugs = SlugRegistry().assign([record.key for record in records])
    assert len(set(slugs.values())) == len(records)
    papers = []
    for record in records:
        paper = record.to_paper(slugs[record.key])
        paper.tags = tag_text(paper.title, paper.abstract, TAGS)
        papers.append(paper)
    pages = site_pages(papers, TAGS, "Fuzzed")
    for paper in papers:
        meta = yaml.safe_load(front_matter(pages[f"papers/{paper.slug}/index.md"]))
        # The page title is HTML (what engines print as is); the exact text is the citation's.
        assert html.unescape(meta["title"]) == paper.title == meta["citation"]["title"]


def test_the_real_seeds_read_without_errors() -> None:
    """The unmutated seeds, the fuzzers' starting point, read into papers."""
    for path in SEEDS:
        text, problems = decode(path.read_bytes(), path.name)
        assert text is not None and problems == []
        assert len(read_dump(text, path.name, 2025).entries) > 20


def test_mutation_helper_changes_the_dump() -> None:
    """The fuzzer really edits its input (guards against a mutation that does nothing)."""
    @settings(max_examples=20, deadline=None)
    @given(mutated_seeds())
    def edited(dump: tuple[str, bytes]) -> None:
        name, data = dump
        original = (ROOT / "seeds" / name).read_bytes()
        assume(len(original) > 0)
        changes.append(data != original)

    changes: list[bool] = []
    edited()
    assert sum(changes) >= len(changes) // 2



# Pieces of YAML a user (or a merge, or an attacker) may type into the files they edit.
YAML_PIECES = st.sampled_from([
    "tags:", "keywords:", "patterns:", "slug:", "description:", "note:", "rating:", "status:",
    "hidden:", "featured:", "remove_tags:", "captured:", "paper-one:", "a.txt:", "index",
    "untagged", "[", "]", "{", "}", ",", ": ", "- ", "\n", "\n  ", "\n    ", "&a ", "*a", "&b ",
    "*b", "<<: ", "? ", "!!int ", "!!timestamp ", "!!binary ", "!!python/object ", "!!set ",
    "'", '"', "#", "|", ">", "---\n", "...\n", "%YAML 1.1\n", "~", "null", "yes", "1e400",
    "0x1F", ".inf", "-1", "7", "2025-02-30", "2025-10-28", "2025-10-28T10:00:00", "(a+)+$",
    "(?<=x)", "\\1", "../x", "[1, 2]", "é", "\t", "\x00", "\ufeff", "\x85",
]).map(str)
YAML_TEXT = st.lists(YAML_PIECES, max_size=40).map("".join)
# Well-formed YAML of any shape, with the files' own keys among the random ones.
YAML_KEYS = st.one_of(st.sampled_from(["tags", "keywords", "patterns", "slug", "description",
                                       "note", "rating", "status", "tags", "hidden", "captured",
                                       "paper-one", "a.txt", "Robotics"]), WORD)
YAML_SCALARS = st.one_of(WORD, st.integers(-10, 10**20), st.booleans(), st.none(),
                         st.dates().map(str), st.sampled_from(["(a+)+$", "index", "[x"]))
YAML_VALUES = st.recursive(YAML_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(YAML_KEYS, inner, max_size=4)), max_leaves=20)
YAML_DOCUMENTS = st.one_of(
    YAML_TEXT,
    YAML_VALUES.map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
    st.tuples(YAML_VALUES, YAML_TEXT, st.integers(0, 200)).map(lambda parts: _inserted(*parts)),
)


def _inserted(value: object, piece: str, at: int) -> str:
    """Well-formed YAML of the value with a piece typed into it."""
    text = yaml.safe_dump(value, allow_unicode=True)
    return text[:at] + piece + text[at:]


def assert_config_error(error: ConfigError, path: Path) -> None:
    """Every line of the error names the file (and the line, when it has one), briefly."""
    for line in str(error).splitlines():
        assert line.startswith(f"{path}:") or line.startswith(f"{path} "), line
        assert len(line) < 1000 and "Traceback" not in line


@pytest.mark.slow
@settings(SETTINGS, max_examples=EXAMPLES or 150)
@given(YAML_DOCUMENTS)
def test_any_yaml_in_the_files_users_edit_gives_settings_or_one_clear_error(text: str) -> None:
    """taxonomy.yml, curation.yml and dumps.yaml: a ConfigError naming the file, never a crash."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "seeds").mkdir()
        for relative in ("taxonomy.yml", "curation.yml", "seeds/dumps.yaml"):
            (root / relative).write_text(text, encoding="utf-8")
        try:
            tags = load_taxonomy(root / "taxonomy.yml")
            assert tag_text("a" * 40, "Robots and agents learn. " * 5, tags) is not None
        except ConfigError as error:
            assert_config_error(error, root / "taxonomy.yml")
        try:
            _, problems = load_curation(root / "curation.yml", {"paper-one"}, {"paper-one"},
                                        ["Robotics"])
            assert all(problem.file == str(root / "curation.yml") for problem in problems)
        except ConfigError as error:
            assert_config_error(error, root / "curation.yml")
        try:
            captures = stated_captures(root / "seeds")
            assert all(type(day) is dt.date for day in captures.values())
        except ConfigError as error:
            assert_config_error(error, root / "seeds" / "dumps.yaml")


@settings(SETTINGS, max_examples=EXAMPLES or 60)
@given(st.data())
def test_any_edit_of_the_slug_registry_loads_or_is_one_clear_error(data: st.DataObject) -> None:
    """seeds/slugs.json edited by hand (or by a merge): the same slugs, or a ConfigError."""
    original = (ROOT / "seeds" / "slugs.json").read_bytes()[:3000]
    original = original[:original.rindex(b"\n }") + 3] + b"\n}\n"
    edited = mutate(original, data.draw)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "slugs.json"
        path.write_bytes(edited)
        try:
            registry = SlugRegistry.load(path)
            assert all(isinstance(key.title, str) for key in registry.entries.values())
        except ConfigError as error:
            assert_config_error(error, path)
