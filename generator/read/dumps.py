"""Read one dump: the text of a Daily Papers page as a browser copies it."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.identity import arxiv_id
from generator.model import Entry, PaperDate, Source
from generator.problems import Problem, Severity
from generator.read.dates import DateError, infer_capture_year, looks_like_date, parse_date_line

HEADER_LINES = (
    "new",
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
)
# "• 7 authors"; some copies lose the bullet.
AUTHORS = re.compile(r"^(?:•\s*)?(\d+)\s+authors?$")
DOT = "·"
# A Hugging Face collection card: "Paper • 2508.03680 • Published Aug 5, 2025 • 141". Any
# line of that start is a card, so a card with a typo is reported rather than read as text.
CARD = re.compile(r"^Paper\s*•\s*(.*)$")
CARD_EXAMPLE = "Paper • 2508.03680 • Published Aug 5, 2025 • 141"
# Abstracts are long prose; a line this short without a full stop reads as a title.
TITLE_MAX_WORDS = 40
ABSTRACT_MIN_CHARS = 120
# Lines that read as page metadata rather than a title: bullets, counts, dates, ids.
METADATA_LIKE = re.compile(
    r"[·•]|\b(?:authors?|upvotes?|likes?|comments?)\b|^\d[\d,.]*$"
    r"|^(?:published|submitted|arxiv)\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b",
    re.IGNORECASE,
)
METADATA_MAX_WORDS = 12
# Odd spaces, and control characters that are never text (a page copy has none; a
# damaged file does), all read as one plain space.
WHITESPACE = re.compile(
    r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff\u2028\u2029\x00-\x1f\x7f-\x9f]+"
)
HTML_START = re.compile(r"<(?:!doctype|html|head|body|\?xml|!--|meta|div)\b")
JSON_START = re.compile(r'^(?:[\[{]\s*$|[\[{]\s*["\[{])', re.MULTILINE)
BINARY_SAMPLE = 4096
# Share of control characters and undecodable bytes above which a file is not text.
BINARY_SHARE = 0.05
# How the reader reports a problem: line number, message, what to do.
Report = Callable[[int, str, str], None]


@dataclass
class Dump:
    """What one dump yields: its entries, the capture date and the problems met."""

    name: str
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    capture: PaperDate | None = None
    capture_year: int | None = None
    year_inferred: bool = False
    captured: dt.date | None = None

    @property
    def captured_on(self) -> dt.date | None:
        """The day the page was saved: stated, or the header date in the capture year."""
        if self.captured is not None:
            return self.captured
        return self.capture.resolve(self.capture_year) if self.capture else None


@dataclass
class _Draft:
    """An entry being read, before its date's year is known."""

    title: str
    line: int
    abstract: str = ""
    authors: int | None = None
    org: str | None = None
    org_handle: str | None = None
    date: PaperDate | None = None
    date_line: int = 0
    upvotes: int | None = None
    arxiv_id: str | None = None
    # Line of the collection card read for this entry; 0 when it had none.
    card_line: int = 0
    # Cards always print the year, so theirs says nothing about the capture year.
    date_from_card: bool = False


def clean(line: str) -> str:
    """One line as text: odd spaces become plain ones, runs collapse, ends trimmed."""
    # Most lines have nothing to replace: printable text holds no whitespace but the
    # ASCII space, so without two in a row only the ends change (a regex replacing
    # every single space took a third of reading at 10,000 papers).
    if line.isprintable() and "  " not in line:
        return line.strip()
    return WHITESPACE.sub(" ", line).strip()


