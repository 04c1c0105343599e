"""Readable, bounded, unique slugs that never change once a paper is published."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from generator.identity import HeadIndex, Match, PaperKey, normalise_text
from generator.problems import ConfigError

MAX_LENGTH = 80
# Names Windows refuses as file or folder names, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", "index", "search", "assets"} | {
    f"{name}{n}" for name in ("com", "lpt") for n in range(1, 10)
}


class UniqueNames:
    """Names made unique with a -2, -3, ... suffix: the one rule for paper and tag slugs."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        # Taken only grows: the next number to try for a base starts where the last search
        # ended (from 2 each time was quadratic for papers sharing a title).
        self._next: dict[str, int] = {}

    def claim(self, base: str) -> str:
        """``base``, or the first free ``base-N`` from 2 on; it is taken from then on."""
        n = self._next.get(base, 1)  # 1 stands for the base itself
        while (name := base if n == 1 else f"{base}-{n}") in self.taken:
            n += 1
        self._next[base] = n + 1
        self.taken.add(name)
        return name


def base_slug(title: str) -> str:
    """The readable slug of a title, bounded in length and safe as a folder name."""
    slug = slugify(normalise_text(title), max_length=MAX_LENGTH, word_boundary=True, save_order=True)
    if not slug:
        return "paper"
    return f"{slug}-paper" if slug in RESERVED else slug


# The registry's file in seeds/.
REGISTRY_FILE = "slugs.json"


@dataclass
class SlugRegistry:
    """Published slugs and the papers they belong to, so URLs survive every rebuild.

    ``arrivals`` numbers the builds that first published each slug (1, 2, ...; none for
    slugs published before this was kept): the search index's shards take papers in this
    order, so the papers of a new dump join the newest shard, whatever its name.
    """

    entries: dict[str, PaperKey] = field(default_factory=dict)
    changed: bool = False
    arrivals: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> SlugRegistry:
        """Read and check the registry; a missing file is an empty registry.

        A hand edit (resolving a merge conflict) must never move a published URL, so any
        entry that could (a slug twice, a paper under two slugs) stops the build.
        """
        if not path.exists():
            return cls()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: slug registry unreadable ({error}); {RESTORE}") from None
        entries, arrivals = _check_entries(path, *_read_entries(path, text))
        return cls(entries, arrivals=arrivals)

    def dump(self) -> str:
        """The registry as stable, diff-friendly JSON."""
        data = {slug: _item(key, self.arrivals.get(slug)) for slug, key in sorted(self.entries.items())}
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"

    def find(self, key: PaperKey) -> str | None:
        """The published slug of this paper, if it has one."""
        matches = [slug for slug, known in self.entries.items() if known.same_paper(key)]
        return min(matches) if matches else None

    def assign(self, keys: list[PaperKey]) -> dict[PaperKey, str]:
        """A slug for every key: published ones kept, new ones unique and order-independent."""
        # Published slugs by title, then head, and by arXiv id: scanning a title's slugs for
        # every key was quadratic for papers sharing a title.
        by_title: dict[str, list[str]] = {}
        blank: dict[str, list[str]] = {}  # published with no abstract yet (from a card)
        heads: dict[str, HeadIndex[str]] = {}
        by_id: dict[str, list[str]] = {}
        for slug, known in sorted(self.entries.items()):
            by_title.setdefault(known.title, []).append(slug)
            if not known.head:
                blank.setdefault(known.title, []).append(slug)
            heads.setdefault(known.title, HeadIndex()).add(known.head, slug)
            if known.arxiv_id:
                by_id.setdefault(known.arxiv_id, []).append(slug)

        def candidates(key: PaperKey, strength: Match) -> list[str]:
            if strength is Match.ARXIV:
                return by_id.get(key.arxiv_id, [])
            if strength is Match.ABSTRACT:
                index = heads.get(key.title)
                return index.matching(key.head) if index is not None else []
            # Title alone: one side has no abstract yet (a card).
            return (blank if key.head else by_title).get(key.title, [])

        result: dict[PaperKey, str] = {}
        given: set[str] = set()  # result's values, as a set: a list scan made this quadratic
        pending = sorted(keys)
        # Strongest matches claim their slugs first: a paper known by its arXiv id, then by
        # its abstract, keeps its slug before a card with no abstract can take it by title.
        for strength in (Match.ARXIV, Match.ABSTRACT, Match.TITLE):
            unmatched = []
            for key in pending:
                slug = min((s for s in candidates(key, strength) if s not in given
                            and self.entries[s].match(key) is strength), default=None)
                if slug is None:
                    unmatched.append(key)
                    continue
                known = self.entries[slug]
                joined = known.joined(key)
                if joined != known:
                    # A longer abstract or an arXiv id arrived: remember it, the slug stays.
                    self.entries[slug] = joined
                    self.changed = True
                    if joined.head != known.head:
                        heads[known.title].remove(known.head, slug)
                        heads[known.title].add(joined.head, slug)
                    if joined.arxiv_id and not known.arxiv_id:
                        by_id.setdefault(joined.arxiv_id, []).append(slug)
                result[key] = slug
                given.add(slug)
            pending = unmatched
        names = UniqueNames(self.entries)
        arrival = max(self.arrivals.values(), default=0) + 1
        for key in pending:
            slug = names.claim(base_slug_from_key(key))
            self.entries[slug] = key
            self.arrivals[slug] = arrival
            self.changed = True
            result[key] = slug
        return result


