"""Agreement coefficients as functions of counts summed over texts, and their bootstrap interval.

Each figure is computed from a few counts that add up over texts (a row of counts per
text), so resampling texts is a weighted sum of rows: one matrix product gives the counts
of every resample at once. Every statistic takes an array of summed count rows (one row per
resample) and returns one value per row, ``nan`` where the figure is undefined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy
from numpy.typing import NDArray

from ..records import Span

N_RESAMPLES = 1000  # resamples of the texts: the interval's ends are stable to about a point
INTERVAL = 0.95  # coverage of the interval
RESAMPLE_CHUNK = 100  # resamples drawn at once: memory is this times the number of texts

Floats = NDArray[numpy.float64]
Statistic = Callable[[Floats], Floats]

# Rows of counts, one layout per figure (the columns each statistic reads):
F1_COLUMNS = 4  # exact matches, partial matches, spans of the first annotator, of the second
COHEN_COLUMNS = 4  # units both accepted, first accepted only, second accepted only, both rejected
FLEISS_COLUMNS = 3  # units, sum over units of (accepts^2 + rejects^2), accepts


def f1_exact(sums: Floats) -> Floats:
    """Span F1 between two annotators, 2 * matches / (spans of one + spans of the other).

    Symmetric: either annotator can be "gold". A match is a span both marked with the same
    offsets and label. Undefined (nan) when neither marked a span.
    """
    return _ratio(2 * sums[:, 0], sums[:, 2] + sums[:, 3])


def f1_partial(sums: Floats) -> Floats:
    """As :func:`f1_exact`, a match being two spans of the same label that overlap.

    Spans on token boundaries overlap exactly when they share a token.
    """
    return _ratio(2 * sums[:, 1], sums[:, 2] + sums[:, 3])


def cohen_kappa(sums: Floats) -> Floats:
    """Cohen's kappa of two annotators' accept/reject answers on the units both answered.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the share of units they answered alike and
    p_e = a1 * a2 + (1 - a1) * (1 - a2) the agreement expected by chance, a1 and a2 being
    each one's share of accepts. Undefined (nan) without units or when p_e = 1 (both gave
    one answer to everything).
    """
    both, first, second, neither = (sums[:, i] for i in range(COHEN_COLUMNS))
    n = both + first + second + neither
    observed = _ratio(both + neither, n)
    a1, a2 = _ratio(both + first, n), _ratio(both + second, n)
    expected = a1 * a2 + (1 - a1) * (1 - a2)
    return _ratio(observed - expected, 1 - expected)


def fleiss_kappa(sums: Floats, n_raters: int) -> Floats:
    """Fleiss' kappa of ``n_raters`` annotators' accept/reject answers on the units all answered.

    With N units and n_ij the annotators giving unit i answer j: P_i = (sum_j n_ij^2 - n) /
    (n (n - 1)), P = mean of P_i, p_j = sum_i n_ij / (N n), P_e = sum_j p_j^2, and
    kappa = (P - P_e) / (1 - P_e). Undefined (nan) without units or when P_e = 1.
    """
    units, squares, accepts = sums[:, 0], sums[:, 1], sums[:, 2]
    ratings = units * n_raters
    observed = _ratio(squares - ratings, ratings * (n_raters - 1))
    p_accept = _ratio(accepts, ratings)
    expected = p_accept**2 + (1 - p_accept) ** 2
    return _ratio(observed - expected, 1 - expected)


def krippendorff_alpha(sums: Floats) -> Floats:
    """Krippendorff's alpha (nominal) from a flattened K x K coincidence matrix per row.

    For a unit (a token) coded by m >= 2 annotators, each ordered pair of codes (c, k) from
    two different annotators adds 1 / (m - 1) to o_ck. With n_c = sum_k o_ck and n = sum_c n_c,
    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k.
    Undefined (nan) when every token has one code (D_e = 0).
    """
    n_codes = round(sums.shape[1] ** 0.5)
    matrices = sums.reshape(len(sums), n_codes, n_codes)
    per_code = matrices.sum(axis=2)
    n = per_code.sum(axis=1)
    disagreeing = n - numpy.trace(matrices, axis1=1, axis2=2)
    expected = n**2 - (per_code**2).sum(axis=1)
    alpha: Floats = 1 - _ratio((n - 1) * disagreeing, expected)
    return alpha


def coincidences(codes: Sequence[Sequence[int]], n_codes: int) -> Floats:
    """The coincidence matrix (flattened) of units coded by annotators: ``codes[a][u]`` is a's code of u.

    Every annotator codes every unit here (the tokens of a text they all annotated).
    """
    matrix = numpy.zeros((n_codes, n_codes))
    n_coders = len(codes)
    if n_coders < 2:
        return matrix.ravel()
    counts = numpy.zeros((len(codes[0]), n_codes))
    for coded in codes:
        counts[numpy.arange(len(coded)), numpy.asarray(coded, dtype=int)] += 1
    # pairs of different annotators: v_c * v_k for c != k, v_c * (v_c - 1) on the diagonal
    pairs: Floats = (counts.T @ counts - numpy.diag(counts.sum(axis=0))) / (n_coders - 1)
    return pairs.ravel()


def span_matches(first: Sequence[Span], second: Sequence[Span]) -> tuple[int, int]:
    """Exact and partial matches between two annotators' spans of one label in one text.

    Each annotator's spans are sorted and don't overlap, so walking both lists pairs each
    span with at most one span of the other that it overlaps (a maximum matching).
    """
    exact = len(set(first) & set(second))
    partial, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        if first[i].overlaps(second[j]):
            partial, i, j = partial + 1, i + 1, j + 1
        elif first[i].end <= second[j].start:
            i += 1
        else:
            j += 1
    return exact, partial


def point_value(rows: Floats, statistic: Statistic) -> float | None:
    """The statistic of the counts summed over all texts; None when undefined (or no text)."""
    if not len(rows):
        return None
    value = float(statistic(rows.sum(axis=0, keepdims=True))[0])
    return None if numpy.isnan(value) else value


def resample_sums(rows: Floats, *, seed: int, n_resamples: int = N_RESAMPLES) -> Floats:
    """The counts summed over each resample of the texts (rows), drawn with replacement.

    One draw serves every statistic of the same rows (e.g. every label of a pair).
    """
    n_texts = len(rows)
    sums = numpy.zeros((n_resamples, rows.shape[1]))
    if n_texts == 0:
        return sums
    rng = numpy.random.default_rng(seed)
    for start in range(0, n_resamples, RESAMPLE_CHUNK):
        size = min(RESAMPLE_CHUNK, n_resamples - start)
        weights = rng.multinomial(n_texts, numpy.full(n_texts, 1 / n_texts), size=size)
        sums[start : start + size] = weights.astype(float) @ rows
    return sums


def interval_of(values: Floats) -> tuple[float, float] | None:
    """The middle 95% of resampled values; undefined ones (nan) left out, None when all are."""
    found = values[~numpy.isnan(values)]
    if not len(found):
        return None
    tail = 100 * (1 - INTERVAL) / 2
    low, high = numpy.percentile(found, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_interval(
    rows: Floats, statistic: Statistic, *, seed: int, n_resamples: int = N_RESAMPLES
) -> tuple[float, float] | None:
    """The bootstrap 95% interval of the statistic, resampling texts (rows); None without texts."""
    if not len(rows):
        return None
    return interval_of(statistic(resample_sums(rows, seed=seed, n_resamples=n_resamples)))


def _ratio(numerator: Floats, denominator: Floats) -> Floats:
    out: Floats = numpy.full(numpy.shape(numerator), numpy.nan)
    numpy.divide(numerator, denominator, out=out, where=denominator != 0)
    return out
