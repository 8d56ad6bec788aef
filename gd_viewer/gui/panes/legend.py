"""Legends that stay out of the way: static samples, and a corner chosen by what is drawn."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent

from gd_viewer.gui.panes.style import CARD, TEXT, FloatArray, view_range

#: Distance of the legend from the view's edges, in pixels.
MARGIN = 8.0
#: The corners as LegendItem offsets (their signs pick the corner), in order of preference:
#: top right, top left, bottom right, bottom left.
CORNERS = ((-MARGIN, MARGIN), (MARGIN, MARGIN), (-MARGIN, -MARGIN), (MARGIN, -MARGIN))
#: Points of one kind counted when choosing a corner; longer arrays are thinned.
MAX_COUNTED = 2_000

#: What is drawn, for choosing a corner: x, y (view coordinates) and how much covering
#: one of those points costs.
Obstacle = tuple[ArrayLike, ArrayLike, float]


class _StaticSample(pg.ItemSample):
    """A legend sample that ignores clicks (pyqtgraph's would hide the item)."""

    def mouseClickEvent(self, event: MouseClickEvent) -> None:
        event.ignore()


def legend(widget: pg.PlotWidget) -> pg.LegendItem:
    """A legend on a translucent white card, in the top-right corner of the view.

    Add entries with :func:`legend_entry`, not by naming plot items: the samples are
    drawn from stand-ins, so an entry looks the same while its item is hidden.
    """
    result = pg.LegendItem(
        offset=CORNERS[0],
        brush=pg.mkBrush(CARD),
        pen=pg.mkPen("#C8C8C8"),
        labelTextColor=TEXT,
        labelTextSize="9pt",
        verSpacing=-6,
        sampleType=_StaticSample,
    )
    result.setParentItem(widget.getPlotItem().getViewBox())
    return result


def legend_entry(legend: pg.LegendItem, text: str, **style: Any) -> pg.LabelItem:
    """Add an entry drawn like a ``PlotDataItem(**style)``; returns its label (for setText)."""
    # One point, or pyqtgraph never passes the symbol style on to the sample.
    stand_in = pg.PlotDataItem([0.0], [0.0], **style)
    legend.addItem(stand_in, text)
    label: pg.LabelItem = legend.getLabel(stand_in)
    return label


def outline(item: pg.GraphicsObject) -> tuple[FloatArray, FloatArray]:
    """Corners and centre of a visible item's bounding box in view coordinates (else none)."""
    if not item.isVisible() or item.getViewBox() is None:
        return np.empty(0), np.empty(0)
    rect = item.mapRectToView(item.boundingRect())
    xs = np.array([rect.left(), rect.right(), rect.left(), rect.right(), rect.center().x()])
    ys = np.array([rect.top(), rect.top(), rect.bottom(), rect.bottom(), rect.center().y()])
    return xs, ys


def segment(xy: tuple[ArrayLike, ArrayLike], count: int = 20) -> tuple[FloatArray, FloatArray]:
    """``count`` points along the segment between the first two points of ``xy``."""
    xs, ys = np.asarray(xy[0], dtype=np.float64), np.asarray(xy[1], dtype=np.float64)
    return np.linspace(xs[0], xs[1], count), np.linspace(ys[0], ys[1], count)


def polyline(
    xy: tuple[ArrayLike, ArrayLike], per_segment: int = 8, limit: int = 500
) -> tuple[FloatArray, FloatArray]:
    """Points along a short polyline's segments too (a long one: its vertices only)."""
    xs, ys = np.asarray(xy[0], dtype=np.float64), np.asarray(xy[1], dtype=np.float64)
    if not 2 <= xs.size <= limit:
        return xs, ys
    index = np.arange(xs.size)
    t = np.linspace(0, xs.size - 1, per_segment * (xs.size - 1) + 1)
    return np.interp(t, index, xs), np.interp(t, index, ys)


def place_legend(legend: pg.LegendItem, view: pg.ViewBox, obstacles: Iterable[Obstacle]) -> None:
    """Move the legend to the corner of the view where it covers the least of what is drawn."""
    width, height = float(view.width()), float(view.height())
    if width <= 0.0 or height <= 0.0:
        return
    (x0, x1), (y0, y1) = view_range(view)
    size = legend.boundingRect()
    share_x = (size.width() + MARGIN) / width
    share_y = (size.height() + MARGIN) / height
    costs = np.zeros(len(CORNERS))
    for x, y, weight in obstacles:
        xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        step = xs.size // MAX_COUNTED + 1
        with np.errstate(over="ignore", invalid="ignore"):
            u = (xs[::step] - x0) / (x1 - x0)  # 0 … 1 across the view
            v = (ys[::step] - y0) / (y1 - y0)  # 0 … 1 upwards
        inside = (u >= 0.0) & (u <= 1.0) & (v >= 0.0) & (v <= 1.0)
        left, right = inside & (u < share_x), inside & (u > 1.0 - share_x)
        top, bottom = v > 1.0 - share_y, v < share_y
        for corner, covered in enumerate((right & top, left & top, right & bottom, left & bottom)):
            costs[corner] += weight * np.count_nonzero(covered)
    legend.setOffset(CORNERS[int(np.argmin(costs))])  # the first best, in order of preference
