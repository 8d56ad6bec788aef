"""What a change has Qt paint again: only where the drawing changed, and all of that.

Each test changes something, lets Qt paint what it was told changed, and compares what is
then on screen (the window's backing store, not a fresh paint) with a paint of the whole
pane: a region told too small leaves stale pixels; the size of the region painted tells
whether more than the change was painted.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect
from PySide6.QtGui import QImage, QPainter, QRegion
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gd_viewer.core import Dataset, RunSettings
from gd_viewer.gui.controller import FRAME_MS
from gd_viewer.gui.main_window import MainWindow
from gd_viewer.gui.panes import CostHistoryPane, LossCurvePane
from gd_viewer.gui.panes.legend import CORNERS
from gd_viewer.gui.panes.legend_placement import PLACE_INTERVAL_MS, _move_to
from gd_viewer.gui.panes.polyline import Dots, Polyline
from gd_viewer.gui.panes.style import pen
from tests.gui.plot_input import item as named_item
from tests.gui.plot_input import on_screen as drawn_at


def on_screen(widget: QWidget) -> QImage:
    """What the screen shows of ``widget`` (as painted so far, not painted anew)."""
    top = widget.window()
    at = widget.mapTo(top, QPoint(0, 0))
    grabbed = top.screen().grabWindow(top.winId(), at.x(), at.y(), widget.width(), widget.height())
    return grabbed.toImage().convertToFormat(QImage.Format.Format_RGB32)


def painted_anew(widget: QWidget) -> QImage:
    """What a paint of all of ``widget`` shows."""
    widget.repaint()
    return on_screen(widget)


class _Regions(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.region = QRegion()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.region += event.region()
        return False


@contextmanager
def painted(plot: pg.PlotWidget) -> Iterator[_Regions]:
    """Collects the region of ``plot`` painted until the end of the block, where what was
    changed in it is painted (as the event loop would next)."""
    regions = _Regions()
    plot.viewport().installEventFilter(regions)
    try:
        yield regions
        QCoreApplication.sendPostedEvents(plot.scene(), QEvent.Type.MetaCall)
        QCoreApplication.processEvents()
    finally:
        plot.viewport().removeEventFilter(regions)


def area(region: QRegion) -> int:
    return sum(rect.width() * rect.height() for rect in region)


def shown_plot(qtbot: QtBot) -> tuple[pg.PlotWidget, pg.ViewBox]:
    """A plot on a fixed view from 0 to 1 both ways, shown and painted."""
    plot = pg.PlotWidget(background="w")
    plot.setAntialiasing(True)
    qtbot.addWidget(plot)
    plot.resize(420, 320)
    view = plot.getPlotItem().getViewBox()
    view.setRange(xRange=(0.0, 1.0), yRange=(0.0, 1.0), padding=0.0)
    view.disableAutoRange()
    plot.show()
    qtbot.waitExposed(plot)
    return plot, view


def pixel(plot: pg.PlotWidget, view: pg.ViewBox, x: float, y: float) -> QPoint:
    """Where the view's point ``(x, y)`` is in the plot's viewport."""
    return plot.mapFromScene(view.mapViewToScene(pg.Point(x, y)))


def tutorial_window(qtbot: QtBot) -> MainWindow:
    """The window at a size where every pane shows its legend, with the tutorial's run
    computed to its end."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1360, 860)
    window.show()
    qtbot.waitExposed(window)
    controller = window.controller
    controller.start(Dataset.tutorial(), RunSettings())
    qtbot.waitUntil(lambda: controller.computed >= 100, timeout=5000)
    return window


def test_a_path_that_grows_is_painted_again_where_it_grew_only(qtbot: QtBot) -> None:
    plot, view = shown_plot(qtbot)
    line = Polyline(pen("#E69F00", 2.0), precise=True)
    dots = Dots("o", 7, pg.mkPen("k", width=0.5), pg.mkBrush("#E69F00"), precise=True)
    line.repaint_reach = dots.reach()  # its repaints cover the dots at its points
    for item in (line, dots):
        view.addItem(item, ignoreBounds=True)
    t = np.linspace(0.0, 1.0, 60)
    x, y = 0.05 + 0.9 * t, 0.9 - 0.8 * t**0.5  # a path across the view, as a descent's
    line.setData(x[:40], y[:40])
    dots.setData(x[:40], y[:40])
    qtbot.wait(50)

    with painted(plot) as paints:
        line.setData(x[:41], y[:41])
        dots.set_data_covered(x[:41], y[:41])

    view_area = plot.viewport().width() * plot.viewport().height()
    assert 0 < area(paints.region) < 0.02 * view_area  # its bounds are a third of the view
    assert paints.region.contains(pixel(plot, view, x[40], y[40]))
    assert on_screen(plot.viewport()) == painted_anew(plot.viewport())


