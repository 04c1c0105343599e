"""Readable, bounded, unique slugs that never change once a paper is published."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from .errors import ConfigError
from .identity import HeadIndex, Match, PaperKey, normalise_text

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
        """Read the registry; a missing file is an empty registry."""
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = {slug: _key(item) for slug, item in data.items()}
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ConfigError(
                f"{path}: slug registry unreadable ({error}); restore it from git, it keeps "
                "published URLs stable"
            ) from None
        return cls(entries)

    def dump(self) -> str:
        """The registry as stable, diff-friendly JSON."""
        data = {slug: _item(key) for slug, key in sorted(self.entries.items())}
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
        taken = set(self.entries)
        suffixes: dict[str, int] = {}
        for key in pending:
            base = base_slug_from_key(key)
            # Taken only grows: the next number to try for a base starts where the last
            # search ended (from 2 each time was quadratic for papers sharing a title).
            n = suffixes.get(base, 1)  # 1 stands for the base itself, then -2, -3, ...
            while (slug := base if n == 1 else f"{base}-{n}") in taken:
                n += 1
            suffixes[base] = n + 1
            self.entries[slug] = key
            taken.add(slug)
            self.changed = True
            result[key] = slug
        return result


def _key(item: dict[str, str]) -> PaperKey:
    """A registry entry read back; files written before arXiv ids were kept have none."""
    arxiv = item.get("arxiv_id", "")
    if not isinstance(arxiv, str):
        raise TypeError(f"arxiv_id {arxiv!r} is not a string")
    return PaperKey(item["title"], item["head"], arxiv)


def _item(key: PaperKey) -> dict[str, str]:
    """A registry entry as stored; ``arxiv_id`` only when known, so older files stay as they were."""
    item = {"title": key.title, "head": key.head}
    if key.arxiv_id:
        item["arxiv_id"] = key.arxiv_id
    return item


def base_slug_from_key(key: PaperKey) -> str:
    """Slug from the normalised title (what identity uses, so it is order-independent)."""
    return base_slug(key.title)
