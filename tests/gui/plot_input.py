"""Mouse input on pyqtgraph panes, in view coordinates, for tests."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot


def view(pane: pg.PlotWidget) -> pg.ViewBox:
    return pane.getPlotItem().getViewBox()


def pixel(pane: pg.PlotWidget, x: float, y: float | None = None) -> QPoint:
    """The viewport pixel of view point (x, y); y defaults to the middle of the view."""
    if y is None:
        y = sum(view(pane).viewRange()[1]) / 2
    return pane.mapFromScene(view(pane).mapViewToScene(QPointF(x, y)))


def drag(qtbot: QtBot, pane: pg.PlotWidget, points: list[QPoint]) -> None:
    """Press at the first point, move through the others, release at the last."""
    viewport = pane.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.wait(15)  # pyqtgraph drops moves that come faster than 100 per second
        qtbot.mouseMove(viewport, point)
    qtbot.wait(15)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=points[-1])
