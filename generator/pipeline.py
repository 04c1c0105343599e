"""The pipeline: read dumps → merge → slugs → enrich, then render → write, in two phases.

``Project.inputs`` and ``Project.settings`` declare everything a build reads; the pipeline
reads through them and the nothing-changed check (``fingerprint``) hashes exactly them.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from generator.cache import CACHE_FOLDER, BuildCache, Reuse, Table, digest
from generator.enrich.curation import CURATION_FILE, apply_curation, is_hidden, load_curation
from generator.enrich.links import extract_links
from generator.enrich.merge import merge
from generator.enrich.related import Index, Texts, full_index, index_of, reusable
from generator.enrich.related_worker import WORKER_PAPERS, RelatedWorker
from generator.enrich.slugs import REGISTRY_FILE, SlugRegistry
from generator.enrich.taxonomy import Tag, load_taxonomy, tag_text
from generator.model import Link, Paper
from generator.problems import Problem, Severity
from generator.read.dumps import Dump
from generator.read.seeds import read_seeds
from generator.read.siteconfig import SiteSettings, site_settings
from generator.render.docs import OWNED, listing_pages, paper_pages, write_order
from generator.write.writer import (
    Writer,
    WriteReport,
    atomic_write,
    holds,
    is_temporary,
    remove_stale_temporaries,
)

# The related papers' table holds one entry: the index of the last build's texts.
RELATED_INDEX = "index"
# Whether write_site may render the listing pages in a forked child (tests compare both ways).
PARALLEL = True
T = TypeVar("T")
CODE = Path(__file__).resolve().parent


@dataclass
class Project:
    """Where a project's inputs and outputs live; defaults match the repository layout."""

    root: Path = Path(".")
    seeds: Path | None = None
    docs: Path | None = None
    taxonomy: Path | None = None
    curation: Path | None = None

    def __post_init__(self) -> None:
        self.seeds = self.seeds or self.root / "seeds"
        self.docs = self.docs or self.root / "docs"
        self.taxonomy = self.taxonomy or self.root / "taxonomy.yml"
        self.curation = self.curation or self.root / CURATION_FILE

    @property
    def registry(self) -> Path:
        """The slug registry, kept beside the dumps and committed with them."""
        return self.seeds / REGISTRY_FILE

    def inputs(self) -> list[Path]:
        """Every file a build reads, in a stable order.

        All of seeds/ (the dumps, dumps.yaml, slugs.json, whatever else is there) but the
        writer's temporary files, taxonomy.yml, curation.yml and the generator's own code and
        templates; mkdocs.yml and the environment come in as ``settings()``, resolved.
        """
        seeds = sorted(path for path in self.seeds.iterdir() if not is_temporary(path.name)
                       ) if self.seeds.is_dir() else []
        return [*seeds, self.taxonomy, self.curation, *self.code()]

    def code(self) -> list[Path]:
        """The generator's own code and templates, in a stable order."""
        return sorted(path for path in CODE.rglob("*") if path.is_file() and (
            path.suffix == ".py" or "templates" in path.relative_to(CODE).parts))

    def build_cache(self) -> BuildCache:
        """The cache of earlier builds' work, under .cache/generator/ (``make clean`` removes it)."""
        return BuildCache(self.root / CACHE_FOLDER, self.code())

    def settings(self) -> SiteSettings:
        """What a build reads from mkdocs.yml and the environment (site_url, SITE_URL, site_name)."""
        return site_settings(self.root)


@dataclass
class Catalog:
    """Everything known after reading and merging: the input to rendering."""

    papers: list[Paper]
    tags: list[Tag]
    dumps: list[Dump]
    problems: list[Problem] = field(default_factory=list)
    new: int = 0
    registry: SlugRegistry = field(default_factory=SlugRegistry)
    settings: SiteSettings = field(default_factory=SiteSettings)
    # Related papers still being computed (see ``settle``); None once attached.
    related: Related | None = None

    def settle(self) -> None:
        """Attach each paper's related papers, waiting for them if they are still computed."""
        if self.related is not None:
            lists = self.related.lists()
            for paper in self.papers:
                paper.related = list(lists[paper.slug])
            self.related = None

    @property
    def computing_apart(self) -> bool:
        """Whether the related papers are still being computed in a worker process."""
        return self.related is not None and self.related.apart

    @property
    def entries(self) -> int:
        """Entries read from all dumps, before merging."""
        return sum(len(dump.entries) for dump in self.dumps)

    @property
    def warnings(self) -> int:
        """Problems that are warnings."""
        return sum(p.severity == Severity.WARNING for p in self.problems)

    @property
    def errors(self) -> int:
        """Problems that are errors."""
        return sum(p.severity == Severity.ERROR for p in self.problems)


