"""Markers: the loss curve's current-w marker (the user may drag it along w), dots and lines."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike, NDArray
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from pyqtgraph.GraphicsScene.mouseEvents import MouseDragEvent
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gd_viewer.gui.panes.repaint import pixel_size
from gd_viewer.gui.panes.style import TEXT, VERMILLION, all_finite, view_range


class DraggableMarker(pg.TargetItem):
    """The current-w marker; while draggable, a left drag moves it along w only."""

    dragged = Signal(float)
    drag_finished = Signal(float)

    def __init__(self) -> None:
        super().__init__(
            pos=(0.0, 0.0),
            size=16,
            symbol="o",
            pen=pg.mkPen(TEXT, width=1.5),
            brush=pg.mkBrush(VERMILLION),
            hoverPen=pg.mkPen(TEXT, width=2.5),
            hoverBrush=pg.mkBrush(VERMILLION),
            movable=False,
        )
        self._dragging = False
        # Moved every frame: without a Python itemChange for each move (nothing here
        # needs one: its bounds do not depend on where it is; see setPos).
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, False)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsScenePositionChanges, False)

    def setPos(self, *args: Any) -> None:
        """Move to ``(x, y)`` (in view coordinates), as ``pg.TargetItem.setPos`` does,
        without working its bounds out again (they do not change with a move)."""
        new = pg.Point(*args)
        if self.pos() != new:
            self._pos = new  # (what pos() gives)
            QGraphicsItem.setPos(self, new)
            self.sigPositionChanged.emit(self)

    def set_draggable(self, enabled: bool) -> None:
        """Allow left drags (a drag in progress ends when this turns False)."""
        self.movable = enabled
        self._dragging = self._dragging and enabled
        if enabled:
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self.unsetCursor()
            self.setMouseHover(False)

    def mouseDragEvent(self, ev: MouseDragEvent) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or not self.movable:
            ev.ignore()  # the view pans instead
            return
        ev.accept()
        if ev.isStart():
            self._dragging = True
        if not self._dragging:  # draggable again, but this drag began while it was not
            return
        w = self._w_at(ev.scenePos())
        self.setPos(w, self.pos().y())
        self.dragged.emit(w)
        if ev.isFinish():
            self._dragging = False
            self.drag_finished.emit(w)

    def _w_at(self, scene_pos: QPointF) -> float:
        """The w under the mouse, kept within the visible w range (so always finite)."""
        view = self.getViewBox()
        w = float(view.mapSceneToView(scene_pos).x())
        low, high = view_range(view)[0]
        return min(max(w, low), high) if math.isfinite(w) else low


class Dot(pg.GraphicsObject):
    """One symbol of a fixed size in pixels at a point of the view, moved cheaply.

    For a marker that moves every frame, a ``PlotDataItem`` with one point costs
    about half a millisecond to update and more to paint; this item is moved with
    ``setPos`` and Qt keeps its picture (the symbol looks the same wherever it is).
    It takes part in auto-ranging like a data item, padded by its size.

    Parameters
    ----------
    symbol
        A pyqtgraph symbol name (``"o"``, ``"star"``, …).
    size
        Its width in pixels.
    pen, brush
        Its outline (None: none) and fill (None: none).
    """

    def __init__(
        self,
        symbol: str = "o",
        size: float = 10.0,
        pen: QPen | None = None,
        brush: QBrush | None = None,
    ) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self._path = QTransform.fromScale(size, size).map(Symbols[symbol])
        self._pen = QPen(Qt.PenStyle.NoPen) if pen is None else QPen(pen)
        self._brush = QBrush(Qt.BrushStyle.NoBrush) if brush is None else QBrush(brush)
        outline = self._pen.widthF() if self._pen.style() != Qt.PenStyle.NoPen else 0.0
        margin = outline / 2.0 + 1.0
        self._bounds = self._path.boundingRect().adjusted(-margin, -margin, margin, margin)
        self._radius = size / 2.0 + outline / 2.0
        self._point: tuple[float, float] | None = None
        self._log = (False, False)
        #: A move within the view does not make it work out its range again: for a dot
        #: whose moves the view holds already (as the data pane's span of predictions).
        self.quiet_within_view = False
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # Moved every frame: without a Python itemChange for each move (the view is told
        # of a move in _place instead).
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, False)
        self.hide()

    def setData(self, x: ArrayLike, y: ArrayLike) -> None:
        """Show the symbol at the first point of ``x``, ``y``; hide it when they are empty."""
        point = _first_point(x, y)
        if point is None:
            self._point = None
            self.hide()
            return
        self._point = point
        self.setVisible(self._place())

    def getData(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The point shown, as one-element x and y arrays (empty when there is none)."""
        if self._point is None:
            return np.empty(0), np.empty(0)
        return np.array([self._point[0]]), np.array([self._point[1]])

    def setLogMode(self, x: bool, y: bool) -> None:
        """Place the point on log axes (called by the PlotItem, as for its data items)."""
        self._log = (bool(x), bool(y))
        if self._point is not None:
            self.setVisible(self._place())

    def _place(self) -> bool:
        """Move to the point (on the axes' scales); False if it cannot be shown there."""
        assert self._point is not None
        u, v = self._point
        if self._log[0] or self._log[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                u = float(np.log10(u)) if self._log[0] else u
                v = float(np.log10(v)) if self._log[1] else v
        if not all_finite(u, v):
            return False
        pos = self.pos()
        if (pos.x(), pos.y()) != (u, v):
            self.setPos(u, v)
            # (For a dot that takes part in auto-ranging.)
            if not self.quiet_within_view or not self._inside_view(u, v):
                self.informViewBoundsChanged()
        return True

    def _inside_view(self, u: float, v: float) -> bool:
        view = self.getViewBox()
        if view is None:
            return False
        (x_low, x_high), (y_low, y_high) = view_range(view)
        return x_low <= u <= x_high and y_low <= v <= y_high

    def dataBounds(
        self, ax: int, frac: float = 1.0, orthoRange: Sequence[float] | None = None
    ) -> list[float] | list[None]:
        """The point, in the item's own coordinates (where it is the origin)."""
        if orthoRange is not None:
            other = self.pos().y() if ax == 0 else self.pos().x()
            if not orthoRange[0] <= other <= orthoRange[1]:
                return [None, None]
        return [0.0, 0.0]

    def pixelPadding(self) -> float:
        return self._radius

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen)
        painter.setBrush(self._brush)
        painter.drawPath(self._path)


