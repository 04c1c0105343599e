"""Synthetic corpora: the real dumps' titles and abstracts recombined into N distinct papers."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

from generator.identity import normalise_text
from generator.model import Entry, Source
from generator.read.dumps import DOT, HEADER_LINES
from generator.read.seeds import read_seeds

PER_DUMP = 50
FIRST_DAY = dt.date(2024, 1, 8)
DAYS = 660
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
WORD = re.compile(r"[a-z][a-z-]{3,}")
# How often a paper carries each feature, roughly as in the real dumps.
HAS_METADATA, HAS_ORG, HAS_CODE, HAS_PROJECT, COPIED = 0.85, 0.25, 0.30, 0.10, 0.08
ORGS = [
    ("MicrosoftResearch", "Microsoft Research"), ("google", "Google"), ("meta-llama", "Meta"),
    ("nvidia", "NVIDIA"), ("allenai", "Ai2"), ("Qwen", "Qwen"), ("deepseek-ai", "DeepSeek"),
    ("stanford", "Stanford University"), ("mit", "MIT"), ("tsinghua", "Tsinghua University"),
]


@dataclass(frozen=True)
class Pool:
    """The raw material: real titles, and sentences of real abstracts."""

    titles: list[str]
    sentences: list[str]


def load_pool(seeds: Path) -> Pool:
    """Titles and abstract sentences of every entry in the real dumps."""
    entries = [entry for dump in read_seeds(seeds) for entry in dump.entries]
    titles = sorted({entry.title for entry in entries})
    sentences = sorted({s for entry in entries for s in SENTENCE.split(entry.abstract) if len(s) > 40})
    return Pool(titles, sentences)


def _title(rng: random.Random, pool: Pool) -> str:
    """Two real titles spliced: the head of one, the tail of another."""
    first, second = rng.sample(pool.titles, 2)
    if ":" in first and ":" in second:
        return f"{first.split(':', 1)[0]}:{second.split(':', 1)[1]}"
    head, tail = first.split(), second.split()
    return " ".join(head[: max(2, len(head) // 2)] + tail[len(tail) // 2 :])


def _abstract(rng: random.Random, pool: Pool, title: str) -> str:
    """Real sentences in a new order, sometimes with a code or project link, on one line."""
    sentences = rng.sample(pool.sentences, rng.randint(4, 8))
    # Abstracts of one paper start differently, so the copies a dump set holds stay distinct.
    sentences[0] = f"We study {title.split(':', 1)[0].strip().rstrip('.')}. {sentences[0]}"
    words = WORD.findall(title.lower()) or ["paper"]
    repo = "-".join(words[:3])
    if rng.random() < HAS_CODE:
        sentences.append(f"Code is available at https://github.com/{rng.choice(ORGS)[0]}/{repo}.")
    if rng.random() < HAS_PROJECT:
        sentences.append(f"Project page: {repo}.github.io.")
    return " ".join(sentences)


def make_entries(count: int, pool: Pool, seed: int = 5) -> list[Entry]:
    """Count distinct papers, the same ones for the same seed (a prefix of a larger count)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    entries: list[Entry] = []
    while len(entries) < count:
        title = _title(rng, pool)
        key = normalise_text(title)
        if key in seen or not key:
            continue
        seen.add(key)
        date = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        authors = org = handle = upvotes = None
        if rng.random() < HAS_METADATA:
            if rng.random() < HAS_ORG:
                handle, org = rng.choice(ORGS)
            else:
                authors = rng.randint(1, 30)
            upvotes = rng.choice([None, rng.randint(1, 40), rng.randint(1, 400)])
        else:
            date = None
        entries.append(Entry(
            title=title, abstract=_abstract(rng, pool, title), source=Source("", 0),
            authors=authors, org=org, org_handle=handle, date=date, upvotes=upvotes,
        ))
    return entries


def _captured(entries: list[Entry], fallback: dt.date) -> dt.date:
    """The day a dump was saved: a few days after its newest paper."""
    dates = [entry.date for entry in entries if entry.date is not None]
    return max(dates, default=fallback) + dt.timedelta(days=3)


def write_dumps(entries: list[Entry], folder: Path, prefix: str = "bench", seed: int = 5) -> int:
    """Write entries as dump files of 50, by date, some papers copied into a second dump."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    undated_day = FIRST_DAY + dt.timedelta(days=DAYS)
    ordered = sorted(entries, key=lambda e: (e.date or undated_day, e.title))
    chunks = [ordered[i : i + PER_DUMP] for i in range(0, len(ordered), PER_DUMP)]
    written = 0
    for number, chunk in enumerate(chunks):
        copies = [entry for entry in chunks[number - 1] if rng.random() < COPIED] if number else []
        # A copy is often cut short, as copies on the real pages are; the head stays the same.
        copies = [
            Entry(e.title, e.abstract[: max(300, len(e.abstract) * 2 // 3)], e.source) for e in copies
        ]
        captured = _captured(chunk, undated_day)
        name = f"{captured.isoformat()}-{prefix}-{number:04d}.txt"
        (folder / name).write_text(format_dump(chunk + copies, captured), encoding="utf-8")
        written += 1
    return written


def format_date(date: dt.date, capture_year: int, upvotes: int | None = None) -> str:
    """A date line as the page prints it: the year only when it is not the capture year."""
    text = f"{date:%b} {date.day}" + (f", {date.year}" if date.year != capture_year else "")
    return f"{text} {upvotes}" if upvotes else text


def format_dump(entries: list[Entry], captured: dt.date) -> str:
    """Entries written out as a dump, the way a browser copies a Daily Papers page."""
    blocks = [*HEADER_LINES[:1], HEADER_LINES[2], *HEADER_LINES[3:], f"{captured:%b} {captured.day}"]
    for entry in entries:
        blocks += [entry.title, entry.abstract]
        if entry.date is None and entry.authors is None and entry.org is None:
            continue
        badge = ""  # A page that knows neither authors nor organisation prints only "·".
        if entry.org is not None:
            badge = f"{entry.org_handle or entry.org.replace(' ', '')} {entry.org}"
        elif entry.authors is not None:
            badge = f"  • {entry.authors} authors"
        date = format_date(entry.date, captured.year, entry.upvotes) if entry.date else ""
        blocks.append("\n".join(line for line in (badge, DOT, date) if line))
    return "\n\n".join(blocks) + "\n"
