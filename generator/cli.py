"""Command line: ``python -m generator build|check|site|add|clean``; domain errors become one line."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from generator import __version__
from generator.add import AddReport, add_dump
from generator.cache import BuildCache
from generator.fingerprint import RECORD, LastBuild, fingerprint, record, unchanged
from generator.pipeline import Catalog, Project, build_catalog, write_site
from generator.problems import GeneratorError
from generator.publish.sitecache import CACHE as ENGINE_CACHE
from generator.render.docs import OWNED
from generator.write.lock import LOCK_FILE, project_lock
from generator.write.writer import MANIFEST, Writer

if TYPE_CHECKING:
    from generator.publish.engines import Before, Early

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
T = TypeVar("T")
# What a shell reports for a command stopped by a closed pipe (128 + SIGPIPE).
EXIT_PIPE = 141
# Where builds keep what they may reuse (git-ignored, like site/ and the scratch folders).
CACHE = ".cache"


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
    site = commands.add_parser(
        "site", parents=[common], help="build, then the engine's strict build into site/, as one run",
        description="Write docs/ as `build` does, then build the site into site/ with the "
                    "engine (`mkdocs build --strict` or `zensical build --strict`) and its "
                    "search index, holding the project's lock throughout so two runs never "
                    "write docs/ or site/ at once; site/ changes only once the engine and "
                    "the index succeeded.",
    )
    site.add_argument("--engine", default=os.environ.get("ENGINE") or "mkdocs",
                      help="mkdocs (Material for MkDocs, the default) or zensical")
    clean = commands.add_parser(
        "clean", help="remove what builds wrote: generated pages, site/, caches",
        description="Remove every file the generator wrote under docs/ (as its manifest lists "
                    "them; your own files there stay), its bookkeeping, site/, the engines' "
                    "scratch folders and caches, and the lock file.")
    clean.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    clean.add_argument("--docs", type=Path, help="MkDocs docs folder (default: ROOT/docs)")
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
        # Two adds at once would each append to dumps.yaml what they read: one entry lost.
        with project_lock(args.root):
            report = add_dump(Project(root=args.root, seeds=seeds), data, source, captured)
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


def _replay(last: LastBuild, args: argparse.Namespace) -> int:
    """Report the last build again: its inputs and outputs are untouched, so it would not change."""
    if not args.quiet:
        for problem in last.problems:
            print(problem, file=sys.stderr)
    unchanged_files = sum(path != MANIFEST for path in last.outputs)
    print(f"{last.summary}; 0 files written, {unchanged_files} unchanged, 0 removed "
          "(nothing changed since the last build)")
    if args.strict and last.problems:
        print(f"--strict: failing on {len(last.problems)} problems", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status; a reader that closed the pipe is no error."""
    try:
        code = _run(argv)
        sys.stdout.flush()  # Here, not at exit, where a closed pipe would print a traceback.
    except BrokenPipeError:
        # Whatever was to be written (pages, a stored dump) is written; only the report was
        # cut short. Later flushes go nowhere instead of failing again at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_PIPE
    return code


def _run(argv: list[str] | None) -> int:
    """Parse the arguments and run the command."""
    args = _parser().parse_args(argv)
    if args.command == "add":
        return _add(args)
    if args.command == "clean":
        return _clean(Project(root=args.root, docs=args.docs))
    project = Project(root=args.root, seeds=args.seeds, docs=args.docs, taxonomy=args.taxonomy)
    try:
        if args.command == "check":
            return _report(_read(project, args), args)
        # Two builds at once would remove each other's files and write half a site.
        with project_lock(project.root):
            if args.command == "build":
                return _build(project, args)
            return _site(project, args)
    except GeneratorError as error:
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_ERROR


def _clean(project: Project) -> int:
    """Remove what builds wrote, by the writer's own record of it; say what went."""
    try:
        with project_lock(project.root):
            # Writing nothing removes every file the last build wrote, and only those.
            removed = len(Writer(project.docs, OWNED).write({}).removed)
            for path in (project.docs / MANIFEST, project.docs / RECORD):
                path.unlink(missing_ok=True)
            folders = [project.root / "site", project.root / CACHE, project.root / ENGINE_CACHE,
                       *project.root.glob(".site-*")]
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
        (project.root / LOCK_FILE).unlink(missing_ok=True)
    except GeneratorError as error:
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(f"{removed} generated files removed from {project.docs}; site/, caches and scratch "
          "folders removed")
    return EXIT_OK


def _read(project: Project, args: argparse.Namespace, cache: BuildCache | None = None,
          *, background: bool = False) -> Catalog:
    """The pipeline's catalog; its problems printed unless quiet (``build_catalog``'s ``background``)."""
    catalog = build_catalog(project, cache=cache, background=background)
    if not args.quiet:
        for problem in sorted(catalog.problems):
            print(problem, file=sys.stderr)
    return catalog


