"""The benchmark: build synthetic reading lists and a bare baseline, print one table per size."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

from generator.cache import CACHE_FOLDER
from generator.publish.pagefind import DONE
from generator.publish.search import ENGINE_VARIABLE
from generator.render.layout import INDEX, PAPERS, paper_file, paper_files

from .browser import first_search
from .corpus import load_pool, make_entries, write_dumps
from .reader import PageLoad, measure_site
from .reader import table as reader_table

REPO = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000)
# Sizes at which every list page's HTML is weighed (issue 10: ≤ 250 KB at 10,000 and 50,000).
LIST_SIZES = (10_000, 50_000)
LIST_PAGE_LIMIT = 250_000
ADDED = 50
QUERY = "diffusion"
SAME_TITLE = "One Title Shared by Every Paper"
# Budgets of the paths that were quadratic (issue 9): seconds of the build removing every
# page (10,050 at the large size; 30,000 took 284 s), and the build time of papers sharing
# one title over that of as many distinct titles.
REMOVAL_BUDGET_S = 10.0
SAME_TITLE_RATIO = 1.5
# Issue 14's targets at the large size: site bytes per paper (50,000 papers within GitHub
# Pages' 1 GB), peak memory, and a cold build (generator + publish) over the bare baseline.
SITE_PER_PAPER = 20_000
PEAK_MB = 800
COLD_RATIO = 1.5
# Issue 14, the generator's half of the incremental target: `build` after a dump is added
# (with the cache of the cold build) over the cold `build`, both wall time.
INCREMENTAL_GENERATE = 0.15
# Everything the reading list's build reads besides the dumps, linked into each bench project.
LINKED = ("generator", "overrides")
COPIED = ("mkdocs.yml", "taxonomy.yml")
# Both sizes measure Pagefind, the engine large lists get (small ones get Material's).
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", ENGINE_VARIABLE: "pagefind"}
# What the publish step (generator/publish/engines.py) says of the search index built beside the engine.
INDEXED = re.compile(re.escape(DONE) + r" (\d+) pages in ([\d.]+) s, peak (\d+) MB, "
                     r"\d+ of \d+ shards indexed \(beside the \w+ build, itself at peak (\d+) MB\)")
# What `make site`'s publish step says of itself: its whole time (engine, search, squeezing).
PUBLISHED = re.compile(r"built with \w+ in ([\d.]+) s \(\d+ papers; ([^;]+);")
# Issue 14: `make site` after a 50-paper dump, over a cold `make site` of the same inputs.
INCREMENTAL_RATIO = 0.25
# Runs of each timed step of those two targets, the fastest kept: on this shared 2-core
# machine one run drifted by up to 30 % within minutes (two full runs of nearly the same
# code gave 0.25 and 0.29), more than any change being measured.
TIMED_RUNS = 2
# The cores builds here may use: with its processor time, how fast a build could be at best.
CORES = len(os.sched_getaffinity(0))


@dataclass
class Step:
    """One command's wall time and peak memory (its own and its children's)."""

    seconds: float
    peak_mb: float
    output: str = ""
    log: str = ""
    # The largest sum of every process of the command at one moment (sampled), when asked.
    together_mb: float = 0.0
    # Processor time (user + system) of the command and every descendant it waited for.
    cpu_s: float = 0.0


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_S = 0.1


def tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants at this moment (KB, /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8") as handle:
                stat = handle.read()
            fields = stat[stat.rindex(")") + 2:].split()
            parent, pages = int(fields[1]), int(fields[21])
        except (OSError, ValueError, IndexError):
            continue  # Gone meanwhile.
        children.setdefault(parent, []).append(int(entry.name))
        rss[int(entry.name)] = pages * PAGE_KB
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


@dataclass
class Incremental:
    """`make site` after adding a dump, against a cold `make site` of the same inputs."""

    cold_s: float = 0.0
    cold_engine_s: float = 0.0
    incremental_s: float = 0.0
    incremental_engine_s: float = 0.0
    rendered: str = ""
    indexed: str = ""
    differing_files: int = -1
    cold_peak_mb: float = 0.0
    cold_peaks_mb: dict[str, float] = field(default_factory=dict)
    # The bare Material build of as many pages, run just before the cold `make site`.
    baseline_s: float = 0.0
    # Processor time (user + system) of the fastest cold `make site` and baseline build.
    cold_cpu_s: float = 0.0
    baseline_cpu_s: float = 0.0

    @property
    def cold_ratio(self) -> float:
        """Cold `make site` ÷ the bare baseline built just before it (issue 14's cold target)."""
        return self.cold_s / self.baseline_s if self.baseline_s else 0.0

    @property
    def cold_floor(self) -> float:
        """The lowest cold ratio this much processor time allows: every core busy throughout."""
        return self.cold_cpu_s / CORES / self.baseline_s if self.baseline_s else 0.0

    @property
    def ratio(self) -> float:
        """Whole `make site`, incremental ÷ cold."""
        return self.incremental_s / self.cold_s

    @property
    def engine_ratio(self) -> float:
        """The publish step alone (engine, search, squeezing), incremental ÷ cold."""
        return self.incremental_engine_s / self.cold_engine_s


@dataclass
class SizeResult:
    """Every figure measured for one corpus size."""

    papers: int
    read_merge_s: float = 0.0
    generate_s: float = 0.0
    mkdocs_s: float = 0.0
    search_index_s: float = 0.0
    total_s: float = 0.0
    files_written: int = 0
    site_files: int = 0
    site_bytes: int = 0
    site_parts: dict[str, int] = field(default_factory=dict)
    median_page_bytes: int = 0
    search_bytes: int = 0
    search_requests: int = 0
    search_ms: float = 0.0
    search_cold_ms: float = 0.0
    search_results: int = 0
    peak_mb: float = 0.0
    peaks_mb: dict[str, float] = field(default_factory=dict)
    rerun_written: int = -1
    rerun_generate_s: float = 0.0
    added_written: dict[str, int] = field(default_factory=dict)
    added_generate_s: float = 0.0
    cache_bytes: int = 0
    generate_wall_s: float = 0.0
    removed_pages: int = 0
    remove_s: float = 0.0
    same_title_papers: int = 0
    same_title_s: float = 0.0
    zensical_s: float = 0.0
    zensical_peak_mb: float = 0.0
    baseline_mkdocs_s: float = 0.0
    baseline_peak_mb: float = 0.0
    baseline_site_bytes: int = 0
    baseline_median_page_bytes: int = 0
    baseline_search_index_gz: int = 0
    page_loads: list[PageLoad] = field(default_factory=list)
    largest_list_bytes: int = 0
    largest_list_page: str = ""
    incremental: Incremental | None = None

    @property
    def ms_per_paper(self) -> float:
        """Total build time per paper, in milliseconds."""
        return 1000 * self.total_s / self.papers


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        *, sample: bool = False) -> Step:
    """Run a command to completion; its wall time and peak resident memory, children included.

    With ``sample``, also the largest sum of its processes' memory at one moment (the
    generator, MkDocs and Pagefind run at once under `make site`), polled every 0.1 s.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env={**ENV, **(env or {})}, stdout=out,
                                   stderr=err, text=True)
        done, together = threading.Event(), [0]

        def poll() -> None:
            while not done.wait(SAMPLE_S):
                together[0] = max(together[0], tree_rss_kb(process.pid))

        sampler = threading.Thread(target=poll, daemon=True) if sample else None
        if sampler is not None:
            sampler.start()
        # wait4 gives this one child's rusage; its ru_maxrss covers the descendants it waited
        # for (MkDocs → Pagefind), and nothing else this process ran (Chromium, other steps).
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        if sampler is not None:
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}{stdout}")
    return Step(seconds, usage.ru_maxrss / 1024, stdout, stderr, together[0] / 1024,
                usage.ru_utime + usage.ru_stime)


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def site_part(path: str) -> str:
    """Which part of the site a file (path relative to the site) belongs to."""
    top = path.split("/", 1)[0]
    if top == "papers" and path.endswith(".html"):
        return "paper pages"
    if top.startswith("pagefind") or top == "search":
        return "search index"
    if top in {"assets", "stylesheets"}:
        return "assets"
    if top == "lists":
        return "list data"
    return "list pages" if path.endswith(".html") else "data and feeds"


def site_parts(files: list[Path], site: Path) -> dict[str, int]:
    """The site's bytes by part, largest first."""
    parts: dict[str, int] = {}
    for file in files:
        part = site_part(file.relative_to(site).as_posix())
        parts[part] = parts.get(part, 0) + file.stat().st_size
    return dict(sorted(parts.items(), key=lambda item: -item[1]))