def decode(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text; refuse what is not a text listing, replace bytes that are not UTF-8."""
    try:
        text, bad_lines = data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = data.decode("utf-8-sig", errors="replace")
        bad_lines = [n for n, line in enumerate(_split_lines(text), start=1) if "\ufffd" in line]
    if _looks_binary(data, text):
        return None, [Problem(name, 0, "this is a binary file, not a text dump",
                              "save the page text as a .txt file", Severity.ERROR)]
    first = next((n for n, line in enumerate(_split_lines(text), start=1) if line.strip()), 1)
    head = text.lstrip()[:200].lower()
    if HTML_START.match(head):
        return None, [Problem(name, first, "this is HTML source, not page text",
                              "open the page, select its text and save that instead",
                              Severity.ERROR)]
    if _looks_json(text):
        return None, [Problem(name, first, "this is JSON, not the text of a Daily Papers page",
                              "save the page text as shown in the browser", Severity.ERROR)]
    problems = []
    if bad_lines:
        # One message for the whole file: a wrong encoding spoils many lines at once.
        others = len(bad_lines) - 1
        more = f" (and on {others} more line{'s' if others > 1 else ''})" if others else ""
        problems.append(Problem(name, bad_lines[0],
                                f"bytes that are not UTF-8 were replaced by '\ufffd'{more}",
                                "re-save the dump as UTF-8 and rebuild"))
    return text, problems


def _looks_binary(data: bytes, text: str) -> bool:
    """NUL bytes, or a start dense with control characters and undecodable bytes."""
    if b"\x00" in data[:BINARY_SAMPLE]:
        return True
    sample = text[:BINARY_SAMPLE]
    odd = sum(char == "\ufffd" or (char < " " and char not in "\t\n\r\f") for char in sample)
    return bool(sample) and odd / len(sample) > BINARY_SHARE


def _looks_json(text: str) -> bool:
    """A JSON document, or the start of one cut short."""
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        json.loads(stripped)
    except ValueError:
        # "[Re] A title" is a title; '{"title": ...' or a lone bracket is JSON cut short.
        return JSON_START.match(stripped) is not None
    return True


def _split_lines(text: str) -> list[str]:
    """Split on LF, CRLF and CR only, so line numbers match what editors show."""
    return re.split(r"\r\n|\r|\n", text)


def _strip_header(line: str) -> str | None:
    """The line without leading boilerplate; None when it is boilerplate only."""
    rest = line
    changed = True
    while changed:
        changed = False
        for header in HEADER_LINES:
            if rest == header:
                return None
            # Extractors that drop blank lines glue the next line onto the boilerplate.
            if header != "new" and rest.startswith(header):
                rest = rest[len(header):].strip()
                changed = True
    return rest or None


def _is_title_like(text: str) -> bool:
    """Short, no closing full stop: reads as a title rather than an abstract."""
    return len(text.split()) <= TITLE_MAX_WORDS and not text.endswith(".")


def read_dump(text: str, name: str, capture_year: int | None = None) -> Dump:
    """Read a dump's text into entries; unreadable parts become problems, never exceptions."""
    dump = Dump(name=name)
    lines = [(number, clean(raw)) for number, raw in enumerate(_split_lines(text), start=1)]
    content = [(number, line) for number, line in lines if line]
    drafts: list[_Draft] = []
    index = 0
    in_header = True

    def problem(number: int, message: str, hint: str) -> None:
        dump.problems.append(Problem(name, number, message, hint))

    def drop(draft: _Draft) -> None:
        # Every way of losing an abstract ends here, so each lost entry is reported once.
        problem(draft.line, f"title '{draft.title[:60]}' has no abstract; the entry is skipped",
                "paste the abstract on the line after the title")
        drafts.remove(draft)

    def next_line(position: int) -> str | None:
        return content[position + 1][1] if position + 1 < len(content) else None

    current: _Draft | None = None
    while index < len(content):
        number, line = content[index]
        upcoming = next_line(index)
        if in_header:
            stripped = _strip_header(line)
            if stripped is None:
                index += 1
                continue
            if dump.capture is None and looks_like_date(stripped):
                try:
                    dump.capture = parse_date_line(stripped).date
                except DateError as error:
                    problem(number, f"capture date unreadable: {error}",
                            "keep the date line under 'byAK and the research community' as "
                            "the page shows it")
                index += 1
                continue
            in_header = False
            line = stripped
        card = CARD.match(line)
        authors = AUTHORS.match(line)
        after_abstract = current is not None and bool(current.abstract)
        if card:
            if current is None or current.card_line:
                problem(number, "collection card with no title above it; ignored",
                        "paste the paper's title on the line above the card, or delete it")
            else:
                _read_card(current, card.group(1), number, problem)
            index += 1
            continue
        if line == DOT or authors or line.startswith("•"):
            if not after_abstract:
                if current is not None and not current.card_line:
                    drop(current)
                else:
                    problem(number, "metadata with no paper above it; ignored",
                            "paste the title and abstract lines back above it, or delete it")
                current = None
                index = _skip_metadata(content, index)
                continue
            if authors:
                current.authors = int(authors.group(1))
            elif line.startswith("•"):
                _unknown_metadata(number, line, problem)
            elif line == DOT and upcoming is not None and looks_like_date(upcoming):
                index += 1
                _read_date(current, content[index], problem)
            index += 1
            continue
        if after_abstract and upcoming == DOT and not _is_metadata_like(line):
            # The line right above "·" is an organisation badge: "handle Display Name".
            handle, _, display = line.partition(" ")
            current.org_handle, current.org = handle, display.strip() or handle
        elif after_abstract and current.date is None and looks_like_date(line):
            # A date line whose "·" the copy lost still belongs to the entry above.
            _read_date(current, (number, line), problem)
        elif after_abstract and _is_metadata_like(line) and not _is_abstract_like(upcoming):
            # Where metadata goes, a short line about authors, dates or counts that no
            # abstract follows is metadata of a shape the page does not print.
            _unknown_metadata(number, line, problem)
        elif current is None or current.abstract or current.card_line:
            current = _Draft(title=line, line=number)
            drafts.append(current)
        elif upcoming is not None and CARD.match(upcoming) and _is_title_like(line) \
                and len(line) < ABSTRACT_MIN_CHARS:
            # A short line right above a card is that card's title: the line above it (a
            # collection's name, a title whose abstract was lost) is no paper of its own.
            drop(current)
            current = _Draft(title=line, line=number)
            drafts.append(current)
        elif _is_title_like(line) and _is_abstract_like(upcoming) \
                and len(line) < len(current.title) * 3:
            # Title followed by another title: the first lost its abstract.
            drop(current)
            current = _Draft(title=line, line=number)
            drafts.append(current)
        else:
            current.abstract = line
        index += 1

    for draft in [draft for draft in drafts if not draft.abstract and not draft.card_line]:
        drop(draft)
    _resolve_years(dump, drafts, capture_year)
    if not drafts and not any(p.severity == Severity.ERROR for p in dump.problems):
        if not content:
            problem(0, "the file is empty", "paste the page text into it, or delete it")
        elif not dump.problems:
            problem(content[0][0], "no papers found, only page boilerplate",
                    "copy the whole listing, titles and abstracts included")
    return dump


def _is_abstract_like(line: str | None) -> bool:
    """Long prose: reads as an abstract rather than a title or metadata."""
    return line is not None and len(line) >= ABSTRACT_MIN_CHARS and not _is_title_like(line)


def _is_metadata_like(line: str) -> bool:
    """Short and about authors, dates, counts or ids, like the page's metadata lines."""
    return len(line.split()) <= METADATA_MAX_WORDS and METADATA_LIKE.search(line) is not None


def _unknown_metadata(number: int, line: str, problem: Report) -> None:
    """Report a metadata line of a shape the page does not print."""
    problem(number, f"unknown metadata line '{line[:60]}'; ignored",
            "the page prints '• N authors' or an organisation, then '·', then a date like "
            "'Feb 9 3'; fix or delete the line")


def _skip_metadata(content: list[tuple[int, str]], index: int) -> int:
    """Index after a metadata block that has no entry to belong to."""
    index += 1
    while index < len(content):
        line = content[index][1]
        if not (line == DOT or line.startswith("•") or looks_like_date(line)):
            break
        index += 1
    return index


def _read_date(draft: _Draft, numbered: tuple[int, str], problem: Report) -> None:
    """Store a date line on the draft, or report why it cannot be read."""
    number, line = numbered
    try:
        parsed = parse_date_line(line)
    except DateError as error:
        date, _, upvotes = line.rpartition(" ")
        try:
            # A bad upvote count must not cost the paper its date.
            parsed = parse_date_line(date)
        except DateError:
            problem(number, f"date line unreadable: {error}; the paper is kept without a date",
                    "write it as the page does: 'Feb 9', 'Feb 9, 2024' or 'Feb 9 3' (3 upvotes)")
            return
        problem(number, f"upvote count '{upvotes}' is not a number; the paper is kept without "
                "upvotes", "write the count in digits after the date, as in 'Feb 9 3'")
    draft.date, draft.date_line, draft.upvotes = parsed.date, number, parsed.upvotes


def _read_card(draft: _Draft, text: str, number: int, problem: Report) -> None:
    """Store what a collection card says (arXiv id, date, upvotes); one report for what it can't."""
    draft.card_line = number
    identifier, published, votes, *extra = [part.strip() for part in text.split("•")] + ["", ""]
    faults, lost = [], []
    draft.arxiv_id = arxiv_id(identifier)
    if draft.arxiv_id is None:
        faults.append(f"'{identifier[:40]}' is not an arXiv id like 2508.03680")
        lost.append("arXiv id")
    date_text = published.removeprefix("Published").strip()
    try:
        if date_text == published:
            raise DateError(f"no 'Published <date>' after the id (found '{published[:40]}')")
        parsed = parse_date_line(date_text)
        if parsed.upvotes is not None:
            raise DateError(f"'{date_text[:40]}' is not a date like 'Aug 5, 2025'")
        draft.date, draft.date_line, draft.date_from_card = parsed.date, number, True
    except DateError as error:
        faults.append(str(error))
        lost.append("date")
    if votes.isdigit():
        draft.upvotes = int(votes)
    elif votes:
        faults.append(f"upvote count '{votes[:20]}' is not a number")
        lost.append("upvotes")
    if any(extra):
        faults.append(f"unexpected '{' • '.join(part for part in extra if part)[:40]}' at the end")
    if faults:
        kept = f"; the paper is kept without its {' and '.join(lost)}" if lost else ""
        problem(number, f"card line unreadable: {', '.join(faults)}{kept}",
                f"a card reads '{CARD_EXAMPLE}'; correct the line as the page shows it, "
                "or delete it")


def _resolve_years(dump: Dump, drafts: list[_Draft], stated_year: int | None) -> None:
    """Give yearless dates the capture year: stated by the user, else inferred."""
    explicit = [d.date.year for d in drafts
                if d.date is not None and d.date.year is not None and not d.date_from_card]
    year = stated_year
    if year is None:
        year = infer_capture_year(explicit)
        dump.year_inferred = year is not None
        needs_year = any(d.date is not None and d.date.year is None for d in drafts)
        if year is not None and needs_year:
            dump.problems.append(Problem(
                dump.name, 0,
                f"capture year inferred as {year} (the page prints only earlier years; "
                f"latest printed is {year - 1})",
                "state it in seeds/dumps.yaml or name the dump YYYY-MM-DD-*.txt to be exact",
            ))
    elif explicit and max(explicit) >= stated_year:
        dump.problems.append(Problem(
            dump.name, 0,
            f"stated capture year {stated_year} is not later than printed year {max(explicit)}",
            "the page prints years only for earlier years; check seeds/dumps.yaml",
        ))
    dump.capture_year = year
    for draft in drafts:
        date = None
        if draft.date is not None:
            date = draft.date.resolve(year)
            if date is None:
                dump.problems.append(Problem(
                    dump.name, draft.date_line,
                    "date has no year and the capture year is unknown; paper listed under "
                    "'date unknown'",
                    "state the capture year in seeds/dumps.yaml",
                ))
        dump.entries.append(Entry(
            title=draft.title, abstract=draft.abstract, source=Source(dump.name, draft.line),
            authors=draft.authors, org=draft.org, org_handle=draft.org_handle, date=date,
            upvotes=draft.upvotes, arxiv_id=draft.arxiv_id,
        ))


def load_dump(path: Path, capture_year: int | None = None) -> Dump:
    """Read a dump file from disk; unreadable files become problems."""
    data = read_regular(path)
    if isinstance(data, Problem):
        return Dump(name=path.name, problems=[data])
    return parse_dump(data, path.name, capture_year)


def parse_dump(data: bytes, name: str, capture_year: int | None = None) -> Dump:
    """Read the bytes of a dump file named ``name``; text that is no dump becomes problems."""
    text, problems = decode(data, name)
    if text is None:
        return Dump(name=name, problems=problems)
    dump = read_dump(text, name, capture_year)
    dump.problems[:0] = problems
    return dump


# What a directory entry that is no regular file is, in words.
_KINDS = (
    (stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
)


def refusal(path: Path, mode: int) -> Problem | None:
    """Why a directory entry is no dump: anything but a regular file is refused."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    # A link could publish any file the build can read (/etc/passwd), or one dump twice.
    return Problem(path.name, 0, f"refused: this is {kind}; a dump must be a regular file "
                   "inside seeds/", "replace it with a copy of the page text saved as a "
                   "file, or remove it", Severity.ERROR)


def read_regular(path: Path) -> bytes | Problem:
    """The bytes of a regular file, never following a link; a Problem for anything else."""
    try:
        # Checked before opening: opening a device or a pipe can have effects of its own.
        refused = refusal(path, path.lstat().st_mode)
        if refused is not None:
            return refused
        # O_NOFOLLOW and the second check: a link or a pipe put in place meanwhile is
        # still refused; O_NONBLOCK: opening a pipe must not wait for a writer.
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(handle, "rb") as stream:
            return refusal(path, os.fstat(stream.fileno()).st_mode) or stream.read()
    except OSError as error:
        return Problem(path.name, 0, f"cannot read: {error.strerror or error}",
                       "check the file and its permissions, or save the page text again",
                       Severity.ERROR)
