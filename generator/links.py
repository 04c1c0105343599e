"""Find URLs in abstracts and say what each one is: code, project, video or other."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .model import Link

# Scheme-less hosts are only recognised with a known top-level domain, so "e.g." or
# "Node.js" never become links.
_TLDS = (
    "com|org|net|edu|gov|io|ai|app|dev|me|cc|co|ly|be|gl|ms|tv|page|site|xyz|info|so|"
    "uk|de|fr|cn|jp|ca|ch|nl|eu|us"
)
URL = re.compile(
    r"(?:(?<![\w@/.-])|(?<=\())"
    r"(?:https?://[^\s<>\"'`]+"
    rf"|(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"'`]*)?)",
    re.IGNORECASE,
)
# What every URL without a scheme holds: a dot right before a known top-level domain. Text
# with neither that nor "://" has no URL, and testing that is far quicker than the URL pattern.
_HINT = re.compile(rf"\.(?:{_TLDS})\b", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*"
_PAIRS = {")": "(", "]": "[", "}": "{"}

CODE_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co"}
VIDEO_HOSTS = {"youtube.com", "youtu.be", "vimeo.com", "bilibili.com", "b23.tv"}
PROJECT_SUFFIXES = (".github.io", ".gitlab.io", ".netlify.app", ".vercel.app", ".pages.dev")
PROJECT_HOSTS = {"sites.google.com"}
# Hugging Face paths that are not repositories of code or models.
HF_NOT_CODE = {"papers", "spaces", "datasets", "blog", "docs", "collections", "learn"}


def _trim(url: str) -> str:
    """Drop trailing punctuation and unbalanced closing brackets."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(_PAIRS[last]) < url.count(last)):
            url = url[:-1]
        else:
            break
    return url


def _host(url: str) -> tuple[str, list[str]]:
    """Lower-case host without ``www.`` and the non-empty path segments."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, [segment for segment in parts.path.split("/") if segment]


def classify(url: str) -> str:
    """Kind of a link: ``code`` for a repository, ``project``, ``video`` or ``other``."""
    host, path = _host(url)
    if host in CODE_HOSTS:
        if host == "huggingface.co":
            return "code" if len(path) >= 2 and path[0] not in HF_NOT_CODE else "other"
        return "code" if len(path) >= 2 else "other"
    if host in VIDEO_HOSTS or host.endswith(".youtube.com"):
        return "video"
    if host in PROJECT_HOSTS or host.endswith(PROJECT_SUFFIXES):
        return "project"
    return "other"


def normalise(url: str) -> str:
    """Give scheme-less URLs ``https://`` so they work as links."""
    return url if re.match(r"https?://", url, re.IGNORECASE) else f"https://{url}"


def extract_links(text: str) -> list[Link]:
    """Every distinct URL in the text, in order of appearance, classified."""
    seen: dict[str, Link] = {}
    if "://" not in text and _HINT.search(text) is None:
        return []
    for match in URL.finditer(text):
        url = _trim(match.group(0))
        if not url or "." not in url.split("//")[-1]:
            continue
        url = normalise(url)
        if url not in seen:
            seen[url] = Link(url=url, kind=classify(url))
    return list(seen.values())
