"""Publishing: build docs/ into site/ with a chosen engine, then add the search index.

Engine-agnostic: the engine (MkDocs or Zensical) runs as a process of its own and is told
what it needs through the environment that mkdocs.yml reads with ``!ENV`` (where to write,
whether its own search is on), so nothing here depends on engine hooks or plugins (MkDocs'
hooks may name the pages a partial build has written: they are staged sooner, no more).

The engine writes into .engine-cache/<engine>/, kept between builds: when nothing a page depends
on but its own Markdown changed (generator/publish/sitecache.py), MkDocs renders only the pages whose
Markdown changed. The files that changed are then written beside site/ and, only when
everything succeeded, put in place one by one, and files no longer built removed; a build
that changes nothing leaves site/ untouched.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.enrich.slugs import REGISTRY_FILE
from generator.problems import ConfigError, GeneratorError
from generator.publish import sitecache
from generator.publish.pagefind import BUNDLE, KEYS_FILE, SHARD_PAGES
from generator.publish.search import ENGINE_VARIABLE, PAGEFIND_FROM, choose_engine, enabled
from generator.publish.siteupdate import Follower, SiteUpdate
from generator.read.siteconfig import read_config
from generator.render.layout import paper_count

# mkdocs.yml reads these two with !ENV (see its site_dir and plugins lines).
SITE_DIR_VARIABLE = "READING_LIST_SITE_DIR"
NATIVE_SEARCH_VARIABLE = "READING_LIST_NATIVE_SEARCH"
SITE = "site"
# MkDocs' --dirty build, run as a script (generator/mkdocs/partial.py), and the line it waits
# for before it reads docs/.
PARTIAL = Path(__file__).resolve().parents[1] / "mkdocs" / "partial.py"
GO = "docs complete"
# The longest a build waits for the search index once the engine is done (seconds).
INDEX_TIMEOUT = 900


class PublishError(GeneratorError):
    """The engine is unknown, missing or failed, or the search index could not be built."""


@dataclass(frozen=True)
class Engine:
    """A static-site engine that reads mkdocs.yml, docs/ and overrides/."""

    name: str
    module: str
    package: str
    build: tuple[str, ...]
    serve: tuple[str, ...]
    # Whether its own search can be the site's search (Material's plugin under MkDocs);
    # Zensical's is left off: Pagefind's chunked index serves it at any size.
    native_search: bool
    # Whether it can render only the pages whose source changed (MkDocs' --dirty).
    dirty: bool = False
    # Whether it names each page once written (MkDocs' hooks: generator/mkdocs/hooks.py).
    names_pages: bool = False


ENGINES = {
    "mkdocs": Engine("mkdocs", "mkdocs", "mkdocs-material", ("build", "--strict"), ("serve",),
                     native_search=True, dirty=True, names_pages=True),
    "zensical": Engine("zensical", "zensical", "zensical", ("build", "--strict", "--clean"),
                       ("serve",), native_search=False),
}
DEFAULT_ENGINE = "mkdocs"


def engine_named(name: str) -> Engine:
    """The engine called ``name``; a PublishError saying what to do when it is unknown or missing."""
    engine = ENGINES.get(name)
    if engine is None:
        raise PublishError(f"unknown engine '{name}': use ENGINE=mkdocs or ENGINE=zensical "
                           "(make site ENGINE=zensical)")
    if importlib.util.find_spec(engine.module) is None:
        raise PublishError(f"engine '{name}' is not installed: run `make site` once to install "
                           f"the pinned requirements (or pip install -r requirements.txt)")
    return engine


def search_for(engine: Engine, root: Path, papers: int) -> str:
    """``material`` (the engine's own search) or ``pagefind``, for this engine and list size."""
    settings = read_config(root).get("extra", {}) or {}
    search = settings.get("search") or {} if isinstance(settings, dict) else {}
    setting = os.environ.get(ENGINE_VARIABLE) or str(search.get("engine", "auto"))
    try:
        pagefind_from = int(search.get("pagefind_from", PAGEFIND_FROM))
    except (TypeError, ValueError):
        raise ConfigError(f"{root / 'mkdocs.yml'}: extra.search.pagefind_from must be a number") from None
    choice = choose_engine(setting, papers, pagefind_from)
    if choice == "material" and not engine.native_search:
        if setting == "material":
            raise ConfigError(f"search engine 'material' is Material for MkDocs' plugin, which "
                              f"{engine.name} does not run: set extra.search.engine (or "
                              f"{ENGINE_VARIABLE}) to auto or pagefind")
        return "pagefind"
    return choice


def engine_environment(engine: Engine, site_dir: Path, search: str) -> dict[str, str]:
    """The environment an engine runs in: where to write, whether its own search is on."""
    return {
        # The build's date, unless the user set one: MkDocs stamps sitemap.xml.gz with it, so
        # the same inputs built on another day gave other bytes (0: gzip's "no time").
        sitecache.SOURCE_DATE_EPOCH: "0", **os.environ, SITE_DIR_VARIABLE: str(site_dir),
        NATIVE_SEARCH_VARIABLE: "true" if search == "material" else "false",
        "NO_MKDOCS_2_WARNING": "1"}


def _start_indexing(root: Path, docs: Path, out: Path, language: str,
                    shard_pages: int) -> subprocess.Popen[str]:
    """Index docs/papers/<slug>/index.md with Pagefind in a process of its own, beside the engine's build."""
    package_root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "generator.publish.pagefind", str(docs.resolve()), str(out),
               "--language", language, "--shard-pages", str(shard_pages), "--root", str(root)]
    registry = root / "seeds" / REGISTRY_FILE
    if registry.is_file():
        command += ["--registry", str(registry)]
    try:
        return subprocess.Popen(command, cwd=package_root, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
    except OSError as error:
        raise PublishError(f"search index not built: cannot start indexing ({error})") from None


def _stop(process: subprocess.Popen[Any] | None) -> None:
    """Stop an indexing run or engine still going (the build failed): each cleans up on SIGTERM."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _finish_indexing(process: subprocess.Popen[str]) -> str:
    """Wait for the index; its summary line, or a PublishError with its last line."""
    try:
        output, _ = process.communicate(timeout=INDEX_TIMEOUT)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise PublishError(f"search index not built: indexing took over {INDEX_TIMEOUT} s") from None
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if process.returncode != 0:
        detail = lines[-1] if lines else f"indexing exited with {process.returncode}"
        raise PublishError(detail if detail.startswith("search index not built")
                           else f"search index not built: {detail}")
    return lines[-1] if lines else ""


def _bundles(search_dir: Path) -> dict[str, list[int]]:
    """Size and mtime of every file of the search bundles kept in ``search_dir``."""
    if not search_dir.is_dir():
        return {}
    return {path: stat for path, stat in sitecache.stats(search_dir).items()
            if path.startswith(BUNDLE) and "/" in path}


def _shard_pages(root: Path) -> int:
    """Pages to a Pagefind shard: extra.search.shard_pages in mkdocs.yml, else SHARD_PAGES."""
    settings = read_config(root).get("extra", {}) or {}
    search = settings.get("search") or {} if isinstance(settings, dict) else {}
    value = search.get("shard_pages", SHARD_PAGES) if isinstance(search, dict) else SHARD_PAGES
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{root / 'mkdocs.yml'}: extra.search.shard_pages must be a whole "
                          f"number of pages (default {SHARD_PAGES}), not {value!r}")
    return value


@dataclass(frozen=True)
class Plan:
    """What the engine renders this time: every page (and why), or only the changed ones."""

    full: str
    rendered: frozenset[str]


def _full_reason(engine: Engine, search: str, config: dict, *, state: sitecache.State | None,
                 fingerprint: dict[str, str], engine_dir: Path, engine_output: dict[str, list[int]] | None
                 ) -> str:
    """Why every page is rendered this time; empty when only the changed ones need be."""
    if not engine.dirty or search == "material" or config.get("use_directory_urls") is False:
        return (f"{engine.name} has no partial build" if not engine.dirty
                else "Material's search indexes every page as it renders it" if search == "material"
                else "use_directory_urls is off")
    if state is None:
        return "no earlier build"
    if changed := sitecache.changed_parts(state.fingerprint, fingerprint):
        return f"{', '.join(changed)} changed"
    if engine_output is None or engine_output != state.engine:
        return f"the engine's last output (.engine-cache/{engine_dir.name}/) changed"
    return ""


def _plan(full: str, config: dict, state: sitecache.State | None, sources: sitecache.Sources,
          docs: Path) -> Plan:
    """Render only the sources whose bytes changed when nothing else a page depends on did."""
    everything = frozenset(sources.digests)
    if full or state is None:
        return Plan(full or "no earlier build", everything)
    changed = {source for source, digest in sources.digests.items() if state.sources.get(source) != digest}
    gone = set(state.sources) - everything
    if sitecache.nav_from_pages(config) and any(source.endswith(".md") for source in changed | gone):
        return Plan("the navigation takes its pages or titles from the pages", everything)
    rendered = set(changed)
    if changed - set(state.sources) or gone:
        # MkDocs rewrites a Markdown link against the files there are: one may appear or go.
        rendered |= sources.linking
    if any(source.endswith(".md") for source in changed):
        # MkDocs checks a link's anchor only when it renders both pages (a strict cold build
        # fails on a missing anchor; this one must too). A changed page may have lost an
        # anchor linked to: every page with Markdown links is rendered. A changed page with
        # links may point to a missing anchor of an unchanged page: those pages are too.
        rendered |= sources.linking
        for source in sorted(sources.linking & changed):
            rendered |= sitecache.link_targets(source, (docs / source).read_bytes(), everything)
    return Plan("", frozenset(rendered))


# The engine's earlier output, moved aside for a full build and deleted beside it.
DISCARDED = ".discarded-"


def _discard(engine_dir: Path) -> threading.Thread:
    """Move the engine's last output aside and delete it in a thread while the engine runs.

    Deleting ~11,000 files takes seconds that a full build would otherwise wait for; a
    rename is instant. Whatever an interrupted run left aside is deleted too.
    """
    cache = engine_dir.parent
    cache.mkdir(parents=True, exist_ok=True)
    if engine_dir.is_dir():
        engine_dir.rename(os.path.join(tempfile.mkdtemp(prefix=DISCARDED, dir=cache), engine_dir.name))
    deleting = threading.Thread(target=_delete, args=(sorted(cache.glob(f"{DISCARDED}*")),),
                                name="discard-engine-output")
    deleting.start()
    return deleting


def _delete(folders: list[Path]) -> None:
    """Delete folders, whatever is in them."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _clear_planned(engine_dir: Path, plan: Plan, state: sitecache.State | None,
                   sources: sitecache.Sources) -> None:
    """Take away the last output of every page the partial build renders or that went.

    The partial build renders exactly the planned pages (generator/mkdocs/partial.py); with
    their old output gone, MkDocs' own --dirty test (output older than source) agrees, and a
    page whose source went leaves no output behind. A full build starts from none (``_discard``).
    """
    assert state is not None and not plan.full
    gone = set(state.sources) - set(sources.digests)
    for source in plan.rendered | gone:
        (engine_dir / sitecache.destination(source)).unlink(missing_ok=True)
    # A page rendered again gets its folder back; only a page gone leaves folders to prune.
    for source in gone:
        for folder in (engine_dir / sitecache.destination(source)).parents:
            if folder == engine_dir or not folder.is_relative_to(engine_dir):
                break
            try:
                folder.rmdir()  # Only when empty: listing papers/ (10,000 entries) cost 1.6 s.
            except FileNotFoundError:
                continue
            except OSError:
                break


