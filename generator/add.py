"""``add``: check a pasted dump, store it in seeds/ under a dated name, say what is new."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.enrich.merge import merge
from generator.identity import PaperKey
from generator.pipeline import Project, build_catalog
from generator.problems import ConfigError, GeneratorError, Problem
from generator.read.dumps import Dump, decode, read_dump
from generator.read.seeds import DUMPS_FILE, dump_paths, stated_captures
from generator.read.yamlfile import parse_yaml
from generator.write.writer import atomic_write, remove_stale_temporaries

HASH_CHARS = 8


@dataclass
class AddReport:
    """What adding a dump did: where it went and which of its papers are new."""

    name: str
    captured: dt.date
    stored: bool
    new: list[str] = field(default_factory=list)
    known: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def dump_name(data: bytes, captured: dt.date) -> str:
    """The dated file name of a dump: capture day, then a short hash of its bytes."""
    return f"{captured.isoformat()}-{hashlib.sha256(data).hexdigest()[:HASH_CHARS]}.txt"


def read_pasted(data: bytes, source: str, captured: dt.date) -> Dump:
    """Read the text as a dump; refuse it when no paper entry can be read from it."""
    text, problems = decode(data, source)
    if text is None:
        details = "; ".join(problem.message for problem in problems)
        raise GeneratorError(f"{source}: not a text dump ({details})")
    dump = read_dump(text, source, captured.year)
    dump.problems[:0] = problems
    if not dump.entries:
        raise GeneratorError(
            f"{source}: no paper entries could be read; copy the whole text of a Hugging Face "
            "Daily Papers page (each paper's title, abstract and date) and try again"
        )
    return dump


def _dumps_yaml_with(path: Path, name: str, captured: dt.date) -> str | None:
    """dumps.yaml with the new dump appended, comments and order kept; None if already listed."""
    # Read through the bounded loader first: the file may be huge or hostile.
    if name in stated_captures(path.parent):
        return None
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    entry = yaml.safe_dump({name: {"captured": captured}}, default_flow_style=False,
                           allow_unicode=True)
    if existing and not existing.endswith("\n"):
        existing += "\n"
    text = existing + entry
    # Appending a key is only right when the file is a block mapping; check the result.
    try:
        data = parse_yaml(text, path)
    except ConfigError:
        data = None
    if not isinstance(data, dict) or data.get(name) != {"captured": captured.isoformat()}:
        raise ConfigError(
            f"{path}: cannot append '{name}: {{captured: {captured.isoformat()}}}'; keep the file "
            "a plain list of 'dump-name.txt: {captured: YYYY-MM-DD}' entries, one per line"
        )
    return text


def known_papers(project: Project) -> dict[str, list[tuple[PaperKey, str]]]:
    """Papers already in seeds/, by normalised title: (key, slug) with the slugs a build gives."""
    known: dict[str, list[tuple[PaperKey, str]]] = {}
    for paper in build_catalog(project, enrich=False).papers:
        key = PaperKey.of(paper.title, paper.abstract)
        known.setdefault(key.title, []).append((key, paper.slug))
    return known


def add_dump(project: Project, data: bytes, source: str, captured: dt.date) -> AddReport:
    """Store a dump in seeds/ (unless an identical one is there) and compare it with the site."""
    seeds = project.seeds
    dump = read_pasted(data, source, captured)
    if not seeds.is_dir():
        raise ConfigError(f"{seeds}: no such folder; run add from the project folder")
    name = dump_name(data, captured)
    twin = next((path.name for path in dump_paths(seeds) if path.read_bytes() == data), None)
    report = AddReport(name=twin or name, captured=captured, stored=twin is None,
                       problems=[_renamed(problem, name) for problem in dump.problems])
    if dump.capture is not None and (dump.capture.month, dump.capture.day) != (
            captured.month, captured.day):
        report.notes.append(
            f"the page says it was captured on {dt.date(2000, dump.capture.month, dump.capture.day):%b} "
            f"{dump.capture.day}, not {captured.isoformat()}; if so, add it again with "
            f"--captured YYYY-{dump.capture.month:02d}-{dump.capture.day:02d} (dates without a "
            "year take the capture year)"
        )
    known = known_papers(project)
    records, _ = merge(dump.entries)
    for record in sorted(records, key=lambda r: r.copies[0].source.line):
        title = record.copies[0].title
        slug = next((slug for key, slug in known.get(record.key.title, [])
                     if key.same_paper(record.key)), None)
        if slug is None:
            report.new.append(title)
        else:
            report.known.append((title, slug))
    # What a killed add left half-written: a dump's or dumps.yaml's temporary file.
    remove_stale_temporaries(seeds, lambda left: left == DUMPS_FILE or left.endswith(".txt"))
    if twin is None:
        dumps_yaml = _dumps_yaml_with(seeds / DUMPS_FILE, name, captured)
        atomic_write(seeds / name, data)
        if dumps_yaml is not None:
            atomic_write(seeds / DUMPS_FILE, dumps_yaml.encode("utf-8"))
    return report


def _renamed(problem: Problem, name: str) -> Problem:
    """A problem of the pasted text, pointing at the file it is stored as."""
    return Problem(name, problem.line, problem.message, problem.hint, problem.severity)
