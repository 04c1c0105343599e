"""Related papers: the words of title and abstract, cosine similarity, the closest few.

A word weighs ``1 + ln(count)`` in its paper, whatever other papers hold: a paper's vector
depends on its own text alone, so a new paper changes no other paper's vector, and an old
paper's list changes only when a new paper is closer than its neighbours. (TF-IDF's weights
moved with every paper added, and with them ~687 lists of 10,000 for a 50-paper dump.)
Weights are integers, so every score is exact whatever order it is summed in: an update
from the last build's ``Index`` gives exactly what a computation from nothing gives.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from generator.enrich.stopwords import STOP_WORDS
from generator.model import Paper

if TYPE_CHECKING:
    from scipy import sparse

# What a full computation gives: the index, or something that will give it (a worker).
T = TypeVar("T")
RELATED_COUNT = 5
# How many papers each paper's known list holds: more than shown, so that a paper that
# changed can leave a list and the next one is still known without recomputing the row.
KNOWN = 10
# Weights before and after normalising, as integers at these scales. A row's sum of squares
# stays below 2**53 (float64's exact integers); a score, at most about |a|·|b| = SCALE**2,
# below 2**24 (float32's): so both are exact whatever order they are summed in.
RAW_SCALE = 2.0**16
SCALE = 2.0**11
# Floats held by one block of the full computation (40 MB).
BLOCK_FLOATS = 10_000_000
# Rows longer than this (and than their count) are ranked above a cut read from a sample
# of SAMPLE_ROWS rows: the CUT_PERCENTILE-th percentile of their count-th best scores.
CUT_COLUMNS = 1000
SAMPLE_ROWS = 64
CUT_PERCENTILE = 10
# Above this share of papers changed, an update computes everything again.
UPDATE_SHARE = 0.125
# Words with letters only, two or more: numbers and LaTeX debris say little.
WORD = re.compile(r"(?u)\b[^\W\d_]{2,}\b")


def paper_text(paper: Paper) -> str:
    """What similarity is computed over: the title counts twice, it says what a paper is about."""
    return f"{paper.title}\n{paper.title}\n{paper.abstract}"


def words(text: str) -> dict[str, int]:
    """The text's words, lower-cased, stop words left out, with their counts."""
    # Counted first (in C), then each distinct word checked once.
    return {word: n for word, n in Counter(WORD.findall(text.lower())).items()
            if word not in STOP_WORDS}


Entry = tuple[int, str]  # (score, slug): ranked by score, ties to the slug that sorts first


def _rank(entry: Entry) -> tuple[int, str]:
    """Sort key: best first."""
    return (-entry[0], entry[1])


COMPLETE: Entry = (0, "")  # a floor saying every paper with a positive score is known


@dataclass
class Index:
    """One computation's result, what the next build starts from: papers, words, best lists.

    ``known[i]`` holds paper i's best papers with exact scores; every other paper ranks
    after ``floors[i]``.
    """

    slugs: list[str]
    digests: list[str]
    vocabulary: list[str]
    indptr: np.ndarray
    indices: np.ndarray
    counts: np.ndarray
    known: list[list[Entry]]
    floors: list[Entry]

    def lists(self, count: int = RELATED_COUNT) -> dict[str, list[str]]:
        """Each paper's ``count`` most similar papers, most similar first."""
        return {slug: [other for _, other in known[:count]]
                for slug, known in zip(self.slugs, self.known, strict=True)}

    def valid(self) -> bool:
        """Whether the parts agree (a damaged cache entry reads as no index)."""
        size = len(self.slugs)
        return (len(self.digests) == len(self.known) == len(self.floors) == size
                and len(self.indptr) == size + 1 and len(self.indices) == len(self.counts)
                and int(self.indptr[-1]) == len(self.indices)
                and (not len(self.indices) or int(self.indices.max()) < len(self.vocabulary)))


def related_slugs(papers: list[Paper], count: int = RELATED_COUNT) -> dict[str, list[str]]:
    """The slugs of each paper's most similar papers, most similar first; deterministic."""
    return related_index(papers).lists(count)


def related_index(papers: list[Paper], previous: Index | None = None,
                  digest: Callable[[str], str] | None = None,
                  full: Callable[[list[str], list[str], list[str]], T] | None = None) -> Index | T:
    """The index of these papers: ``previous`` as it is or updated where that fits, else
    ``full`` of their slugs, texts and digests (in slug order).

    ``digest``: an identity of a paper's text, which the index keeps (the text itself without).
    """
    return index_of(Texts.of(papers, digest), previous, full)


