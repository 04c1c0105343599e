"""Which search a site gets: Material's own index while the list is small, Pagefind's
chunked index (generator/publish/pagefind.py) from a size on, or none at all."""

from __future__ import annotations

import os

from generator.problems import ConfigError

# Set to "off" to build without the index.
SWITCH = "READING_LIST_SEARCH"


# Which engine searches the site: Material's own index (suggestions, highlighting on the
# page opened) while it is small, Pagefind's chunked index once Material's single file would
# weigh on a first search (~370 KB gzipped at 1,000 papers, 3.6 MB at 10,000).
ENGINES = ("auto", "material", "pagefind")
ENGINE_VARIABLE = "READING_LIST_SEARCH_ENGINE"
PAGEFIND_FROM = 1_000


def choose_engine(setting: str, papers: int, pagefind_from: int = PAGEFIND_FROM) -> str:
    """The engine a site of this many papers gets: ``material`` or ``pagefind``."""
    if setting not in ENGINES:
        raise ConfigError(
            f"search engine '{setting}' is not one of {', '.join(ENGINES)} "
            f"(extra.search.engine in mkdocs.yml or {ENGINE_VARIABLE})"
        )
    if setting != "auto":
        return setting
    return "pagefind" if papers >= pagefind_from else "material"


def enabled() -> bool:
    """Whether builds should index the site (on unless READING_LIST_SEARCH=off)."""
    return os.environ.get(SWITCH, "on").lower() != "off"
