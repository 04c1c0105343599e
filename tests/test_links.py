"""Links in abstracts: found with or without a scheme, trimmed, and classified."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.enrich.links import classify, extract_links
from generator.model import Link
from generator.read.dumps import load_dump
from tests.kit.project import REAL_SEEDS


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("Code: https://github.com/ltlhuuu/A2PR.", ["https://github.com/ltlhuuu/A2PR"]),
        ("see https://cybertronagent.github.io/Optimus-2.github.io/.", ["https://cybertronagent.github.io/Optimus-2.github.io/"]),
        ("at learning-from-play.github.io", ["https://learning-from-play.github.io"]),
        ("code at github.com/facebookresearch/galactic.", ["https://github.com/facebookresearch/galactic"]),
        ("(https://sites.google.com/view/myodex)", ["https://sites.google.com/view/myodex"]),
        ("video https://youtu.be/eVFQbRyilCA, and http://tiny.cc/grif;", ["https://youtu.be/eVFQbRyilCA", "http://tiny.cc/grif"]),
        ("wiki https://en.wikipedia.org/wiki/Foo_(bar).", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("https://aka.ms/tinyclip. and again https://aka.ms/tinyclip", ["https://aka.ms/tinyclip"]),
        ("e.g. Node.js, i.e. U.S. results, 3.5 points", []),
        ("mail me@example.com please", []),
    ],
)
def test_extraction(text: str, urls: list[str]) -> None:
    assert [link.url for link in extract_links(text)] == urls


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://github.com/org/repo", "code"),
        ("https://github.com/Pepperlll/LMforImageGeneration.git", "code"),
        ("https://gitlab.com/group/project", "code"),
        ("https://bitbucket.org/team/repo", "code"),
        ("https://huggingface.co/meta-llama/Llama-3", "code"),
        ("https://github.com/org", "other"),
        ("https://huggingface.co/papers/2401.00001", "other"),
        ("https://huggingface.co/datasets/org/data", "other"),
        ("https://ltlhuuu.github.io/PSEC/", "project"),
        ("https://sites.google.com/view/eil-website", "project"),
        ("https://stellar-entremet-1720bb.netlify.app/", "project"),
        ("https://youtu.be/eVFQbRyilCA", "video"),
        ("https://www.youtube.com/watch?v=x", "video"),
        ("http://tiny.cc/grif", "other"),
        ("https://seohong.me/projects/hilp/", "other"),
    ],
)
def test_classification(url: str, kind: str) -> None:
    assert classify(url) == kind


def test_has_code_only_for_repositories() -> None:
    links = extract_links("Project: https://a.github.io/x. Code: https://github.com/a/x.")
    assert links == [Link("https://a.github.io/x", "project"), Link("https://github.com/a/x", "code")]


# Forms authors break a link into in their abstracts, each with the URL the reader sees in it.
@pytest.mark.parametrize(
    ("text", "urls"),
    [
        pytest.param("Code: https: //github.com/org/repo.", ["https://github.com/org/repo"], id="space-after-colon"),
        pytest.param("Code: https:// github.com/org/repo", ["https://github.com/org/repo"], id="space-after-slashes"),
        pytest.param("code at http : //example.org/x", ["http://example.org/x"], id="spaces-around-colon"),
        pytest.param("Code: \\url{https://github.com/org/repo}.", ["https://github.com/org/repo"], id="latex-url"),
        pytest.param("see \\url{github.com/org/my\\_repo}", ["https://github.com/org/my_repo"], id="latex-url-escaped"),
        pytest.param("\\href{https://org.github.io/x/}{project page}", ["https://org.github.io/x/"], id="latex-href"),
        pytest.param("Code: //github.com/org/repo.", ["https://github.com/org/repo"], id="no-scheme-slashes"),
        pytest.param("(code: //github.com/org/repo)", ["https://github.com/org/repo"], id="no-scheme-in-brackets"),
        pytest.param("{https://github.com/org/repo}", ["https://github.com/org/repo"], id="brace"),
        pytest.param("at https://github.com/org/repo}.", ["https://github.com/org/repo"], id="stray-brace"),
        pytest.param("try it at https://org.github.io/demo!", ["https://org.github.io/demo"], id="exclamation"),
        pytest.param("(see https://github.com/org/repo)", ["https://github.com/org/repo"], id="closing-bracket"),
        pytest.param("(see https://en.wikipedia.org/wiki/Foo_(bar))", ["https://en.wikipedia.org/wiki/Foo_(bar)"], id="balanced-brackets"),
        pytest.param("in https://github.com/org/repo\\footnote{x}", ["https://github.com/org/repo"], id="latex-command-after"),
        pytest.param("代码：https://github.com/org/repo。", ["https://github.com/org/repo"], id="full-width-stop"),
        pytest.param("HTTPS://GitHub.com/Org/Repo", ["https://GitHub.com/Org/Repo"], id="upper-case-scheme"),
    ],
)
def test_broken_forms(text: str, urls: list[str]) -> None:
    assert [link.url for link in extract_links(text)] == urls


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("https: //github.com/org/repo", "code"),
        ("\\url{https://gitlab.com/group/project}", "code"),
        ("//huggingface.co/org/model", "code"),
        ("https: //org.github.io/project", "project"),
        ("\\url{https://youtu.be/abc}", "video"),
        ("//example.org/page!", "other"),
    ],
)
def test_broken_forms_classified(text: str, kind: str) -> None:
    assert [link.kind for link in extract_links(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "comment // not a link",
        "javascript://github.com/%0aalert(1)",
        "ftp://github.com/org/repo",
        "https: //",
        "https://[github.com/org/repo",
        "\\url{javascript:alert(1)}",
        "data://github.com/x",
    ],
)
def test_only_web_addresses(text: str) -> None:
    assert extract_links(text) == []


# What no URL taken from an abstract may end in: the sentence's punctuation, an unbalanced bracket.
_TRAILING = re.compile(r"[.,;:!?'\"*}\]。，]$")


def _unbalanced_end(url: str) -> bool:
    return url.endswith(")") and url.count("(") < url.count(")")


@pytest.mark.parametrize("seed", REAL_SEEDS, ids=lambda path: path.name)
def test_real_seeds_give_clean_urls(seed: Path) -> None:
    dump = load_dump(seed)
    urls = [link.url for entry in dump.entries for link in extract_links(entry.abstract)]
    assert urls, f"{seed.name}: no links found at all"
    bad = [url for url in urls
           if re.search(r"\s", url) or _TRAILING.search(url) or _unbalanced_end(url)
           or urlsplit(url).scheme not in ("http", "https") or "." not in (urlsplit(url).hostname or "")]
    assert bad == []
