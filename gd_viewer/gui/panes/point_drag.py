"""Dragging data points: an invisible item over the points that finds the one grabbed.

And a hold on the view's range while a point is dragged.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike, NDArray
from pyqtgraph.GraphicsScene.mouseEvents import HoverEvent, MouseDragEvent
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from gd_viewer.gui.panes.repaint import padded
from gd_viewer.gui.panes.style import view_range

#: How far from a point's centre (in pixels, beyond its radius) a press still grabs it.
GRAB_MARGIN = 4.0


class PointGrabber(pg.GraphicsObject):
    """Lets a left drag that starts on one of the points move it; other drags pan the view.

    It draws nothing. A drag that does not start within ``radius`` pixels of a point is
    left to the items below (the view pans); hovering a point shows a hand cursor.

    Signals
    -------
    drag_started(int)
        The index (into the points given to :meth:`set_points`) of the point grabbed.
    dragged(int, float, float)
        The point's index and where the mouse puts it (kept within the visible range).
    drag_finished(int, float, float)
        The same, when the mouse is released.
    """

    drag_started = Signal(int)
    dragged = Signal(int, float, float)
    drag_finished = Signal(int, float, float)

    def __init__(self) -> None:
        super().__init__()
        self._x: NDArray[np.float64] = np.empty(0)
        self._y: NDArray[np.float64] = np.empty(0)
        self._radius = 8.0
        self._enabled = False
        # The point being dragged, and its offset from the mouse (view coordinates), so
        # that it does not jump to the mouse when grabbed off centre.
        self._grabbed: int | None = None
        self._offset = QPointF()
        self._extent = QRectF()
        self._bounds: QRectF | None = None

    # ------------------------------------------------------------ setters

    def set_points(self, x: ArrayLike, y: ArrayLike, radius: float) -> None:
        """The points that can be grabbed (view coordinates), each within ``radius`` pixels."""
        xs = np.asarray(x, dtype=np.float64).ravel()
        ys = np.asarray(y, dtype=np.float64).ravel()
        self.prepareGeometryChange()
        self._x, self._y = xs, ys
        self._radius = float(radius) + GRAB_MARGIN
        if xs.size:
            self._extent = QRectF(
                float(xs.min()), float(ys.min()), float(np.ptp(xs)), float(np.ptp(ys))
            )
        else:
            self._extent = QRectF()
        self._bounds = None

    def set_enabled(self, enabled: bool) -> None:
        """Allow drags, or not (a drag in progress then stops where it is)."""
        self._enabled = bool(enabled)
        if not self._enabled:
            self.unsetCursor()

    def enabled(self) -> bool:
        """Whether a drag on a point moves it."""
        return self._enabled

    def cancel(self) -> bool:
        """Stop a drag in progress without a ``drag_finished``; True if there was one."""
        was_dragging = self._grabbed is not None
        self._grabbed = None
        return was_dragging

    def grabbed(self) -> int | None:
        """The index of the point being dragged, if one is."""
        return self._grabbed

    # ------------------------------------------------------------ mouse

    def nearest(self, scene_pos: QPointF) -> int | None:
        """The index of the point drawn nearest ``scene_pos``, if within reach of the mouse."""
        if not self._x.size:
            return None
        t = self.sceneTransform()
        u = t.m11() * self._x + t.m21() * self._y + t.dx()
        v = t.m12() * self._x + t.m22() * self._y + t.dy()
        with np.errstate(over="ignore", invalid="ignore"):
            distance = np.hypot(u - scene_pos.x(), v - scene_pos.y())
        if not np.isfinite(distance).any():
            return None
        index = int(np.nanargmin(distance))
        return index if distance[index] <= self._radius else None

    def hoverEvent(self, ev: HoverEvent) -> None:
        near = self._enabled and not ev.isExit() and self.nearest(ev.scenePos()) is not None
        if near:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        elif self.hasCursor():
            self.unsetCursor()

    def mouseDragEvent(self, ev: MouseDragEvent) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            index = self.nearest(ev.buttonDownScenePos()) if self._enabled else None
            if index is None:
                ev.ignore()  # not on a point: the view pans
                return
            view = self.getViewBox()
            press = view.mapSceneToView(ev.buttonDownScenePos())
            self._grabbed = index
            self._offset = QPointF(self._x[index] - press.x(), self._y[index] - press.y())
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self.drag_started.emit(index)
        ev.accept()  # the drag is this item's to its end, even if cancelled on the way
        if self._grabbed is None:
            return
        index = self._grabbed
        x, y = self._view_point(ev.scenePos())
        if ev.isFinish():
            self._grabbed = None
            self.setCursor(Qt.CursorShape.OpenHandCursor)
            self.drag_finished.emit(index, x, y)
        else:
            self.dragged.emit(index, x, y)

    def _view_point(self, scene_pos: QPointF) -> tuple[float, float]:
        """Where the mouse puts the grabbed point: within the visible range (so finite)."""
        view = self.getViewBox()
        at = view.mapSceneToView(scene_pos) + self._offset
        (x_low, x_high), (y_low, y_high) = view_range(view)
        x, y = float(at.x()), float(at.y())
        x = min(max(x, x_low), x_high) if math.isfinite(x) else x_low
        y = min(max(y, y_low), y_high) if math.isfinite(y) else y_low
        return x, y

    # ------------------------------------------------------------ drawing (none)

    def viewTransformChanged(self) -> None:
        # The margin is in pixels: so is the margin of the bounding rect.
        super().viewTransformChanged()
        self.prepareGeometryChange()
        self._bounds = None

    def boundingRect(self) -> QRectF:
        if self._bounds is None:
            if not self._x.size:
                return QRectF()
            self._bounds = padded(self, self._extent, self._radius)
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pass  # the points themselves are drawn by the pane


class ViewHold:
    """Holds a view's range still while a point is dragged, then gives its auto-range back.

    A point dragged to the edge would otherwise widen the range at every move (and run
    away from the mouse).
    """

    def __init__(self, view: pg.ViewBox) -> None:
        self._view = view
        self._auto_range: list[object] | None = None

    def hold(self) -> None:
        """Stop auto-ranging, noting which axes did."""
        self._auto_range = list(self._view.autoRangeEnabled())
        self._view.disableAutoRange()

    def release(self) -> bool:
        """Auto-range the axes that did before :meth:`hold`; True if the view was held."""
        if self._auto_range is None:
            return False
        x_auto, y_auto = self._auto_range
        self._auto_range = None
        self._view.enableAutoRange(x=x_auto, y=y_auto)
        return True