@dataclass(frozen=True)
class Texts:
    """Papers in slug order, their texts, and the texts' digests (the texts without a digest)."""

    ordered: list[Paper]
    texts: list[str]
    digests: list[str]

    @classmethod
    def of(cls, papers: list[Paper], digest: Callable[[str], str] | None = None) -> Texts:
        """The texts of these papers, digested by ``digest`` when given."""
        ordered = sorted(papers, key=lambda paper: paper.slug)
        texts = [paper_text(paper) for paper in ordered]
        return cls(ordered, texts, [digest(text) for text in texts] if digest is not None else texts)


def index_of(found: Texts, previous: Index | None = None,
             full: Callable[[list[str], list[str], list[str]], T] | None = None) -> Index | T:
    """``related_index`` of papers whose texts are already found."""
    reused = reused_index(found.ordered, found.texts, found.digests, previous)
    if reused is not None:
        return reused
    return (full or full_index)([p.slug for p in found.ordered], found.texts, found.digests)


def reusable(found: Texts, previous: Index | None) -> bool:
    """Whether ``index_of`` would reuse or update ``previous`` (few enough texts changed),
    not compute from nothing; found without the update's own work."""
    return (previous is not None and previous.valid()
            and _unchanged(found.ordered, found.digests, previous) is not None)


def reused_index(ordered: list[Paper], texts: list[str], digests: list[str],
                 previous: Index | None) -> Index | None:
    """``previous`` as it is or updated to these papers (in slug order), or None when none fits."""
    if previous is None or not previous.valid():
        return None
    if previous.digests == digests and previous.slugs == [p.slug for p in ordered]:
        return previous
    return _update(ordered, texts, digests, previous)


def full_index(slugs: list[str], texts: list[str], digests: list[str]) -> Index:
    """The index computed from nothing: papers in slug order, their texts and digests."""
    vocabulary: dict[str, int] = {}
    rows = [_ids(words(text), vocabulary) for text in texts]
    indptr, indices, counts = _pack(rows)
    index = Index(list(slugs), list(digests), list(vocabulary), indptr, indices,
                  counts, [[] for _ in slugs], [COMPLETE] * len(slugs))
    _compute_all(index)
    return index


def _ids(counts: dict[str, int], vocabulary: dict[str, int]) -> dict[int, int]:
    """Word counts by word number, numbering new words as they come."""
    number = vocabulary.setdefault
    return {number(word, len(vocabulary)): n for word, n in counts.items()}


