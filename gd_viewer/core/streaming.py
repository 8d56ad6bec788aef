"""Sums over large data in blocked passes that stay in cache.

A pass reads the data once, block by block, and keeps its temporaries no
larger than a block, so a run over ten million points costs about what one
``np.dot`` over them costs (``python -m gd_viewer.bench`` measures it).

The least cost of ``y = w·x`` is where accuracy needs care. The textbook
``Σy² − (Σxy)²/Σx²`` subtracts two nearly equal numbers when the fit is good
(a perfect fit would end at rounding noise instead of zero), so it is used only
when the fit is clearly imperfect; otherwise the least cost comes from the
residuals about a pilot slope, corrected exactly to the optimum.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Points per block: small enough that a block and its temporaries stay in cache,
#: large enough that numpy's per-call cost is small (2^15 and 2^17 measured slower).
CHUNK = 1 << 16
#: Points in the strided sample that gives the pilot slope.
PILOT_SAMPLE = 4096
#: Least cost over mean(y²) above which ``Σy² − w*·Σxy`` is accurate enough: its
#: rounding, relative to the least cost, is at most ~1/LOOSE_FIT times that of the sums.
LOOSE_FIT = 0.05
_EPS = float(np.finfo(np.float64).eps)
_SCALE_RANGE = (1e-150, 1e150)


def blocks(n: int) -> Iterator[slice]:
    for start in range(0, n, CHUNK):
        yield slice(start, min(start + CHUNK, n))


def mean_square_residual(x: FloatArray, y: FloatArray, w: float, b: float = 0.0) -> float:
    """``mean((x·w + b − y)²)`` in blocks, without an n-sized temporary."""
    n = x.size
    buffer = np.empty(min(n, CHUNK))
    total = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for block in blocks(n):
            r = buffer[: block.stop - block.start]
            np.multiply(x[block], w, out=r)
            if b:
                r += b
            r -= y[block]
            total += float(np.dot(r, r))
    return total / n


class OriginFit(NamedTuple):
    """The least-squares fit of ``y = w·x`` and how it was computed."""

    w: float
    sum_xx: float
    min_cost: float
    #: "sums" (Σx², Σxy, Σy²: one pass), "residuals" (about a pilot slope: one
    #: pass) or "residuals twice" (the pilot was far off: three passes); a sample
    #: that misjudged a good fit as loose adds the pass of the sums.
    method: str
    passes: int


def origin_fit(xy: FloatArray) -> OriginFit:
    """The fit of ``y = w·x`` to the ``(2, n)`` block of x and y."""
    pilot, sample_misfit = _sample_fit(xy)
    passes = 0
    if sample_misfit >= LOOSE_FIT:
        sxx, sxy, syy = _second_moments(xy)
        passes = 1
        if sxx > 0.0:
            w_opt = sxy / sxx
            least = syy - w_opt * sxy
            if least >= 0.5 * LOOSE_FIT * syy:
                return OriginFit(w_opt, sxx, least / xy.shape[1], "sums", passes)
            pilot = w_opt  # the sample misled: the fit is good after all
    fit = _residual_fit(xy, pilot)
    return fit._replace(passes=fit.passes + passes)


def _sample_fit(xy: FloatArray) -> tuple[float, float]:
    """Slope through the origin of a strided sample, and its least cost / mean(y²)."""
    step = max(1, xy.shape[1] // PILOT_SAMPLE)
    xs, ys = xy[0, ::step], xy[1, ::step]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        sxx, sxy, syy = float(np.dot(xs, xs)), float(np.dot(xs, ys)), float(np.dot(ys, ys))
        slope = sxy / sxx if sxx > 0.0 else 0.0
        misfit = (syy - slope * sxy) / syy if syy > 0.0 else 0.0
    if not (np.isfinite(slope) and np.isfinite(misfit)):
        return 0.0, 0.0
    return slope, misfit


def _second_moments(xy: FloatArray) -> tuple[float, float, float]:
    """``Σx², Σxy, Σy²`` in one pass."""
    x, y = xy
    xx_xy = np.zeros(2)
    syy = 0.0
    for block in blocks(x.size):
        pair = xy[:, block]
        xx_xy += pair @ x[block]
        syy += float(np.dot(y[block], y[block]))
    return float(xx_xy[0]), float(xx_xy[1]), syy


def _residual_fit(xy: FloatArray, pilot: float) -> OriginFit:
    """The fit from the residuals ``r = y − pilot·x``, in one pass.

    The optimum is ``w* = pilot + Σx·r / Σx²`` and the least cost
    ``(Σr² − (Σx·r)²/Σx²) / n``. The subtraction is harmless while the correction
    is at most half of ``Σr²`` (or ``Σr²`` is down at the rounding of the products
    pilot·x); otherwise a second pass about ``w*`` follows.
    """
    x, y = xy
    n = x.size
    # Rows q = pilot·x and r: np.vecdot gives Σq² and Σr² in one call, and q is the
    # product r needs anyway. A pilot whose square would under- or overflow scales by 1.
    scaled = _SCALE_RANGE[0] < abs(pilot) < _SCALE_RANGE[1]
    scale = pilot if scaled else 1.0
    rows = np.empty((2, min(n, CHUNK)))
    sqq = srr = sqr = 0.0
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for block in blocks(n):
            pair = rows[:, : block.stop - block.start]
            q, r = pair
            np.multiply(x[block], scale, out=q)
            if not scaled:
                np.multiply(x[block], pilot, out=r)
                np.subtract(y[block], r, out=r)
            else:
                np.subtract(y[block], q, out=r)
            qq, rr = np.vecdot(pair, pair)
            sqq += float(qq)
            srr += float(rr)
            sqr += float(np.dot(q, r))
    sxx = sqq / (scale * scale)
    sxr = sqr / scale
    if sxx == 0.0 and pilot == 0.0:  # x all zero: every w fits; take 0
        return OriginFit(0.0, 0.0, srr / n, "residuals", 1)
    if sxx > 0.0:
        correction = sxr * (sxr / sxx)
        rounding_floor = _EPS * pilot * pilot * sxx
        if (
            math.isfinite(srr)
            and math.isfinite(correction)
            and (correction <= 0.5 * srr or srr <= rounding_floor)
        ):
            return OriginFit(pilot + sxr / sxx, sxx, max(srr - correction, 0.0) / n, "residuals", 1)
    sxx, sxy = (float(v) for v in xy @ x)
    w_opt = sxy / sxx if sxx > 0.0 else 0.0
    return OriginFit(w_opt, sxx, mean_square_residual(x, y, w_opt), "residuals twice", 3)