@dataclass
class Running:
    """An engine's process, and the pipe on which it names the pages it has written (if it
    does), held here until ``take_pages`` gives it to its reader."""

    process: subprocess.Popen[bytes]
    pages: int | None

    def take_pages(self) -> int | None:
        """The pipe's descriptor, now the caller's to close."""
        pages, self.pages = self.pages, None
        return pages

    def close(self) -> None:
        """Close the pipe unless it was taken (once: its number may be reused afterwards)."""
        if (pages := self.take_pages()) is not None:
            os.close(pages)


def _start_engine(command: list[str], root: Path, environment: dict[str, str], *,
                  plan_follows: bool, names_pages: bool = False) -> Running:
    """Start the engine; ``plan_follows``: it reads its plan on standard input (``_send_plan``);
    ``names_pages``: it is given a pipe to name each page it writes on (SiteUpdate.stage_early)."""
    stdin = subprocess.PIPE if plan_follows else None
    if not names_pages:
        return Running(subprocess.Popen(command, cwd=root, env=environment, stdin=stdin), None)
    pages, named = os.pipe()
    # Never waited for: a page named while the pipe is full is staged once the engine ends.
    os.set_blocking(named, False)
    try:
        process = subprocess.Popen(command, cwd=root, stdin=stdin, pass_fds=(named,),
                                   env={**environment, sitecache.PAGES_WRITTEN_FD: str(named)})
    except BaseException:
        os.close(pages)
        raise
    finally:
        os.close(named)  # The engine's copy alone: its end closes the pipe.
    return Running(process, pages)


