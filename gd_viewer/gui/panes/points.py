"""The data points as the data pane draws them: thinned when many, small when crowded.

At most ``MAX_DRAWN_POINTS`` are drawn, with a note in the view's bottom-right corner
saying how many of how many. While none is thinned out, each drawn point is known as
a point of the data (for dragging it).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike, NDArray
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from gd_viewer.gui.panes.legend_placement import Obstacle
from gd_viewer.gui.panes.style import (
    BLUE,
    CARD,
    DARK_GREY,
    FloatArray,
    keep_picture,
    name_items,
    view_range,
)

#: At most this many points are drawn; more would cost time and show nothing new.
MAX_DRAWN_POINTS = 5_000
#: Beyond this many drawn points, they are drawn small and translucent.
CROWDED_POINTS = 500
#: Symbol sizes of the points, in pixels: few, and crowded.
POINT_SIZE, CROWDED_POINT_SIZE = 9.0, 4.0


def subsample(
    x: ArrayLike, y: ArrayLike, limit: int = MAX_DRAWN_POINTS
) -> tuple[FloatArray, FloatArray, int]:
    """The finite points, thinned to at most ``limit`` for drawing.

    Deterministic: points evenly spaced by index, plus those with the smallest and
    largest x and y, so the picture's extent (and the axis ranges) stay right.

    Returns
    -------
    x, y
        The points to draw (fresh arrays).
    total
        How many finite points there were.
    """
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"x and y must be 1-d and of equal length, not {xs.shape} and {ys.shape}")
    keep = np.isfinite(xs) & np.isfinite(ys)
    if not keep.all():
        xs, ys = xs[keep], ys[keep]
    total = int(xs.size)
    if total <= limit:
        return xs.copy(), ys.copy(), total
    extremes = np.array([xs.argmin(), xs.argmax(), ys.argmin(), ys.argmax()], dtype=np.int64)
    even = np.linspace(0, total - 1, limit - extremes.size).astype(np.int64)
    index: NDArray[np.int64] = np.union1d(even, extremes)
    return xs[index], ys[index], total


def points_style() -> dict[str, object]:
    """How a few points are drawn (as ``PlotDataItem`` keywords; for the legend too)."""
    return {
        "pen": None, "symbol": "o", "symbolSize": POINT_SIZE,
        "symbolPen": pg.mkPen("w", width=0.8), "symbolBrush": pg.mkBrush(BLUE),
    }  # fmt: skip


class DataPoints:
    """The points drawn on a plot (item ``points``), and the note on thinning (``note``).

    Attributes
    ----------
    x, y
        The points drawn (replaced, never changed in place: the item keeps them).
    index
        Each drawn point's index in the data given to :meth:`set` (None when thinned out).
    """

    def __init__(self, plot: pg.PlotItem) -> None:
        # Without a dynamic range limit, a change of the y range does not make pyqtgraph
        # rebuild thousands of symbols (the data are finite and moderate anyway).
        self.item = pg.PlotDataItem(**points_style(), antialias=True, dynamicRangeLimit=None)
        # The data change only with the view: Qt keeps their picture between frames.
        self.item.scatter.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.note = pg.TextItem(color=DARK_GREY, fill=CARD, anchor=(1, 1))
        keep_picture(self.note)  # it rarely changes
        self._view = plot.getViewBox()
        self.x: FloatArray = np.empty(0)
        self.y: FloatArray = np.empty(0)
        self.index: NDArray[np.int64] | None = None
        name_items(points=self.item, note=self.note)
        plot.addItem(self.item)
        # In the view's pixel coordinates (not its data coordinates): a fixed corner.
        self.note.setParentItem(self._view)
        self.item.hide()
        self.note.hide()

    def set(self, x: ArrayLike, y: ArrayLike) -> None:
        """Draw the points ``x``, ``y`` (at most ``MAX_DRAWN_POINTS``, noted when thinned)."""
        xs, ys, total = subsample(x, y)
        # A few points as large dots; many as small translucent ones, so density shows.
        crowded = xs.size > CROWDED_POINTS
        colour = QColor(BLUE)
        colour.setAlpha(110 if crowded else 255)
        size = CROWDED_POINT_SIZE if crowded else POINT_SIZE
        self.item.setData(
            xs, ys, symbolSize=size, symbolBrush=pg.mkBrush(colour),
            symbolPen=None if crowded else pg.mkPen("w", width=0.8),
        )  # fmt: skip
        self.item.setVisible(xs.size > 0)
        self.x, self.y = xs, ys
        self.index = None
        if xs.size == total:  # all drawn: a drawn point is a point of the data
            raw_x, raw_y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
            self.index = np.flatnonzero(np.isfinite(raw_x) & np.isfinite(raw_y))
        if xs.size < total:
            self.note.setText(
                QCoreApplication.translate(
                    "DataFitPane", "showing {shown} of {total} points"
                ).format(shown=f"{xs.size:,}", total=f"{total:,}")
            )
            self.note.show()
        else:
            self.note.hide()

    def move(self, shown: int, x: float, y: float) -> bool:
        """Draw the point ``shown`` at ``(x, y)``; False if there is no such point."""
        if not 0 <= shown < self.x.size:
            return False
        # New arrays: the points item keeps the ones it was given.
        self.x, self.y = self.x.copy(), self.y.copy()
        self.x[shown], self.y[shown] = x, y
        self.item.setData(self.x, self.y)
        return True

    def count(self) -> int:
        """How many points are drawn."""
        return 0 if self.item.xData is None else int(self.item.xData.size)

    def radius(self) -> float:
        """The radius of a point's symbol, in pixels."""
        return float(self.item.opts["symbolSize"]) / 2.0

    def obstacles(self) -> list[Obstacle]:
        """What a legend should keep clear of: the points, and the note in its corner."""
        marks: list[Obstacle] = []
        if self.item.isVisible():
            marks.append((*self.item.getData(), 1.0))
        if self.note.isVisible():  # pinned to the bottom-right corner
            (_, x_high), (y_low, _) = view_range(self._view)
            marks.append(([x_high], [y_low], 10_000.0))
        return marks
