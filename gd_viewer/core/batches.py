"""Gradients of the batches of one epoch, for stochastic and mini-batch descent.

Small data sets go point by point, in the tutorial's arithmetic (its SGD lesson
to the bit). Large ones split the points into batches at random once per epoch,
then take every batch's sums in one vectorised pass; each update then costs a few
float operations. The sums
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
        # Which batch each point falls in: label j for the j-th batch of the epoch. One
        # array of labels shuffled in place each epoch is a uniformly random split into
        # batches, as a shuffled order cut into runs would be, and costs less: small
        # labels shuffle faster than indices, and the batch sums then come from a
        # weighted count in the data's order, with no gathering of points.
        label_type = np.uint16 if self.count <= 2**16 else np.int64
        in_order = np.arange(self.count, dtype=label_type)
        self._in_order: np.ndarray = np.repeat(in_order, batch_size)[: data.size]
        self._labels: np.ndarray = self._in_order.copy()
        self._sizes = [float(v) for v in np.bincount(self._in_order, minlength=self.count)]
        if not per_point:
            w, *b = quadratic.optimum
            x = data.x
            with np.errstate(over="ignore", invalid="ignore"):
                residual = x * w + (b[0] if b else 0.0) - data.y  # r*, at the optimum
                # Per point, what each batch sums: x², x·r* (and x, r* for the line).
                self._terms = [x * x, x * residual] + ([x, residual] if self._line else [])
        self.reset()

    def reset(self) -> None:
        """Start the sequence of shuffles again."""
        self._rng = np.random.default_rng(self.seed)
        self._labels[:] = self._in_order

    def epoch(self, params: Sequence[float]) -> Iterator[list[float]]:
        """The batch gradients of one epoch; ``params`` is read anew for each batch."""
        if self.per_point:
            return self._per_point_epoch(params)
        return self._summed_epoch(params)

    def _shuffled_labels(self) -> np.ndarray | None:
        """The batch of each point in a fresh random split (None: in the data's order)."""
        if not self.shuffle:
            return None
        self._rng.shuffle(self._labels)
        return self._labels

    def _per_point_epoch(self, params: Sequence[float]) -> Iterator[list[float]]:
        labels = self._shuffled_labels()
        x, y = self.data.x, self.data.y
        if labels is not None:
            order = np.argsort(labels, kind="stable")  # batch by batch
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
        shuffled = self._shuffled_labels()
        labels = (self._in_order if shuffled is None else shuffled).astype(np.intp)
        sums = [
            np.bincount(labels, weights=term, minlength=self.count).tolist() for term in self._terms
        ]
        parts = (sums[0], sums[1], self._sizes, *sums[2:])
        if not self.shuffle:
            self._sums = parts
        return parts
