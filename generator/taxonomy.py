"""The curator's taxonomy: tags defined by keywords and patterns over title and abstract."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
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
    # start where one of them stands as a whole word, so the regex is tried at those places
    # alone instead of at every character (tagging was the slowest step at 10,000 papers).
    needles: frozenset[str] | None = None

    def matches(self, text: str, words: frozenset[str] | None = None) -> bool:
        """True when the tag's keywords or patterns occur in the text (``words``: its words)."""
        if self.needles is None or not text.isascii():
            return self.pattern.search(text) is not None
        words = text_words(text) if words is None else words
        if self.needles.isdisjoint(words):
            return False
        starts = _needle_pattern(self.needles).finditer(text.lower())
        return any(self.pattern.match(text, start.start()) is not None for start in starts)


_WORD = re.compile(r"\w+")


def text_words(text: str) -> frozenset[str]:
    """The whole words of a text, lower case."""
    return frozenset(_WORD.findall(text.lower()))


@cache
def _needle_pattern(needles: frozenset[str]) -> re.Pattern[str]:
    """Finds the needles as whole words in lower-case text."""
    words = "|".join(map(re.escape, sorted(needles, key=len, reverse=True)))
    return re.compile(rf"\b(?:{words})\b")


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
        ))
    slugs = [tag.slug for tag in tags]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise ConfigError(f"{path}: two tags share the URL slug(s) {duplicates}; rename one")
    return tags


def load_taxonomy(path: Path) -> list[Tag]:
    """Read and validate the taxonomy file."""
    if not path.exists():
        raise ConfigError(f"{path}: taxonomy file missing; restore it from git or create one")
    return parse_taxonomy(load_yaml(path), path)


def tag_text(title: str, abstract: str, tags: list[Tag]) -> list[str]:
    """Names of the tags whose keywords occur in the title or abstract, in taxonomy order."""
    text = f"{title}\n{abstract}"
    words = text_words(text) if text.isascii() else None
    return [tag.name for tag in tags if tag.matches(text, words)]
