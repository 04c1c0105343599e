"""Readable, bounded, unique slugs that never change once a paper is published."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from .errors import ConfigError
from .identity import PaperKey, normalise_text

MAX_LENGTH = 80
# Names Windows refuses as file or folder names, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", "index", "search", "assets"} | {
    f"{name}{n}" for name in ("com", "lpt") for n in range(1, 10)
}


def base_slug(title: str) -> str:
    """The readable slug of a title, bounded in length and safe as a folder name."""
    slug = slugify(normalise_text(title), max_length=MAX_LENGTH, word_boundary=True, save_order=True)
    if not slug:
        return "paper"
    return f"{slug}-paper" if slug in RESERVED else slug


@dataclass
class SlugRegistry:
    """Published slugs and the papers they belong to, so URLs survive every rebuild."""

    entries: dict[str, PaperKey] = field(default_factory=dict)
    changed: bool = False

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
        return cls(_check_entries(path, _conflict_free(path, text)))

    def dump(self) -> str:
        """The registry as stable, diff-friendly JSON."""
        data = {
            slug: {"title": key.title, "head": key.head} for slug, key in sorted(self.entries.items())
        }
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"

    def find(self, key: PaperKey) -> str | None:
        """The published slug of this paper, if it has one."""
        matches = [slug for slug, known in self.entries.items() if known.same_paper(key)]
        return min(matches) if matches else None

    def assign(self, keys: list[PaperKey]) -> dict[PaperKey, str]:
        """A slug for every key: published ones kept, new ones unique and order-independent."""
        by_title: dict[str, list[str]] = {}
        for slug, known in self.entries.items():
            by_title.setdefault(known.title, []).append(slug)
        result: dict[PaperKey, str] = {}
        given: set[str] = set()  # result's values, as a set: a list scan made this quadratic
        taken = set(self.entries)
        for key in sorted(keys):
            slug = next(
                (s for s in sorted(by_title.get(key.title, ())) if self.entries[s].same_paper(key)
                 and s not in given),
                None,
            )
            if slug is None:
                base = base_slug_from_key(key)
                slug, n = base, 2
                while slug in taken:
                    slug, n = f"{base}-{n}", n + 1
                self.entries[slug] = key
                taken.add(slug)
                self.changed = True
            elif len(key.head) > len(self.entries[slug].head):
                # A longer copy of the abstract arrived: remember it, the slug stays.
                self.entries[slug] = key
                self.changed = True
            result[key] = slug
            given.add(slug)
        return result


RESTORE = "restore it from git (git checkout seeds/slugs.json): it keeps published URLs stable"
# A slug as base_slug makes it: what a paper's folder and URL may be.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Lines git leaves in a file whose merge conflicted.
CONFLICT_MARKER = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?:[ \t].*)?$", re.MULTILINE)
_SPACE = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True)
class _Entry:
    """One slug as the file states it, with the line it starts on."""

    slug: str
    line: int
    value: object


def _conflict_free(path: Path, text: str) -> list[_Entry]:
    """The file's entries in order, duplicates kept; conflict markers and bad JSON refused."""
    markers = [text.count("\n", 0, match.start()) + 1 for match in CONFLICT_MARKER.finditer(text)]
    if markers:
        more = f" (and on line{'s' if len(markers) > 2 else ''} {', '.join(map(str, markers[1:]))})"
        raise ConfigError(
            f"{path}:{markers[0]}: git merge conflict markers{more if markers[1:] else ''}; keep "
            "the entries of both sides, each slug once, delete the marker lines and build again")
    try:
        return _top_level(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}:{error.lineno}: slug registry unreadable ({error.msg}); "
                          f"{RESTORE}") from None
    except ValueError as error:
        raise ConfigError(f"{path}: slug registry unreadable ({error}); {RESTORE}") from None