def build_catalog(project: Project, *, enrich: bool = True, cache: BuildCache | None = None,
                  background: bool = False) -> Catalog:
    """The pipeline's one entry point: read every dump, merge, give slugs, then enrich.

    Enriching (tags, first-seen dates, curation, related papers) reads taxonomy.yml,
    curation.yml and mkdocs.yml; ``add`` only needs the slugs a build would give, so it can
    skip it and still work while one of those files has a mistake. With ``cache``, what
    earlier builds computed from the same inputs (a dump's reading, an abstract's links, a
    text's tags, the related papers of the same texts) is reused. With ``background``, related
    papers computed from nothing are left to a worker process: the catalog's ``settle``
    attaches them (``write_site`` calls it just before rendering paper pages).
    """
    dumps = read_seeds(project.seeds, cache.table("dumps") if cache else None)
    problems = [problem for dump in dumps for problem in dump.problems]
    records, merge_problems = merge([entry for dump in dumps for entry in dump.entries])
    problems.extend(merge_problems)
    registry = SlugRegistry.load(project.registry)
    known = set(registry.entries)
    slugs = registry.assign([record.key for record in records])
    links = _memo(cache.table("links"), extract_links) if cache else extract_links
    papers = [record.to_paper(slugs[record.key], links) for record in records]
    papers.sort(key=lambda paper: paper.slug)
    new = sum(paper.slug not in known for paper in papers)
    if not enrich:
        return Catalog(papers, [], dumps, problems, new, registry)
    settings = project.settings()
    tags = load_taxonomy(project.taxonomy)
    curation, curation_problems = load_curation(
        project.curation, {paper.slug for paper in papers}, set(registry.entries),
        [tag.name for tag in tags],
    )
    problems.extend(curation_problems)
    # Related papers are found among published papers only: a hidden one is never linked.
    # They need only titles and abstracts: computed from nothing, they are under way in a
    # worker while papers are tagged; reused or updated, they wait for the paper pages.
    related = Related.start([paper for paper in papers if not is_hidden(curation, paper.slug)],
                            cache.table("related") if cache else None, background=background)
    captured = {dump.name: dump.captured_on for dump in dumps}
    # Tags are a function of the text and taxonomy.yml as read (its bytes, in the stamp).
    tagged = cache.table("tags", _bytes(project.taxonomy)) if cache else None
    for paper in papers:
        paper.tags = _tags(paper, tags, tagged)
        seen = [captured[s.dump] for s in paper.sources if captured.get(s.dump) is not None]
        paper.first_seen = min(seen, default=None)
    published, _hidden, tags = apply_curation(papers, curation, tags)
    catalog = Catalog(published, tags, dumps, problems, new, registry, settings, related)
    if not background:
        catalog.settle()
    return catalog


def _tags(paper: Paper, tags: list[Tag], tagged: Table | None) -> list[str]:
    """The paper's tags, reused from the cache when its title and abstract were tagged before."""
    if tagged is None:
        return tag_text(paper.title, paper.abstract, tags)
    key = digest(paper.title, paper.abstract)
    found = tagged.get(key, list)
    if found is None:
        found = tag_text(paper.title, paper.abstract, tags)
        tagged.put(key, found)
    return list(found)


def _bytes(path: Path) -> bytes:
    """A file's bytes, or none when it cannot be read (the build reports why)."""
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing"


def _memo(table: Table, links: Callable[[str], list[Link]]) -> Callable[[str], list[Link]]:
    """``links`` remembered in the table, by the text it reads."""
    def remembered(text: str) -> list[Link]:
        key = digest(text)
        found = table.get(key, list)
        if found is None:
            found = links(text)
            table.put(key, found)
        return list(found)
    return remembered


class Related:
    """The related papers of the published papers: reused, updated, or computed (maybe apart).

    The cached index records the digest of every text it was computed from, so it is its
    own key: whatever it holds for a text that changed is computed again.
    """

    def __init__(self, index: Index | RelatedWorker | Callable[[], Index], table: Table | None,
                 previous: Index | None) -> None:
        self._index, self._table, self._previous = index, table, previous

    @classmethod
    def start(cls, published: list[Paper], table: Table | None, *, background: bool = False
              ) -> Related:
        """Start computing the index from nothing in a worker when that is what it takes;
        else leave reusing or updating the last build's index (~0.3 s after a dump at 10,000
        papers) to the first ``lists``, which the build asks for last, beside the listing
        pages' child."""
        previous = table.get(RELATED_INDEX, Index) if table is not None else None
        found = Texts.of(published, digest if table is not None else None)

        def full(slugs: list[str], texts: list[str], digests: list[str]) -> Index | RelatedWorker:
            if background and len(slugs) >= WORKER_PAPERS:
                return RelatedWorker(slugs, texts, digests)
            return full_index(slugs, texts, digests)

        if background and len(published) >= WORKER_PAPERS and not reusable(found, previous):
            return cls(index_of(found, previous, full), table, previous)
        return cls(lambda: index_of(found, previous), table, previous)

    @property
    def apart(self) -> bool:
        """Whether they are computed in a worker process (which holds the other core)."""
        return isinstance(self._index, RelatedWorker)

    def lists(self) -> dict[str, list[str]]:
        """Each paper's related papers, by slug; the index cached when it is new."""
        if isinstance(self._index, RelatedWorker):
            self._index = self._index.index()
        elif not isinstance(self._index, Index):
            self._index = self._index()
        if self._table is not None and self._index is not self._previous:
            self._table.put(RELATED_INDEX, self._index)
        return self._index.lists()