def _send(process: subprocess.Popen[bytes], line: str) -> None:
    """Tell a partial build that docs/ is complete (generator/mkdocs/partial.py waits for it)."""
    assert process.stdin is not None
    try:
        process.stdin.write(f"{line}\n".encode())
        process.stdin.flush()
    except BrokenPipeError:  # It stopped before reading: its exit status tells why.
        pass


def _send_plan(process: subprocess.Popen[bytes], plan: Plan) -> None:
    """Give a partial build the sources it renders (generator/mkdocs/partial.py reads them)."""
    assert process.stdin is not None
    try:
        process.stdin.write(json.dumps(sorted(plan.rendered)).encode())
        process.stdin.close()
    except BrokenPipeError:  # It stopped before reading: its exit status tells why.
        pass


def _command(engine: Engine, docs: Path, full: str) -> list[str]:
    """The engine's build: all of it, or MkDocs' --dirty build of the planned pages."""
    return ([sys.executable, "-m", engine.module, *engine.build] if full
            else [sys.executable, str(PARTIAL), "--docs", str(docs), *engine.build, "--dirty"])


@dataclass(frozen=True)
class Setup:
    """What a publish reads from mkdocs.yml, the environment and docs/ before the engine runs."""

    config: dict
    docs: Path
    papers: int
    search: str
    indexing_on: bool
    language: str
    fingerprint: dict[str, str]
    # Why every page is rendered; empty for a partial build.
    full: str
    environment: dict[str, str]


