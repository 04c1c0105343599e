"""The docs stay true: every command, option, make target and variable they name exists, and
every one that exists is documented; the README fits on two screens; links resolve."""

from __future__ import annotations

import contextlib
import importlib
import io
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "GUIDE.md", "EXPORT.md", "CONTRIBUTING.md", "BENCHMARKS.md")
README_LINES = 150
# The command-line tools a user or contributor runs (generator.publish.pagefind is started by
# `make site` itself, with arguments it builds, and is not one).
TOOLS = ("generator", "generator.serve", "bench", "bench.queries", "bench.reader")
# Where a package's `python -m` entry point keeps its main (its __main__ calls it on import).
MAINS = {"generator": "generator.cli", "bench": "bench.run"}
SUBCOMMANDS = re.compile(r"^    (\w+) ", re.MULTILINE)
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-[a-z])\b")
INVOCATION = re.compile(r"python -m (generator(?:\.serve)?|bench(?:\.queries|\.reader)?)(?![\w.])"
                        r"(?: (build|check|site|add)\b)?([^`\n|]*)")
CODE = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)
FENCED = re.compile(r"```.*?```", re.DOTALL)
MAKE = re.compile(r"\bmake ([a-z][a-z-]*)")
VARIABLE = re.compile(r"\bREADING_LIST_[A-Z_]+\b")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _text() -> str:
    """Every doc, one after the other."""
    return "\n".join((ROOT / name).read_text(encoding="utf-8") for name in DOCS)


@cache
def _help(tool: str, *arguments: str) -> str:
    """What `python -m TOOL [ARGUMENTS] --help` prints (its real main, in this process)."""
    main = importlib.import_module(MAINS.get(tool, tool)).main
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([*arguments, "--help"])
    return out.getvalue()


def _subcommands() -> list[str]:
    """The generator's subcommands, as its --help lists them."""
    return SUBCOMMANDS.findall(_help("generator").split("COMMAND\n", 2)[-1].split("options:")[0])


def _options(tool: str, subcommand: str | None = None) -> set[str]:
    """The options a tool (or one of the generator's subcommands) accepts, from its --help."""
    text = _help(tool, subcommand) if subcommand else _help(tool)
    return set(OPTION.findall(text.split("options:", 1)[-1])) - {"-h", "--help"}


def _targets() -> set[str]:
    """The Makefile's targets, as its .PHONY line declares them."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.MULTILINE)
    assert phony, "the Makefile declares its targets in .PHONY"
    targets = set(phony.group(1).split())
    for target in targets:
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f".PHONY names '{target}', never defined"
    return targets


def test_the_readme_fits_on_two_screens() -> None:
    """What it does, the two commands, the weekly loop, publishing, links: ≤ 150 lines."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_LINES


def test_every_make_target_is_documented_and_every_documented_one_exists() -> None:
    """`make X` in a code span or block of the docs names a target, and each target is named."""
    named = {target for code in CODE.findall(_text()) for target in MAKE.findall(code)}
    targets = _targets()
    assert named - targets == set(), "the docs name make targets the Makefile lacks"
    assert targets - named == set(), "make targets no doc names"


def test_every_option_the_docs_write_exists() -> None:
    """Each `python -m TOOL [SUBCOMMAND] --option` in the docs is accepted by that tool."""
    wrong = []
    for tool, subcommand, rest in INVOCATION.findall(_text()):
        accepted = _options(tool, subcommand or None)
        wrong += [f"python -m {tool} {subcommand} {option}" for option in OPTION.findall(rest)
                  if option not in accepted]
    assert wrong == []


def test_every_command_and_option_is_documented() -> None:
    """Each tool, each of the generator's subcommands and each of their options is in the docs."""
    text = _text()
    missing = [f"python -m {tool}" for tool in TOOLS if f"python -m {tool}" not in text]
    for subcommand in _subcommands():
        if not re.search(rf"python -m generator {subcommand}\b|generator {subcommand}\b|`{subcommand}`", text):
            missing.append(f"python -m generator {subcommand}")
        missing += [f"python -m generator {subcommand} {option}"
                    for option in sorted(_options("generator", subcommand))
                    if not re.search(rf"(?<![\w-]){re.escape(option)}\b", text)]
    for tool in TOOLS[1:]:
        missing += [f"python -m {tool} {option}" for option in sorted(_options(tool))
                    if not re.search(rf"(?<![\w-]){re.escape(option)}\b", text)]
    assert missing == []


def test_every_variable_the_code_reads_is_documented() -> None:
    """READING_LIST_* variables: the ones in the code and the ones in the docs are the same."""
    code = "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "generator").rglob("*.py")))
    code += (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert set(VARIABLE.findall(_text())) == set(VARIABLE.findall(code))


@pytest.mark.parametrize("name", DOCS)
def test_relative_links_resolve(name: str) -> None:
    """Each relative link points at a file of the repository, and each #anchor at a heading."""
    broken = []
    for target in LINK.findall(FENCED.sub("", (ROOT / name).read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = ROOT / (path or name)
        if not file.exists() or (anchor and file.suffix == ".md" and anchor not in _anchors(file)):
            broken.append(target)
    assert broken == []


def _anchors(file: Path) -> set[str]:
    """The #anchors GitHub gives a Markdown file's headings."""
    headings = re.findall(r"^#+ (.+)$", FENCED.sub("", file.read_text(encoding="utf-8")), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}