def write_site(catalog: Catalog, project: Project, cache: BuildCache | None = None
               ) -> WriteReport:
    """Render every page and write what changed; record newly published slugs.

    With ``cache``, a paper page docs/ already holds as its inputs render it is kept unread.
    """
    settings = catalog.settings
    captured = [(dump.captured_on, dump.name) for dump in catalog.dumps if dump.captured_on]
    newest = max(captured, default=None)
    reuse = Reuse(cache.table("pages"), project.docs) if cache else None
    docs = project.docs

    def listings(apart: bool) -> tuple[dict[str, str | bytes], set[str]]:
        """The listing pages that changed, and those docs/ already holds as they are. From a
        child, encoded: bytes load ~2x faster than text (~60 MB after a dump at 10,000
        papers); here, text, as the other pages (both at once would double their memory)."""
        pages = listing_pages(catalog.papers, catalog.tags, settings.name,
                              latest_dump=(newest[1], newest[0]) if newest else None)
        changed: dict[str, str | bytes] = {}
        same = set()
        for path, text in pages.items():
            data = text.encode("utf-8")
            if holds(os.path.join(docs, path), data):
                same.add(path)
            else:
                changed[path] = data if apart else text
        return changed, same

    # The listing pages (~1 s of work after a dump at 10,000 papers) are rendered and compared
    # with docs/ on the other core, unless the related papers' worker holds it (a cold build).
    apart = PARALLEL and not catalog.computing_apart
    # Without a child, before the paper pages: they wait for the related papers' worker.
    listed = in_fork(lambda: listings(True)) if apart else _inline(lambda: listings(False))
    pages = paper_pages(catalog.papers, catalog.tags, settings.name, settings.url, reuse=reuse,
                        encoded=cache.table("export") if cache else None, settle=catalog.settle)
    changed, same = listed()
    files: dict[str, str | bytes] = {**pages, **changed}
    # A run killed while writing the registry left its temporary file (runs hold the lock).
    remove_stale_temporaries(project.seeds, {REGISTRY_FILE}.__contains__)
    if catalog.registry.changed:
        # Slugs are recorded before any page uses them: a build stopped half-way never
        # leaves a page whose URL the next build could hand to another paper.
        atomic_write(project.registry, catalog.registry.dump().encode("utf-8"))
    report = Writer(docs, OWNED, order=write_order).write(
        files, kept=same | (reuse.kept if reuse else set()))
    if reuse is not None:
        reuse.record(report.refused)
    return report


def in_fork(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work`` in a forked child; the function returned waits for its result.

    A fork shares the build's memory (the papers, the compiled templates) instead of copying
    it to a new process, so the work starts at once. Its result comes back pickled in an
    unnamed temporary file, written while this process works (through a pipe, 60 MB of pages
    cost ~0.25 s once asked for; read from the file, ~0.08 s). ``work`` must change nothing
    the parent needs (a cache table, say): the child's changes stay in the child.

    When the child fails (an exception, a signal, an answer that does not load), this is
    not Linux (macOS's system libraries, which numpy may have loaded, refuse much of their
    work in a forked child), or this process runs other threads (`make serve`'s watcher: one
    of them may hold a lock the child would wait for forever), the work is done in this
    process instead: a failure costs time, and any error is raised here, as it would have
    been without the child.
    """
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return _inline(work)
    try:
        answer = tempfile.TemporaryFile()  # noqa: SIM115 - closed once the answer is read
    except OSError:
        return _inline(work)
    # Output buffered now would be written twice, once by each process.
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child ends in os._exit; its answer is tested
        code = 1
        try:
            pickle.dump(work(), answer, protocol=pickle.HIGHEST_PROTOCOL)
            answer.flush()
            code = 0
        except BaseException:  # Any failure: the parent does the work again, and reports it.
            pass
        finally:
            os._exit(code)

    def result() -> T:
        with answer:
            _, status = os.waitpid(child, 0)
            if os.waitstatus_to_exitcode(status) == 0:
                answer.seek(0)  # The two processes share the file's offset; the child is done.
                try:
                    return pickle.load(answer)  # Our own child's answer, just written.
                except Exception:  # Done again below.
                    pass
        return work()

    return result


def _inline(work: Callable[[], T]) -> Callable[[], T]:
    """``work`` done now, its result given when asked."""
    done = work()
    return lambda: done