def _report(catalog: Catalog, args: argparse.Namespace, written: str = "") -> int:
    """The summary line, and the exit status --strict asks for."""
    print(_summary(catalog) + written)
    if args.strict and catalog.problems:
        print(f"--strict: failing on {len(catalog.problems)} problems", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _site(project: Project, args: argparse.Namespace) -> int:
    """Build docs/ in a child process, then publish it into site/ (under the lock)."""
    build = _build_apart(project, args, lambda: _prepare(project, args.engine))
    before, early = build.done or (None, None)
    try:
        if build.code != EXIT_OK:
            return build.code
        return _publish(project, args.engine, before, build.finish, early)
    finally:
        if early is not None:
            early.stop()
        build.finish()


def _build(project: Project, args: argparse.Namespace,
           docs_written: Callable[[], None] = lambda: None) -> int:
    """Write docs/ from the inputs, unless none changed since the last build (under the lock).

    ``docs_written`` is called once docs/ is complete, before the cache and the record are saved.
    """
    # Nothing changed, nothing done: at 10,000 papers a full pass takes seconds.
    last = unchanged(project)
    if last is not None:
        return _replay(last, args)
    before = fingerprint(project, registry=False)
    start = time.perf_counter()
    # What earlier builds computed from the same inputs is reused (generator/cache.py).
    cache = project.build_cache()
    # Related papers may still be computed while write_site renders the other pages.
    catalog = _read(project, args, cache, background=True)
    read = time.perf_counter()
    report = write_site(catalog, project, cache)
    docs_written()
    cache.save()
    if args.verbose:
        for path in report.written:
            print(f"wrote {path}")
        for path in report.removed:
            print(f"removed {path}")
        print(f"timing: read + merge {read - start:.3f} s, "
              f"generate {time.perf_counter() - read:.3f} s")
    # Replayed by the next run if nothing changes; by then no slug is new.
    record(project, before, _summary(replace(catalog, new=0)),
           [str(p) for p in sorted(catalog.problems)])
    return _report(catalog, args, f"; {len(report.written)} files written, {report.unchanged} "
                                  f"unchanged, {len(report.removed)} removed")


@dataclass
class _Apart(Generic[T]):
    """A build in a child process, once docs/ is written (or the child ended without it)."""

    pid: int
    # The child's exit status when it ended before docs/ was complete; else EXIT_OK for now.
    code: int = EXIT_OK
    done: T | None = None
    ended: int | None = None

    def finish(self) -> int:
        """Wait for the child's end (once): its exit status."""
        if self.ended is None:
            _, status = os.waitpid(self.pid, 0)
            self.ended = os.waitstatus_to_exitcode(status)
            if self.ended < 0:
                name = signal.Signals(-self.ended).name
                raise GeneratorError(f"the build stopped on signal {-self.ended} ({name}); "
                                     "site/ was left as it was: run it again")
        return self.ended


def _build_apart(project: Project, args: argparse.Namespace, meanwhile: Callable[[], T]) -> _Apart[T]:
    """``_build`` in a child process that exits before the engine's peak; returned once docs/ is
    complete, with what ``meanwhile`` returned, run here while the child builds (on the other core).

    The build's memory (~470 MB at 10,000 papers, ~170 MB of it kept by the allocator once
    freed) would otherwise stay resident beside MkDocs and Pagefind, the peak of `make site`.
    Once docs/ is written the child says so on a pipe: saving its cache and its record of the
    inputs (~0.25 s after a dump, more after a cold build) and its exit run beside the engine's
    start, and ``_Apart.finish`` gives its exit status, which publishing waits for before it
    touches site/. The child shares this process's lock (a flock belongs to the open file, which
    it inherits) and its standard output and error.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    ready, written = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(ready)
        code = EXIT_ERROR

        def docs_written() -> None:
            sys.stdout.flush()
            os.write(written, b"1")

        try:
            code = _build(project, args, docs_written)
            sys.stdout.flush()
        except GeneratorError as error:
            print(f"Error: {error}", file=sys.stderr)
        except BrokenPipeError:
            code = EXIT_PIPE
        except KeyboardInterrupt:
            code = 128 + signal.SIGINT
        except BaseException:  # Reported as Python would, with the status it gives.
            traceback.print_exc()
            code = 1
        finally:
            with contextlib.suppress(OSError):
                sys.stderr.flush()
            os._exit(code)
    os.close(written)
    apart: _Apart[T] = _Apart(child)
    try:
        with os.fdopen(ready, "rb") as signal_pipe:
            apart.done = meanwhile()
            # One byte once docs/ is complete; none when the child ends first (an error, or
            # nothing changed): then its exit status decides.
            said = signal_pipe.read(1)
    except BaseException:
        apart.finish()
        raise
    if not said:
        apart.code = apart.finish()
    return apart


def _prepare(project: Project, engine_name: str) -> tuple[Before, Early | None]:
    """What publishing compares with that the build leaves as it is, and the engine started
    early when the build will be partial (both beside the build, on the other core)."""
    from generator.publish.engines import engine_named, look_before, start_early  # noqa: PLC0415

    engine = engine_named(engine_name)
    before = look_before(project.root, engine)
    return before, start_early(project.root, engine, before)


def _publish(project: Project, engine_name: str, before: Before | None = None,
             settled: Callable[[], int] | None = None, early: Early | None = None) -> int:
    """The engine's build of docs/ into site/, with its search index; its exit status.

    ``settled``: the build's exit status, waited for before site/ changes (``_Apart.finish``);
    ``early``: the engine ``_prepare`` started, if any.
    """
    # Imported here: `build` and `check` never need the engine runner.
    from generator.publish.engines import engine_named, publish  # noqa: PLC0415

    sys.stdout.flush()
    print(publish(project.root, engine_named(engine_name), before=before, settled=settled,
                  early=early), file=sys.stderr)
    return EXIT_OK
