"""The loss curve's current-w marker, which the user may drag along w."""

from __future__ import annotations

import math

import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseDragEvent
from PySide6.QtCore import QPointF, Qt, Signal

from gd_viewer.gui.panes.style import TEXT, VERMILLION, view_range


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
