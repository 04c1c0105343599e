"""Links in abstracts: found with or without a scheme, trimmed, and classified."""

from __future__ import annotations

import pytest

from generator.links import classify, extract_links
from generator.model import Link


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
