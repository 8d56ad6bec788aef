"""The grid and tick marks of a pane, drawn in its background instead of by pyqtgraph's axes.

pyqtgraph's axes draw the grid as part of their own picture, which then covers
the whole plot: two layers the size of the plot (left and bottom axis) painted
over the data in every frame while a run plays, about a third of the time it
takes to paint a pane. Drawn here, under the data, the grid costs a few lines.
Its lines are where the axes put their labels and look as pyqtgraph's do (same
levels, colour and opacity); the plot's context menu still turns them on and off.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

#: Length of a tick mark when the grid is off, as pyqtgraph draws them (pixels, inwards).
TICK_LENGTH = 5.0


def hide_axis_ticks(axis: pg.AxisItem) -> None:
    """Let ``axis`` draw only its line and labels: :class:`Grid` draws its ticks."""
    axis.setGrid(False)
    axis.setStyle(tickLength=0, tickAlpha=0)


class Grid:
    """Draws ``plot``'s grid (or its tick marks, with the grid off) in a background.

    The lines are worked out once for each view range, size and grid setting (the
    axes' tick levels take a while to compute) and only drawn in later paints.
    """

    def __init__(self, plot: pg.PlotItem) -> None:
        self._plot = plot
        self._key: tuple[object, ...] | None = None
        self._lines: list[tuple[QPen, list[QLineF]]] = []
        # The same lines as the pixels they cover on screen, by colour.
        self._pixels: list[tuple[QColor, list[QRect]]] = []

    def draw(self, painter: QPainter, exposed: QRectF, background: QColor) -> None:
        """Draw the lines that cross ``exposed`` (scene coordinates) on ``background``."""
        area = self._plot.getViewBox().sceneBoundingRect()
        if not area.intersects(exposed) or area.width() <= 0 or area.height() <= 0:
            return
        painter.save()
        try:
            painter.setClipRect(area.intersected(exposed))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            lines = self._current_lines(area, background)
            if painter.deviceTransform().isScaling():  # an export at another size
                for pen, some in lines:
                    painter.setPen(pen)
                    painter.drawLines(some)
                return
            # On screen a line is one pixel wide and level or upright: filled rectangles
            # are the same pixels, drawn many times faster than lines (all of a colour
            # in one call).
            painter.setPen(Qt.PenStyle.NoPen)
            for colour, rects in self._pixels:
                painter.setBrush(colour)
                painter.drawRects(rects)
        finally:
            painter.restore()

    def _current_lines(self, area: QRectF, background: QColor) -> list[tuple[QPen, list[QLineF]]]:
        plot = self._plot
        ctrl = plot.ctrl
        axes = [plot.getAxis(name) for name in ("bottom", "left")]
        key = (
            area, background.rgba(), ctrl.xGridCheck.isChecked(), ctrl.yGridCheck.isChecked(),
            ctrl.gridAlphaSlider.value(), plot.getViewBox().viewRange(),
            *((tuple(axis.range), axis.logMode, axis.isVisible()) for axis in axes),
        )  # fmt: skip
        if key != self._key:
            self._lines = self._work_out(area, background)
            self._pixels = [
                (pen.color(), [_pixels(line) for line in lines]) for pen, lines in self._lines
            ]
            self._key = key
        return self._lines

    def _work_out(self, area: QRectF, background: QColor) -> list[tuple[QPen, list[QLineF]]]:
        plot = self._plot
        ctrl = plot.ctrl
        alpha = ctrl.gridAlphaSlider.value()
        to_scene = plot.getViewBox().childGroup.sceneTransform()
        result: list[tuple[QPen, list[QLineF]]] = []
        for name, vertical, grid in (
            ("bottom", True, ctrl.xGridCheck.isChecked()),
            ("left", False, ctrl.yGridCheck.isChecked()),
        ):
            axis = plot.getAxis(name)
            if not axis.isVisible():
                continue
            length = area.width() if vertical else area.height()
            low, high = sorted(float(v) for v in axis.range)
            if not high > low:
                continue
            ink = QColor(axis.pen().color())
            for level, (_, values) in enumerate(axis.tickValues(low, high, length)):
                # pyqtgraph's opacity for this level of ticks, as a grid line or a tick mark.
                line_alpha = 255.0 / (level + 1)
                if grid:
                    share = min(max(0.05 * length / (len(values) + 1), 0.0), 1.0)
                    line_alpha *= alpha / 255.0 * share
                # The line as it looks on the background, as an opaque colour: the same
                # picture, and Qt draws opaque lines many times faster than translucent ones.
                pen = QPen(_over(ink, int(line_alpha) / 255.0, background), axis.pen().widthF())
                pen.setCosmetic(True)
                extent = TICK_LENGTH / (level * 0.5 + 1.0)
                lines = []
                for value in values:
                    if not low <= value <= high:
                        continue
                    if vertical:
                        x = to_scene.map(QPointF(value, 0.0)).x()
                        top = area.top() if grid else area.bottom() - extent
                        lines.append(QLineF(x, top, x, area.bottom()))
                    else:
                        y = to_scene.map(QPointF(0.0, value)).y()
                        right = area.right() if grid else area.left() + extent
                        lines.append(QLineF(area.left(), y, right, y))
                result.append((pen, lines))
        return result


def _over(ink: QColor, opacity: float, background: QColor) -> QColor:
    """``ink`` at ``opacity`` over ``background``, as an opaque colour."""

    def mix(a: float, b: float) -> float:
        return a * opacity + b * (1.0 - opacity)

    return QColor.fromRgbF(
        mix(ink.redF(), background.redF()),
        mix(ink.greenF(), background.greenF()),
        mix(ink.blueF(), background.blueF()),
    )


def _pixels(line: QLineF) -> QRect:
    """The pixels a one-pixel, not antialiased, level or upright ``line`` covers."""
    left, right = sorted((line.x1(), line.x2()))
    top, bottom = sorted((line.y1(), line.y2()))
    x, y = math.floor(left), math.floor(top)
    return QRect(x, y, max(math.floor(right) - x, 0) + 1, max(math.floor(bottom) - y, 0) + 1)
