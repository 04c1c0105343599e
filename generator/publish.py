"""Publishing: build docs/ into site/ with a chosen engine, then add the search index.

Engine-agnostic: the engine (MkDocs or Zensical) runs as a process of its own and is told
what it needs through the environment that mkdocs.yml reads with ``!ENV`` (where to write,
whether its own search is on), so nothing here depends on engine hooks or plugins. The site
is built into a temporary folder beside site/ and swapped in only when everything succeeded.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, GeneratorError
from .layout import paper_files
from .search import ENGINE_VARIABLE, PAGEFIND_FROM, choose_engine, enabled
from .siteconfig import read_config
from .whitespace import squeeze_site

# mkdocs.yml reads these two with !ENV (see its site_dir and plugins lines).
SITE_DIR_VARIABLE = "READING_LIST_SITE_DIR"
NATIVE_SEARCH_VARIABLE = "READING_LIST_NATIVE_SEARCH"
SITE = "site"
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


ENGINES = {
    "mkdocs": Engine("mkdocs", "mkdocs", "mkdocs-material", ("build", "--strict"), ("serve",),
                     native_search=True),
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
    return {**os.environ, SITE_DIR_VARIABLE: str(site_dir),
            NATIVE_SEARCH_VARIABLE: "true" if search == "material" else "false",
            "NO_MKDOCS_2_WARNING": "1"}


def _start_indexing(root: Path, docs: Path, staging: Path, language: str) -> subprocess.Popen[str]:
    """Index docs/papers/<slug>/index.md with Pagefind in a process of its own, beside the engine's build."""
    package_root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "generator.search", str(docs.resolve()), str(staging / SITE),
               "--language", language]
    try:
        return subprocess.Popen(command, cwd=package_root, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
    except OSError as error:
        raise PublishError(f"search index not built: cannot start indexing ({error})") from None


def _stop(process: subprocess.Popen[str] | None) -> None:
    """Stop an indexing run still going (the engine failed): it cleans up on SIGTERM."""
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


def _swap_in(built: Path, target: Path) -> None:
    """Put the finished site in place of the previous one; the old one is removed after."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=target.parent))
        target.rename(old / SITE)
    try:
        shutil.move(str(built), str(target))
    except OSError:
        if old is not None:  # Put the previous site back rather than leave none.
            (old / SITE).rename(target)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def publish(root: Path, engine: Engine, target: Path | None = None) -> str:
    """Build root/docs into ``target`` (default root/site) with the engine; a summary line."""
    root = root.resolve()
    config = read_config(root)
    docs = root / str(config.get("docs_dir") or "docs")
    target = (target or root / SITE).resolve()
    papers = len(paper_files(docs))
    search = search_for(engine, root, papers)
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    language = str(theme.get("language") or "en")
    start = time.perf_counter()
    # Inside the project: Zensical refuses a site_dir outside it. Hidden, so neither engine
    # nor git sees it as content.
    work = Path(tempfile.mkdtemp(prefix=".site-building-", dir=root))
    built = work / SITE
    indexing = None
    try:
        if search == "pagefind" and enabled():
            indexing = _start_indexing(root, docs, work / "search", language)
        command = [sys.executable, "-m", engine.module, *engine.build]
        try:
            done = subprocess.run(command, cwd=root, env=engine_environment(engine, built, search),
                                  check=False)
        except OSError as error:
            raise PublishError(f"cannot run {engine.name} ({error}): run `make site` to install it") from None
        # The engine is the one child waited for so far (KB on Linux); the index runs beside it.
        engine_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode != 0 or not built.is_dir():
            raise PublishError(f"{engine.name} build failed (exit {done.returncode}); fix what it "
                               f"reports above and run it again; {_shown(target, root)} was left as it was")
        # While the index may still be building on the other core.
        squeezing = time.perf_counter()
        squeezed = squeeze_site(built)
        squeeze_s = time.perf_counter() - squeezing
        summary = ""
        if indexing is not None:
            summary = (f"{_finish_indexing(indexing)} (beside the {engine.name} build, "
                       f"itself at peak {engine_mb:.0f} MB)")
            for bundle in sorted((work / "search" / SITE).glob("pagefind*")):
                shutil.move(str(bundle), str(built / bundle.name))
        _swap_in(built, target)
    finally:
        _stop(indexing)
        shutil.rmtree(work, ignore_errors=True)
    searched = summary or ("no search index (READING_LIST_SEARCH=off)" if search == "pagefind"
                           else "search: the engine's own")
    return (f"{_shown(target, root)}: built with {engine.name} in {time.perf_counter() - start:.1f} s "
            f"({papers} papers; {searched}; {squeezed.pages} pages squeezed from "
            f"{squeezed.before / 1e6:.1f} MB to {squeezed.after / 1e6:.1f} MB in {squeeze_s:.1f} s)")


def _shown(path: Path, root: Path) -> str:
    """A path as the user knows it: relative to the project when inside it."""
    return f"{path.relative_to(root)}/" if path.is_relative_to(root) else str(path)


def main(argv: list[str] | None = None) -> int:
    """``python -m generator.publish [--engine NAME]``: one line on success or failure."""
    parser = argparse.ArgumentParser(prog="python -m generator.publish", description=__doc__)
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