def _setup(root: Path, engine: Engine, before: Before) -> Setup:
    """The engine's settings for a build of root/docs as it is now."""
    config = read_config(root)
    docs = root / str(config.get("docs_dir") or "docs")
    papers = paper_count(docs)
    search = search_for(engine, root, papers)
    indexing_on = search == "pagefind" and enabled()
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    engine_dir = root / sitecache.CACHE / engine.name
    fingerprint = sitecache.fingerprint(root, config, engine.name,
                                        search if indexing_on or search == "material" else "off")
    full = _full_reason(engine, search, config, state=before.state, fingerprint=fingerprint,
                        engine_dir=engine_dir, engine_output=before.engine_output)
    return Setup(config, docs, papers, search, indexing_on, str(theme.get("language") or "en"), fingerprint,
                 full, engine_environment(engine, engine_dir, search))


@dataclass(frozen=True)
class Early:
    """A partial build started while the generator writes docs/, held before it reads docs/."""

    engine: Running
    setup: Setup

    def stop(self) -> None:
        """Stop it if it still waits (publish did not use it, or failed)."""
        _stop(self.engine.process)
        self.engine.close()

    def runs(self, setup: Setup) -> bool:
        """Whether it is the build ``setup`` asks for: partial, same settings, same inputs."""
        return not setup.full and (setup.docs, setup.fingerprint, setup.environment) == (
            self.setup.docs, self.setup.fingerprint, self.setup.environment)


def start_early(root: Path, engine: Engine, before: Before) -> Early | None:
    """Start the partial build the next ``publish`` will likely run; None when it will be full.

    MkDocs' start (Python, imports, mkdocs.yml read and checked) takes ~0.25 s before it
    reads docs/: run while the generator still writes docs/, it is off the critical path.
    ``publish`` uses it only when its settings and fingerprint (mkdocs.yml, the environment,
    overrides/, the code: everything the engine read at its start) are still these.
    """
    root = root.resolve()
    setup = _setup(root, engine, before)
    if setup.full:
        return None
    try:
        running = _start_engine(_command(engine, setup.docs, setup.full), root, setup.environment,
                                plan_follows=True, names_pages=engine.names_pages)
    except OSError:
        return None  # publish starts it again, and says why it cannot.
    return Early(running, setup)


def _wait_engine(process: subprocess.Popen[bytes]) -> tuple[int, float]:
    """Wait for the engine's end: its exit status and its own peak memory (MB).

    Its own, from wait4: RUSAGE_CHILDREN would also count every child waited for before it,
    such as `generator site`'s build (generator/cli.py).
    """
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024  # KB on Linux


@dataclass(frozen=True)
class Before:
    """What publishing reads that writing docs/ leaves as it is, read while the generator runs.

    The last build's record, the search bundles and the engine's output it describes, and
    what site/ holds: ~0.5 s of walking at 10,000 papers, done while the other core is idle.
    """

    target: Path
    state: sitecache.State | None
    bundles: dict[str, list[int]]
    engine_output: dict[str, list[int]] | None
    site: dict[str, list[int]]


