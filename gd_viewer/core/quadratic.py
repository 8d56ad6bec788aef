"""The mean squared error as an exact quadratic in the parameters.

For a linear model the cost is ``(θ − θ*)ᵀ A (θ − θ*) + c_min``: the optimum θ*,
the curvature ``A`` and the least cost ``c_min`` follow from a few sums over the
data. Written centred at the optimum, the cost stays accurate as it nears its
minimum (no large terms cancel), and each evaluation costs O(1) whatever the
number of points.

The sums come from blocked passes over the data (see ``streaming``), which
take the least cost from the residuals wherever the fit is good enough for the
textbook formula ``Σy² − (Σxy)²/Σx²`` to cancel: a perfect fit really reaches
zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from gd_viewer.core.streaming import CHUNK, blocks, mean_square_residual, origin_fit

FloatArray = NDArray[np.float64]
_EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class QuadraticCost:
    """Common read-out of the two quadratic forms."""

    n: int
    optimum: tuple[float, ...]
    min_cost: float
    hessian: FloatArray

    def evaluate(self, params: Sequence[float]) -> tuple[float, list[float]]:
        """Cost and gradient at ``params`` in O(1)."""
        raise NotImplementedError

    def cost(self, params: Sequence[float]) -> float:
        return self.evaluate(params)[0]

    def gradient(self, params: Sequence[float]) -> list[float]:
        return self.evaluate(params)[1]

    def cost_grid(self, *grids: FloatArray) -> FloatArray:
        """The cost at every combination of parameter values (numpy broadcasting)."""
        raise NotImplementedError


@dataclass(frozen=True)
class OriginQuadratic(QuadraticCost):
    """``cost(w) = m2·(w − w*)² + c_min`` with ``m2 = mean(x²)``."""

    mean_xx: float

    @classmethod
    def from_data(cls, xy: FloatArray) -> OriginQuadratic:
        """From the ``(2, n)`` block of x and y (see ``Dataset.xy``)."""
        n = xy.shape[1]
        w_opt, sxx, min_cost, *_ = origin_fit(xy)
        mean_xx = sxx / n
        return cls(
            n=n,
            optimum=(w_opt,),
            min_cost=min_cost,
            hessian=np.array([[2.0 * mean_xx]]),
            mean_xx=mean_xx,
        )

    def evaluate(self, params: Sequence[float]) -> tuple[float, list[float]]:
        dw = params[0] - self.optimum[0]
        curvature_dw = self.mean_xx * dw
        return curvature_dw * dw + self.min_cost, [2.0 * curvature_dw]

    def cost_grid(self, *grids: FloatArray) -> FloatArray:
        (w,) = grids
        with np.errstate(over="ignore", invalid="ignore"):
            dw = np.asarray(w, dtype=np.float64) - self.optimum[0]
            return self.mean_xx * dw * dw + self.min_cost


@dataclass(frozen=True)
class LineQuadratic(QuadraticCost):
    """``cost(w, b) = var_x·dw² + (mean_x·dw + db)² + c_min``, dw and db from the optimum."""

    mean_x: float
    var_x: float

    @classmethod
    def from_data(cls, xy: FloatArray) -> LineQuadratic:
        """From the ``(2, n)`` block of x and y (see ``Dataset.xy``)."""
        x, y = xy
        n = x.size
        mean_x = float(np.add.reduce(x)) / n
        mean_y = float(np.add.reduce(y)) / n
        sxx = sxy = syy = 0.0
        dx_buffer, dy_buffer = np.empty(min(n, CHUNK)), np.empty(min(n, CHUNK))
        for block in blocks(n):
            size = block.stop - block.start
            dx = np.subtract(x[block], mean_x, out=dx_buffer[:size])
            dy = np.subtract(y[block], mean_y, out=dy_buffer[:size])
            sxx += float(np.dot(dx, dx))
            sxy += float(np.dot(dx, dy))
            syy += float(np.dot(dy, dy))
        var_x, cov_xy, var_y = sxx / n, sxy / n, syy / n
        # Points whose x differ by less than the rounding of their mean have one x:
        # any line through (mean_x, mean_y) fits; take the smallest (w, b).
        if var_x <= (64.0 * _EPS * abs(mean_x)) ** 2 or var_x == 0.0:
            scale = mean_x * mean_x + 1.0
            w_opt, b_opt = mean_y * mean_x / scale, mean_y / scale
            var_x, min_cost = 0.0, var_y
        else:
            w_opt = cov_xy / var_x
            b_opt = mean_y - w_opt * mean_x
            min_cost = mean_square_residual(x, y, w_opt, b_opt)
        mean_xx = var_x + mean_x * mean_x
        return cls(
            n=n,
            optimum=(w_opt, b_opt),
            min_cost=min_cost,
            hessian=np.array([[2.0 * mean_xx, 2.0 * mean_x], [2.0 * mean_x, 2.0]]),
            mean_x=mean_x,
            var_x=var_x,
        )

    def evaluate(self, params: Sequence[float]) -> tuple[float, list[float]]:
        dw = params[0] - self.optimum[0]
        u = self.mean_x * dw + (params[1] - self.optimum[1])
        spread = self.var_x * dw
        return spread * dw + u * u + self.min_cost, [2.0 * (spread + self.mean_x * u), 2.0 * u]

    def cost_grid(self, *grids: FloatArray) -> FloatArray:
        w, b = grids
        with np.errstate(over="ignore", invalid="ignore"):
            dw = np.asarray(w, dtype=np.float64) - self.optimum[0]
            u = self.mean_x * dw + (np.asarray(b, dtype=np.float64) - self.optimum[1])
            return self.var_x * dw * dw + u * u + self.min_cost