def median_page(site: Path) -> int:
    """Median size of the paper pages' HTML, in bytes."""
    sizes = [page.stat().st_size for page in (site / "papers").glob("*/index.html")]
    return int(statistics.median(sizes)) if sizes else 0


@dataclass
class ListPages:
    """The HTML of every page that is not a paper page, at one corpus size."""

    papers: int
    pages: int
    largest_bytes: int
    largest_page: str
    seconds: float = 0.0


def list_pages(site: Path) -> tuple[int, int, str]:
    """Every built page but paper pages (lists, indexes, home): count, largest size and path."""
    pages = [page for page in site.rglob("*.html")
             if page.relative_to(site).parts[0] not in {"papers", "search"}
             and page.name != "404.html"]
    largest = max(pages, key=lambda page: page.stat().st_size)
    return len(pages), largest.stat().st_size, largest.relative_to(site).as_posix()


def measure_list_pages(size: int, work: Path, pool, log) -> ListPages:
    """List pages alone at one size: the corpus generated, paper pages left out of MkDocs.

    Paper pages change no list page (lists link them in raw HTML, which MkDocs does not
    check) and would make MkDocs hold 50,000 pages in memory just to be skipped here.
    """
    project = make_project(work / f"lists-{size}", size, pool)
    log(f"[lists {size}] generate")
    _, gen = generate(project)
    if gen["papers"] != size:
        raise RuntimeError(f"corpus of {size} read back as {gen['papers']} papers")
    shutil.rmtree(project / "docs" / "papers")
    log(f"[lists {size}] mkdocs build without paper pages")
    step = run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f",
                str(project / "mkdocs.yml"), "-d", str(project / "site")],
               env={ENGINE_VARIABLE: "material"})
    pages, largest, where = list_pages(project / "site")
    return ListPages(size, pages, largest, where, step.seconds)


