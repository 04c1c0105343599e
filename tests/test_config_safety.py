"""The files a user edits cannot hang or explode a build: bounded YAML, linear patterns, dates, tag slugs."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest

from generator.cli import main
from tests.kit.dumps import ABSTRACT, dump_text

GOOD = dump_text(f"Paper One\n\n{ABSTRACT}\n\n  • 3 authors\n·\nFeb 9, 2024 3")
DUMP = "2025-10-28-a.txt"
# Nine lists of nine: 9**9 strings once expanded (billion laughs, YAML flavour).
LAUGHS = "".join(
    f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9 if previous else ['"lol"'] * 9) + "]\n"
    for previous, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True))
# The same through merge keys: every level merges the one above ten times.
MERGES = "m0: &m0 {" + ", ".join(f"k{n}: 1" for n in range(10)) + "}\n" + "".join(
    f"m{level}: &m{level} {{<<: [" + ", ".join([f"*m{level - 1}"] * 10) + f"], own{level}: 1}}\n"
    for level in range(1, 8))
# The size limit of a settings file (generator.read.yamlfile.MAX_BYTES), stated as GUIDE.md does.
MAX_BYTES = 8 * 1024 * 1024
TAXONOMY = "tags:\n  Robotics:\n    keywords: [robot]\n"


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """A CLI command in-process: its exit status and what it printed on stderr."""
    status = main([*args, "--root", str(root)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("relative", "text", "message"),
    [
        ("curation.yml", LAUGHS, ":8: aliases repeat 490,329,036 values (at most 10,000), most of "
         "them this anchor's; write the values out or use fewer aliases"),
        ("taxonomy.yml", TAXONOMY + LAUGHS, ":11: aliases repeat 490,329,036 values (at most "
         "10,000), most of them this anchor's; write the values out or use fewer aliases"),
        ("seeds/dumps.yaml", MERGES, ":7: aliases repeat 239,506,110 values (at most 10,000), most "
         "of them this anchor's; write the values out or use fewer aliases"),
        ("curation.yml", "a: &a [1, *a]\n", ":1: an alias refers to the node that holds it, which "
         "never ends; write the value out"),
        ("taxonomy.yml", "tags: " + "[" * 200 + "]" * 200 + "\n", ":1: nested more than 50 levels "
         "deep; flatten it"),
        ("curation.yml", "x: !!int nine\n", ":1: not valid YAML: cannot read this value as int "
         "(invalid literal for int() with base 10: 'nine')"),
    ],
    ids=["laughs-curation", "laughs-taxonomy", "merge-keys-dumps-yaml", "cycle", "deep", "bad-int"],
)
def test_yaml_that_would_explode_is_one_clear_line(
        make_project, capsys: pytest.CaptureFixture[str], relative: str, text: str, message: str) -> None:
    """`build`, `check` and (for dumps.yaml) `add` stop at once with file and line, exit 2."""
    project = make_project({DUMP: GOOD}, **{relative: text})
    path = project.root / relative
    commands = [["build"], ["check"]]
    if relative == "seeds/dumps.yaml":
        (project.root / "new.txt").write_text(GOOD, encoding="utf-8")
        commands.append(["add", str(project.root / "new.txt"), "--captured", "2025-10-29"])
    for command in commands:
        assert run(project.root, capsys, *command) == (2, f"Error: {path}{message}\n")


def test_an_oversized_settings_file_is_refused_before_it_is_parsed(
        make_project, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project({DUMP: GOOD})
    (project.root / "curation.yml").write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    assert run(project.root, capsys, "build") == (
        2, f"Error: {project.root}/curation.yml: larger than 8 MB, which no settings file needs; "
        "check it is the right file\n")


def test_aliases_within_bounds_still_work(make_project, capsys: pytest.CaptureFixture[str]) -> None:
    """A shared keyword list and a merge key, as a curator may write them."""
    taxonomy = ("tags:\n  Robotics:\n    keywords: &robots [robot, robots]\n"
                "  Robot learning:\n    keywords: *robots\n    slug: robot-learning\n")
    curation = "defaults: &defaults {status: to-read}\npaper-one: {<<: *defaults, rating: 4}\n"
    project = make_project({DUMP: GOOD.replace("agents learn", "robots learn")},
                           **{"taxonomy.yml": taxonomy})
    # `defaults` is no slug: the merge key must still have been expanded for paper-one.
    (project.root / "curation.yml").write_text(curation.replace("defaults: &defaults",
                                                                "paper-one-defaults: &defaults"))
    status, err = run(project.root, capsys, "build")
    assert status == 2 and "no paper has the slug 'paper-one-defaults'" in err
    (project.root / "curation.yml").write_text("paper-one: {<<: {status: to-read}, rating: 4}\n")
    assert run(project.root, capsys, "build")[0] == 0
    papers = json.loads((project.docs / "papers.json").read_text(encoding="utf-8"))
    assert papers[0]["tags"] == ["Robotics", "Robot learning"]
    page = (project.docs / "papers" / "paper-one" / "index.md").read_text(encoding="utf-8")
    assert 'title="rated 4 of 5"' in page and "paper-status-to-read" in page


@pytest.mark.timeout(60)
def test_a_catastrophic_pattern_matches_in_linear_time(
        make_project, capsys: pytest.CaptureFixture[str]) -> None:
    """`(a+)+$` against 40 a's took time doubling per character with Python's re."""
    taxonomy = "tags:\n  Letters:\n    patterns: ['(a+)+$', '^(a|aa)+$']\n"
    title = "a" * 40
    project = make_project({DUMP: dump_text(f"{title}\n\n{ABSTRACT} {'a' * 40}!")},
                           **{"taxonomy.yml": taxonomy})
    assert run(project.root, capsys, "build") == (0, "")
    papers = json.loads((project.docs / "papers.json").read_text(encoding="utf-8"))
    assert [(paper["title"], paper["tags"]) for paper in papers] == [(title, [])]


def test_a_pattern_the_linear_engine_cannot_run_is_refused_with_its_line(
        make_project, capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy = ("tags:\n  Robotics:\n    keywords: [robot]\n"
                "    patterns: ['(?<!no )robot', '(a)\\1']\n")
    project = make_project({DUMP: GOOD}, **{"taxonomy.yml": taxonomy})
    status, err = run(project.root, capsys, "check")
    hint = ("patterns are RE2 regular expressions (Python's syntax without look-around or "
            "back-references), which match fast on any text")
    assert status == 2
    assert err.splitlines() == [
        f"Error: {project.taxonomy}:4: pattern '(?<!no )robot' of tag 'Robotics' is refused: "
        f"invalid perl operator: (?<!; {hint}",
        f"{project.taxonomy}:4: pattern '(a)\\\\1' of tag 'Robotics' is refused: invalid escape "
        f"sequence: \\1; {hint}",
    ]


CAPTURED = ["2025-02-30", "2025-10-28T10:00", "2025-10-28T10:00:00", "2025-10-28 10:00:00",
            "2025-W01-1", "20251028", "[2025, 10, 28]"]


@pytest.mark.parametrize("command", ["build", "check", "add"])
@pytest.mark.parametrize("captured", CAPTURED)
def test_a_capture_date_that_is_no_day_is_one_clear_line(
        make_project, capsys: pytest.CaptureFixture[str], captured: str, command: str) -> None:
    dumps_yaml = f"# capture dates\n{DUMP}:\n  captured: {captured}\n"
    project = make_project({DUMP: GOOD}, **{"seeds/dumps.yaml": dumps_yaml})
    args = [command]
    if command == "add":
        (project.root / "new.txt").write_text(GOOD, encoding="utf-8")
        args += [str(project.root / "new.txt"), "--captured", "2025-10-29"]
    written = repr(json.loads(captured)) if captured.startswith("[") else (
        captured if captured.isdigit() else repr(captured))
    assert run(project.root, capsys, *args) == (
        2, f"Error: {project.seeds}/dumps.yaml:3: '{DUMP}' needs 'captured: YYYY-MM-DD', the day "
        f"the page was saved, a real day without a time, not {written}\n")
    assert sorted(path.name for path in project.seeds.iterdir()) == [DUMP, "dumps.yaml"]


def test_date_like_text_in_curation_and_taxonomy_is_text(
        make_project, capsys: pytest.CaptureFixture[str]) -> None:
    """`note: 2025-02-30` crashed the loader; no field of these files is a date: it is text."""
    taxonomy = "tags:\n  Agents:\n    keywords: [agents]\n    description: 2025-02-30\n"
    project = make_project({DUMP: GOOD}, **{"taxonomy.yml": taxonomy,
                                            "curation.yml": "paper-one:\n  note: 2025-02-30\n"})
    assert run(project.root, capsys, "build")[0] == 0
    page = (project.docs / "papers" / "paper-one" / "index.md").read_text(encoding="utf-8")
    assert "2025-02-30" in page
    tags = (project.docs / "tags" / "agents" / "index.md").read_text(encoding="utf-8")
    assert "<p>2025-02-30</p>" in tags  # Text, in an HTML block as the template writes it.


def test_a_tag_description_is_one_inert_paragraph(
        make_project, capsys: pytest.CaptureFixture[str]) -> None:
    """The description goes in a raw HTML block: markup in it stays text, a blank line in it
    cannot end the block, and Python-Markdown (any engine, hooks or none) passes it as it is."""
    description = '<script>x()</script> *not em* & "q"\n\n  `not code` [no](link)'
    taxonomy = "tags:\n  Agents:\n    keywords: [agents]\n    description: " + json.dumps(description) + "\n"
    project = make_project({DUMP: GOOD}, **{"taxonomy.yml": taxonomy})
    assert run(project.root, capsys, "build")[0] == 0
    tags = (project.docs / "tags" / "agents" / "index.md").read_text(encoding="utf-8")
    shown = ('<p>&lt;script&gt;x()&lt;/script&gt; *not em* &amp; "q" `not code` [no](link)</p>')
    assert f"\n\n{shown}\n\n" in tags
    html = markdown.Markdown(extensions=["toc", "tables", "attr_list"]).convert(tags.split("---\n", 2)[2])
    assert f"\n{shown}\n" in html and "<script>" not in html and "<em>" not in html
    # In the overview's table (a raw HTML block), a cell of the tag's row, its line breaks spaces.
    overview = (project.docs / "tags" / "index.md").read_text(encoding="utf-8")
    html = markdown.Markdown(extensions=["toc", "tables", "attr_list"]).convert(overview)
    assert "<script>" not in html and "<em>" not in html
    assert ('<td><a href="agents/">Agents</a></td><td>1</td>'
            '<td>&lt;script&gt;x()&lt;/script&gt; *not em* &amp; "q" `not code` [no](link)</td>'
            in html)


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("  Overview:\n    keywords: [agents]\n    slug: index\n",
         ":4: tag 'Overview': 'slug:' 'index' is the URL of the tag overview; give it another "
         "'slug:', like 'index-tag'"),
        ("  Index:\n    keywords: [agents]\n",
         ":2: tag 'Index': URL slug from its name 'index' is the URL of the tag overview; give it "
         "another 'slug:', like 'index-tag'"),
        ("  Untagged:\n    keywords: [agents]\n",
         ":2: tag 'Untagged': URL slug from its name 'untagged' is the URL of the list of untagged "
         "papers; give it another 'slug:', like 'untagged-tag'"),
        ("  Pair:\n    keywords: [agents]\n    slug: [1, 2]\n",
         ":4: tag 'Pair': 'slug: [1, 2]'; a slug is text of lower-case letters, digits and single "
         "hyphens, like 'world-models'"),
        ("  Escape:\n    keywords: [agents]\n    slug: ../../x\n",
         ":4: tag 'Escape': 'slug: '../../x''; a slug is text of lower-case letters, digits and "
         "single hyphens, like 'world-models'"),
        ("  '???':\n    keywords: [agents]\n",
         ":2: tag '???': its name gives no usable URL slug (''); a slug is text of lower-case "
         "letters, digits and single hyphens, like 'world-models'"),
        ("  Agents:\n    keywords: [agents]\n  AGENTS!:\n    keywords: [agent]\n",
         ":4: tag 'AGENTS!' has the URL slug 'agents' of tag 'Agents' (line 2); give one a 'slug:' "
         "of its own"),
    ],
    ids=["slug-index", "name-index", "name-untagged", "slug-list", "slug-escape", "no-slug",
         "same-slug"],
)
def test_a_tag_slug_that_would_replace_a_page_or_leave_the_folder_is_refused(
        make_project, capsys: pytest.CaptureFixture[str], tag: str, message: str) -> None:
    project = make_project({DUMP: GOOD}, **{"taxonomy.yml": "tags:\n" + tag})
    assert run(project.root, capsys, "build") == (2, f"Error: {project.taxonomy}{message}\n")
    assert not (project.docs / "tags").exists()


def test_every_taxonomy_mistake_is_reported_at_once(
        make_project, capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy = ("tags:\n  A:\n    keywords: [agents]\n    slug: index\n"
                "  B:\n    patterns: ['(?=x)']\n  C:\n    keywords: ['']\n")
    project = make_project({DUMP: GOOD}, **{"taxonomy.yml": taxonomy})
    status, err = run(project.root, capsys, "check")
    assert status == 2
    assert [line.removeprefix("Error: ").split(": ")[0] for line in err.splitlines()] == [
        f"{project.taxonomy}:4", f"{project.taxonomy}:6", f"{project.taxonomy}:8"]
