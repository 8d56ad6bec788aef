"""The cost landscape sampled over a view: the image's values and its contour lines.

The image shows ``log10(cost − least cost + tiny)`` on a grid of (w, b) over the
view, from the cost as a quadratic (O(1) a sample, whatever the number of points).

The contour lines come from marching squares in numpy. ``pg.IsocurveItem`` walks
the cells in Python, level by level: far too slow for a landscape redrawn whenever
the data or the view change. Here only the cells a line crosses are looked at one
by one (in whole-array operations), and the lines are drawn as loose segments (a
contour needs no joining to look right with a thin pen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike, NDArray

from gd_viewer.core.quadratic import QuadraticCost
from gd_viewer.gui.panes.polyline import Polyline
from gd_viewer.gui.panes.style import FloatArray, all_finite

#: The colours span at most this many powers of ten of the cost above the least:
#: ``tiny`` is this far below the largest cost in view.
DECADES = 6.0
#: ``tiny`` never goes below this (a view where every cost is the least).
SMALLEST_TINY = 1e-300


def log_excess(cost: ArrayLike, min_cost: float, tiny: float) -> FloatArray:
    """What the image shows: ``log10(max(cost − min_cost, 0) + tiny)``.

    Not-finite results are left for the caller (NaN for a cost that is NaN).
    """
    with np.errstate(all="ignore"):
        excess = np.maximum(np.asarray(cost, dtype=np.float64) - min_cost, 0.0)
        return np.asarray(np.log10(excess + tiny), dtype=np.float64)


@dataclass(frozen=True)
class Landscape:
    """The cost sampled at the centres of a grid of cells over a view.

    ``z[i, j] = log_excess(cost(ws[i], bs[j]), min_cost, tiny)``, finite everywhere:
    a cost beyond the largest float gets ``high``. The colours run from ``low`` to
    ``high`` (``low < high``).
    """

    ws: FloatArray
    bs: FloatArray
    z: FloatArray
    tiny: float
    low: float
    high: float


def sample(
    quadratic: QuadraticCost,
    w_range: tuple[float, float],
    b_range: tuple[float, float],
    size: int,
) -> Landscape | None:
    """The landscape of a two-parameter ``quadratic`` over ``w_range`` × ``b_range`` on
    ``size`` × ``size`` cells.

    None when there is nothing finite to show (a quadratic or a view that is not).
    """
    (w0, w1), (b0, b1) = w_range, b_range
    if not all_finite(quadratic.min_cost, *quadratic.optimum, w1 - w0, b1 - b0):
        return None
    cells = np.arange(size, dtype=np.float64) + 0.5
    ws = np.asarray(w0 + cells * ((w1 - w0) / size), dtype=np.float64)
    bs = np.asarray(b0 + cells * ((b1 - b0) / size), dtype=np.float64)
    with np.errstate(all="ignore"):
        excess = quadratic.cost_grid(ws[:, None], bs[None, :]) - quadratic.min_cost
    finite = np.isfinite(excess)
    if not finite.any():
        return None
    top = max(float(np.max(excess, where=finite, initial=0.0)), 0.0)
    tiny = max(top * 10.0**-DECADES, SMALLEST_TINY) if top > 0.0 else 1.0
    high = math.log10(top + tiny)
    z = log_excess(excess, 0.0, tiny)
    z[~finite] = high  # beyond the largest float: the top colour
    low = float(z.min())  # at least log10(tiny), DECADES below high
    if not high - low > 1e-9 * max(abs(high), 1.0):
        low, high = high - 1.0, high + 1.0  # a flat view: one colour, mid-map
    return Landscape(ws, bs, z, tiny, low, high)


#: The edges a contour crosses in a cell, by the cell's case: bit 0 is set when the
#: bottom-left corner is at or above the level, bit 1 the bottom-right, bit 2 the top-
#: right, bit 3 the top-left. Edges: 0 bottom, 1 right, 2 top, 3 left. Cases 5 and 10
#: (saddles) cross all four edges: see _SADDLE.
_PAIRS = {
    1: (0, 3), 2: (0, 1), 3: (1, 3), 4: (1, 2), 6: (0, 2), 7: (2, 3), 8: (2, 3),
    9: (0, 2), 11: (1, 2), 12: (1, 3), 13: (0, 1), 14: (0, 3),
}  # fmt: skip
_START = np.zeros(16, dtype=np.intp)
_END = np.zeros(16, dtype=np.intp)
for _case, (_start, _end) in _PAIRS.items():
    _START[_case], _END[_case] = _start, _end


def contour_segments(
    xs: FloatArray, ys: FloatArray, z: FloatArray, levels: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """The segments of the contour lines of ``z`` at ``levels``, as pairs of points.

    Parameters
    ----------
    xs, ys
        The coordinates of the samples: ``z[i, j]`` is the value at ``(xs[i], ys[j])``.
    z
        The samples; cells with a value that is not finite are left out.
    levels
        The values to draw lines at.

    Returns
    -------
    x, y
        Points 2k and 2k + 1 are the ends of segment k (for ``connect="pairs"``).
    """
    parts_x: list[FloatArray] = [np.empty(0)]
    parts_y: list[FloatArray] = [np.empty(0)]
    with np.errstate(all="ignore"):
        finite = np.isfinite(z)
        cells_ok = None
        if not finite.all():
            cells_ok = finite[:-1, :-1] & finite[1:, :-1] & finite[:-1, 1:] & finite[1:, 1:]
        for level in np.asarray(levels, dtype=np.float64).ravel().tolist():
            x, y = _level_segments(xs, ys, z, level, cells_ok)
            parts_x.append(x)
            parts_y.append(y)
    return np.concatenate(parts_x), np.concatenate(parts_y)


def _level_segments(
    xs: FloatArray,
    ys: FloatArray,
    z: FloatArray,
    level: float,
    cells_ok: NDArray[np.bool_] | None,
) -> tuple[FloatArray, FloatArray]:
    above = (z >= level).view(np.uint8)
    case = above[:-1, :-1] | (above[1:, :-1] << 1) | (above[1:, 1:] << 2) | (above[:-1, 1:] << 3)
    crossed = (case != 0) & (case != 15)
    if cells_ok is not None:
        crossed &= cells_ok
    # Only the few cells a line crosses are looked at further.
    cell = np.flatnonzero(crossed)
    if not cell.size:
        return np.empty(0), np.empty(0)
    i, j = np.divmod(cell, case.shape[1])
    kind = case.ravel()[cell]
    z00, z10, z11, z01 = z[i, j], z[i + 1, j], z[i + 1, j + 1], z[i, j + 1]
    x0, x1, y0, y1 = xs[i], xs[i + 1], ys[j], ys[j + 1]

    def share(a: FloatArray, b: FloatArray) -> FloatArray:
        return np.clip((level - a) / (b - a), 0.0, 1.0)  # NaN where not crossed: unused

    # The crossing point on each edge, for each cell: bottom, right, top, left.
    px = np.stack((x0 + share(z00, z10) * (x1 - x0), x1, x0 + share(z01, z11) * (x1 - x0), x0))
    py = np.stack((y0, y0 + share(z10, z11) * (y1 - y0), y1, y0 + share(z00, z01) * (y1 - y0)))
    start, end = _START[kind], _END[kind]
    saddle = np.flatnonzero((kind == 5) | (kind == 10))
    index = np.arange(cell.size)
    if saddle.size:
        # Two segments, cutting off the corners on the other side of the cell's mean
        # from the rest: bottom-left and top-right, or bottom-right and top-left.
        centre = (z00[saddle] + z10[saddle] + z11[saddle] + z01[saddle]) / 4.0 >= level
        cut_first = (kind[saddle] & 1).astype(bool) != centre
        start[saddle] = 0
        end[saddle] = np.where(cut_first, 3, 1)
        start = np.concatenate((start, np.where(cut_first, 1, 2)))
        end = np.concatenate((end, np.where(cut_first, 2, 3)))
        index = np.concatenate((index, saddle))
    out_x = np.empty(2 * index.size)
    out_y = np.empty(2 * index.size)
    out_x[0::2], out_x[1::2] = px[start, index], px[end, index]
    out_y[0::2], out_y[1::2] = py[start, index], py[end, index]
    return out_x, out_y


class Segments(Polyline):
    """Loose line segments in view coordinates, drawn with a pen whose width is in pixels.

    Not added to auto-ranging (add it with ``ignoreBounds``).
    """

    def setData(self, x: ArrayLike, y: ArrayLike) -> None:
        """Draw the segments from point 2k to point 2k + 1 (finite points, as given)."""
        super().setData(x, y)
        if self._x.size >= 2:
            self._path = pg.arrayToQPath(self._x, self._y, connect="pairs")