def project_shell(folder: Path, root: Path = REPO) -> Path:
    """An empty project folder with ``root``'s code linked and its settings copied, no seeds."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in LINKED:
        (folder / name).symlink_to(root / name, target_is_directory=True)
    for name in COPIED:
        shutil.copy(root / name, folder / name)
    shutil.copytree(root / "docs" / "stylesheets", folder / "docs" / "stylesheets")
    return folder


def make_project(folder: Path, size: int, pool) -> Path:
    """A reading-list project with a corpus of `size` papers; the 50 to add kept aside."""
    project_shell(folder)
    entries = make_entries(size + ADDED, pool)
    write_dumps(entries[:size], folder / "seeds")
    write_dumps(entries[size:], folder / "added", prefix="added")
    return folder


def make_baseline(folder: Path, size: int, pool) -> Path:
    """The floor: the same number of bare pages (title + abstract), Material, papers out of nav."""
    if folder.exists():
        shutil.rmtree(folder)
    papers = folder / "docs" / "papers"
    papers.mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Baseline\n\nBare pages.\n", encoding="utf-8")
    for number, entry in enumerate(make_entries(size, pool)):
        (papers / f"p{number:05d}.md").write_text(
            f"# Paper {number}\n\n{entry.abstract}\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: Baseline\ntheme:\n  name: material\nplugins:\n  - search\n"
        "nav:\n  - Home: index.md\nnot_in_nav: |\n  /papers/\n", encoding="utf-8")
    return folder


def build_baseline(baseline: Path) -> Step:
    """`mkdocs build` of the bare baseline into its site/."""
    return run([sys.executable, "-m", "mkdocs", "build", "--quiet",
                "-f", str(baseline / "mkdocs.yml"), "-d", str(baseline / "site")])


def generate(project: Path) -> tuple[Step, dict]:
    """`python -m generator build -v`, as `make docs` runs it: time, phases, files written."""
    step = run([sys.executable, "-m", "generator", "build", "-v", "--root", str(project)], cwd=REPO)
    lines = step.output.splitlines()
    timing = re.search(r"read \+ merge ([\d.]+) s, generate ([\d.]+) s", step.output)
    papers = re.search(r"entries read from \d+ dumps: (\d+) papers", lines[-1])
    return step, {
        "papers": int(papers.group(1)) if papers else 0,
        "read_merge_s": float(timing.group(1)) if timing else 0.0,
        "generate_s": float(timing.group(2)) if timing else 0.0,
        "written": [line[6:] for line in lines if line.startswith("wrote ")],
    }


RELATED = re.compile(r"^## Related papers\n.*?(?=^## |\Z)", re.M | re.S)


def classify(written: list[str], new_slugs: set[str], before: dict[str, str],
             docs: Path) -> dict[str, int]:
    """Rewritten files by kind; an old paper page counts as 'related only' when nothing else
    on it changed (its list of related papers may change whenever papers arrive)."""
    kinds = {"new paper pages": 0, "old paper pages, related list only": 0,
             "old paper pages, other changes": 0, "index pages": 0, "data and feeds": 0}
    for path in written:
        if path.startswith(f"{PAPERS}/") and path.endswith(f"/{INDEX}"):
            if path.removeprefix(f"{PAPERS}/").removesuffix(f"/{INDEX}") in new_slugs:
                kind = "new paper pages"
            else:
                now = (docs / path).read_text(encoding="utf-8")
                same = RELATED.sub("", now) == RELATED.sub("", before.get(path, ""))
                kind = "old paper pages, " + ("related list only" if same else "other changes")
        else:
            kind = "index pages" if path.endswith(".md") else "data and feeds"
        kinds[kind] += 1
    return kinds


def measure(size: int, work: Path, pool, browser: bool, log, *, reader_runs: int = 3,
            zensical: bool = True, throttle_network: bool = True) -> SizeResult:
    """Build one size: full build, search, rebuild with no change, add a dump, baseline."""
    result = SizeResult(papers=size)
    project = make_project(work / f"papers-{size}", size, pool)
    site = project / "site"
    log(f"[{size}] generate")
    gen_step, gen = generate(project)
    if gen["papers"] != size:
        raise RuntimeError(f"corpus of {size} read back as {gen['papers']} papers")
    log(f"[{size}] mkdocs build, search indexed beside it")
    # `make site`'s publish step: the engine, with Pagefind indexing docs/ beside it.
    mkdocs_step = run([sys.executable, "-m", "generator.publish.engines", "--engine", "mkdocs",
                       "--root", str(project), "--site-dir", str(site)])
    indexed = INDEXED.search(mkdocs_step.log)
    if not indexed or int(indexed.group(1)) != size:
        raise RuntimeError(f"mkdocs build of {size} papers did not report its search index:\n"
                           f"{mkdocs_step.log[-2000:]}")
    search_s, search_mb = float(indexed.group(2)), float(indexed.group(3))
    mkdocs_mb = float(indexed.group(4))
    result.read_merge_s, result.generate_s = gen["read_merge_s"], gen["generate_s"]
    result.generate_wall_s = gen_step.seconds
    result.mkdocs_s, result.search_index_s = mkdocs_step.seconds, search_s
    result.total_s = gen_step.seconds + mkdocs_step.seconds
    # wait4 gives the largest of MkDocs and its children, not their sum while they run at
    # once: the hook reports each one's peak, and the build's is counted as both together.
    result.peak_mb = max(gen_step.peak_mb, mkdocs_mb + search_mb)
    result.peaks_mb = {"generate": gen_step.peak_mb, "mkdocs": mkdocs_mb, "search": search_mb,
                       "mkdocs + search": mkdocs_mb + search_mb}
    if zensical:
        log(f"[{size}] zensical build, search indexed beside it")
        zensical_step = run([sys.executable, "-m", "generator.publish.engines", "--engine", "zensical",
                             "--root", str(project), "--site-dir", str(project / "site-zensical")])
        result.zensical_s, result.zensical_peak_mb = zensical_step.seconds, zensical_step.peak_mb
        shutil.rmtree(project / "site-zensical")
    result.files_written = len(gen["written"])
    files = _files(site)
    result.site_files, result.site_bytes = len(files), sum(f.stat().st_size for f in files)
    result.site_parts = site_parts(files, site)
    result.median_page_bytes = median_page(site)
    _, result.largest_list_bytes, result.largest_list_page = list_pages(site)
    if browser:
        log(f"[{size}] first search in chromium")
        found = first_search(site, QUERY)
        result.search_ms, result.search_cold_ms = found.results_ms, found.cold_ms
        result.search_bytes, result.search_requests = found.compressed_bytes, len(found.requests)
        result.search_results = found.results
        log(f"[{size}] every kind of page on a throttled phone profile"
            + ("" if throttle_network else " (its network unthrottled)"))
        result.page_loads = measure_site(site, reader_runs, log, network=throttle_network)
    log(f"[{size}] generate again, nothing changed")
    rerun_step, rerun = generate(project)
    result.rerun_written, result.rerun_generate_s = len(rerun["written"]), rerun_step.seconds
    log(f"[{size}] add a dump of {ADDED} papers")
    before = set(json.loads((project / "seeds" / "slugs.json").read_text(encoding="utf-8")))
    pages = {paper_file(page.parent.name): page.read_text(encoding="utf-8")
             for page in paper_files(project / "docs")}
    for dump in (project / "added").iterdir():
        shutil.copy(dump, project / "seeds" / dump.name)
    added_step, added = generate(project)
    result.added_generate_s = added_step.seconds
    result.cache_bytes = sum(f.stat().st_size for f in _files(project / CACHE_FOLDER))
    after = set(json.loads((project / "seeds" / "slugs.json").read_text(encoding="utf-8")))
    result.added_written = classify(added["written"], after - before, pages, project / "docs")
    log(f"[{size}] remove every dump")
    for dump in (project / "seeds").glob("*.txt"):
        dump.unlink()
    remove_step, removed = generate(project)
    result.remove_s = remove_step.seconds
    result.removed_pages = sum(1 for line in remove_step.output.splitlines()
                               if line.startswith("removed papers/"))
    if removed["papers"] != 0 or result.removed_pages != size + ADDED:
        raise RuntimeError(f"removing every dump left {removed['papers']} papers, removed "
                           f"{result.removed_pages} pages")
    log(f"[{size}] {size} papers sharing one title")
    same = make_project(work / f"same-title-{size}", 0, pool)
    # Numbered abstracts: recombined sentences can repeat an abstract's first 200 characters
    # (18 pairs at 10,000), and a shared title with the same start is one paper, merged.
    write_dumps([replace(entry, title=SAME_TITLE, abstract=f"Variant {number}. {entry.abstract}")
                 for number, entry in enumerate(make_entries(size, pool))],
                same / "seeds")
    same_step, same_title = generate(same)
    result.same_title_papers, result.same_title_s = same_title["papers"], same_step.seconds
    if same_title["papers"] != size:
        raise RuntimeError(f"{size} papers sharing a title read back as {same_title['papers']}")
    log(f"[{size}] bare baseline")
    baseline = make_baseline(work / f"baseline-{size}", size, pool)
    base_step = build_baseline(baseline)
    result.baseline_mkdocs_s, result.baseline_peak_mb = base_step.seconds, base_step.peak_mb
    result.baseline_site_bytes = sum(f.stat().st_size for f in _files(baseline / "site"))
    result.baseline_median_page_bytes = median_page(baseline / "site")
    index = baseline / "site" / "search" / "search_index.json"
    if index.exists():
        result.baseline_search_index_gz = len(gzip.compress(index.read_bytes(), 6))
    return result


def make_site(project: Path) -> tuple[Step, re.Match[str]]:
    """`make site` (``python -m generator site``) in a project; its step and publish summary."""
    step = run([sys.executable, "-m", "generator", "site", "--root", str(project)], cwd=REPO, sample=True)
    published = PUBLISHED.search(step.log)
    if not published:
        raise RuntimeError(f"make site in {project} printed no publish summary:\n{step.log[-2000:]}")
    return step, published


def _same_tree(one: Path, other: Path) -> int:
    """Files that differ between two sites (or are in only one of them)."""
    ours = {path.relative_to(one).as_posix() for path in _files(one)}
    theirs = {path.relative_to(other).as_posix() for path in _files(other)}
    return len(ours ^ theirs) + sum(1 for path in ours & theirs
                                    if (one / path).read_bytes() != (other / path).read_bytes())


def measure_incremental(size: int, work: Path, pool, log) -> Incremental:
    """`make site`, add a 50-paper dump, `make site` again; a cold `make site` of the result.

    Each timed step runs TIMED_RUNS times and the fastest is kept: the incremental one
    (the dump taken out and built without, untimed, before it comes back), and the bare
    baseline and the cold `make site`, back to back each time.
    """
    result = Incremental()
    project = make_project(work / f"incremental-{size}", size, pool)
    log(f"[incremental {size}] make site")
    make_site(project)
    added = sorted((project / "added").iterdir())
    runs: list[tuple[Step, re.Match[str]]] = []
    for number in range(TIMED_RUNS):
        if number:
            for dump in added:
                (project / "seeds" / dump.name).unlink()
            make_site(project)
        for dump in added:
            shutil.copy(dump, project / "seeds" / dump.name)
        log(f"[incremental {size}] add a {ADDED}-paper dump, make site again ({number + 1} of {TIMED_RUNS})")
        runs.append(make_site(project))
    step, published = min(runs, key=lambda run: run[0].seconds)
    result.incremental_s, result.incremental_engine_s = step.seconds, float(published.group(1))
    result.rendered = published.group(2)
    indexed = re.search(r"(\d+ of \d+ shards indexed)", step.log)
    result.indexed = indexed.group(1) if indexed else ""
    baseline = make_baseline(work / f"baseline-{size}", size, pool)
    colds: list[tuple[Step, re.Match[str]]] = []
    baselines: list[Step] = []
    for number in range(TIMED_RUNS):
        # Cold: a fresh copy of the inputs (dumps and slug registry), no docs/, cache or site.
        cold = project_shell(work / f"incremental-{size}-cold")
        shutil.copytree(project / "seeds", cold / "seeds")
        shutil.rmtree(baseline / "site", ignore_errors=True)
        # Back to back, so the two see the same load on a shared machine.
        log(f"[incremental {size}] bare baseline, then a cold make site of the same inputs "
            f"({number + 1} of {TIMED_RUNS})")
        baselines.append(build_baseline(baseline))
        colds.append(make_site(cold))
    fastest = min(baselines, key=lambda step: step.seconds)
    result.baseline_s, result.baseline_cpu_s = fastest.seconds, fastest.cpu_s
    step, published = min(colds, key=lambda run: run[0].seconds)
    result.cold_s, result.cold_engine_s = step.seconds, float(published.group(1))
    result.cold_cpu_s = step.cpu_s
    # Memory is the largest of the runs, not the fastest run's.
    heaviest, _ = max(colds, key=lambda run: run[0].together_mb)
    indexed = INDEXED.search(heaviest.log)
    if indexed:
        search_mb, engine_mb = float(indexed.group(3)), float(indexed.group(4))
        result.cold_peaks_mb = {"make site": heaviest.peak_mb, "mkdocs": engine_mb, "search": search_mb,
                                "mkdocs + search": engine_mb + search_mb,
                                "every process at once, sampled": heaviest.together_mb}
    # Every process at once, sampled: under `make site` the ru_maxrss of MkDocs and Pagefind
    # start from the generator's own peak (Linux keeps it across vfork + exec).
    result.cold_peak_mb = heaviest.together_mb
    result.differing_files = _same_tree(project / "site", cold / "site")
    return result


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.1f} KB"


def table(r: SizeResult) -> str:
    """The Markdown table of one size: the reading list beside the bare baseline."""
    added = ", ".join(f"{n} {kind}" for kind, n in r.added_written.items())
    rows = [
        ("papers", f"{r.papers:,}", f"{r.papers:,}"),
        ("read + merge (s)", f"{r.read_merge_s:.2f}", "–"),
        ("generate Markdown (s)", f"{r.generate_s:.2f}", "–"),
        ("MkDocs build (s)", f"{r.mkdocs_s:.2f}", f"{r.baseline_mkdocs_s:.2f}"),
        ("search indexing (s), beside MkDocs", f"{r.search_index_s:.2f}", "in MkDocs build"),
        ("total (s)", f"{r.total_s:.2f}", f"{r.baseline_mkdocs_s:.2f}"),
        ("Zensical build + search instead (s) / peak (MB)",
         f"{r.zensical_s:.2f} / {r.zensical_peak_mb:.0f}" if r.zensical_s else "not run", "–"),
        ("ms per paper", f"{r.ms_per_paper:.2f}", f"{1000 * r.baseline_mkdocs_s / r.papers:.2f}"),
        ("files written (docs/)", f"{r.files_written:,}", f"{r.papers + 1:,}"),
        ("site size", _mb(r.site_bytes), _mb(r.baseline_site_bytes)),
        ("site per paper", _mb(r.site_bytes // r.papers), _mb(r.baseline_site_bytes // r.papers)),
        ("site per paper, by part", ", ".join(
            f"{part} {_mb(size // r.papers)}" for part, size in r.site_parts.items()), "–"),
        ("median paper page (HTML)", _mb(r.median_page_bytes), _mb(r.baseline_median_page_bytes)),
        ("largest list page (HTML)", f"{_mb(r.largest_list_bytes)} ({r.largest_list_page})", "–"),
        ("first search download (compressed)",
         f"{_mb(r.search_bytes)} in {r.search_requests} requests" if r.search_requests else "–",
         _mb(r.baseline_search_index_gz) + " (whole index)" if r.baseline_search_index_gz else "–"),
        ("first search results (ms): typed / cold",
         f"{r.search_ms:.0f} / {r.search_cold_ms:.0f}" if r.search_requests else "–", "–"),
        ("peak memory (MB)", f"{r.peak_mb:.0f} (" + ", ".join(
            f"{step} {mb:.0f}" for step, mb in r.peaks_mb.items()) + ")", f"{r.baseline_peak_mb:.0f}"),
        ("rebuild, nothing changed: files rewritten", f"{r.rerun_written}", "–"),
        ("rebuild, nothing changed: generate (s)", f"{r.rerun_generate_s:.2f}", "–"),
        (f"add a {ADDED}-paper dump: files rewritten", f"{sum(r.added_written.values())} ({added})",
         "–"),
        (f"add a {ADDED}-paper dump: generate (s) / ÷ cold generate",
         f"{r.added_generate_s:.2f} / {r.added_generate_s / r.generate_wall_s:.2f}", "–"),
        ("build cache (.cache/generator)", _mb(r.cache_bytes), "–"),
        ("remove every dump: pages removed / generate (s)",
         f"{r.removed_pages:,} / {r.remove_s:.2f}", "–"),
        ("papers sharing one title: generate (s)",
         f"{r.same_title_s:.2f} ({r.same_title_papers:,} papers; distinct titles "
         f"{r.generate_wall_s:.2f})", "–"),
    ]
    if (inc := r.incremental) is not None:
        rows += [
            (f"make site, cold / after a {ADDED}-paper dump (s)",
             f"{inc.cold_s:.2f} / {inc.incremental_s:.2f} ({inc.rendered}; {inc.indexed})", "–"),
            ("make site, cold: processor time (s, user + system, every process) / ÷ bare "
             "baseline's", f"{inc.cold_cpu_s:.1f} / {inc.cold_cpu_s / inc.baseline_cpu_s:.2f}"
             if inc.baseline_cpu_s else "–", f"{inc.baseline_cpu_s:.1f}"),
            ("publish step (engine, search, squeeze), cold / after the dump (s)",
             f"{inc.cold_engine_s:.2f} / {inc.incremental_engine_s:.2f}", "–"),
            ("incremental site = cold site: files differing", f"{inc.differing_files}", "–"),
            ("make site peak memory, cold (MB)", f"{inc.cold_peak_mb:.0f} (" + ", ".join(
                f"{step} {mb:.0f}" for step, mb in inc.cold_peaks_mb.items()) + ")", "–"),
        ]
    lines = ["| measure | reading list | bare baseline |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {ours} | {base} |" for name, ours, base in rows]
    return "\n".join(lines)


def list_table(lists: list[ListPages]) -> str:
    """The Markdown table of list page sizes, one row per corpus size."""
    lines = ["| papers | list pages | largest list page (HTML) | page | ≤ 250 KB |",
             "| ---: | ---: | ---: | --- | :---: |"]
    lines += [f"| {r.papers:,} | {r.pages:,} | {_mb(r.largest_bytes)} | {r.largest_page} | "
              f"{'yes' if r.largest_bytes <= LIST_PAGE_LIMIT else 'NO'} |" for r in lists]
    return "\n".join(lines)


def targets(results: list[SizeResult], lists: list[ListPages] | None = None
            ) -> list[tuple[str, str, bool]]:
    """The issue's targets, each a ratio or figure from this run, and whether it holds."""
    small, large = results[0], results[-1]
    checks = []
    if lists:
        worst = max(lists, key=lambda r: r.largest_bytes)
        sizes = ", ".join(f"{r.papers:,}" for r in lists)
        checks.append((f"list pages: every list page ≤ 250 KB of HTML at {sizes} papers",
                       f"{_mb(worst.largest_bytes)} ({worst.largest_page} at {worst.papers:,})",
                       worst.largest_bytes <= LIST_PAGE_LIMIT))
    if len(results) > 1:
        ratio = large.ms_per_paper / small.ms_per_paper
        checks.append((f"linear: ms/paper at {large.papers:,} ÷ at {small.papers:,} ≤ 1.2",
                       f"{ratio:.2f}", ratio <= 1.2))
    if large.incremental is not None and large.incremental.baseline_s:
        inc = large.incremental
        checks.append((f"cold: make site ÷ bare baseline at {large.papers:,}, back to back, "
                       f"≤ {COLD_RATIO}", f"{inc.cold_ratio:.2f} ({inc.cold_s:.1f} s ÷ "
                       f"{inc.baseline_s:.1f} s; with every one of {CORES} cores busy "
                       f"throughout, its processor time allows {inc.cold_floor:.2f} at best)",
                       inc.cold_ratio <= COLD_RATIO))
    ratio = large.total_s / large.baseline_mkdocs_s
    checks.append((f"cold: generate + publish steps ÷ bare baseline at {large.papers:,} "
                   f"≤ {COLD_RATIO}", f"{ratio:.2f}", ratio <= COLD_RATIO))
    per_paper = large.site_bytes / large.papers
    checks.append((f"weight: site per paper at {large.papers:,} ≤ {_mb(SITE_PER_PAPER)}",
                   f"{_mb(int(per_paper))} ({_mb(large.site_bytes)})", per_paper <= SITE_PER_PAPER))
    share = large.rerun_generate_s / large.total_s
    checks.append(("nothing to do: files rewritten = 0, generate < 5 % of full build",
                   f"{large.rerun_written} files, {100 * share:.1f} %",
                   large.rerun_written == 0 and share < 0.05))
    added = large.added_written
    checks.append((f"incremental: a {ADDED}-paper dump rewrites new pages, indexes, related lists",
                   f"{added.get('new paper pages', 0)} new pages; old pages: "
                   f"{added.get('old paper pages, related list only', 0)} related list only, "
                   f"{added.get('old paper pages, other changes', 0)} other changes",
                   added.get("new paper pages") == ADDED
                   and added.get("old paper pages, other changes") == 0))
    ratio = large.added_generate_s / large.generate_wall_s
    checks.append((f"incremental generate: a {ADDED}-paper dump at {large.papers:,} "
                   f"≤ {INCREMENTAL_GENERATE} × the cold generate", f"{ratio:.2f}",
                   ratio <= INCREMENTAL_GENERATE))
    checks.append(("light pages: median paper page ≤ 30 KB",
                   _mb(large.median_page_bytes), large.median_page_bytes <= 30_000))
    if large.search_requests:
        checks.append(("search: first search ≤ 500 KB compressed, results ≤ 300 ms",
                       f"{_mb(large.search_bytes)}, {large.search_ms:.0f} ms",
                       large.search_bytes <= 500_000 and large.search_ms <= 300))
    if large.page_loads:
        paper, lists = large.page_loads[0], large.page_loads[1:]
        worst = max(lists, key=lambda load: load.load_ms)
        checks.append(("reader: every list page loads within 2.0× a paper page",
                       f"{worst.load_ms / paper.load_ms:.2f} ({worst.kind})",
                       worst.load_ms <= 2 * paper.load_ms))
    # The target is at 10,000 papers; at smaller sizes the fixed costs (starting
    # Python, MkDocs and Pagefind) weigh more, and the size's table shows the figure.
    if (inc := large.incremental) is not None:
        checks.append((f"incremental: make site after a {ADDED}-paper dump ÷ cold make site at "
                       f"{large.papers:,} ≤ {INCREMENTAL_RATIO}",
                       f"{inc.ratio:.2f} (publish step alone {inc.engine_ratio:.2f}; "
                       f"{inc.differing_files} files differ from the cold site)",
                       inc.ratio <= INCREMENTAL_RATIO and inc.differing_files == 0))
    peak = max(large.peak_mb, large.incremental.cold_peak_mb if large.incremental else 0.0)
    checks.append((f"memory: peak of the build ≤ {PEAK_MB} MB", f"{peak:.0f} MB", peak <= PEAK_MB))
    # Slow paths that were quadratic: pruning emptied folders after each removed page, and
    # comparing every pair of papers sharing a title (merge and slug assignment).
    checks.append((f"removals: the build removing {large.removed_pages:,} pages "
                   f"≤ {REMOVAL_BUDGET_S:.0f} s", f"{large.remove_s:.2f} s",
                   large.remove_s <= REMOVAL_BUDGET_S))
    ratio = large.same_title_s / large.generate_wall_s
    checks.append((f"one title: {large.same_title_papers:,} papers sharing a title generate "
                   f"≤ {SAME_TITLE_RATIO} × as many distinct titles", f"{ratio:.2f}",
                   ratio <= SAME_TITLE_RATIO))
    return checks


