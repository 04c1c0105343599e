"""The curator's file: notes, ratings, reading status, tags, featured and hidden papers.

``curation.yml`` is keyed by paper slug and only ever read: the generator never writes it,
so nothing a curator types there can be lost by a rebuild.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from slugify import slugify

from generator.enrich.slugs import UniqueNames
from generator.enrich.taxonomy import RESERVED_TAG_SLUGS, Tag
from generator.model import Curation, Paper
from generator.problems import ConfigError, Problem
from generator.read.yamlfile import line_of, load_yaml, shown

CURATION_FILE = "curation.yml"
STATUSES = ("to-read", "reading", "read")
FIELDS = ("note", "rating", "status", "tags", "remove_tags", "featured", "hidden")
# A curator's own tag matches no text: it is given by hand only.
_NEVER = re.compile(r"(?!)")


def _suggest(word: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x' or 'y'?" for the closest choices, or nothing."""
    close = difflib.get_close_matches(word, sorted(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{choice}'" for choice in close) + "?"


def _text_list(value: Any) -> list[str] | None:
    """The value as a list of non-empty texts, or None when it is not one."""
    if not isinstance(value, list):
        return None
    items = [str(item).strip() for item in value if isinstance(item, str | int | float)]
    if len(items) != len(value) or not all(items):
        return None
    return items


def _entry(
    slug: str, spec: Any, path: Path, line: int, *, tag_names: list[str], errors: list[str]
) -> Curation:
    """One slug's fields, each checked; every mistake is appended to ``errors``."""
    where = f"{path}:{line}"
    if spec is None:
        return Curation()
    if not isinstance(spec, dict):
        errors.append(f"{where}: '{slug}' needs fields under it, e.g. 'rating: 4' or "
                      f"'status: to-read'; allowed fields: {', '.join(FIELDS)}")
        return Curation()
    values: dict[str, Any] = {}
    for name, value in spec.items():
        at = f"{path}:{line_of(spec, name) or line}"
        if name not in FIELDS:
            errors.append(f"{at}: '{slug}' has unknown field '{name}'{_suggest(str(name), FIELDS)}"
                          f" (allowed: {', '.join(FIELDS)})")
        elif value is None:
            continue  # "note:" left empty means nothing said.
        elif name == "note":
            if not isinstance(value, str):
                errors.append(f"{at}: note of '{slug}' must be text (Markdown); quote it or use "
                              "'note: |' and indent the lines below")
            else:
                values["note"] = value.strip()
        elif name == "rating":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                errors.append(f"{at}: rating of '{slug}' must be a whole number from 1 to 5, "
                              f"not {shown(value)}")
            else:
                values["rating"] = value
        elif name == "status":
            if value not in STATUSES:
                errors.append(f"{at}: status of '{slug}' must be one of {', '.join(STATUSES)}, "
                              f"not {shown(value)}")
            else:
                values["status"] = value
        elif name in ("featured", "hidden"):
            if not isinstance(value, bool):
                errors.append(f"{at}: {name} of '{slug}' must be true or false, not {shown(value)}")
            else:
                values[name] = value
        else:
            items = _text_list(value)
            if items is None:
                errors.append(f"{at}: {name} of '{slug}' must be a list of tag names, "
                              "e.g. [robotics, to-cite]")
                continue
            if name == "remove_tags":
                for item in items:
                    if item not in tag_names:
                        errors.append(f"{at}: remove_tags of '{slug}' names '{item}', which is "
                                      f"no tag in taxonomy.yml{_suggest(item, tag_names)}")
            values[name] = tuple(dict.fromkeys(items))
    return Curation(**values)


def load_curation(
    path: Path, present: set[str], published: set[str], tag_names: list[str]
) -> tuple[dict[str, Curation], list[Problem]]:
    """Read and check the curation file against the slugs of the papers in the dumps.

    ``present`` holds the slugs of the papers read now, ``published`` every slug ever given
    out (the slug registry): an entry for a published paper that no dump holds any more is
    reported and kept, an entry for a slug never given out is an error with suggestions.
    """
    if not path.exists():
        return {}, []
    data = load_yaml(path)
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected entries like 'paper-slug: {{rating: 4}}', one per "
                          "paper, keyed by the slug in the paper's URL (papers/<slug>/)")
    errors: list[str] = []
    problems: list[Problem] = []
    curation: dict[str, Curation] = {}
    for key, spec in data.items():
        line = line_of(data, key)
        where = f"{path}:{line}"
        slug = str(key)
        entry = _entry(slug, spec, path, line, tag_names=tag_names, errors=errors)
        if slug in present:
            curation[slug] = entry
        elif slug in published:
            problems.append(Problem(
                str(path), line,
                f"'{slug}' is curated but no dump holds its paper any more; entry kept",
                "restore the dump, or delete the entry if the paper is gone for good",
            ))
        else:
            errors.append(f"{where}: no paper has the slug '{slug}'{_suggest(slug, present)} "
                          "(a slug is the last part of a paper's URL: papers/<slug>/)")
    if errors:
        raise ConfigError("\n".join(errors))
    return curation, problems


def curator_tags(curation: dict[str, Curation], tags: list[Tag]) -> list[Tag]:
    """Tags named only in curation.yml, as tag pages of their own, sorted by name."""
    known = {tag.name.casefold() for tag in tags} | {tag.slug for tag in tags}
    names = sorted({name for entry in curation.values() for name in entry.tags
                    if name.casefold() not in known and slugify(name) not in known},
                   key=lambda name: (name.casefold(), name))
    slugs = UniqueNames({tag.slug for tag in tags} | RESERVED_TAG_SLUGS)
    return [Tag(slug=slugs.claim(slugify(name) or "tag"), name=name,
                description="Tagged by hand in curation.yml.", pattern=_NEVER) for name in names]


def _tag_name(name: str, tags: list[Tag]) -> str:
    """The tag an extra tag means: a taxonomy tag by name, any case, or by slug; else itself."""
    for tag in tags:
        if name == tag.name or name.casefold() == tag.name.casefold() or slugify(name) == tag.slug:
            return tag.name
    return name


def apply_curation(
    papers: list[Paper], curation: dict[str, Curation], tags: list[Tag]
) -> tuple[list[Paper], list[Paper], list[Tag]]:
    """Attach curation to papers: (published papers, hidden papers, every tag)."""
    all_tags = tags + curator_tags(curation, tags)
    order = {tag.name: index for index, tag in enumerate(all_tags)}
    published: list[Paper] = []
    hidden: list[Paper] = []
    for paper in papers:
        entry = curation.get(paper.slug, Curation())
        entry = replace(entry, tags=tuple(_tag_name(name, all_tags) for name in entry.tags))
        names = {name for name in paper.tags if name not in entry.remove_tags} | set(entry.tags)
        paper.tags = sorted(names, key=lambda name: order[name])
        paper.curation = entry
        (hidden if is_hidden(curation, paper.slug) else published).append(paper)
    return published, hidden, all_tags


def is_hidden(curation: dict[str, Curation], slug: str) -> bool:
    """Whether the curator hid the paper: ``apply_curation`` leaves it out of the published."""
    entry = curation.get(slug)
    return entry is not None and entry.hidden