def test_a_long_path_painted_in_part_draws_there_what_all_of_it_draws(qtbot: QtBot) -> None:
    # A run that oscillates: its path crosses the view to and fro, through the same places.
    plot, view = shown_plot(qtbot)
    line = Polyline(pen("#E69F00", 2.5), precise=True)
    view.addItem(line, ignoreBounds=True)
    t = np.arange(80.0)
    x = 0.5 + 0.45 * (-0.97) ** t
    y = 0.95 - 0.011 * t
    line.setData(x, y)
    qtbot.wait(50)
    full = painted_anew(plot.viewport())

    for at in ((0.5, 0.5), (0.93, 0.8), (0.07, 0.2), (0.5, 0.06)):
        middle = pixel(plot, view, *at)
        small = QRect(middle.x() - 12, middle.y() - 9, 24, 18)
        plot.viewport().update(small)
        QCoreApplication.processEvents()
        assert on_screen(plot.viewport()) == full  # (and a stale pixel would differ)

    # Where it passes once, only the segments near there are drawn (Qt strokes all of a
    # path however little of it is painted).
    item_rect = line.mapRectFromScene(plot.mapToScene(small).boundingRect())
    painter = QPainter(full)
    painter.setWorldTransform(line.deviceTransform(plot.viewportTransform()))
    drawn = line._exposed_path(painter, item_rect)
    painter.end()
    assert 0 < drawn.elementCount() < 10


def test_a_line_across_the_view_is_painted_again_along_it_only(qtbot: QtBot) -> None:
    plot, view = shown_plot(qtbot)
    line = Polyline(pen("#D55E00", 2.5), precise=True)
    view.addItem(line, ignoreBounds=True)
    line.setData([0.0, 1.0], [0.1, 0.8])
    qtbot.wait(50)

    with painted(plot) as paints:
        line.setData([0.0, 1.0], [0.12, 0.79])  # turned a little, as a fitted line

    box = QRect(pixel(plot, view, 0.0, 0.8), pixel(plot, view, 1.0, 0.1))
    assert 0 < area(paints.region) < 0.3 * box.width() * box.height()
    for at in (0.0, 0.5, 1.0):  # where it was and is, all along
        for v in (0.1 + 0.7 * at, 0.12 + 0.67 * at):
            assert paints.region.contains(pixel(plot, view, min(at, 0.995), v))
    assert on_screen(plot.viewport()) == painted_anew(plot.viewport())


def test_the_costs_of_a_run_that_plays_are_painted_again_where_they_grew(
    qtbot: QtBot,
) -> None:
    pane = CostHistoryPane()
    qtbot.addWidget(pane)
    pane.resize(500, 360)
    pane.show()
    qtbot.waitExposed(pane)
    pane.set_epoch_count(100)
    epochs = np.arange(101.0)
    costs = 4.0 * 0.96**epochs
    pane.set_costs(epochs[:51], costs[:51])
    qtbot.wait(50)

    with painted(pane) as paints:
        pane.set_costs(epochs[:52], costs[:52])

    viewport = pane.viewport()
    assert 0 < area(paints.region) < 0.03 * viewport.width() * viewport.height()
    assert on_screen(viewport) == painted_anew(viewport)
    # Over many epochs, painted where they grew each time, the curve is the curve.
    for count in range(53, 101, 7):
        pane.set_costs(epochs[:count], costs[:count])
        QCoreApplication.sendPostedEvents(pane.scene(), QEvent.Type.MetaCall)
    QCoreApplication.processEvents()
    assert on_screen(viewport) == painted_anew(viewport)