def machine() -> str:
    """The machine the figures come from: cores, memory, CPU and versions."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    memory = subprocess.run(["free", "-h"], check=False, capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    return (f"{os.cpu_count()} CPUs ({cpu}), {total} memory; Python {platform.python_version()}, "
            f"MkDocs {version('mkdocs')}, Material {version('mkdocs-material')}, "
            f"Pagefind {version('pagefind')}")


def report(results: list[SizeResult], lists: list[ListPages] | None = None) -> str:
    """The whole report: machine, one table per size, list page sizes, the targets."""
    parts = [f"Machine: {machine()}", ""]
    for result in results:
        parts += [f"### {result.papers:,} papers", "", table(result), ""]
        if result.page_loads:
            parts += [f"#### {result.papers:,} papers: page loads on a phone (390 px, "
                      "150 ms, 1.6 Mbit/s, 4x CPU slowdown, gzip)", "",
                      reader_table(result.page_loads, result.papers, result.site_bytes)]
    if lists:
        parts += ["### List pages", "", list_table(lists), ""]
    parts += ["### Targets", "", "| target | measured | holds |", "| --- | --- | :---: |"]
    parts += [f"| {name} | {value} | {'yes' if ok else 'NO'} |"
              for name, value, ok in targets(results, lists)]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the report and keep the figures in WORK/results.json."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--work", type=Path, default=REPO / ".bench",
                        help="folder for corpora and sites (default: .bench)")
    parser.add_argument("--list-sizes", type=int, nargs="*", default=list(LIST_SIZES),
                        help="sizes at which list pages are weighed (a size built in full "
                             "is weighed from that build)")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip what runs in chromium (first search, page loads)")
    parser.add_argument("--no-zensical", action="store_true",
                        help="skip the Zensical build of each size (minutes at 10,000 papers)")
    parser.add_argument("--only-incremental", action="store_true",
                        help="measure only make site before and after a dump (and its memory)")
    parser.add_argument("--runs", type=int, default=3,
                        help="loads of each kind of page on the phone profile (median)")
    parser.add_argument("--phone-network-off", action="store_true",
                        help="load pages with the phone's screen and CPU but no network "
                             "throttling (the smoke test; its figures are not the phone's)")
    args = parser.parse_args(argv)
    pool = load_pool(REPO / "seeds")
    args.work.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.only_incremental:
        for size in sorted(args.sizes):
            inc = measure_incremental(size, args.work, pool, log)
            print(f"{size:,} papers: " + json.dumps(asdict(inc) | {
                "ratio": inc.ratio, "engine_ratio": inc.engine_ratio, "cold_ratio": inc.cold_ratio}))
        return 0
    results = []
    for size in sorted(args.sizes):
        result = measure(size, args.work, pool, not args.no_browser, log, reader_runs=args.runs,
                         throttle_network=not args.phone_network_off,
                         zensical=not args.no_zensical)
        result.incremental = measure_incremental(size, args.work, pool, log)
        results.append(result)
    built = {r.papers: r for r in results}
    lists = []
    for size in sorted(set(args.list_sizes)):
        if size in built:
            full = built[size]
            pages, _, _ = list_pages(args.work / f"papers-{size}" / "site")
            lists.append(ListPages(size, pages, full.largest_list_bytes, full.largest_list_page))
        else:
            lists.append(measure_list_pages(size, args.work, pool, log))
    (args.work / "results.json").write_text(
        json.dumps([asdict(r) | {"ms_per_paper": r.ms_per_paper} for r in results], indent=1),
        encoding="utf-8")
    (args.work / "list-pages.json").write_text(
        json.dumps([asdict(r) for r in lists], indent=1), encoding="utf-8")
    text = report(results, lists)
    (args.work / "report.md").write_text(text, encoding="utf-8")
    print(text)
    return 0
