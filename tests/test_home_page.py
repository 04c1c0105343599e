"""The home page a returning reader meets: newest additions, featured, top of the newest dump."""

from __future__ import annotations

import re

import pytest

from tests.kit.corpus import DIFFUSION_A, ROBOT_A, built_site, slug
from tests.test_feeds import EXPECTED


def _section(home: str, heading_id: str) -> list[str]:
    """Slugs of the cards under one heading of the home page, in order."""
    section = home.split(f'id="{heading_id}"', 1)[1].split("<h2", 1)[0]
    return re.findall(r'<li class="paper-card"><a class="paper-card__title" href="papers/([^"/]+)/"', section)


@pytest.mark.slow
def test_home_shows_newest_additions_featured_and_the_newest_dumps_top() -> None:
    home = (built_site() / "site" / "index.html").read_text(encoding="utf-8")
    # By the day a dump first held them, as the feeds order them.
    assert _section(home, "newest-additions") == [slug(e.title) for e in EXPECTED]
    assert _section(home, "featured") == [slug(ROBOT_A.title)]
    # The newest dump (captured 2025-06-15) holds ROBOT_A (12 upvotes) and DIFFUSION_A (3);
    # its other papers have no upvote count.
    assert _section(home, "most-upvoted-in-the-newest-dump") == [slug(ROBOT_A.title),
                                                                 slug(DIFFUSION_A.title)]
    # Said by the day it was saved: a dump's file name means nothing to a reader.
    assert "newest Daily Papers page saved, on 2025-06-15." in home and "2025-06-15-images.txt" not in home
    links = set(re.findall(r'href="([^"]+)"', home.split("<article", 1)[1]))
    assert {"tags/", "dates/", "code/", "reading/"} <= links
