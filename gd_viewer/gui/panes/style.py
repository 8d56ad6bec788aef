"""Colours, pens and small helpers shared by the plot panes.

The palette is Okabe-Ito's, which stays distinguishable with the common forms of
colour blindness; shapes and line styles differ as well, so no item is told
apart by colour alone.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike, NDArray
from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem

FloatArray = NDArray[np.float64]

BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
GREY = "#7F7F7F"
#: Darker shades of the same hues, for text on white (enough contrast to read).
DARK_GREEN = "#00664A"
DARK_GREY = "#505050"
TEXT = "#1A1A1A"
BACKGROUND = "w"

#: Behind annotations: text stays readable where it crosses a line or the grid.
CARD = (255, 255, 255, 215)

#: Font sizes of titles, axis labels and annotations.
TITLE_SIZE = "11pt"
LABEL_SIZE = "10pt"


def pen(colour: str, width: float = 2.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    """A cosmetic pen (its width is in pixels at any zoom)."""
    result = QPen(QColor(colour), width, style)
    result.setCosmetic(True)
    return result


def finite_xy(x: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Fresh float64 copies of ``x`` and ``y`` without the points where either is NaN or ±inf.

    Copies, so that a caller who later writes into its arrays (a History is reused
    after a reset) never changes what is on screen behind pyqtgraph's caches.

    Raises
    ------
    ValueError
        ``x`` and ``y`` are not 1-d arrays of the same length.
    """
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"x and y must be 1-d and of equal length, not {xs.shape} and {ys.shape}")
    keep = np.isfinite(xs) & np.isfinite(ys)
    if keep.all():
        return xs.copy(), ys.copy()
    return xs[keep], ys[keep]


def name_items(**items: QObject) -> None:
    """Give plot items object names, by which tests and exports can find them in the scene."""
    for name, item in items.items():
        item.setObjectName(name)


def view_range(view: pg.ViewBox) -> tuple[tuple[float, float], tuple[float, float]]:
    """The view's x and y ranges as Python floats, whose arithmetic never warns."""
    # (Its state, read: viewRange() copies it, for a caller that might change it.)
    (x_low, x_high), (y_low, y_high) = view.state["viewRange"]
    return (float(x_low), float(x_high)), (float(y_low), float(y_high))


def view_rect(item: pg.GraphicsObject) -> QRectF:
    """The range of ``item``'s view as a rectangle in view coordinates (empty while the
    item is in no view): the bounds of an item that may draw anywhere in the view."""
    view = item.getViewBox()
    if not isinstance(view, pg.ViewBox):
        return QRectF()
    (x_low, x_high), (y_low, y_high) = view_range(view)
    return QRectF(x_low, y_low, x_high - x_low, y_high - y_low)


def all_finite(*values: float) -> bool:
    """True when every value is a finite number."""
    return all(math.isfinite(v) for v in values)


def short_number(value: float) -> str:
    """Up to four decimals without trailing zeros (``4.0``, ``7.9998``); large values in ``g``."""
    if not math.isfinite(value) or abs(value) >= 1e6:
        return minus(f"{value:.6g}")
    text = f"{value:.4f}".rstrip("0")
    return minus(text + "0" if text.endswith(".") else text)


def significant(value: float, sign: str = "") -> str:
    """Four significant digits (``−3.504``, ``+0.03504``); ``sign="+"`` shows a plus too."""
    return minus(f"{value:{sign}.4g}")


def minus(text: str) -> str:
    """A typographic minus sign in place of the hyphen of a formatted number."""
    return text.replace("-", "−")


def style_plot(widget: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    """White background, antialiasing, dark axes with names, a light grid and a title."""
    widget.setBackground(BACKGROUND)
    widget.setAntialiasing(True)
    item = widget.getPlotItem()
    item.setTitle(title, color=TEXT, size=TITLE_SIZE)
    for name, text in (("bottom", x_label), ("left", y_label)):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(TEXT))
        axis.setTextPen(pg.mkPen(TEXT))
        axis.setLabel(text, color=TEXT, **{"font-size": LABEL_SIZE})
        # Grid and ticks at the labelled values only: the minor levels doubled the time
        # to paint a pane, and a light grid at the labels is what a reader uses. (The
        # pane draws the grid, under the data: see grid.py.)
        axis.setStyle(maxTickLevel=0)
        # An axis (line, labels) changes only with the view: Qt keeps its picture.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    item.layout.setContentsMargins(4, 4, 12, 4)
    item.showGrid(x=True, y=True, alpha=0.25)


def as_drawn(view: pg.ViewBox, x: ArrayLike, y: ArrayLike) -> object:
    """A key of the points ``x``, ``y`` as ``view`` draws them, to a quarter of a pixel.

    Two sets of points with the same key look the same on screen, so an item showing
    the first need not be updated (nor painted again) for the second: while a run
    converges, most of what the panes are given changes by far less than a pixel.
    None while the view has no size (then nothing can be told).
    """
    # (Qt's size: pyqtgraph's width() and height() are Python calls; this runs a dozen
    # times a frame.)
    size = view.size()
    width, height = size.width(), size.height()
    (x0, x1), (y0, y1) = view_range(view)
    if width <= 0.0 or height <= 0.0 or not (x1 > x0 and y1 > y0):
        return None
    sx, sy = 4.0 * width / (x1 - x0), 4.0 * height / (y1 - y0)
    frame = (x0, y0, sx, sy)
    if isinstance(x, list) and len(x) <= 2 and isinstance(y, list):
        # A point or two (markers, labels, segments): plain arithmetic is quicker.
        try:
            return (
                frame,
                tuple(round((u - x0) * sx) for u in x),
                tuple(round((v - y0) * sy) for v in y),
            )
        except (OverflowError, ValueError):  # not finite: nothing to compare
            return None
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    with np.errstate(all="ignore"):
        u = np.round((xs - x0) * sx)
        v = np.round((ys - y0) * sy)
    return frame, u.tobytes(), v.tobytes()


def keep_picture(*items: QGraphicsItem) -> None:
    """Let Qt keep the pictures of ``items`` (and of a TextItem's text) between paints.

    For items that change rarely or only move: Qt then copies their picture instead of
    having them paint (a moved item keeps its picture). Not for items that change every
    frame (their picture would be made again each time), nor for large ones that are
    quick to draw (a picture the size of the plot takes a while to copy, too).
    """
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        text = getattr(item, "textItem", None)
        if isinstance(text, QGraphicsItem):
            text.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