def _item(key: PaperKey, arrival: int | None) -> dict[str, str | int]:
    """A registry entry as stored; ``arxiv_id`` and ``arrival`` only when known, so older
    files stay as they were."""
    item: dict[str, str | int] = {"title": key.title, "head": key.head}
    if key.arxiv_id:
        item["arxiv_id"] = key.arxiv_id
    if arrival is not None:
        item["arrival"] = arrival
    return item


RESTORE = "restore it from git (git checkout seeds/slugs.json): it keeps published URLs stable"
# A slug as base_slug makes it: what a paper's folder and URL may be.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_LINES = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*(?:\n|\Z))*")
# Lines git leaves in a file whose merge conflicted.
CONFLICT_MARKER = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?:[ \t].*)?$", re.MULTILINE)
_SPACE = re.compile(r"[ \t\n\r]*")


def _read_entries(path: Path, text: str) -> tuple[list[tuple[object, object]], Callable[[int], int]]:
    """The file's (slug, value) pairs in order, duplicates kept, and the line of the n-th one."""
    if any(marker * 7 in text for marker in "<=>|"):
        markers = [text.count("\n", 0, match.start()) + 1
                   for match in CONFLICT_MARKER.finditer(text)]
        if markers:
            more = f" (and on line{'s' if len(markers) > 2 else ''} {', '.join(map(str, markers[1:]))})"
            raise ConfigError(
                f"{path}:{markers[0]}: git merge conflict markers{more if markers[1:] else ''}; "
                "keep the entries of both sides, each slug once, delete the marker lines and "
                "build again")
    try:
        # Objects as tuples of (key, value) pairs, in file order: a dict would keep only the
        # last of two equal keys. Arrays stay lists, so the two are never confused.
        data = json.loads(text, object_pairs_hook=tuple)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}:{error.lineno}: slug registry unreadable ({error.msg}); "
                          f"{RESTORE}") from None
    if type(data) is not tuple:
        raise ConfigError(f"{path}: slug registry unreadable (expected an object of slug: "
                          f"{{title, head}} entries); {RESTORE}")
    lines: list[int] = []

    def line(index: int) -> int:
        # Only a message needs a line: found by walking the text once, on first need.
        if not lines:
            lines.extend(_key_lines(text))
        return lines[index]

    return list(data), line


def _key_lines(text: str) -> list[int]:
    """The line of each key of the (valid JSON) top-level object, in order."""
    decoder = json.JSONDecoder()
    found: list[int] = []
    position = _SPACE.match(text, _SPACE.match(text).end() + 1).end()  # past the "{"
    line, counted = 1, 0
    while text[position:position + 1] == '"':
        line, counted = line + text.count("\n", counted, position), position
        found.append(line)
        _, position = decoder.raw_decode(text, position)
        position = _SPACE.match(text, position).end() + 1  # past the ":"
        _, position = decoder.raw_decode(text, _SPACE.match(text, position).end())
        position = _SPACE.match(text, _SPACE.match(text, position).end() + 1).end()  # past ","
    return found


