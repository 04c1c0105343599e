"""Readable, bounded, unique slugs that never change once a paper is published."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from .errors import ConfigError
from .identity import HeadIndex, PaperKey, normalise_text

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
            entries = {slug: PaperKey(item["title"], item["head"]) for slug, item in data.items()}
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ConfigError(
                f"{path}: slug registry unreadable ({error}); restore it from git, it keeps "
                "published URLs stable"
            ) from None
        return cls(entries)

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
        # Published slugs by title, then head: a scan of a title's slugs per key was quadratic.
        by_title: dict[str, HeadIndex[str]] = {}
        for slug, known in self.entries.items():
            by_title.setdefault(known.title, HeadIndex()).add(known.head, slug)
        result: dict[PaperKey, str] = {}
        given: set[str] = set()  # result's values, as a set: a list scan made this quadratic
        taken = set(self.entries)
        suffixes: dict[str, int] = {}
        for key in sorted(keys):
            heads = by_title.get(key.title)
            # The first published slug (by name) of this paper not given to another copy.
            slug = min((s for s in heads.matching(key.head) if s not in given),
                       default=None) if heads is not None else None
            if slug is None:
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
            elif len(key.head) > len(self.entries[slug].head):
                # A longer copy of the abstract arrived: remember it, the slug stays.
                heads.remove(self.entries[slug].head, slug)
                heads.add(key.head, slug)
                self.entries[slug] = key
                self.changed = True
            result[key] = slug
            given.add(slug)
        return result


def base_slug_from_key(key: PaperKey) -> str:
    """Slug from the normalised title (what identity uses, so it is order-independent)."""
    return base_slug(key.title)