def _top_level(text: str) -> list[_Entry]:
    """Each key of the top-level object with its line, duplicates kept (json.loads drops them)."""
    decoder = json.JSONDecoder(object_pairs_hook=_unique_pairs)
    entries: list[_Entry] = []
    position = _SPACE.match(text).end()
    if text[position:position + 1] != "{":
        raise ValueError("expected an object of slug: {title, head} entries")
    position = _SPACE.match(text, position + 1).end()
    line, counted = 1, 0
    while text[position:position + 1] != "}" or entries:
        if text[position:position + 1] != '"':
            raise json.JSONDecodeError("expected a slug in double quotes", text, position)
        line, counted = line + text.count("\n", counted, position), position
        slug, position = decoder.raw_decode(text, position)
        position = _SPACE.match(text, position).end()
        if text[position:position + 1] != ":":
            raise json.JSONDecodeError("expected ':' after the slug", text, position)
        position = _SPACE.match(text, position + 1).end()
        value, position = decoder.raw_decode(text, position)
        entries.append(_Entry(slug, line, value))
        position = _SPACE.match(text, position).end()
        if text[position:position + 1] == ",":
            position = _SPACE.match(text, position + 1).end()
        elif text[position:position + 1] == "}":
            break
        else:
            raise json.JSONDecodeError("expected ',' or '}'", text, position)
    if text[_SPACE.match(text, position + 1).end():]:
        raise json.JSONDecodeError("extra text after the registry", text, position + 1)
    return entries


def _unique_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """An entry's fields; a field given twice is refused, not silently the last one."""
    names = [name for name, _ in pairs]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"field {twice[0]!r} given twice in one entry")
    return dict(pairs)


def _check_entries(path: Path, entries: list[_Entry]) -> dict[str, PaperKey]:
    """Registry entries by slug; every entry that could move a URL is an error naming both."""
    errors: list[str] = []
    keys: dict[str, PaperKey] = {}
    lines: dict[str, int] = {}
    for entry in entries:
        where = f"{path}:{entry.line}"
        value = entry.value
        if not isinstance(entry.slug, str) or SLUG.fullmatch(entry.slug) is None \
                or entry.slug in RESERVED:
            errors.append(f"{where}: {entry.slug!r} is not a slug the generator gives (lower-case "
                          "letters, digits and single hyphens); put back the slug it had")
            continue
        if not isinstance(value, dict) or set(value) != {"title", "head"} \
                or not all(isinstance(text, str) for text in value.values()):
            errors.append(f"{where}: '{entry.slug}' needs exactly {{\"title\": ..., \"head\": ...}} "
                          "as a build writes them; put back the entry it had")
            continue
        key = PaperKey(value["title"], value["head"])
        if entry.slug in keys:
            first = lines[entry.slug]
            papers = ("the same paper" if key == keys[entry.slug] else
                      f"papers '{keys[entry.slug].title}' and '{key.title}'")
            errors.append(
                f"{where}: slug '{entry.slug}' is given twice (first on line {first}), to {papers}; "
                f"keep the entry of the paper published at papers/{entry.slug}/ (git log -p "
                f"{path} shows it) and delete the other: a paper without a slug gets a new one")
            continue
        keys[entry.slug], lines[entry.slug] = key, entry.line
    by_title: dict[str, list[str]] = {}
    for slug, key in keys.items():
        by_title.setdefault(key.title, []).append(slug)
    for slugs in by_title.values():
        # Sorted by abstract head, a head that starts another starts its neighbour: one
        # pass over neighbours finds every paper listed twice, without comparing all pairs.
        ordered = sorted((keys[slug].head, slug) for slug in slugs if keys[slug].head)
        for (_, one), (_, other) in itertools.pairwise(ordered):
            if keys[one].same_paper(keys[other]):
                first, second = sorted((one, other), key=lines.__getitem__)
                errors.append(
                    f"{path}:{lines[second]}: '{second}' and '{first}' (line {lines[first]}) are "
                    f"one paper ('{keys[first].title}'), which has one URL; keep the slug it was "
                    f"published under (git log -p {path} shows it) and delete the other entry")
    if errors:
        raise ConfigError("\n".join(errors))
    return keys


def base_slug_from_key(key: PaperKey) -> str:
    """Slug from the normalised title (what identity uses, so it is order-independent)."""
    return base_slug(key.title)
