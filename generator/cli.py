"""Command line: ``python -m generator build|check|add``; domain errors become one line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import __version__
from .add import AddReport, add_dump
from .build import Catalog, Project, build_catalog, write_site
from .errors import GeneratorError

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Turn Hugging Face Daily Papers dumps into a reading-list site.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    common.add_argument("--seeds", type=Path, help="folder of dumps (default: ROOT/seeds)")
    common.add_argument("--docs", type=Path, help="MkDocs docs folder (default: ROOT/docs)")
    common.add_argument("--taxonomy", type=Path, help="tag file (default: ROOT/taxonomy.yml)")
    common.add_argument("--strict", action="store_true",
                        help="exit with status 1 when any dump has a problem")
    loud = common.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    loud.add_argument("-v", "--verbose", action="store_true", help="also list files written")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("build", parents=[common], help="read dumps and write docs/")
    commands.add_parser("check", parents=[common], help="read dumps and report, write nothing")
    add = commands.add_parser(
        "add", help="store a pasted dump in seeds/ under a dated name and say what is new",
        description="Check the text of a Daily Papers page, store it as "
                    "seeds/YYYY-MM-DD-<hash>.txt, record its capture date in seeds/dumps.yaml "
                    "and list which papers are new.",
    )
    add.add_argument("file", metavar="FILE", help="the dump, or - to read standard input")
    add.add_argument("--captured", type=_day, default=None, metavar="YYYY-MM-DD",
                     help="the day the page was copied (default: today); dates on the page "
                          "without a year take its year")
    add.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    add.add_argument("--seeds", type=Path, help="folder of dumps (default: ROOT/seeds)")
    return parser


def _day(text: str) -> dt.date:
    """A YYYY-MM-DD argument."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None


def _add(args: argparse.Namespace) -> int:
    """The ``add`` command: read the text, store it, print what is new."""
    seeds = args.seeds or args.root / "seeds"
    captured = args.captured or dt.date.today()
    try:
        if args.file == "-":
            data, source = sys.stdin.buffer.read(), "standard input"
        else:
            source = args.file
            try:
                data = Path(args.file).read_bytes()
            except OSError as error:
                raise GeneratorError(f"{args.file}: cannot read: {error.strerror}") from None
        report = add_dump(seeds, data, source, captured)
    except GeneratorError as error:
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_ERROR
    _print_added(report, seeds)
    return EXIT_OK


def _print_added(report: AddReport, seeds: Path) -> None:
    """What add did, one paper a line, then the next step."""
    for problem in sorted(report.problems):
        print(problem, file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    where = seeds / report.name
    action = f"stored {where}" if report.stored else f"already stored as {where}, nothing written"
    total = len(report.new) + len(report.known)
    print(f"{action} (captured {report.captured.isoformat()}): {total} papers, "
          f"{len(report.new)} new, {len(report.known)} already on the site")
    for title in report.new:
        print(f"  new: {title}")
    for title, slug in report.known:
        print(f"  already on the site: {title} (papers/{slug}/)")
    if report.stored:
        print("next: make site (or python -m generator build), then commit seeds/ and push")


def _summary(catalog: Catalog) -> str:
    merged = catalog.entries - len(catalog.papers)
    return (
        f"{catalog.entries} entries read from {len(catalog.dumps)} dumps: "
        f"{len(catalog.papers)} papers ({merged} merged copies, {catalog.new} new); "
        f"{catalog.errors} errors, {catalog.warnings} warnings"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status."""
    args = _parser().parse_args(argv)
    if args.command == "add":
        return _add(args)
    project = Project(root=args.root, seeds=args.seeds, docs=args.docs, taxonomy=args.taxonomy)
    try:
        catalog = build_catalog(project)
        if not args.quiet:
            for problem in sorted(catalog.problems):
                print(problem, file=sys.stderr)
        summary = _summary(catalog)
        if args.command == "build":
            report = write_site(catalog, project)
            if args.verbose:
                for path in report.written:
                    print(f"wrote {path}")
                for path in report.removed:
                    print(f"removed {path}")
            summary += (
                f"; {len(report.written)} files written, {report.unchanged} unchanged, "
                f"{len(report.removed)} removed"
            )
    except GeneratorError as error:
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(summary)
    if args.strict and catalog.problems:
        print(f"--strict: failing on {len(catalog.problems)} problems", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK
