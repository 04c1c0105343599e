"""``mkdocs build --dirty`` without its warning, for the partial builds generator/publish/engines.py plans.

MkDocs warns on every --dirty build that navigation and links may be stale, and --strict
turns that warning into a failure. generator/publish/engines.py makes a partial build exact (what
--dirty leaves stale forces a full build, and the pages to render lose their old output), so
this one warning is dropped here; every other warning still fails the build.
"""

from __future__ import annotations

import logging
import sys

from mkdocs.__main__ import cli

DIRTY_WARNING = "A 'dirty' build is being performed"


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(DIRTY_WARNING)


if __name__ == "__main__":
    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)
    sys.exit(cli(prog_name="mkdocs"))
