"""The curator's taxonomy: tags defined by keywords and patterns over title and abstract."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from .errors import ConfigError
from .yamlfile import line_of, load_yaml


@dataclass(frozen=True)
class Tag:
    """A topic tag: its slug (URL), display name, description and matcher."""

    slug: str
    name: str
    description: str
    pattern: re.Pattern[str]
    # When the tag is plain ASCII keywords: their first words, lower case. A match can only
    # start where one of them stands as a whole word (see TextWords), so the regex is tried
    # at those places alone instead of at every character.
    needles: frozenset[str] | None = None
    # A tag with patterns: its keywords as a tag of their own, and each pattern alone. One
    # regex of many alternatives tries them all at every character: searched one by one
    # they take half the time (a pattern tag took half of tagging at 10,000 papers).
    parts: tuple[Tag | None, tuple[re.Pattern[str], ...]] | None = None

    def matches(self, text: str, words: TextWords | None = None) -> bool:
        """True when the tag's keywords or patterns occur in the text (``words``: its words)."""
        if self.parts is not None:
            keywords, patterns = self.parts
            if keywords is not None and keywords.matches(text, words):
                return True
            return any(pattern.search(text) is not None for pattern in patterns)
        if self.needles is None:
            return self.pattern.search(text) is not None
        words = TextWords(text) if words is None else words
        for needle in self.needles & words.words:
            if any(self.pattern.match(text, start) is not None for start in words.starts(needle)):
                return True
        return any(self.pattern.match(text, start) is not None for start in words.other)


_WORD = re.compile(r"\w+")


class TextWords:
    """The whole words of a text and where they start: where a tag's match can begin.

    A plain tag's match starts at a whole word equal, in any case, to one of its needles.
    In ASCII text that word is found by a regex for the needle alone (a regex of all the
    needles at every word was the slowest step at 10,000 papers). Elsewhere words with a
    non-ASCII letter are tried for every tag: a letter such as the Kelvin sign matches
    ASCII "k" under IGNORECASE, though it does not lower-case to it.
    """

    def __init__(self, text: str) -> None:
        self._starts: dict[str, list[int]] | None = None
        self.other: list[int] = []
        if text.isascii():
            # Lower-casing ASCII keeps every position, so matches map back onto the text.
            self._lower = text.lower()
            self.words = frozenset(_WORD.findall(self._lower))
            return
        self._starts = {}
        for match in _WORD.finditer(text):
            word = match.group()
            if word.isascii():
                self._starts.setdefault(word.lower(), []).append(match.start())
            else:
                self.other.append(match.start())
        self.words = frozenset(self._starts)

    def starts(self, word: str) -> Iterator[int]:
        """Where the whole word (lower case, ASCII) starts in the text, in any case."""
        if self._starts is not None:
            yield from self._starts.get(word, ())
            return
        # str.find, not a regex: a regex starting with \b is tried at every character.
        lower, start = self._lower, self._lower.find(word)
        while start >= 0:
            end = start + len(word)
            if (start == 0 or not _is_word(lower[start - 1])) and (
                    end == len(lower) or not _is_word(lower[end])):
                yield start
            start = lower.find(word, start + 1)


def _is_word(char: str) -> bool:
    """An ASCII character that ``\\w`` matches."""
    return char.isalnum() or char == "_"


def _needle(word: str) -> str | None:
    """The first word of a keyword, lower case, when it is a plain ASCII word."""
    first = re.split(r"[\s-]+", word.strip())[0]
    return first.lower() if first.isascii() and re.fullmatch(r"\w+", first) else None


def _keyword(word: str) -> str:
    """A keyword as a case-insensitive whole-word regex; spaces also match hyphens."""
    parts = [re.escape(part) for part in re.split(r"[\s-]+", word.strip()) if part]
    return r"\b" + r"[\s-]+".join(parts) + r"\b"


def parse_taxonomy(data: object, path: Path) -> list[Tag]:
    """Tags from parsed YAML; every mistake names file, line and what to write instead."""
    if not isinstance(data, dict) or not isinstance(data.get("tags"), dict):
        raise ConfigError(f"{path}: expected a 'tags:' mapping of tag name to keywords")
    tags_map = data["tags"]
    tags: list[Tag] = []
    for name, spec in tags_map.items():
        where = f"{path}:{line_of(tags_map, name)}"
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: tag '{name}' needs 'keywords:' and/or 'patterns:' lists")
        unknown = set(spec) - {"keywords", "patterns", "description", "slug"}
        if unknown:
            raise ConfigError(f"{where}: tag '{name}' has unknown field(s) {sorted(unknown)}; "
                              "allowed: keywords, patterns, description, slug")
        alternatives = []
        for field_name, convert in (("keywords", _keyword), ("patterns", str)):
            values = spec.get(field_name) or []
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ConfigError(f"{where}: '{field_name}' of tag '{name}' must be a list of text")
            for value in values:
                try:
                    re.compile(value if field_name == "patterns" else convert(value))
                except re.error as error:
                    raise ConfigError(
                        f"{where}: pattern {value!r} of tag '{name}' is not a valid regular "
                        f"expression: {error}"
                    ) from None
                alternatives.append(convert(value))
        if not alternatives:
            raise ConfigError(f"{where}: tag '{name}' has no keywords or patterns")
        slug = str(spec.get("slug") or slugify(str(name)))
        needles = {_needle(word) for word in spec.get("keywords") or []}
        plain = not spec.get("patterns") and None not in needles
        tags.append(Tag(
            slug=slug,
            name=str(name),
            description=str(spec.get("description") or ""),
            pattern=re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE),
            needles=frozenset(needles) if plain else None,
            parts=_parts(spec, slug, str(name), needles),
        ))
    slugs = [tag.slug for tag in tags]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise ConfigError(f"{path}: two tags share the URL slug(s) {duplicates}; rename one")
    return tags


# What makes one alternative depend on the others: a group referred to by number.
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def _parts(spec: dict, slug: str, name: str, needles: set[str | None]) -> tuple | None:
    """A pattern tag's keywords and patterns apart, when searching them apart is the same.

    Text matches a regex of alternatives where one of them matches, unless a pattern
    refers to a group by number (numbers count across alternatives): those stay whole.
    """
    patterns = spec.get("patterns") or []
    if not patterns or any(_GROUP_REFERENCE.search(pattern) for pattern in patterns):
        return None
    words = spec.get("keywords") or []
    keywords = Tag(
        slug=slug, name=name, description="",
        pattern=re.compile("|".join(f"(?:{_keyword(w)})" for w in words), re.IGNORECASE),
        needles=frozenset(needles) if None not in needles else None,
    ) if words else None
    return keywords, tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


def load_taxonomy(path: Path) -> list[Tag]:
    """Read and validate the taxonomy file."""
    if not path.exists():
        raise ConfigError(f"{path}: taxonomy file missing; restore it from git or create one")
    return parse_taxonomy(load_yaml(path), path)


def tag_text(title: str, abstract: str, tags: list[Tag]) -> list[str]:
    """Names of the tags whose keywords occur in the title or abstract, in taxonomy order."""
    text = f"{title}\n{abstract}"
    words = TextWords(text)
    return [tag.name for tag in tags if tag.matches(text, words)]
