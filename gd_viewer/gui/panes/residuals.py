"""Where the gradient comes from: each point's residual and its share of the gradient.

The cost is ``mean((x·w + b − y)²)``, so its gradient is a mean over the points too:
point i adds ``2·xᵢ·(xᵢ·w + b − yᵢ)/n`` to ∂cost/∂w (and ``2·(xᵢ·w + b − yᵢ)/n`` to
∂cost/∂b). The data pane draws the residuals as vertical segments and writes each
share next to its point; the shares add up to the gradient the descent steps with.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from PySide6.QtCore import QRectF

from gd_viewer.gui.panes.label import Label
from gd_viewer.gui.panes.polyline import Polyline
from gd_viewer.gui.panes.room import ShownWhereRoom
from gd_viewer.gui.panes.style import FloatArray

#: Residual segments are drawn for at most this many points (more are clutter).
MAX_RESIDUAL_POINTS = 200
#: Each point's share of the gradient is written next to it for at most this many points.
MAX_SHARE_POINTS = 12
#: The same for the line y = w·x + b, whose labels carry two shares each (twice as wide).
MAX_TWO_SHARE_POINTS = 6
#: Pixels between a point's centre and its share's label.
SHARE_GAP = 9.0


def residual_segments(
    x: FloatArray, y: FloatArray, w: float, b: float = 0.0
) -> tuple[FloatArray, FloatArray]:
    """The segments from each point ``(xᵢ, yᵢ)`` to the line ``(xᵢ, w·xᵢ + b)``, as pairs.

    Returns
    -------
    xs, ys
        ``2·n`` values: point i's segment runs from ``(xs[2i], ys[2i])`` (the point)
        to ``(xs[2i + 1], ys[2i + 1])`` (the line).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        line = x * w + b
    xs = np.repeat(x, 2)
    ys = np.empty(xs.size)
    ys[0::2] = y
    ys[1::2] = line
    return xs, ys


def gradient_shares(
    x: FloatArray, y: FloatArray, w: float, b: float = 0.0
) -> tuple[FloatArray, FloatArray]:
    """Each point's share of the gradient of ``mean((x·w + b − y)²)``.

    Returns
    -------
    w_shares
        ``2·xᵢ·(xᵢ·w + b − yᵢ)/n``; they sum to ∂cost/∂w.
    b_shares
        ``2·(xᵢ·w + b − yᵢ)/n``; they sum to ∂cost/∂b (for the line ``y = w·x + b``).
    """
    n = max(int(x.size), 1)
    with np.errstate(over="ignore", invalid="ignore"):
        residual = x * w + b - y
        return 2.0 * x * residual / n, 2.0 * residual / n


class Segments(Polyline):
    """Separate straight segments (point pairs) in view coordinates, as one path.

    One item for all of them, drawn with one ``drawPath``: cheaper than an item per
    segment, and than a ``PlotDataItem`` with ``connect="pairs"``. Unlike
    :class:`Polyline`, it takes part in auto-ranging (what it joins should be seen).
    """

    CONNECT = "pairs"  # (x[2i], y[2i]) to (x[2i + 1], y[2i + 1])
    MIN_POINTS = 2

    def setData(self, x: ArrayLike, y: ArrayLike) -> None:
        """Join ``(x[2i], y[2i])`` to ``(x[2i + 1], y[2i + 1])`` for each i (finite values)."""
        super().setData(x, y)
        self.informViewBoundsChanged()  # it takes part in auto-ranging

    def dataBounds(
        self, ax: int, frac: float = 1.0, orthoRange: Sequence[float] | None = None
    ) -> list[float] | list[None]:
        """The extent of the segments along axis ``ax`` (for auto-ranging)."""
        values = self._x if ax == 0 else self._y
        if not values.size:
            return [None, None]
        return [float(values.min()), float(values.max())]


class ShareLabel(ShownWhereRoom, Label):
    """A :class:`Label` beside a point, whose text colour can change (with the sign it shows).

    It keeps ``SHARE_GAP`` pixels from its point whatever the width of its text: beside
    the point at its height, or (to keep clear of something there) just below or above it,
    on either side; where it has no room at all, it is left out (:meth:`set_room`).
    """

    def __init__(self, color: object, fill: object = None) -> None:
        super().__init__(color, fill)
        self._left = False
        self._shift = 0
        self._colour: str | None = None  # as last set (set_colour)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._keep_gap()

    def set_side(self, left: bool, shift: int = 0) -> None:
        """Stand left of the point (else right of it): at its height (``shift`` 0), just
        below it (``shift`` −1) or just above it (+1)."""
        self._left = bool(left)
        self._shift = (shift > 0) - (shift < 0)
        self._keep_gap()

    def card(self, left: bool, shift: int = 0) -> QRectF:
        """Where the card would be for :meth:`set_side`, in pixels from the point."""
        anchor = self._anchor(left, shift)
        return QRectF(
            -anchor[0] * self._width, -anchor[1] * self._height, self._width, self._height
        )

    def _anchor(self, left: bool, shift: int) -> tuple[float, float]:
        gap = SHARE_GAP / max(self._width, 1.0)  # the anchor is in widths of the card
        # Below or above: clear of the point's symbol (about half the gap across).
        rise = 0.5 + 0.5 * SHARE_GAP / max(self._height, 1.0)
        return (1.0 + gap if left else -gap, 0.5 + rise * float((shift > 0) - (shift < 0)))

    def _keep_gap(self) -> None:
        self.setAnchor(self._anchor(self._left, self._shift))

    def set_colour(self, colour: str) -> None:
        """Draw the text in ``colour`` from now on."""
        if colour == self._colour:
            return  # (set every frame: a string compared costs less than a colour made)
        self._colour = colour
        if self._pen.color() != pg.mkColor(colour):
            self._pen.setColor(pg.mkColor(colour))
            self.update()
