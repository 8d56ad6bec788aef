"""Gradients of the batches of one epoch, for stochastic and mini-batch descent.

Small data sets go point by point, in the tutorial's arithmetic (its SGD lesson
to the bit). Large ones shuffle once per epoch, then take every batch's sums in
one vectorised pass; each update then costs a few float operations. The sums
are taken of the residuals at the optimum, so a gradient near the optimum is
small because its terms are, not through cancellation.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from gd_viewer.core.data import Dataset
from gd_viewer.core.models import Model
from gd_viewer.core.quadratic import QuadraticCost

FloatArray = NDArray[np.float64]


class BatchGradients:
    """Yields the gradient of each batch of an epoch, at the parameters of that moment.

    Parameters
    ----------
    model, data, quadratic
        What is fitted, and its quadratic form (for the optimum).
    batch_size
        Points per update; the last batch of an epoch may be smaller (as
        ``torch.utils.data.DataLoader`` with ``drop_last=False``).
    shuffle, seed
        Visit the points in a fresh random order each epoch, repeatably;
        otherwise in the data's order, as the tutorial's SGD lesson.
    per_point
        Compute each batch's gradient point by point (exact, for small data).
    """

    def __init__(
        self,
        model: Model,
        data: Dataset,
        quadratic: QuadraticCost,
        batch_size: int,
        *,
        shuffle: bool,
        seed: int,
        per_point: bool,
    ) -> None:
        self.model = model
        self.data = data
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.per_point = per_point
        self.count = math.ceil(data.size / batch_size)
        self._optimum = quadratic.optimum
        self._line = model.n_params == 2
        self._sums: tuple[list[float], ...] | None = None
        # One index array shuffled in place each epoch: cheaper than a fresh
        # permutation, and both paths draw the same orders from the same seed.
        index_type = np.int32 if data.size < 2**31 else np.int64
        self._identity: NDArray[np.integer] = np.arange(data.size, dtype=index_type)
        self._index: NDArray[np.integer] = self._identity.copy()
        if not per_point:
            w, *b = quadratic.optimum
            # Rows (x, r*) with r* the residual at the optimum, gathered in one take.
            self._pairs = np.empty((data.size, 2))
            self._pairs[:, 0] = data.x
            with np.errstate(over="ignore", invalid="ignore"):
                np.multiply(data.x, w, out=self._pairs[:, 1])
                self._pairs[:, 1] += b[0] if b else 0.0
                self._pairs[:, 1] -= data.y
            self._shuffled = np.empty_like(self._pairs) if shuffle else self._pairs
        self.reset()

    def reset(self) -> None:
        """Start the sequence of shuffles again."""
        self._rng = np.random.default_rng(self.seed)
        self._index[:] = self._identity

    def epoch(self, params: Sequence[float]) -> Iterator[list[float]]:
        """The batch gradients of one epoch; ``params`` is read anew for each batch."""
        if self.per_point:
            return self._per_point_epoch(params)
        return self._summed_epoch(params)

    def _order(self) -> NDArray[np.integer] | None:
        if not self.shuffle:
            return None
        self._rng.shuffle(self._index)
        return self._index

    def _per_point_epoch(self, params: Sequence[float]) -> Iterator[list[float]]:
        order = self._order()
        x, y = self.data.x, self.data.y
        if order is not None:
            x, y = x[order], y[order]
        m, gradient = self.batch_size, self.model.gradient
        for start in range(0, x.size, m):
            yield gradient(params, x[start : start + m], y[start : start + m])

    def _summed_epoch(self, params: Sequence[float]) -> Iterator[list[float]]:
        sums = self._batch_sums()
        w_opt = self._optimum[0]
        if not self._line:
            sxx, sxr, sizes = sums
            for j in range(self.count):
                dw = params[0] - w_opt
                yield [2.0 * (dw * sxx[j] + sxr[j]) / sizes[j]]
            return
        b_opt = self._optimum[1]
        sxx, sxr, sizes, sx, sr = sums
        for j in range(self.count):
            dw, db = params[0] - w_opt, params[1] - b_opt
            m = sizes[j]
            yield [
                2.0 * (dw * sxx[j] + db * sx[j] + sxr[j]) / m,
                2.0 * (dw * sx[j] + m * db + sr[j]) / m,
            ]

    def _batch_sums(self) -> tuple[list[float], ...]:
        """Per batch: Σx², Σx·r*, size (and Σx, Σr* for the line), as float lists."""
        if self._sums is not None:
            return self._sums
        order = self._order()
        if order is not None:
            # The indices are a permutation, so always valid: "clip" skips the
            # bounds check that costs a third of the gather.
            np.take(self._pairs, order, axis=0, out=self._shuffled, mode="clip")
        x, r = self._shuffled[:, 0], self._shuffled[:, 1]
        m = self.batch_size
        full = (x.size // m) * m
        parts: list[list[float]] = [[], [], [], [], []]
        for xs, rs, rows in ((x[:full], r[:full], x.size // m), (x[full:], r[full:], 1)):
            if xs.size == 0:
                continue
            xb, rb = xs.reshape(rows, -1), rs.reshape(rows, -1)
            parts[0] += np.einsum("ij,ij->i", xb, xb).tolist()
            parts[1] += np.einsum("ij,ij->i", xb, rb).tolist()
            parts[2] += [float(xb.shape[1])] * rows
            if self._line:
                parts[3] += xb.sum(axis=1).tolist()
                parts[4] += rb.sum(axis=1).tolist()
        sums = tuple(parts if self._line else parts[:3])
        if not self.shuffle:
            self._sums = sums
        return sums