def _pack(rows: list[dict[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of word counts as CSR arrays."""
    indices: list[int] = []
    counts: list[int] = []
    for row in rows:
        indices.extend(row)
        counts.extend(row.values())
    sizes = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
    indptr = np.concatenate(([0], np.cumsum(sizes)))
    return indptr, np.array(indices, dtype=np.int32), np.array(counts, dtype=np.int32)


def _reuse(previous: Index, same: list[int], new_rows: dict[int, dict[int, int]]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR arrays of word counts: row r is ``new_rows[r]`` or the previous index's row ``same[r]``."""
    parts_indices, parts_counts, sizes = [], [], []
    for r, i in enumerate(same):
        if i < 0:
            row = new_rows[r]
            parts_indices.append(np.fromiter(row, dtype=np.int32, count=len(row)))
            parts_counts.append(np.fromiter(row.values(), dtype=np.int32, count=len(row)))
        else:
            start, end = previous.indptr[i], previous.indptr[i + 1]
            parts_indices.append(previous.indices[start:end])
            parts_counts.append(previous.counts[start:end])
        sizes.append(len(parts_indices[-1]))
    indptr = np.concatenate(([0], np.cumsum(sizes, dtype=np.int64)))
    empty = np.zeros(0, dtype=np.int32)
    return (indptr, np.concatenate([empty, *parts_indices]), np.concatenate([empty, *parts_counts]))


def _weights(index: Index) -> np.ndarray:
    """Every stored word's weight in its paper's unit vector, as an integer at ``SCALE``."""
    if not len(index.indices):
        return np.zeros(0)
    raw = np.round((1.0 + np.log(index.counts)) * RAW_SCALE)
    rows = np.repeat(np.arange(len(index.slugs)), np.diff(index.indptr))
    # Integers below 2**53: the sum is exact whatever the order of a row's words.
    norms = np.sqrt(np.bincount(rows, weights=raw * raw, minlength=len(index.slugs)))
    return np.round(raw / norms[rows] * SCALE)


def _compute_all(index: Index) -> None:
    """Every paper's known list, from the whole similarity matrix, block by block."""
    size = len(index.slugs)
    matrix = _matrix(index, _weights(index))
    # A word held by one paper adds to that paper's score with itself only.
    shared = np.flatnonzero(np.bincount(index.indices, minlength=len(index.vocabulary)) > 1)
    matrix = matrix[:, shared].tocsr()
    if size < 2 or not matrix.nnz:
        return
    rows = max(1, min(size, BLOCK_FLOATS // max(matrix.shape[1], size)))
    found = _by_halves(matrix, rows, KNOWN)
    row, column, score = _first(*(np.concatenate(part) for part in found), KNOWN)
    for r, c, s in zip(row.tolist(), column.tolist(), score.tolist(), strict=True):
        index.known[r].append((round(s), index.slugs[c]))
    for r, known in enumerate(index.known):
        index.floors[r] = known[-1] if len(known) == KNOWN else COMPLETE


Found = tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]


def _by_halves(matrix: sparse.csr_matrix, rows: int, count: int) -> Found:
    """Each block of rows scored against the papers from its start on: each pair once.

    The block of rows ``start:end`` gives its rows their scores from ``start`` on, and the
    rows after it their scores with the block. Scores are exact, so i→j equals j→i.
    """
    found: Found = ([], [], [])
    size = matrix.shape[0]
    for start in range(0, size, rows):
        end = min(size, start + rows)
        block = matrix[start:end].T.toarray()
        scores = np.asarray(matrix[start:] @ block)
        scores[np.arange(end - start), np.arange(end - start)] = 0.0
        _add(found, _best(scores.T, count), start, start)
        if end < size:
            _add(found, _best(scores[end - start:], count), end, start)
    return found


def _add(found: Found, best: tuple[np.ndarray, np.ndarray, np.ndarray], row_offset: int,
         column_offset: int) -> None:
    """Keep a part's best scores, in the whole matrix's row and column numbers."""
    rows, columns, scores = best
    found[0].append(rows + row_offset)
    found[1].append(columns + column_offset)
    found[2].append(scores)


def _first(rows: np.ndarray, columns: np.ndarray, scores: np.ndarray,
           count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first ``count`` entries of each row, best score first, ties to the lower column."""
    order = np.lexsort((columns, -scores, rows))
    rows, columns, scores = rows[order], columns[order], scores[order]
    # Rank within its row (rows are sorted now).
    keep = np.arange(len(rows)) - np.searchsorted(rows, rows) < count
    return rows[keep], columns[keep], scores[keep]


def _best(raw: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``count`` best positive scores: rows, columns, scores.

    Partitioning every score of long rows took most of the time (a block of 500 papers
    against 10,000: 0.36 s). Most rows have ``count`` scores above a cut read from a sample;
    their best are all above it, so only those are ranked (0.10 s). Short rows, and rows
    without enough above the cut, are partitioned (faster for them than many candidates).
    """
    sure = np.zeros(len(raw), dtype=bool)
    parts = [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=raw.dtype))]
    if len(raw) and raw.shape[1] > max(len(raw), CUT_COLUMNS, count):
        sample = raw[:: max(1, len(raw) // SAMPLE_ROWS)]
        cut = np.percentile(np.partition(sample, -count, axis=1)[:, -count], CUT_PERCENTILE)
        if cut > 0:
            high = raw > cut
            rows, columns = np.nonzero(high)
            sure = np.bincount(rows, minlength=len(raw)) >= count
            keep = sure[rows]
            parts.append((rows[keep], columns[keep], raw[high][keep]))
    unsure = np.flatnonzero(~sure)
    if len(unsure):
        scores = raw[unsure]
        candidates = scores > 0
        if scores.shape[1] > count:
            # Everything at least as high as a row's count-th best score, ties included.
            candidates &= scores >= np.partition(scores, -count, axis=1)[:, -count][:, None]
        rows, columns = np.nonzero(candidates)
        parts.append((unsure[rows], columns, scores[rows, columns]))
    return _first(*(np.concatenate(part) for part in zip(*parts, strict=True)), count)


def _unchanged(ordered: list[Paper], digests: list[str], previous: Index) -> list[int] | None:
    """Each paper's row in ``previous`` when its text is the same there, else -1; None when
    more than UPDATE_SHARE of the papers are new or changed (an update would cost more)."""
    old = {slug: i for i, slug in enumerate(previous.slugs)}
    same = [old.get(paper.slug, -1) for paper in ordered]
    same = [i if i >= 0 and previous.digests[i] == digest else -1
            for i, digest in zip(same, digests, strict=True)]
    if sum(i < 0 for i in same) > UPDATE_SHARE * max(1, len(ordered)):
        return None
    return same


def _update(ordered: list[Paper], texts: list[str], digests: list[str],
            previous: Index) -> Index | None:
    """The index updated from the previous one, or None when too much changed for that.

    A paper whose text is new or changed has its row computed in full. Every other paper
    keeps its known list, less the papers that changed or left, plus those that now rank
    above its floor; one left with too few known papers is computed again in full.
    """
    same = _unchanged(ordered, digests, previous)
    if same is None:
        return None
    slugs = [paper.slug for paper in ordered]
    vocabulary = {word: i for i, word in enumerate(previous.vocabulary)}
    new_rows = {r: _ids(words(text), vocabulary)
                for r, (i, text) in enumerate(zip(same, texts, strict=True)) if i < 0}
    indptr, indices, counts = _reuse(previous, same, new_rows)
    index = Index(slugs, list(digests), list(vocabulary), indptr, indices, counts,
                  [[] for _ in slugs], [COMPLETE] * len(slugs))
    fresh = np.array([r for r, i in enumerate(same) if i < 0], dtype=np.int64)
    # Papers no known list may keep: those that left and those whose text changed.
    gone = {previous.slugs[i] for i in set(range(len(previous.slugs))) - set(same)}
    gone |= {slugs[r] for r in fresh.tolist()}
    matrix = _matrix(index, _weights(index))
    scores = _scores(matrix, fresh)
    floors = [previous.floors[i] if i >= 0 else COMPLETE for i in same]
    lowest = np.array([floor[0] for floor in floors], dtype=float)
    # Papers a changed paper may enter: a score at least their floor's (ties checked below).
    reached = np.zeros(len(slugs), dtype=bool)
    if len(fresh):
        reached = ((scores >= lowest[None, :]) & (scores > 0)).any(axis=0)
    refresh: list[int] = []
    for r, i in enumerate(same):
        if i < 0:
            continue
        known, floor = previous.known[i], floors[r]
        if not reached[r] and not any(other in gone for _, other in known):
            index.known[r], index.floors[r] = known, floor
            continue
        kept = [entry for entry in known if entry[1] not in gone]
        entering = [(round(scores[k, r]), slugs[c]) for k, c in enumerate(fresh.tolist())
                    if scores[k, r] > 0]
        entering = [e for e in entering if floor == COMPLETE or _rank(e) < _rank(floor)]
        known = sorted(kept + entering, key=_rank)
        if len(known) > KNOWN:
            known, floor = known[:KNOWN], known[KNOWN - 1]
        if len(known) < RELATED_COUNT and floor != COMPLETE:
            refresh.append(r)
        index.known[r], index.floors[r] = known, floor
    for rows_ in (fresh, np.array(refresh, dtype=np.int64)):
        found = scores if rows_ is fresh else _scores(matrix, rows_)
        found[np.arange(len(rows_)), rows_] = 0.0
        _keep_best(index, rows_, found)
    return index


def _keep_best(index: Index, rows: np.ndarray, scores: np.ndarray) -> None:
    """Known lists and floors of the given rows from their scores with every paper."""
    row, column, score = _best(scores, KNOWN)
    for r in rows.tolist():
        index.known[r] = []
    for r, c, value in zip(rows[row].tolist(), column.tolist(), score.tolist(), strict=True):
        index.known[r].append((round(value), index.slugs[c]))
    positive = (scores > 0).sum(axis=1)
    for r, known, held in zip(rows.tolist(), (index.known[r] for r in rows.tolist()),
                              positive.tolist(), strict=True):
        index.floors[r] = known[-1] if held > KNOWN else COMPLETE


def _matrix(index: Index, weights: np.ndarray) -> sparse.csr_matrix:
    """The papers × words matrix of weights (float32 holds every score exactly, see SCALE)."""
    from scipy import sparse  # noqa: PLC0415  # loaded only when something is computed

    return sparse.csr_matrix((weights.astype(np.float32), index.indices, index.indptr),
                             shape=(len(index.slugs), len(index.vocabulary)))


def _scores(matrix: sparse.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """The exact scores of the given rows with every paper (rows × papers)."""
    if not len(rows):
        return np.zeros((0, matrix.shape[0]), dtype=np.float32)
    return np.asarray(matrix @ matrix[rows].T.toarray()).T.copy()
