"""The curator's taxonomy: tags defined by keywords and patterns over title and abstract."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import re2
from slugify import slugify

from generator.problems import ConfigError
from generator.read.yamlfile import line_of, load_yaml, shown

# The tag pages' own URLs under tags/: the overview and the untagged papers.
RESERVED_TAG_SLUGS = frozenset({"index", "untagged"})
# What slugify gives: a tag page's file name, so nothing that could leave tags/.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Matches nothing: the keyword regex of a tag that has none.
_NEVER = re.compile(r"(?!)")


class Matcher(Protocol):
    """A compiled pattern: RE2's or re's, both searched the same way."""

    def search(self, text: str) -> object | None:
        """A match anywhere in the text, or None."""


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
    parts: tuple[Tag | None, tuple[Matcher, ...]] | None = None

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


def _pattern(value: str) -> Matcher:
    """A curator's pattern, compiled for RE2: matching time is linear in the text, always."""
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # The error is reported as a ConfigError, not on stderr too.
    return re2.compile(value, options)


def _slug_error(slug: object, name: object, given: bool) -> str | None:
    """Why a tag's URL slug cannot be used, or None when it can."""
    if not isinstance(slug, str) or SLUG.fullmatch(slug) is None:
        what = f"'slug: {shown(slug)}'" if given else f"its name gives no usable URL slug ({shown(slug)})"
        return (f"tag '{name}': {what}; a slug is text of lower-case letters, digits and single "
                "hyphens, like 'world-models'")
    if slug in RESERVED_TAG_SLUGS:
        page = "the tag overview" if slug == "index" else "the list of untagged papers"
        what = "'slug:'" if given else "URL slug from its name"
        return (f"tag '{name}': {what} '{slug}' is the URL of {page}; give it another "
                f"'slug:', like '{slug}-tag'")
    return None


def _patterns(values: list[str], name: object, at: str, errors: list[str]) -> list[Matcher]:
    """A tag's patterns compiled; each one the matcher refuses is appended to ``errors``."""
    compiled = []
    for value in values:
        try:
            compiled.append(_pattern(value))
        except re2.error as error:
            detail = error.args[0] if error.args else error
            detail = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
            errors.append(
                f"{at}: pattern {shown(value)} of tag '{name}' is refused: {detail}; patterns "
                "are RE2 regular expressions (Python's syntax without look-around or "
                "back-references), which match fast on any text")
    return compiled


def parse_taxonomy(data: object, path: Path) -> list[Tag]:
    """Tags from parsed YAML; every mistake names file, line and what to write instead."""
    if not isinstance(data, dict) or not isinstance(data.get("tags"), dict):
        raise ConfigError(f"{path}: expected a 'tags:' mapping of tag name to keywords")
    tags_map = data["tags"]
    tags: list[Tag] = []
    errors: list[str] = []
    first: dict[str, tuple[str, int]] = {}  # slug → the tag that has it, and its line
    for name, spec in tags_map.items():
        line = line_of(tags_map, name)
        where = f"{path}:{line}"
        if not isinstance(spec, dict):
            errors.append(f"{where}: tag '{name}' needs 'keywords:' and/or 'patterns:' lists")
            continue
        unknown = set(spec) - {"keywords", "patterns", "description", "slug"}
        if unknown:
            errors.append(f"{where}: tag '{name}' has unknown field(s) {sorted(map(str, unknown))}; "
                          "allowed: keywords, patterns, description, slug")
            continue
        mistakes = len(errors)
        lists: dict[str, list[str]] = {}
        for field_name in ("keywords", "patterns"):
            values = spec.get(field_name) or []
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip()
                                                       for v in values):
                errors.append(f"{path}:{line_of(spec, field_name) or line}: '{field_name}' of tag "
                              f"'{name}' must be a list of text")
                values = []
            lists[field_name] = values
        words = lists["keywords"]
        patterns = _patterns(lists["patterns"], name, f"{path}:{line_of(spec, 'patterns') or line}",
                             errors)
        description = spec.get("description")
        if description is not None and not isinstance(description, str):
            errors.append(f"{path}:{line_of(spec, 'description')}: description of tag '{name}' "
                          "must be text")
        given = spec.get("slug") is not None
        slug = spec["slug"] if given else slugify(str(name))
        refused = _slug_error(slug, name, given)
        if refused is not None:
            errors.append(f"{path}:{line_of(spec, 'slug') if given else line}: {refused}")
        if len(errors) > mistakes:
            continue
        if not words and not patterns:
            errors.append(f"{where}: tag '{name}' has no keywords or patterns")
            continue
        if slug in first:
            other, other_line = first[slug]
            errors.append(f"{where}: tag '{name}' has the URL slug '{slug}' of tag '{other}' "
                          f"(line {other_line}); give one a 'slug:' of its own")
            continue
        first[slug] = (str(name), line)
        needles = {_needle(word) for word in words}
        plain = frozenset(needles) if words and None not in needles else None
        keywords = re.compile("|".join(f"(?:{_keyword(w)})" for w in words), re.IGNORECASE) \
            if words else _NEVER
        tags.append(Tag(
            slug=slug, name=str(name), description=description or "", pattern=keywords,
            needles=plain,
            # Keywords (escaped by _keyword: safe for Python's re) and each pattern apart.
            parts=(Tag(slug=slug, name=str(name), description="", pattern=keywords, needles=plain)
                   if words else None, tuple(patterns)) if patterns else None,
        ))
    if errors:
        raise ConfigError("\n".join(errors))
    return tags


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
