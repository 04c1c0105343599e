"""Search relevance: queries a reader remembers, typed into the header search in Chromium.

Four kinds of query, generated (seeded) from a corpus of the real dumps' text: a method name
from a title ("RAFT"; with a title word when papers share it), title words in another order,
two unusual words of the abstract, a hyphenated term with a word of the title. A query is
kept only when it singles out its paper (no other paper holds all its words), so a miss is the
engine's, not the query's. Each site is built with each engine and searched in one page, query
after query; a query hits at k when the wanted paper is among the first k results.
``python -m bench.queries`` prints the tables.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from generator.publish.search import ENGINE_VARIABLE
from generator.render.layout import paper_files

from .browser import chromium, serve
from .corpus import load_pool, make_entries, write_dumps
from .run import project_shell

REPO = Path(__file__).resolve().parent.parent
KINDS = ("method", "title words", "abstract words", "hyphenated")
ENGINES = ("material", "pagefind")
SIZES = (200, 1_000, 10_000)
PER_KIND = 50
INPUT = ".md-search__input"
# The last keys are typed one by one at a reader's pace (the rest filled in at once), so an
# engine that searches on each key (Material) answers the prefixes too, as for a reader.
TYPED_KEYS = 3
KEY_DELAY_MS = 100
TIMEOUT_MS = 30_000
# The first search of a page loads the engine and its index (seconds for Material at 10,000).
WARM_UP = "model"
WARM_UP_TIMEOUT_MS = 180_000
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it",
    "its", "of", "on", "or", "our", "over", "the", "their", "this", "to", "via", "we", "with",
    "without", "towards", "toward", "using", "based", "how", "what", "when", "why", "can", "do",
    "does", "not", "than", "that", "these", "those", "more", "less", "beyond", "through", "under",
    "between", "all", "new", "one", "two",
})
WORD = re.compile(r"[A-Za-z0-9]+(?:[-‑][A-Za-z0-9]+)*")
HYPHENATED = re.compile(r"^[a-z]{2,}(?:-[a-z]{2,})+$")
URL = re.compile(r"\S*(?:://|www\.|\.github\.io|\.com\b|\.org\b)\S*")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)

# Installed in every page before its scripts: records the last key, and when the result list
# answers the query the bench waits for (``__want``), for either engine.
WATCH = """
(() => {
  window.__want = null; window.__readyAt = null; window.__lastKey = 0;
  document.addEventListener("keydown", () => { window.__lastKey = performance.now(); }, true);
  // Material searches in a worker: queries go out in order and results come back in order.
  // Our listener is added after Material's (at its first message), so the list is drawn.
  const asked = [];
  const Native = window.Worker;
  window.Worker = class extends Native {
    postMessage(message, ...rest) {
      if (!this.__watched) {
        this.__watched = true;
        this.addEventListener("message", (event) => {
          if (event.data && event.data.type === 3) {
            const query = asked.shift();
            if (query === window.__want && window.__readyAt === null) window.__readyAt = performance.now();
          }
        });
      }
      if (message && message.type === 2) asked.push(message.data);
      return super.postMessage(message, ...rest);
    }
  };
  // Pagefind (paper-search.js): the list carries the query it answers; results fill in.
  const ready = () => {
    const list = document.querySelector(".paper-search .md-search-result__list");
    if (!list || list.dataset.query !== window.__want) return false;
    const items = [...list.children].slice(0, 5);
    return !items.some((item) => item.classList.contains("paper-search__pending"));
  };
  new MutationObserver(() => {
    if (window.__want !== null && window.__readyAt === null && ready()) window.__readyAt = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-query"] });
})();
"""
RESULTS = """() => [...document.querySelectorAll(".md-search-result__list > .md-search-result__item")]
  .slice(0, 5).map((item) => item.querySelector("a"))
  .map((link) => (link ? new URL(link.href).pathname : ""))"""


@dataclass(frozen=True)
class Paper:
    """What a reader may remember of a paper, and where its page is."""

    slug: str
    title: str
    abstract: str


@dataclass(frozen=True)
class Query:
    """One query of a kind, and the paper it is meant to find."""

    kind: str
    text: str
    slug: str


@dataclass
class Answer:
    """The first results' paths for a query, and the time from its last key to them."""

    query: Query
    paths: list[str]
    ms: float


@dataclass
class Score:
    """Hits at 1 and 5 over the queries of one kind (or all), and times to results."""

    queries: int = 0
    hit1: int = 0
    hit5: int = 0
    times_ms: list[float] = field(default_factory=list)

    def add(self, answer: Answer, wanted: str) -> None:
        """Count one answer."""
        self.queries += 1
        self.hit1 += answer.paths[:1] == [wanted]
        self.hit5 += wanted in answer.paths[:5]
        self.times_ms.append(answer.ms)

    @property
    def median_ms(self) -> float:
        """Median time from the last key to results."""
        return statistics.median(self.times_ms) if self.times_ms else 0.0

    @property
    def p90_ms(self) -> float:
        """90th percentile of the time from the last key to results."""
        if len(self.times_ms) < 2:
            return self.median_ms
        return statistics.quantiles(self.times_ms, n=10, method="inclusive")[-1]


def read_papers(docs: Path) -> list[Paper]:
    """The papers of a generated docs/ folder: slug, title and abstract from the front matter."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    papers = []
    for page in paper_files(docs):
        text = page.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        meta = yaml.load(match.group(1), Loader=loader) if match else {}
        papers.append(Paper(page.parent.name, str(meta.get("title", "")), page_abstract(text)))
    return papers


# The abstract as written: the hidden source paragraph when the shown one holds formulas.
ABSTRACT = re.compile(r'^<p class="paper-abstract(?:-source)?"[^>]*>(.*?)</p>$', re.M)


def page_abstract(page: str) -> str:
    """The abstract of a generated paper page, as text (the front matter no longer holds it)."""
    found = ABSTRACT.findall(page)
    return html.unescape(found[-1]) if found else ""


def words(text: str) -> list[str]:
    """Words as written, hyphenated terms kept whole."""
    return [word.replace("‑", "-") for word in WORD.findall(text)]


def _tokens(text: str) -> set[str]:
    """Lowercase words and hyphenated terms of a text, and the parts of those terms."""
    found = set()
    for word in words(text.lower()):
        found.add(word)
        found.update(word.split("-"))
    return found


def _method(title: str) -> str | None:
    """A method name: an acronym or CamelCase word, the one before a colon first."""
    head = title.split(":", 1)[0] if ":" in title else ""
    for part in (head, title):
        for word in words(part):
            upper = sum(ch.isupper() for ch in word)
            camel = re.search(r"[a-z][A-Z]", word) is not None
            if len(word) >= 3 and (upper >= 2 or camel) and not word.isdigit():
                return word
    return None


def _plain(text: str) -> list[str]:
    """Lowercase plain words a reader could type from a text: letters only, no stop words."""
    return [w for w in dict.fromkeys(re.findall(r"[a-z]+", text.lower()))
            if len(w) >= 4 and w not in STOPWORDS]


class Corpus:
    """The papers with an index of which paper holds which word (the exact-match oracle)."""

    def __init__(self, papers: list[Paper]) -> None:
        self.papers = papers
        self.title_words: dict[str, set[int]] = defaultdict(set)
        self.words: dict[str, set[int]] = defaultdict(set)
        for number, paper in enumerate(papers):
            for token in _tokens(paper.title):
                self.title_words[token].add(number)
            for token in _tokens(f"{paper.title} {paper.abstract}"):
                self.words[token].add(number)

    def unique(self, terms: Iterable[str], number: int, *, titles: bool = False) -> bool:
        """Whether this paper alone holds every term (in its title, or anywhere)."""
        index = self.title_words if titles else self.words
        holders: set[int] | None = None
        for term in terms:
            found = index.get(term.lower(), set())
            holders = found if holders is None else holders & found
        return holders == {number}

    def queries(self, number: int, rng: random.Random) -> list[Query]:
        """The queries of each kind a reader might type for one paper (when they fit it)."""
        paper, found = self.papers[number], []
        method = _method(paper.title)
        title = _plain(paper.title)
        if method:
            # A name several papers share (a spliced corpus repeats real titles' heads) comes
            # with the title word a reader would add: the rarest one.
            parts = set(_tokens(method))
            extra = sorted((w for w in title if w not in parts), key=lambda w: (len(self.title_words[w]), w))
            for terms in ([method], [method, *extra[:1]]):
                if self.unique(terms, number, titles=True):
                    found.append(Query("method", " ".join(terms), paper.slug))
                    break
        if len(title) >= 3:
            picked = rng.sample(title, 3)
            if picked == [w for w in title if w in picked]:
                picked.reverse()  # Never the title's own order.
            if self.unique(picked, number):
                found.append(Query("title words", " ".join(picked), paper.slug))
        # Nobody remembers a paper by the words of its links: they are left out of queries.
        prose = URL.sub(" ", paper.abstract)
        rare = sorted((w for w in _plain(prose) if w not in title),
                      key=lambda w: (len(self.words[w]), w))[:8]
        if len(rare) >= 2:
            picked = rng.sample(rare, 2)
            if self.unique(picked, number):
                found.append(Query("abstract words", " ".join(picked), paper.slug))
        terms = sorted({w.lower() for w in words(f"{paper.title} {prose}")
                        if HYPHENATED.match(w.lower())}, key=lambda w: (len(self.words[w]), w))
        if terms:
            term = terms[0]
            others = sorted((w for w in title if w not in term.split("-")),
                            key=lambda w: (len(self.words[w]), w))
            if others:
                picked = [term, others[0]]
                rng.shuffle(picked)
                if self.unique(picked, number):
                    found.append(Query("hyphenated", " ".join(picked), paper.slug))
        return found


def make_queries(papers: list[Paper], per_kind: int = PER_KIND, seed: int = 12) -> list[Query]:
    """Up to ``per_kind`` queries of each kind, each from another paper, the same for a seed."""
    corpus, rng = Corpus(papers), random.Random(seed)
    order = list(range(len(papers)))
    rng.shuffle(order)
    chosen: dict[str, list[Query]] = {kind: [] for kind in KINDS}
    for number in order:
        for query in corpus.queries(number, rng):
            if len(chosen[query.kind]) < per_kind:
                chosen[query.kind].append(query)
        if all(len(found) >= per_kind for found in chosen.values()):
            break
    # Interleaved, so a page's warm caches favour no kind.
    rounds = max(len(found) for found in chosen.values())
    return [chosen[kind][i] for i in range(rounds) for kind in KINDS if i < len(chosen[kind])]


def make_project(folder: Path, size: int | None, root: Path = REPO) -> Path:
    """A project of ``size`` synthetic papers (None: the real seeds), built as ``root``'s code."""
    project_shell(folder, root)
    if size is None:
        shutil.copytree(REPO / "seeds", folder / "seeds")
    else:
        write_dumps(make_entries(size, load_pool(REPO / "seeds")), folder / "seeds")
    return folder


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    """Run a build step; fail with its output."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:4])} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def build(project: Path, engines: Iterable[str] = ENGINES, root: Path = REPO) -> dict[str, Path]:
    """Generate the project's pages with ``root``'s generator, then build a site per engine."""
    _run([sys.executable, "-m", "generator", "build", "--quiet", "--root", str(project)], root)
    sites = {}
    for engine in engines:
        site = project / f"site-{engine}"
        # `make site`'s publish step, which switches Material's search off and adds the
        # Pagefind index: `mkdocs build` alone gives Material's search whatever the engine.
        _run([sys.executable, "-m", "generator.publish.engines", "--engine", "mkdocs", "--root", str(project),
              "--site-dir", str(site)], project, {ENGINE_VARIABLE: engine})
        pagefind = (site / "pagefind" / "pagefind.js").exists()
        material = (site / "search" / "search_index.json").exists()
        if (pagefind, material) != (engine == "pagefind", engine == "material"):
            raise RuntimeError(f"{site}: built for {engine}, but its search is not {engine}'s")
        sites[engine] = site
    return sites


def _ask(page: Page, text: str, timeout_ms: int, typed: int = TYPED_KEYS) -> float:
    """Type a query as a reader finishes it; ms from its last key to the results."""
    page.evaluate("want => { window.__want = want; window.__readyAt = null; }", text)
    page.fill(INPUT, "")
    page.fill(INPUT, text[:-typed])
    page.keyboard.type(text[-typed:], delay=KEY_DELAY_MS)
    page.wait_for_function("() => window.__readyAt !== null", timeout=timeout_ms, polling=20)
    return page.evaluate("() => window.__readyAt - window.__lastKey")


def search_site(browser: Browser, site: Path, queries: list[Query],
                typed: int = TYPED_KEYS) -> list[Answer]:
    """Every query typed into the header search of one page of the served site."""
    with serve(site) as base:
        page = browser.new_page()
        try:
            page.add_init_script(WATCH)
            page.goto(base, wait_until="load")
            page.click(INPUT)
            _ask(page, WARM_UP, WARM_UP_TIMEOUT_MS)
            prefix = urlsplit(base).path
            answers = []
            for query in queries:
                try:
                    ms = _ask(page, query.text, TIMEOUT_MS, typed)
                except PlaywrightTimeout:
                    # No answer in time (Material's worker at 10,000 papers, on a loaded
                    # machine): a miss, timed at the limit, and the run goes on.
                    answers.append(Answer(query, [], float(TIMEOUT_MS)))
                    continue
                paths = [path.removeprefix(prefix) for path in page.evaluate(RESULTS)]
                answers.append(Answer(query, paths, ms))
        finally:
            page.close()
    return answers


def wanted(query: Query) -> str:
    """The site-relative path of the paper a query is meant to find."""
    return f"papers/{query.slug}/"


def score(answers: list[Answer]) -> dict[str, Score]:
    """Scores per kind, and over all kinds ("all")."""
    scores = {kind: Score() for kind in (*KINDS, "all")}
    for answer in answers:
        for kind in (answer.query.kind, "all"):
            scores[kind].add(answer, wanted(answer.query))
    return scores


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "–"


def table(results: dict[str, dict[str, dict[str, Score]]]) -> str:
    """One Markdown table: a row per corpus, engine and kind."""
    lines = ["| papers | engine | kind | queries | hit@1 | hit@5 | ms to results: median / p90 |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: |"]
    for corpus, engines in results.items():
        for engine, scores in engines.items():
            for kind, s in scores.items():
                name = f"**{kind}**" if kind == "all" else kind
                lines.append(f"| {corpus} | {engine} | {name} | {s.queries} | {_percent(s.hit1, s.queries)} "
                             f"| {_percent(s.hit5, s.queries)} | {s.median_ms:.0f} / {s.p90_ms:.0f} |")
    return "\n".join(lines)


def misses(answers: list[Answer], limit: int = 12) -> list[str]:
    """A few queries that missed at 5, for reading why."""
    return [f"{a.query.kind}: `{a.query.text}` → wanted {wanted(a.query)}, got {a.paths[:3]}"
            for a in answers if wanted(a.query) not in a.paths][:limit]


def load_scores(work: Path) -> dict[str, dict[str, dict[str, Score]]]:
    """The scores of a run, read back from its answers.json."""
    raw = json.loads((work / "answers.json").read_text(encoding="utf-8"))
    return {corpus: {engine: score([Answer(Query(**a["query"]), a["paths"], a["ms"]) for a in answers])
                     for engine, answers in engines.items()} for corpus, engines in raw.items()}


def compare(before: dict[str, dict[str, dict[str, Score]]],
            after: dict[str, dict[str, dict[str, Score]]]) -> str:
    """One Markdown table of two runs on the same queries: hit@1 and hit@5 before → after."""
    lines = ["| papers | engine | kind | queries | hit@1 before → after | hit@5 before → after "
             "| ms to results (median / p90) after |", "| --- | --- | --- | ---: | ---: | ---: | ---: |"]
    for corpus, engines in after.items():
        for engine, scores in engines.items():
            for kind, s in scores.items():
                b = before.get(corpus, {}).get(engine, {}).get(kind, Score())
                name = f"**{kind}**" if kind == "all" else kind
                lines.append(f"| {corpus} | {engine} | {name} | {s.queries} "
                             f"| {_percent(b.hit1, b.queries)} → {_percent(s.hit1, s.queries)} "
                             f"| {_percent(b.hit5, b.queries)} → {_percent(s.hit5, s.queries)} "
                             f"| {s.median_ms:.0f} / {s.p90_ms:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build each corpus with each engine, type the queries, print hit@1/hit@5 and times."""
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__)
    parser.add_argument("--sizes", nargs="+", default=["real", *map(str, SIZES)],
                        help="corpus sizes in papers, or 'real' for the seeds (default: real 200 1000 10000)")
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--per-kind", type=int, default=PER_KIND, help="queries of each kind")
    parser.add_argument("--work", type=Path, default=REPO / ".bench" / "queries")
    parser.add_argument("--root", type=Path, default=REPO,
                        help="the project whose generator, overrides and mkdocs.yml are measured")
    parser.add_argument("--typed-keys", type=int, default=TYPED_KEYS,
                        help="last keys of each query typed one by one (the rest filled in)")
    parser.add_argument("--show-misses", action="store_true", help="list some missed queries")
    parser.add_argument("--compare", type=Path, metavar="BEFORE",
                        help="print no new run: WORK's answers against those of an earlier run's folder")
    args = parser.parse_args(argv)
    if args.compare:
        print(compare(load_scores(args.compare), load_scores(args.work)))
        return 0
    results: dict[str, dict[str, dict[str, Score]]] = {}
    raw: dict[str, dict[str, list]] = {}
    with chromium() as browser:
        for size in args.sizes:
            papers = None if size == "real" else int(size)
            label = "real seeds" if papers is None else f"{papers:,}"
            start = time.perf_counter()
            root = args.root.resolve()
            project = make_project(args.work.resolve() / f"queries-{size}", papers, root)
            sites = build(project, args.engines, root)
            queries = make_queries(read_papers(project / "docs"), args.per_kind)
            counts = Counter(query.kind for query in queries)
            print(f"[{label}] built in {time.perf_counter() - start:.0f} s; queries: {dict(counts)}",
                  file=sys.stderr, flush=True)
            for engine, site in sites.items():
                start = time.perf_counter()
                answers = search_site(browser, site, queries, args.typed_keys)
                results.setdefault(label, {})[engine] = score(answers)
                raw.setdefault(label, {})[engine] = [asdict(answer) for answer in answers]
                print(f"[{label}] {engine}: {len(answers)} queries in {time.perf_counter() - start:.0f} s",
                      file=sys.stderr, flush=True)
                if args.show_misses:
                    for line in misses(answers):
                        print(f"    miss {line}", file=sys.stderr)
                # Written after each site, so a long run's figures survive its interruption.
                (args.work / "answers.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
                (args.work / "report.md").write_text(table(results) + "\n", encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
