"""Related papers: TF-IDF over title and abstract, cosine similarity, the closest few."""

from __future__ import annotations

import numpy as np

from .model import Paper

RELATED_COUNT = 5
# Floats held by one block of the computation (40 MB): the whole similarity matrix at
# 10,000 papers would be 400 MB.
BLOCK_FLOATS = 10_000_000
# Scores are rounded before ranking so that float noise never decides a tie: ties go to
# the paper whose slug sorts first.
DECIMALS = 6
# Rows of a block sampled to choose the cut below which scores are not ranked.
SAMPLE_ROWS = 64


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
    for start in range(0, len(ordered), rows):
        block = matrix[start:start + rows].T.toarray()
        scores = np.asarray(matrix @ block).T
        scores[np.arange(len(scores)), np.arange(start, start + len(scores))] = 0.0
        for offset, indices in enumerate(_nearest(scores, count)):
            result[slugs[start + offset]] = [slugs[i] for i in indices]
    return result


def _nearest(raw: np.ndarray, count: int) -> list[list[int]]:
    """What ``_top`` gives for the rounded scores, looking closely only at the high ones.

    Rounding and partitioning every score of a block took most of the time (10,000
    papers: 10 blocks of 10 million). Rounding never reorders scores, so when a row has
    ``count`` scores above a cut even once rounded, its top ones are all above the cut:
    only those are rounded and ranked. Rows without enough go through ``_top``.
    """
    if raw.shape[1] <= count or not len(raw):
        return _top(np.round(raw, DECIMALS), count)
    # A cut most rows clear ``count`` times: half the lowest count-th best of a sample.
    sample = raw[:: max(1, len(raw) // SAMPLE_ROWS)]
    cut = raw.dtype.type(np.partition(sample, -count, axis=1)[:, -count].min() / 2)
    if not cut > 0:
        return _top(np.round(raw, DECIMALS), count)
    # Through the transpose: the product is laid out paper by block row, and the order
    # the candidates come in does not matter, they are sorted below.
    by_paper = raw.T
    high = by_paper >= cut
    columns, rows = np.nonzero(high)
    scores = np.round(by_paper[high], DECIMALS)
    floor = np.round(np.array([cut], dtype=raw.dtype), DECIMALS)[0]
    sure = np.bincount(rows[scores > floor], minlength=len(raw)) >= count
    top: list[list[int]] = [[] for _ in range(len(raw))]
    keep = sure[rows]
    rows, columns, scores = rows[keep], columns[keep], scores[keep]
    order = np.lexsort((columns, -scores, rows))
    rows, columns = rows[order], columns[order]
    # Rank within its row (rows are sorted): keep the first ``count`` of each.
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    for row, column in zip(rows[rank < count].tolist(), columns[rank < count].tolist(), strict=True):
        top[row].append(column)
    unsure = np.flatnonzero(~sure)
    if len(unsure):
        for row, indices in zip(unsure.tolist(), _top(np.round(raw[unsure], DECIMALS), count),
                                strict=True):
            top[row] = indices
    return top


def _top(scores: np.ndarray, count: int) -> list[list[int]]:
    """Per row, the columns of the highest positive scores, ties to the lower column."""
    if scores.shape[1] > count:
        # Everything at least as high as a row's count-th best score, ties included.
        threshold = np.partition(scores, -count, axis=1)[:, -count:-count + 1]
        candidates = (scores >= threshold) & (scores > 0)
    else:
        candidates = scores > 0
    rows, columns = np.nonzero(candidates)
    order = np.lexsort((columns, -scores[rows, columns], rows))
    top: list[list[int]] = [[] for _ in range(len(scores))]
    for row, column in zip(rows[order].tolist(), columns[order].tolist(), strict=True):
        if len(top[row]) < count:
            top[row].append(column)
    return top
