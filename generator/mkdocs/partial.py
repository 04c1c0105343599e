"""``mkdocs build --dirty`` rendering the pages generator/publish/engines.py plans, and no others.

MkDocs warns on every --dirty build that navigation and links may be stale, and --strict
turns that warning into a failure. generator/publish/engines.py makes a partial build exact (what
--dirty leaves stale forces a full build), so this one warning is dropped here; every other
warning still fails the build.

``--docs DOCS`` comes before MkDocs' own arguments. On standard input, first a line saying
docs/ is complete (engines.py may start this build while the generator still writes docs/:
MkDocs' start, ~0.25 s, then runs beside it, and the build waits for the line before it
reads anything), then the plan, a JSON list of the paths under docs/ to render. A file of
docs/ is modified exactly when the plan names it: --dirty would compare two mtimes for each
of the site's files, twice (~0.2 s at 10,000 papers), and engines.py works the plan out
while MkDocs starts, so it is read only when MkDocs first asks. The planned pages lost
their old output, so mtimes would agree.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from functools import cache
from typing import Any

from mkdocs.__main__ import cli
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import File

DIRTY_WARNING = "A 'dirty' build is being performed"
DOCS_OPTION = "--docs"
# The line engines.py sends once docs/ is complete (engines.GO; this script imports no
# generator module, so the two are kept equal by tests/test_partial_build.py).
GO = "docs complete"


class NoPlan(SystemExit):
    """Standard input held no plan: the build stops rather than guess what changed."""


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(DIRTY_WARNING)


def read_plan(text: str) -> frozenset[str]:
    """The paths a plan names; NoPlan when it is not a JSON list of strings."""
    try:
        rendered = json.loads(text)
    except ValueError:
        rendered = None
    if not isinstance(rendered, list) or not all(isinstance(path, str) for path in rendered):
        raise NoPlan("partial.py: no build plan on standard input (a JSON list of paths under "
                     "docs/); run `make site`, which sends it")
    return frozenset(rendered)


def held_until_docs(line: Callable[[], str]) -> None:
    """Make MkDocs' build wait, configuration loaded, for ``line()`` to say docs/ is complete."""
    by_mkdocs = mkdocs_build.build

    def build(config: Any, **options: Any) -> None:
        if line().rstrip("\n") != GO:
            raise NoPlan("partial.py: standard input closed before docs/ was complete: nothing "
                         "built; run `make site`, which says when it is")
        by_mkdocs(config, **options)

    mkdocs_build.build = build


def modified_as_planned(docs: str, plan: Callable[[], str]) -> None:
    """Make File.is_modified answer from ``plan()`` for docs/'s files (the theme's as before)."""
    docs = os.path.realpath(docs)
    by_mtime = File.is_modified
    in_docs: dict[str, bool] = {}  # By a file's src_dir: the same few strings for every file.
    rendered = cache(lambda: read_plan(plan()))  # Read at the first question, then kept.

    def is_modified(self: File) -> bool:
        if self._content is None and self.src_dir is not None:
            if self.src_dir not in in_docs:
                in_docs[self.src_dir] = os.path.realpath(self.src_dir) == docs
            if in_docs[self.src_dir]:
                return self.src_uri in rendered()
        return by_mtime(self)

    File.is_modified = is_modified  # type: ignore[method-assign]


if __name__ == "__main__":
    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)
    if sys.argv[1:2] == [DOCS_OPTION]:
        held_until_docs(sys.stdin.readline)
        modified_as_planned(sys.argv[2], sys.stdin.read)
        del sys.argv[1:3]
    sys.exit(cli(prog_name="mkdocs"))
