"""Related papers: TF-IDF over title and abstract, cosine similarity, the closest few."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from generator.model import Paper

if TYPE_CHECKING:
    from scipy import sparse

RELATED_COUNT = 5
# Floats held by one block of the computation (40 MB): the whole similarity matrix at
# 10,000 papers would be 400 MB.
BLOCK_FLOATS = 10_000_000
# Scores are rounded before ranking so that float noise never decides a tie: ties go to
# the paper whose slug sorts first.
DECIMALS = 6
# Rows of a block sampled to choose the cut below which scores are not ranked.
SAMPLE_ROWS = 64
CUT_PERCENTILE = 10


def paper_text(paper: Paper) -> str:
    """What similarity is computed over: the title counts twice, it says what a paper is about."""
    return f"{paper.title}\n{paper.title}\n{paper.abstract}"


def related_slugs(papers: list[Paper], count: int = RELATED_COUNT) -> dict[str, list[str]]:
    """The slugs of each paper's most similar papers, most similar first; deterministic."""
    ordered = sorted(papers, key=lambda paper: paper.slug)
    slugs = [paper.slug for paper in ordered]
    result: dict[str, list[str]] = {slug: [] for slug in slugs}
    if len(ordered) < 2:
        return result
    # Imported here: scikit-learn takes most of a second to load, and `add` never needs it.
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415

    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, dtype=np.float32,
        # Words with letters only, two or more: numbers and LaTeX debris say little.
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
    )
    try:
        matrix = vectorizer.fit_transform([paper_text(paper) for paper in ordered])
    except ValueError:  # No word survives (tiny or empty texts): nothing is related.
        return result
    # A word found in one paper only adds to that paper's score with itself: dropping it
    # leaves every other score exactly as it was and makes the product cheaper.
    shared = np.flatnonzero(np.bincount(matrix.indices, minlength=matrix.shape[1]) > 1)
    matrix = matrix[:, shared].tocsr()
    # Sparse × dense block: the product of two sparse matrices would build a nearly dense
    # sparse result, several times slower (3.1 s against 0.7 s at 10,000 papers).
    rows = max(1, min(len(ordered), BLOCK_FLOATS // max(matrix.shape[1], len(ordered))))
    found = _by_halves(matrix, rows, count) if _same_word_order(matrix) else \
        _by_blocks(matrix, rows, count)
    for row, indices in enumerate(_ranked(*found, len(ordered), count)):
        result[slugs[row]] = [slugs[i] for i in indices]
    return result


Found = tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]


def _by_blocks(matrix: sparse.csr_matrix, rows: int, count: int) -> Found:
    """Each block of rows scored against every paper: the best of every row."""
    found: Found = ([], [], [])
    for start in range(0, matrix.shape[0], rows):
        block = matrix[start:start + rows].T.toarray()
        scores = np.asarray(matrix @ block).T
        scores[np.arange(len(scores)), np.arange(start, start + len(scores))] = 0.0
        _add(found, _best(scores, count), start, 0)
    return found


def _by_halves(matrix: sparse.csr_matrix, rows: int, count: int) -> Found:
    """The same scores, each pair computed once: half the work of ``_by_blocks``.

    The block of rows ``start:end`` is scored against the papers from ``start`` on; its
    columns give the block's rows their scores from ``start`` on, and its rows after the
    block give later papers their scores with the block. Exact because ``_same_word_order``
    holds: score i→j and j→i add the same products in the same order.
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


def _same_word_order(matrix: sparse.csr_matrix) -> bool:
    """True when every row stores its words in one common order (as TF-IDF gives them).

    Then the product adds the same products in the same order for score i→j as for
    j→i, so the two are equal bit for bit. The order tried: where a word is first stored.
    """
    indices = matrix.indices
    if len(indices) < 2:
        return True
    words, first = np.unique(indices, return_index=True)
    rank = np.zeros(matrix.shape[1], dtype=np.int64)
    rank[words[np.argsort(first)]] = np.arange(len(words))
    rising = np.diff(rank[indices]) > 0
    # Where a row starts, it need not rise from the previous row's last word.
    starts = matrix.indptr[1:-1] - 1
    rising[starts[(starts >= 0) & (starts < len(rising))]] = True
    return bool(rising.all())


def _add(found: Found, best: tuple[np.ndarray, np.ndarray, np.ndarray], row_offset: int,
         column_offset: int) -> None:
    """Keep a part's best scores, in the whole matrix's row and column numbers."""
    rows, columns, scores = best
    found[0].append(rows + row_offset)
    found[1].append(columns + column_offset)
    found[2].append(scores)


def _ranked(rows: list[np.ndarray], columns: list[np.ndarray], scores: list[np.ndarray],
            size: int, count: int) -> list[list[int]]:
    """Per row, the columns of its ``count`` highest positive scores, ties to the lower column.

    A row's scores may come in several parts: the best of all is the best of the parts' best.
    """
    top: list[list[int]] = [[] for _ in range(size)]
    if not rows:
        return top
    row, column, _ = _first(np.concatenate(rows), np.concatenate(columns),
                            np.concatenate(scores), count)
    for r, c in zip(row.tolist(), column.tolist(), strict=True):
        top[r].append(c)
    return top


def _first(rows: np.ndarray, columns: np.ndarray, scores: np.ndarray,
           count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first ``count`` entries of each row, best score first, ties to the lower column."""
    order = np.lexsort((columns, -scores, rows))
    rows, columns, scores = rows[order], columns[order], scores[order]
    # Rank within its row (rows are sorted now).
    keep = np.arange(len(rows)) - np.searchsorted(rows, rows) < count
    return rows[keep], columns[keep], scores[keep]


def _best(raw: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``count`` best positive scores once rounded: rows, columns, rounded scores.

    Rounding and partitioning every score took most of the time (10,000 papers: 100
    million scores). Rounding never reorders scores, so when a row has ``count`` scores
    above a cut even once rounded, its best ones are all above the cut: only those are
    rounded and ranked. Rows without enough are ranked on all their scores.
    """
    empty = np.zeros(0, dtype=np.int64)
    if not raw.size:
        return empty, empty, np.zeros(0, dtype=raw.dtype)
    sure = np.zeros(len(raw), dtype=bool)
    parts = []
    if raw.shape[1] > count:
        # A cut most rows clear ``count`` times: half the lowest count-th best of a sample.
        sample = raw[:: max(1, len(raw) // SAMPLE_ROWS)]
        cut = raw.dtype.type(np.percentile(np.partition(sample, -count, axis=1)[:, -count], CUT_PERCENTILE))
        if cut > 0:
            # The order candidates come in does not matter (they are sorted): read the
            # scores the way they lie in memory.
            if raw.flags.f_contiguous and not raw.flags.c_contiguous:
                by_column = raw.T
                high = by_column >= cut
                columns, rows = np.nonzero(high)
                scores = np.round(by_column[high], DECIMALS)
            else:
                high = raw >= cut
                rows, columns = np.nonzero(high)
                scores = np.round(raw[high], DECIMALS)
            floor = np.round(np.array([cut], dtype=raw.dtype), DECIMALS)[0]
            sure = np.bincount(rows[scores > floor], minlength=len(raw)) >= count
            keep = sure[rows]
            parts.append((rows[keep], columns[keep], scores[keep]))
    unsure = np.flatnonzero(~sure)
    if len(unsure):
        rounded = np.round(raw[unsure], DECIMALS)
        candidates = rounded > 0
        if rounded.shape[1] > count:
            # Everything at least as high as a row's count-th best score, ties included.
            threshold = np.partition(rounded, -count, axis=1)[:, -count][:, None]
            candidates &= rounded >= threshold
        rows, columns = np.nonzero(candidates)
        parts.append((unsure[rows], columns, rounded[rows, columns]))
    return _first(*(np.concatenate(part) for part in zip(*parts, strict=True)), count)
