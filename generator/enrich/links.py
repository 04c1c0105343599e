"""Find URLs in abstracts and say what each one is: code, project, video or other."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from generator.model import Link

# Scheme-less hosts are only recognised with a known top-level domain, so "e.g." or
# "Node.js" never become links.
_TLDS = (
    "com|org|net|edu|gov|io|ai|app|dev|me|cc|co|ly|be|gl|ms|tv|page|site|xyz|info|so|"
    "uk|de|fr|cn|jp|ca|ch|nl|eu|us"
)
# A backslash never belongs to a URL in an abstract: it starts the LaTeX command that follows.
URL = re.compile(
    r"(?:(?<![\w@/.-])|(?<=\())"
    r"(?:https?://[^\s<>\"'`\\]+"
    rf"|(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"'`\\]*)?)",
    re.IGNORECASE,
)
# What every URL without a scheme holds: a dot right before a known top-level domain. Text
# with neither that nor "//" has no URL, and testing that is far quicker than the URL pattern.
_HINT = re.compile(rf"\.(?:{_TLDS})\b", re.IGNORECASE)

# Forms authors break a URL into, each mended before the URL pattern runs (a text of the
# abstract kept for that alone; the abstract itself is never changed):
# "https: //host" or "https:// host" (spaces around the scheme's colon and slashes),
_SPACED_SCHEME = re.compile(r"\b(https?)[ \t]*:[ \t]*//[ \t]*(?=[a-z0-9])", re.IGNORECASE)
# "\url{…}" and "\href{…}{text}" from LaTeX sources, whose braces are no part of the URL,
_LATEX_URL = re.compile(r"\\(?:url|href)[ \t]*\{([^{}\s]*)\}")
# "\_", "\%", "\#", "\&" and "\~" escaped for LaTeX inside a URL,
_LATEX_ESCAPE = re.compile(r"\\([_%#&~])")
# and "//host/path" with its scheme left out (a dotted host right after, not a comment).
_NO_SCHEME = re.compile(r"(?<![\w:/])//(?=(?:[a-z0-9-]+\.)+[a-z]{2,}\b)", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*。，、；：！？’”…"
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
    """Give scheme-less URLs ``https://`` so they work as links; the scheme in lower case."""
    scheme = re.match(r"https?://", url, re.IGNORECASE)
    if scheme is None:
        return f"https://{url}"
    return scheme.group(0).lower() + url[scheme.end():]


def _mend(text: str) -> str:
    """The text with every broken URL form written as a plain URL, for the URL pattern."""
    # Plain substring tests first: most abstracts hold only well-formed "scheme://host".
    spaced = any(form in text for form in (" ://", "\t://", ":// ", "://\t"))
    if spaced or text.count("//") != text.count("://"):
        text = _SPACED_SCHEME.sub(r"\1://", text)
    if "\\" in text:
        # Spaces around the braces' content so the URL ends where the braces did.
        text = _LATEX_ESCAPE.sub(r"\1", _LATEX_URL.sub(r" \1 ", text))
    if text.count("//") != text.count("://"):
        text = _NO_SCHEME.sub("https://", text)
    return text


def _web_address(url: str) -> bool:
    """True for an http(s) URL with a dotted host: the only links a page may carry."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # a broken bracketed host such as "https://[x"
        return False
    return parts.scheme in ("http", "https") and "." in host.strip(".")


def extract_links(text: str) -> list[Link]:
    """Every distinct URL in the text, in order of appearance, mended, trimmed and classified."""
    seen: dict[str, Link] = {}
    if "//" not in text and _HINT.search(text) is None:
        return []
    for match in URL.finditer(_mend(text)):
        url = _trim(match.group(0))
        if not url or "." not in url.split("//")[-1]:
            continue
        url = normalise(url)
        if url not in seen and _web_address(url):
            seen[url] = Link(url=url, kind=classify(url))
    return list(seen.values())