def _fields(value: object) -> dict[str, object] | None:
    """An entry's fields when it is an object with each field once, else None."""
    if type(value) is not tuple:
        return None
    fields = dict(value)
    return fields if len(fields) == len(value) else None


def _check_entries(path: Path, pairs: list[tuple[object, object]], line: Callable[[int], int]
                   ) -> tuple[dict[str, PaperKey], dict[str, int]]:
    """Registry entries and arrivals by slug; every entry that could move a URL is an error
    naming both."""
    errors: list[str] = []
    keys: dict[str, PaperKey] = {}
    arrivals: dict[str, int] = {}
    index_of: dict[str, int] = {}
    by_id: dict[str, str] = {}
    # Every slug checked in one regex call: one call per slug was most of the load time.
    joined = "\n".join(slug for slug, _ in pairs)
    wellformed = joined.count("\n") == len(pairs) - 1 and SLUG_LINES.fullmatch(joined) is not None
    for index, (slug, value) in enumerate(pairs):
        fields = _fields(value)
        if (not wellformed and SLUG.fullmatch(slug) is None) or slug in RESERVED:
            errors.append(f"{path}:{line(index)}: {slug!r} is not a slug the generator gives "
                          "(lower-case letters, digits and single hyphens); put back the slug it had")
            continue
        if fields is None or set(fields) - {"title", "head", "arxiv_id", "arrival"} \
                or type(fields.get("title")) is not str or type(fields.get("head")) is not str \
                or type(fields.get("arxiv_id", "")) is not str \
                or type(fields.get("arrival", 1)) is not int or fields.get("arrival", 1) < 1:
            errors.append(f"{path}:{line(index)}: '{slug}' needs exactly {{\"title\": ..., "
                          "\"head\": ...} (and \"arxiv_id\" when known, \"arrival\" a whole "
                          "number from 1), each once, as a build writes them; put back the "
                          "entry it had")
            continue
        key = PaperKey(fields["title"], fields["head"], fields.get("arxiv_id", ""))
        if slug in keys:
            papers = ("the same paper" if key == keys[slug] else
                      f"papers '{keys[slug].title}' and '{key.title}'")
            errors.append(
                f"{path}:{line(index)}: slug '{slug}' is given twice (first on line "
                f"{line(index_of[slug])}), to {papers}; keep the entry of the paper published at "
                f"papers/{slug}/ (git log -p {path} shows it) and delete the other: a paper "
                "without a slug gets a new one")
            continue
        if key.arxiv_id and key.arxiv_id in by_id:
            first = by_id[key.arxiv_id]
            errors.append(
                f"{path}:{line(index)}: '{slug}' and '{first}' (line {line(index_of[first])}) "
                f"are one paper (arXiv {key.arxiv_id}), which has one URL; keep the slug it was "
                f"published under (git log -p {path} shows it) and delete the other entry")
            continue
        keys[slug], index_of[slug] = key, index
        if "arrival" in fields:
            arrivals[slug] = fields["arrival"]
        if key.arxiv_id:
            by_id[key.arxiv_id] = slug
    by_title: dict[str, list[str]] = {}
    for slug, key in keys.items():
        by_title.setdefault(key.title, []).append(slug)
    for slugs in by_title.values():
        if len(slugs) == 1:
            continue
        # Sorted by abstract head, a head that starts another starts its neighbour: one
        # pass over neighbours finds every paper listed twice, without comparing all pairs.
        ordered = sorted((keys[slug].head, slug) for slug in slugs if keys[slug].head)
        for (_, one), (_, other) in itertools.pairwise(ordered):
            if keys[one].same_paper(keys[other]):
                first, second = sorted((one, other), key=index_of.__getitem__)
                errors.append(
                    f"{path}:{line(index_of[second])}: '{second}' and '{first}' (line "
                    f"{line(index_of[first])}) are one paper ('{keys[first].title}'), which has "
                    f"one URL; keep the slug it was published under (git log -p {path} shows "
                    "it) and delete the other entry")
    if errors:
        raise ConfigError("\n".join(errors))
    return keys, arrivals


def base_slug_from_key(key: PaperKey) -> str:
    """Slug from the normalised title (what identity uses, so it is order-independent)."""
    return base_slug(key.title)