def test_a_legend_moved_just_before_a_paint_leaves_nothing_where_it_was(
    qtbot: QtBot,
) -> None:
    pane = LossCurvePane()
    qtbot.addWidget(pane)
    pane.resize(500, 360)
    pane.show()
    qtbot.waitExposed(pane)
    w = np.linspace(0.0, 4.0, 200)
    pane.set_curve(w, (w - 2.0) ** 2)
    qtbot.wait(PLACE_INTERVAL_MS + 150)  # the placer has placed it, and rests
    legend = pane._legend
    # To the other side (CORNERS: right, left, right, left).
    corner = CORNERS.index(legend.opts["offset"])
    to_left = corner % 2 == 0
    target = corner + 1 if to_left else corner - 1
    moved: list[int] = []

    def move_once() -> None:  # as the placer does, when the scene is about to be painted
        if not moved:
            moved.append(1)
            _move_to(legend, target)

    pane.scene().sigPrepareForPaint.connect(move_once)
    # A paint of the half it goes to (not of where it was).
    viewport = pane.viewport()
    half = viewport.width() // 2
    viewport.update(QRect(0 if to_left else half, 0, half, viewport.height()))
    QCoreApplication.processEvents()  # that paint, in which it moves
    pane.scene().sigPrepareForPaint.disconnect(move_once)
    assert moved
    QCoreApplication.sendPostedEvents(pane.scene(), QEvent.Type.MetaCall)
    QCoreApplication.processEvents()  # what the move left to paint

    assert legend.opts["offset"] == CORNERS[target]
    assert on_screen(viewport) == painted_anew(viewport)


def test_a_legend_that_changes_corner_in_a_frame_is_painted_there_in_its_one_paint(
    qtbot: QtBot,
) -> None:
    """The tutorial's run, from epoch 0 straight to the end (as Play at the fastest speed):
    the prediction goes up and the data pane's legend goes to the other corner. The
    corner is chosen when the frame's setters are done, not during the paint: moved there,
    the legend would have the pane painted a second time."""
    window = tutorial_window(qtbot)
    controller = window.controller
    pane = window.fit_pane
    # The legend keeps clear of where the prediction goes as the run plays: without that
    # (as here) it changes corner when the prediction comes near it. (Corners change in a
    # frame otherwise too: a pinned run, a line model.)
    pane.set_prediction_span(math.nan, math.nan, math.nan)
    controller.seek(0)
    qtbot.wait(PLACE_INTERVAL_MS + 150)  # drawn at epoch 0, the legend placed, at rest
    legend = pane._legend
    corner_before = legend.opts["offset"]
    counted: list[int] = []

    class Count(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                counted.append(1)
            return False

    counter = Count()
    viewport = pane.viewport()
    viewport.installEventFilter(counter)
    controller.seek(100)
    qtbot.wait(PLACE_INTERVAL_MS + 150)
    viewport.removeEventFilter(counter)

    assert legend.opts["offset"] != corner_before  # (else this tests nothing)
    assert len(counted) == 1
    assert on_screen(viewport) == painted_anew(viewport)


def test_what_a_playing_run_leaves_on_screen_is_what_a_fresh_paint_shows(qtbot: QtBot) -> None:
    """Play the tutorial one epoch a frame, with its live numbers, then stop: every pane, as
    painted piece by piece (where lines moved or grew, the parts of long ones, labels and
    legends whose pictures Qt keeps), shows what a paint of all of it shows."""
    window = tutorial_window(qtbot)
    controller = window.controller
    controller.seek(0)
    qtbot.wait(PLACE_INTERVAL_MS + 150)
    window.controls.set_speed(1000.0 / FRAME_MS)
    controller._on_controls_speed_changed(1000.0 / FRAME_MS)
    controller.set_playing(True)
    qtbot.waitUntil(lambda: controller.playhead >= 20, timeout=5000)
    controller.set_playing(False)
    qtbot.wait(PLACE_INTERVAL_MS + 150)  # the numbers that waited, the legends placed

    for pane in (window.loss_pane, window.cost_pane, window.fit_pane):
        assert pane._legend.isVisible() or pane is window.cost_pane
        viewport = pane.viewport()
        assert on_screen(viewport) == painted_anew(viewport), pane.objectName()


def test_the_data_panes_legend_holds_its_corner_while_the_tutorial_plays(qtbot: QtBot) -> None:
    """It keeps clear of where the prediction "now" goes from the start: it changed corner
    when "now" came near it, at epoch 10 (a jump a student sees, and a frame that paints the
    legend twice over)."""
    window = tutorial_window(qtbot)
    controller = window.controller
    legend = window.fit_pane._legend
    corners = []
    for epoch in (0, 3, 6, 10, 15, 25, 50, 100):
        controller.seek(epoch)
        qtbot.wait(PLACE_INTERVAL_MS + 50)
        assert legend.isVisible()
        corners.append(legend.opts["offset"])
    assert len(set(corners)) == 1, corners
    # ... where it covers neither the prediction nor its label.
    pane = window.fit_pane
    box = drawn_at(pane, legend)
    for name in ("now", "nowLabel"):
        assert not box.intersects(drawn_at(pane, named_item(pane, name))), name