def look_before(root: Path, engine: Engine, target: Path | None = None) -> Before:
    """Read what ``publish`` compares with before the engine runs; nothing under docs/."""
    root = root.resolve()
    target = (target or root / SITE).resolve()
    cache = root / sitecache.CACHE
    engine_dir = cache / engine.name
    return Before(target, sitecache.load(cache), _bundles(cache / sitecache.SEARCH),
                  sitecache.stats(engine_dir) if engine_dir.is_dir() else None,
                  sitecache.published(target) if target.is_dir() else {})


def publish(root: Path, engine: Engine, target: Path | None = None, before: Before | None = None,
            settled: Callable[[], int] | None = None, *, early: Early | None = None) -> str:
    """Build root/docs into ``target`` (default root/site) with the engine; a summary line.

    ``before``: ``look_before`` of the same root, engine and target, read since the last
    publish (the project's lock held throughout); read here when not given. ``settled``: the
    exit status of the build that wrote docs/ and may still be saving its own records
    (generator/cli.py), waited for before site/ changes; a failed build leaves site/ as it was.
    ``early``: ``start_early``'s engine, used when this build runs that very command (else
    stopped); it reads docs/ only once told here that docs/ is complete.
    """
    root = root.resolve()
    before = before or look_before(root, engine, target)
    start = time.perf_counter()
    setup = _setup(root, engine, before)
    config, docs, papers, search, full = setup.config, setup.docs, setup.papers, setup.search, setup.full
    target = before.target
    cache = root / sitecache.CACHE
    engine_dir = cache / engine.name
    search_dir = cache / sitecache.SEARCH
    state = before.state
    indexing = None
    work: Path | None = None
    deleting = None
    following: Follower | None = None
    if early is not None and not early.runs(setup):
        early.stop()  # Started for inputs that are not this build's: not used.
        early = None

    def start_indexing() -> subprocess.Popen[str] | None:
        """Pagefind's run over docs/, in a process of its own beside the engine's."""
        if not setup.indexing_on:
            return None
        if state is None or before.bundles != state.search:
            # Bundles changed since they were published: none is trusted, all are indexed.
            (search_dir / KEYS_FILE).unlink(missing_ok=True)
        return _start_indexing(root, docs, search_dir, setup.language, _shard_pages(root))

    try:
        if full:
            # Started first: it reads only docs/, and indexing every shard takes about as long
            # as the engine (~10 s at 10,000 papers).
            indexing = start_indexing()
        fingerprint = setup.fingerprint
        sources: sitecache.Sources | None = None
        plan: Plan | None = None
        if not full and sitecache.nav_from_pages(config):
            # Whether every page is rendered turns on which pages changed: read docs/ first.
            sources = sitecache.read_sources(docs, state)
            plan = _plan(full, config, state, sources, docs)
            full = plan.full
        # A build that stops half-way leaves no record: the next one is a full build.
        sitecache.forget(cache)
        deleting = _discard(engine_dir) if full else None
        engine_dir.parent.mkdir(parents=True, exist_ok=True)
        # Inside the project: Zensical refuses a site_dir outside it. Hidden, so neither engine
        # nor git sees it as content.
        work = Path(tempfile.mkdtemp(prefix=".site-building-", dir=root))
        if early is not None and full:  # The plan renders every page: a full build after all.
            early.stop()
            early = None
        try:
            # Pages are staged as written only in a partial build: a full one keeps both
            # cores busy (the engine, Pagefind) while it writes, and staging them afterwards
            # shares the work with a second process (generator/publish/staging.py).
            running = early.engine if early is not None else _start_engine(
                _command(engine, docs, full), root, setup.environment, plan_follows=not full,
                names_pages=engine.names_pages and not full)
        except OSError as error:
            raise PublishError(f"cannot run {engine.name} ({error}): run `make site` to install it") from None
        early = None  # The engine's now: stopped below if the build fails.
        engine_process = running.process
        update = SiteUpdate(target, work, state, before.site)
        if (pages := running.take_pages()) is not None:
            # This process only waits for the engine: it stages each page the engine has
            # written meanwhile (after a dump ~950 pages: ~0.3 s no longer after the engine).
            following = Follower(update, engine_dir, pages)
        try:
            if not full:  # docs/ is complete: the partial build may read it.
                _send(engine_process, GO)
            # The engine starts (imports, configuration, docs/ listed) while docs/ is digested
            # here: ~0.5 s at 10,000 papers that no longer precede it. A partial build waits
            # for its plan before it asks whether any page changed.
            if sources is None:
                sources = sitecache.read_sources(docs, state)
            plan = plan or _plan(full, config, state, sources, docs)
            if not full:  # The engine started as a partial build: it waits for this plan.
                _clear_planned(engine_dir, plan, state, sources)
                _send_plan(engine_process, plan)
            if indexing is None:
                # Started once the plan is out: after a small change Pagefind indexes a shard
                # or two (~0.6 s) while the engine renders ~1,000 pages, and the plan, worked
                # out here while the engine starts, is what the engine waits for.
                indexing = start_indexing()
            returncode, engine_mb = _wait_engine(engine_process)
        finally:
            _stop(engine_process)
            if following is not None:
                following.join()  # The engine has ended: its end closed the pipe.
        if returncode != 0 or not engine_dir.is_dir():
            raise PublishError(f"{engine.name} build failed (exit {returncode}); fix what it "
                               f"reports above and run it again; {_shown(target, root)} was left as it was")
        built = sitecache.stats(engine_dir)
        fresh = {path for path, stat in built.items()
                 if plan.full or state is None or state.engine.get(path) != stat}
        squeezing = time.perf_counter()
        # The engine's pages are staged while the index may still be being written; those
        # staged as the engine wrote them are taken as they are when they have not changed since.
        update.stage({path: engine_dir / path for path in built}, fresh, built)
        update_s = time.perf_counter() - squeezing
        summary = ""
        searched: dict[str, list[int]] = {}
        if indexing is not None:
            summary = (f"{_finish_indexing(indexing)} (beside the {engine.name} build, "
                       f"itself at peak {engine_mb:.0f} MB)")
            searched = _bundles(search_dir)
            last_search = state.search if state is not None and not plan.full else {}
            squeezing = time.perf_counter()
            update.stage({path: search_dir / path for path in searched},
                         {path for path, stat in searched.items() if last_search.get(path) != stat})
            update_s += time.perf_counter() - squeezing
        if settled is not None and (code := settled()) != 0:
            raise PublishError(f"the build of docs/ failed (exit {code}, reported above); "
                               f"{_shown(target, root)} was left as it was")
        squeezing = time.perf_counter()
        written, published = update.apply(set(built) | set(searched))
        update_s += time.perf_counter() - squeezing
        sitecache.save(cache, sitecache.State(fingerprint, sources.digests, built, searched,
                                              published, str(target),
                                              sources.stats, sorted(sources.linking)))
    finally:
        _stop(indexing)
        if early is not None:
            early.stop()
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        if deleting is not None:
            deleting.join()
    searched_text = summary or ("no search index (READING_LIST_SEARCH=off)" if search == "pagefind"
                                else "search: the engine's own")
    pages = sum(1 for source in sources.digests if source.endswith(".md"))
    as_written = f", {written.early} staged as {engine.name} wrote them" if written.early else ""
    rendered = (f"full build: {plan.full}" if plan.full else
                f"{sum(1 for s in plan.rendered if s.endswith('.md'))} of {pages} pages rendered again")
    return (f"{_shown(target, root)}: built with {engine.name} in {time.perf_counter() - start:.1f} s "
            f"({papers} papers; {rendered}; {searched_text}; {written.squeezed} pages squeezed from "
            f"{written.before / 1e6:.1f} MB to {written.after / 1e6:.1f} MB and {written.written} "
            f"files written in {update_s:.1f} s{as_written})")


def _shown(path: Path, root: Path) -> str:
    """A path as the user knows it: relative to the project when inside it."""
    return f"{path.relative_to(root)}/" if path.is_relative_to(root) else str(path)


def main(argv: list[str] | None = None) -> int:
    """``python -m generator.publish.engines [--engine NAME]``: one line on success or failure."""
    parser = argparse.ArgumentParser(prog="python -m generator.publish.engines", description=__doc__)
    parser.add_argument("--engine", default=os.environ.get("ENGINE") or DEFAULT_ENGINE,
                        help="mkdocs (default) or zensical")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    parser.add_argument("--site-dir", type=Path, help="where the site goes (default: ROOT/site)")
    args = parser.parse_args(argv)
    try:
        engine = engine_named(args.engine)
        print(publish(args.root, engine, args.site_dir), file=sys.stderr)
    except ConfigError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    except GeneratorError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Error: site not written: {error}; run it again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
