"""Pyqtgraph panes in tests: showing them, finding their items, mouse input in view coordinates."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt
from PySide6.QtWidgets import QGraphicsItem
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


def show(qtbot: QtBot, pane: pg.PlotWidget) -> None:
    """Show the pane and let it lay out and paint, so view ranges (and images) are final."""
    pane.show()
    qtbot.waitExposed(pane)
    pane.grab()  # a paint runs the ViewBox's deferred auto-range
    qtbot.wait(20)
    pane.grab()  # and whatever a pane prepares in a paint (a landscape's image)


def item(pane: pg.PlotWidget, name: str) -> QObject:
    """The plot item the pane named ``name`` (see the panes' name_items)."""
    found = [
        obj for obj in pane.scene().items() if isinstance(obj, QObject) and obj.objectName() == name
    ]
    assert len(found) == 1, f"expected one item named {name!r}, found {len(found)}"
    return found[0]


def on_screen(pane: pg.PlotWidget, plot_item: QGraphicsItem) -> QRectF:
    """Where ``plot_item`` is drawn, in the pane's pixels (also for items drawn at a fixed
    size in pixels, whose scene bounding rect Qt does not report as drawn)."""
    transform = plot_item.deviceTransform(pane.viewportTransform())
    return transform.mapRect(plot_item.boundingRect())