def _first_point(x: ArrayLike, y: ArrayLike) -> tuple[float, float] | None:
    """The first of the points ``x``, ``y`` (as floats); None when there is none."""
    if isinstance(x, list | tuple) and isinstance(y, list | tuple):
        if not x or not y:
            return None
        try:
            return float(x[0]), float(y[0])
        except TypeError:
            pass  # nested: as arrays
    xs = np.asarray(x, dtype=np.float64).ravel()
    ys = np.asarray(y, dtype=np.float64).ravel()
    if xs.size == 0 or ys.size == 0:
        return None
    return float(xs[0]), float(ys[0])


class VerticalLine(pg.GraphicsObject):
    """A vertical line at one x across the whole view, moved cheaply (a playhead).

    ``pg.InfiniteLine`` re-emits signals, re-places its label and rebuilds its bounds
    on every move: about a millisecond a frame. This one only moves; it is redrawn to
    the view's height when the view's range changes. Not added to auto-ranging (add it
    with ``ignoreBounds``).
    """

    def __init__(self, pen: QPen) -> None:
        super().__init__()
        self._pen = QPen(pen)
        self._span = (0.0, 1.0)
        self._bounds: QRectF | None = None
        # Moved every frame, and not part of auto-ranging: no Python itemChange per move.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, False)

    def setValue(self, x: float) -> None:
        """Put the line at ``x`` (in view coordinates)."""
        if self.pos().x() != x:
            self.setPos(float(x), 0.0)

    def value(self) -> float:
        """The x of the line."""
        return float(self.pos().x())

    def viewRangeChanged(self) -> None:
        view = self.getViewBox()
        if view is None:
            return
        low, high = view.viewRange()[1]
        if (low, high) != self._span:
            self.prepareGeometryChange()
            self._span = (float(low), float(high))
            self._bounds = None

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self._bounds = None  # the margin is in pixels

    def boundingRect(self) -> QRectF:
        if self._bounds is not None:
            return self._bounds
        low, high = self._span
        size = pixel_size(self)
        margin = (self._pen.widthF() / 2.0 + 1.0) * (size[0] if size is not None else 0.0)
        bounds = QRectF(-margin, low, 2.0 * margin, high - low)
        if size is not None:  # (else not shown yet: asked again)
            self._bounds = bounds
        return bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(self._pen)
        painter.drawLine(QPointF(0.0, self._span[0]), QPointF(0.0, self._span[1]))


class RangeKeeper(pg.GraphicsObject):
    """Draws nothing; makes auto-ranging keep a rectangle of the view in sight.

    For what will be shown later (the predictions of the epochs still to be played): with
    it in range from the start, the view does not change while a run plays, which would
    move every item and repaint the whole pane in the middle of a frame.
    """

    def __init__(self) -> None:
        super().__init__()
        self._span: tuple[tuple[float, float], tuple[float, float]] | None = None

    def set_span(self, x: tuple[float, float] | None, y: tuple[float, float] | None) -> None:
        """Keep ``x`` × ``y`` (low, high each) in range; None for nothing."""
        span = None if x is None or y is None else (x, y)
        if span is not None and not all_finite(*span[0], *span[1]):
            span = None
        if span != self._span:
            self._span = span
            self.informViewBoundsChanged()

    def dataBounds(
        self, ax: int, frac: float = 1.0, orthoRange: Sequence[float] | None = None
    ) -> list[float] | list[None]:
        if self._span is None:
            return [None, None]
        low, high = self._span[ax]
        return [low, high]

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pass
