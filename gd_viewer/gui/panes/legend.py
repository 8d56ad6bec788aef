"""Legends that stay out of the way: static samples, steady text, a corner chosen by what is drawn.

A legend here is drawn every frame while a run plays, so it is built to cost little:
its texts are drawn directly (no rich-text layout) in cells that only ever grow, so a
number that changes does not re-lay out the legend; and the corner is chosen from
costs of which the part for what rarely moves (a curve, the data) is kept between frames.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sized
from typing import Any

import numpy as np
import pyqtgraph as pg
import shiboken6
from numpy.typing import ArrayLike
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import QElapsedTimer, QPointF, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsWidget, QStyleOptionGraphicsItem, QWidget

from gd_viewer.gui.panes.label import TextWidths, static_text
from gd_viewer.gui.panes.style import CARD, TEXT, FloatArray, view_range

#: Distance of the legend from the view's edges, in pixels.
MARGIN = 8.0
#: The corners as LegendItem offsets (their signs pick the corner), in order of preference:
#: top right, top left, bottom right, bottom left.
CORNERS = ((-MARGIN, MARGIN), (MARGIN, MARGIN), (-MARGIN, -MARGIN), (MARGIN, -MARGIN))
#: Points of one kind counted when choosing a corner; longer arrays are thinned.
MAX_COUNTED = 2_000
#: Size of the legend's text.
TEXT_POINT_SIZE = 9.0
#: Space around a legend text, in pixels (as much as a rich-text label leaves).
TEXT_PADDING = 4.0
#: The least a legend is shrunk to in a small view (smaller text could not be read).
MIN_SCALE = 0.6
#: The most of a view's height a legend takes up (it is shrunk to fit, down to MIN_SCALE).
MAX_HEIGHT_SHARE = 0.8
#: Least time between two placements for what moves with the playhead.
PLACE_INTERVAL_MS = 150

#: What is drawn, for choosing a corner: x, y (view coordinates) and how much covering
#: one of those points costs.
Obstacle = tuple[ArrayLike, ArrayLike, float]


class _StaticSample(pg.ItemSample):
    """A legend sample that ignores clicks (pyqtgraph's would hide the item).

    It never changes, so Qt keeps it as a picture instead of drawing it again.
    """

    # Qt's own (the widget's rect, the 20×20 pyqtgraph's returns), without a Python call for
    # each of the many times Qt asks in a paint.
    boundingRect = QGraphicsWidget.boundingRect

    def __init__(self, item: pg.PlotDataItem) -> None:
        super().__init__(item)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def mouseClickEvent(self, event: MouseClickEvent) -> None:
        event.ignore()


class LegendText(pg.GraphicsWidget):
    """One line of a legend's text, drawn directly, in a cell whose width only grows.

    :meth:`setText` with a new number redraws the text and nothing else; only a text
    wider than any before widens the cell (and the legend), so a live number does not
    make the legend jump in size or re-lay out every frame.
    """

    # Qt's own (the widget's rect), not pyqtgraph's, which maps the geometry in Python:
    # Qt asks for it many times in each paint.
    boundingRect = QGraphicsWidget.boundingRect

    def __init__(self, text: str, colour: str = TEXT) -> None:
        super().__init__()
        font = QFont()
        font.setPointSizeF(TEXT_POINT_SIZE)
        self._font = font
        self._metrics = QFontMetricsF(font)
        self._text_width = _text_widths(font)
        self._pen = QPen(QColor(colour))
        self._width = 0.0
        self._height = math.ceil(self._metrics.height()) + 2 * TEXT_PADDING
        self.text = ""
        self._static = static_text("")
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setText(text)

    def setText(self, text: str) -> None:
        """Show ``text`` (plain text)."""
        if text == self.text:
            return
        if self.text:
            # A text that changes (a live number) is cheaper drawn than kept as a picture
            # that must be made again each time; a fixed one stays a picture.
            self.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self.text = text
        self._static = static_text(text)
        width = math.ceil(self._text_width(text)) + 2 * TEXT_PADDING
        if width > self._width:
            self._width = width
            self.updateGeometry()
            legend = self.parentItem()
            if isinstance(legend, Legend):
                legend.refit()
        self.update()

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF | None = None) -> QSizeF:
        if which == Qt.SizeHint.MaximumSize:
            return QSizeF(1e6, self._height)
        return QSizeF(self._width, self._height)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setFont(self._font)
        painter.setPen(self._pen)
        painter.drawStaticText(QPointF(TEXT_PADDING, TEXT_PADDING), self._static)


_widths: dict[str, TextWidths] = {}


def _text_widths(font: QFont) -> TextWidths:
    """The widths of texts in ``font``, shared by all legend texts in that font."""
    key = font.key()
    if key not in _widths:
        _widths[key] = TextWidths(font)
    return _widths[key]


class Legend(pg.LegendItem):
    """A legend on a translucent white card whose entries are :class:`LegendText`."""

    # Qt's own (the widget's rect, as pyqtgraph's is), without a Python call per ask.
    boundingRect = QGraphicsWidget.boundingRect

    def __init__(self) -> None:
        super().__init__(
            offset=CORNERS[0],
            brush=pg.mkBrush(CARD),
            pen=pg.mkPen("#C8C8C8"),
            labelTextColor=TEXT,
            labelTextSize=f"{TEXT_POINT_SIZE:g}pt",
            verSpacing=-6,
            sampleType=_StaticSample,
        )
        # Shown when its pane wants it shown and it fits the view (see fit_in_view).
        self._wanted = True
        self._fits = True

    def _GraphicsWidgetAnchor__geometryChanged(self) -> None:
        # pyqtgraph's anchor keeps the legend in its corner as the view's geometry or its own
        # changes. A legend left out of a small pane (see fit_in_view) has its rows laid out
        # again as the pane is torn down, after the view: the anchor would ask a view, or a
        # legend, that no longer exists where to go.
        parent = getattr(self, "_GraphicsWidgetAnchor__parent", None)
        if shiboken6.isValid(self) and parent is not None and shiboken6.isValid(parent):
            super()._GraphicsWidgetAnchor__geometryChanged()

    def setVisible(self, visible: bool) -> None:
        """Show the legend (where it fits: see :meth:`fit_in_view`) or hide it."""
        self._wanted = bool(visible)
        super().setVisible(self._wanted and self._fits)

    def show(self) -> None:
        self.setVisible(True)

    def hide(self) -> None:
        self.setVisible(False)

    def add_entry(self, text: str, **style: Any) -> LegendText:
        """Add a row drawn like a ``PlotDataItem(**style)`` with ``text``; returns the text."""
        # One point, or pyqtgraph never passes the symbol style on to the sample.
        stand_in = pg.PlotDataItem([0.0], [0.0], **style)
        sample = self.sampleType(stand_in)
        label = LegendText(text, self.opts["labelTextColor"])
        self.items.append((sample, label))
        row = self.layout.rowCount()
        self.layout.addItem(sample, row, 0, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.layout.addItem(label, row, 1)
        self.refit()
        return label

    def refit(self) -> None:
        """Lay out the rows now and fit the card around them (not later, during a paint)."""
        self.layout.activate()
        self.updateSize()
        self.fit_in_view()

    def updateSize(self) -> None:
        """Fit the card around the rows, where it stands.

        pyqtgraph's sets the geometry at (0, 0): the legend jumped to the view's corner and
        its anchor put it back, two moves (and a new placement of what keeps clear of it)
        each time a row grew, even when the card kept its size.
        """
        if self.size is not None:
            return
        layout = self.layout
        width = height = 0.0
        for row in range(layout.rowCount()):
            row_width = row_height = 0.0
            for column in range(layout.columnCount()):
                item = layout.itemAt(row, column)
                if item is not None:
                    row_width += item.geometry().width() + 3
                    row_height = max(row_height, item.geometry().height())
            width = max(width, row_width)
            height += row_height
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)

    def setParentItem(self, parent: Any) -> None:
        super().setParentItem(parent)
        resized = getattr(parent, "sigResized", None)
        if resized is not None:
            resized.connect(self.fit_in_view)
        self.fit_in_view()

    def fit_in_view(self, *_: object) -> None:
        """Shrink the legend (down to ``MIN_SCALE``) where the view is too small for it,
        and hide it where even that is too big.

        In a small pane (a small window, or three panes abreast) a legend wider or taller
        than the view would be cut off at the view's edge, its text unreadable; smaller
        than ``MIN_SCALE``, it could not be read either.
        """
        parent = self.parentItem()
        width, height = self.width(), self.height()
        if parent is None or width <= 0 or height <= 0:
            return
        room = parent.boundingRect()
        if room.isEmpty():
            return  # a view not laid out yet, or one going away: nothing to fit
        scale = min(
            1.0,
            (room.width() - 2 * MARGIN) / width,
            (room.height() - 2 * MARGIN) * MAX_HEIGHT_SHARE / height,
        )
        fits = scale >= MIN_SCALE
        if fits != self._fits:
            self._fits = fits
            super().setVisible(self._wanted and fits)
        scale = max(scale, MIN_SCALE)
        if abs(scale - self.scale()) > 1e-3:
            self.setScale(scale)
            self.setOffset(self.opts["offset"])  # anchored again, at the new size


def legend(widget: pg.PlotWidget) -> Legend:
    """A legend on a translucent white card, in the top-right corner of the view.

    Add entries with :func:`legend_entry`, not by naming plot items: the samples are
    drawn from stand-ins, so an entry looks the same while its item is hidden.
    """
    result = Legend()
    result.setParentItem(widget.getPlotItem().getViewBox())
    return result


def legend_entry(legend: Legend, text: str, **style: Any) -> LegendText:
    """Add an entry drawn like a ``PlotDataItem(**style)``; returns its text (for setText)."""
    return legend.add_entry(text, **style)


def outline(item: pg.GraphicsObject) -> tuple[FloatArray, FloatArray]:
    """Corners and centre of a visible item's bounding box in view coordinates (else none)."""
    view_outline = getattr(item, "view_outline", None)
    if view_outline is not None:  # a Label, which ignores the view's scale
        return view_outline()  # type: ignore[no-any-return]
    if not item.isVisible() or item.getViewBox() is None:
        return np.empty(0), np.empty(0)
    rect = item.mapRectToView(item.boundingRect())
    xs = np.array([rect.left(), rect.right(), rect.left(), rect.right(), rect.center().x()])
    ys = np.array([rect.top(), rect.top(), rect.bottom(), rect.bottom(), rect.center().y()])
    return xs, ys


def segment(xy: tuple[ArrayLike, ArrayLike], count: int = 20) -> tuple[FloatArray, FloatArray]:
    """``count`` points along the segment between the first two points of ``xy``."""
    xs, ys = np.asarray(xy[0], dtype=np.float64), np.asarray(xy[1], dtype=np.float64)
    t = _steps.get(count)
    if t is None:  # (np.linspace each time took most of the time)
        t = _steps[count] = np.linspace(0.0, 1.0, count)
    x0, x1, y0, y1 = float(xs[0]), float(xs[1]), float(ys[0]), float(ys[1])
    with np.errstate(over="ignore", invalid="ignore"):
        along_x, along_y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
    if count > 1:
        along_x[-1], along_y[-1] = x1, y1  # exactly, as linspace ends
    return along_x, along_y


#: Fractions 0 … 1 of a segment, by their count (see segment).
_steps: dict[int, FloatArray] = {}


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


def corner_costs(
    view: pg.ViewBox, size: QRectF, obstacles: Iterable[Obstacle]
) -> FloatArray | None:
    """How much of ``obstacles`` a legend of ``size`` would cover in each of the CORNERS.

    None while the view has no size.
    """
    view_size = view.size()
    width, height = view_size.width(), view_size.height()
    if width <= 0.0 or height <= 0.0:
        return None
    xs_parts: list[ArrayLike] = []
    ys_parts: list[ArrayLike] = []
    counts: list[int] = []
    weight_parts: list[float] = []
    for x, y, weight in obstacles:
        # (Lists as they come: one concatenation below makes arrays of all of them.)
        count = len(x) if isinstance(x, Sized) else int(np.size(x))
        step = count // MAX_COUNTED + 1
        if step > 1:
            x = np.asarray(x, dtype=np.float64)[::step]
            y = np.asarray(y, dtype=np.float64)[::step]
            count = len(x)
        xs_parts.append(x)
        ys_parts.append(y)
        counts.append(count)
        weight_parts.append(float(weight))
    if not xs_parts:
        return np.zeros(len(CORNERS))
    # All obstacles at once: a handful of array operations, not a handful per obstacle.
    (x0, x1), (y0, y1) = view_range(view)
    with np.errstate(over="ignore", invalid="ignore"):
        u = (np.concatenate(xs_parts, dtype=np.float64) - x0) / (x1 - x0)  # 0 … 1 across
        v = (np.concatenate(ys_parts, dtype=np.float64) - y0) / (y1 - y0)  # 0 … 1 upwards
    weights = np.repeat(np.asarray(weight_parts), counts)
    share_x = (size.width() + MARGIN) / width
    share_y = (size.height() + MARGIN) / height
    inside = (u >= 0.0) & (u <= 1.0) & (v >= 0.0) & (v <= 1.0)
    left, right = inside & (u < share_x), inside & (u > 1.0 - share_x)
    top, bottom = v > 1.0 - share_y, v < share_y
    covered = np.stack((right & top, left & top, right & bottom, left & bottom))
    result: FloatArray = covered @ weights
    return result


def _move_to(legend: pg.LegendItem, corner: int) -> None:
    if legend.opts["offset"] == CORNERS[corner]:
        return
    scene = legend.scene()
    was = legend.mapRectToScene(legend.boundingRect()) if scene is not None else None
    legend.setOffset(CORNERS[corner])
    if scene is not None and was is not None:
        # Where it was is painted again. Qt does that for a moved item, but a move in the
        # run-up to a paint (see LegendPlacer) is painted at its new place first, and Qt
        # then forgets the old: the legend would stay there too, until painted over.
        scene.update(was)


class LegendPlacer:
    """Chooses the legend's corner, cheaply: at most once per paint, when something moved,
    and for what moves with the playhead at most every ``PLACE_INTERVAL_MS``.

    What is drawn is split in two: *still* obstacles (a curve, the data), whose costs
    are kept until the view, the legend's size or the obstacles change (call
    :meth:`invalidate` for the latter), and *moving* ones (markers, a short path),
    counted afresh each time.

    A pane calls :meth:`request` from each setter; the corner is chosen once for all the
    setters of a frame, by :meth:`place_if_due` after the last of them (or else just
    before the scene is painted). Then it rarely changes, and when it does the legend is
    drawn in its new corner in the frame's one paint (moved during the paint, it would be
    painted there in a second one). While a run plays, requests come every frame: a
    request soon after a placement waits for the interval to end (a legend that moves a
    tenth of a second late is not noticed; one placed every frame costs milliseconds of
    each).
    """

    def __init__(
        self,
        legend: pg.LegendItem,
        view: pg.ViewBox,
        still: Callable[[], Iterable[Obstacle]],
        moving: Callable[[], Iterable[Obstacle]],
    ) -> None:
        self._legend = legend
        self._view = view
        self._still = still
        self._moving = moving
        self._key: tuple[object, ...] | None = None
        self._still_costs = np.zeros(len(CORNERS))
        self._due = True
        self._placed = QElapsedTimer()
        self._later = QTimer(legend)  # dies with the legend, never fires after the pane
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._on_later_timeout)
        view.scene().sigPrepareForPaint.connect(self._on_scene_prepare_for_paint)

    def request(self) -> None:
        """Something moved: choose the corner again before a paint (soon, not always the next)."""
        if self._placed.isValid() and self._placed.elapsed() < PLACE_INTERVAL_MS:
            if not self._later.isActive():
                self._later.start(PLACE_INTERVAL_MS - int(self._placed.elapsed()))
            return
        self._due = True

    def _on_later_timeout(self) -> None:
        # Placed now, outside a paint: a legend that changes corner asks for the paint of
        # its old and new places only, and one that stays asks for none.
        self._due = False
        self.place()

    def invalidate(self) -> None:
        """The still obstacles changed (at once: this happens with a new run or view)."""
        self._key = None
        self._due = True
        self._later.stop()

    def place_if_due(self) -> None:
        """Choose the corner now if a request asked for it (the frame's setters are done)."""
        if self._due:
            self._due = False
            self.place()

    def _on_scene_prepare_for_paint(self) -> None:
        self.place_if_due()

    def place(self) -> None:
        """Move the legend now to the corner where it covers the least of all obstacles."""
        self._placed.start()
        size = self._legend.boundingRect()
        view = self._view
        key = (view_range(view), float(view.width()), float(view.height()), size.size())
        if key != self._key:
            still = corner_costs(view, size, self._still())
            if still is None:
                return
            self._still_costs, self._key = still, key
        costs = corner_costs(view, size, self._moving())
        if costs is not None:  # the first best, in order of preference
            _move_to(self._legend, int(np.argmin(self._still_costs + costs)))
