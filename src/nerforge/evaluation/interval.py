"""The bootstrap interval of F, computed as the tasks stream past (a Poisson bootstrap).

The classic bootstrap draws as many tasks as the test set holds, with replacement, which
needs every task's counts at hand. The Poisson bootstrap gives each task, in each
resample, a weight drawn from Poisson(1) instead: the same resampling in the limit, and
it can be added up one task at a time, so memory is ``N_RESAMPLES`` sums whatever the
size of the test set (Hanley & MacGibbon 2006; Chamandy et al. 2012, "Estimating
uncertainty for massive data streams"). Tasks with no TP, FP or FN weigh nothing in F
and are not drawn for.
"""

from __future__ import annotations

import numpy

N_RESAMPLES = 1000  # resamples: the interval's ends are stable to about 0.5 point
INTERVAL = 0.95  # coverage
CHUNK_TASKS = 256  # tasks whose weights are drawn together


class BootstrapF:
    """Sums of TP, FP and FN for each resample, fed one task at a time.

    Args:
        seed: Seed of the weights: the same tasks in the same order give the same interval.
        n_resamples: How many resamples.
    """

    def __init__(self, *, seed: int = 0, n_resamples: int = N_RESAMPLES) -> None:
        self._rng = numpy.random.default_rng(seed)
        self._sums = numpy.zeros((n_resamples, 3), dtype=numpy.int64)
        self._pending: list[tuple[int, int, int]] = []

    def add(self, counts: tuple[int, int, int]) -> None:
        """Add one task's ``(tp, fp, fn)``."""
        if any(counts):
            self._pending.append(counts)
            if len(self._pending) >= CHUNK_TASKS:
                self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        counts = numpy.asarray(self._pending, dtype=numpy.int64)
        weights = self._rng.poisson(1.0, size=(len(self._sums), len(counts)))
        self._sums += weights @ counts
        self._pending = []

    def interval(self, coverage: float = INTERVAL) -> tuple[float, float]:
        """The middle ``coverage`` of the resampled F scores (0 to 1, as F is); ``(0, 0)`` without counts."""
        self._flush()
        tp, fp, fn = (self._sums[:, column].astype(float) for column in range(3))
        if not tp.any() and not fp.any() and not fn.any():
            return (0.0, 0.0)
        denominator = 2 * tp + fp + fn
        fs = numpy.sort(numpy.divide(2 * tp, denominator, out=numpy.zeros_like(tp), where=denominator > 0))
        n = len(fs)
        tail = (1 - coverage) / 2
        return float(fs[int(tail * n)]), float(fs[int((1 - tail) * n) - 1])
