"""The data points, the line fitted so far, and the tutorial's prediction before and now."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike, NDArray
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QWidget

from gd_viewer.gui.panes.base import PlotPane
from gd_viewer.gui.panes.label import Label
from gd_viewer.gui.panes.legend import (
    LegendPlacer,
    LegendText,
    Obstacle,
    legend,
    legend_entry,
    outline,
    segment,
)
from gd_viewer.gui.panes.marker import Dot, Polyline
from gd_viewer.gui.panes.style import (
    BLUE,
    CARD,
    DARK_GREEN,
    DARK_GREY,
    GREEN,
    GREY,
    TEXT,
    VERMILLION,
    FloatArray,
    all_finite,
    keep_picture,
    name_items,
    pen,
    short_number,
    style_plot,
    view_range,
)

#: At most this many points are drawn; more would cost time and show nothing new.
MAX_DRAWN_POINTS = 5_000
#: Beyond this many drawn points, they are drawn small and translucent.
CROWDED_POINTS = 500
#: Where the "showing n of N points" note sits, in pixels from the view's bottom-right corner.
NOTE_MARGIN = (6.0, 4.0)


def subsample(
    x: ArrayLike, y: ArrayLike, limit: int = MAX_DRAWN_POINTS
) -> tuple[FloatArray, FloatArray, int]:
    """The finite points, thinned to at most ``limit`` for drawing.

    Deterministic: points evenly spaced by index, plus those with the smallest and
    largest x and y, so the picture's extent (and the axis ranges) stay right.

    Returns
    -------
    x, y
        The points to draw (fresh arrays).
    total
        How many finite points there were.
    """
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"x and y must be 1-d and of equal length, not {xs.shape} and {ys.shape}")
    keep = np.isfinite(xs) & np.isfinite(ys)
    if not keep.all():
        xs, ys = xs[keep], ys[keep]
    total = int(xs.size)
    if total <= limit:
        return xs.copy(), ys.copy(), total
    extremes = np.array([xs.argmin(), xs.argmax(), ys.argmin(), ys.argmax()], dtype=np.int64)
    even = np.linspace(0, total - 1, limit - extremes.size).astype(np.int64)
    index: NDArray[np.int64] = np.union1d(even, extremes)
    return xs[index], ys[index], total


class DataFitPane(PlotPane):
    """The points, the current line ``y = w·x + b``, and the prediction at one x."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataFitPane")
        self.setAccessibleName(self.tr("data and fitted line"))
        style_plot(self, self.tr("Data and fitted line"), self.tr("x"), self.tr("y"))
        self._line_params: tuple[float, float] | None = None

        points_style = {
            "pen": None, "symbol": "o", "symbolSize": 9,
            "symbolPen": pg.mkPen("w", width=0.8), "symbolBrush": pg.mkBrush(BLUE),
        }  # fmt: skip
        line_style = {"pen": pen(VERMILLION, 2.5)}
        # Without a dynamic range limit, a change of the y range does not make pyqtgraph
        # rebuild thousands of symbols (the data are finite and moderate anyway).
        self._points = pg.PlotDataItem(**points_style, antialias=True, dynamicRangeLimit=None)
        # The data change only with the view: Qt keeps their picture between frames.
        self._points.scatter.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # A lean item, not a PlotDataItem: it turns every frame, and that costs less.
        self._line = Polyline(line_style["pen"])
        guide_style = {"pen": pen(DARK_GREY, 1.2, Qt.PenStyle.DotLine)}
        self._guide = pg.InfiniteLine(angle=90, **guide_style)
        self._before = Dot("o", 13, pen=pg.mkPen(GREY, width=2.5))
        self._now = Dot("o", 13, pen=pg.mkPen(TEXT, width=1), brush=pg.mkBrush(GREEN))
        self._before_label = Label(DARK_GREY, CARD)
        self._now_label = Label(DARK_GREEN, CARD)
        self._note = pg.TextItem(color=DARK_GREY, fill=CARD, anchor=(1, 1))
        keep_picture(self._before_label, self._note, self._guide)  # these rarely change

        name_items(
            points=self._points, line=self._line, guide=self._guide, before=self._before,
            now=self._now, beforeLabel=self._before_label, nowLabel=self._now_label,
            note=self._note,
        )  # fmt: skip
        item = self.getPlotItem()
        view = item.getViewBox()
        item.addItem(self._points)
        # The line spans whatever is visible, so it must not decide what is visible.
        item.addItem(self._line, ignoreBounds=True)
        item.addItem(self._guide, ignoreBounds=True)
        # The predictions count: they keep the x of the prediction inside the view.
        item.addItem(self._before)
        item.addItem(self._now)
        item.addItem(self._before_label, ignoreBounds=True)
        item.addItem(self._now_label, ignoreBounds=True)
        # In the view's pixel coordinates (not its data coordinates): a fixed corner.
        self._note.setParentItem(view)
        self._line.setZValue(5)  # over the points: a cloud of them would hide it
        for marker in (self._before, self._now):
            marker.setZValue(10)

        self._legend = legend(self)
        legend_entry(self._legend, self.tr("data"), **points_style)
        self._line_entry = legend_entry(self._legend, "", **line_style)
        self._guide_style = guide_style
        self._guide_entry: LegendText | None = None  # added with the first prediction
        self._placer = LegendPlacer(
            self._legend, view, self._still_obstacles, self._moving_obstacles
        )

        view.sigRangeChanged.connect(self._on_view_range_changed)
        view.sigResized.connect(self._on_view_resized)
        for hidden in (self._points, self._line, self._guide, self._note):
            hidden.hide()
        self._hide_prediction()

    # ------------------------------------------------------------ setters

    def set_points(self, x: ArrayLike, y: ArrayLike) -> None:
        """Show the data (at most ``MAX_DRAWN_POINTS`` of them, with a note when thinned)."""
        xs, ys, total = subsample(x, y)
        # A few points as large dots; many as small translucent ones, so density shows.
        crowded = xs.size > CROWDED_POINTS
        colour = QColor(BLUE)
        colour.setAlpha(110 if crowded else 255)
        self._points.setData(
            xs, ys, symbolSize=4 if crowded else 9, symbolBrush=pg.mkBrush(colour),
            symbolPen=None if crowded else pg.mkPen("w", width=0.8),
        )  # fmt: skip
        self._points.setVisible(xs.size > 0)
        if xs.size < total:
            self._note.setText(
                self.tr("showing {shown} of {total} points").format(
                    shown=f"{xs.size:,}", total=f"{total:,}"
                )
            )
            self._note.show()
        else:
            self._note.hide()
        self._placer.invalidate()
        self._on_view_resized()
        self._refit()  # new data

    def shown_point_count(self) -> int:
        """How many points are drawn."""
        return 0 if self._points.xData is None else int(self._points.xData.size)

    def set_line(self, w: float, b: float = 0.0) -> None:
        """Draw ``y = w·x + b`` across the visible x range (hidden if w or b is not finite)."""
        w, b = float(w), float(b)
        self._line_params = (w, b) if all_finite(w, b) else None
        self._update_line()
        if self._line_params is None:
            text = self.tr("fitted line")
        elif b == 0.0:
            text = self.tr("fitted line y = {w}·x").format(w=short_number(w))
        else:
            text = self.tr("fitted line y = {w}·x {sign} {b}").format(
                w=short_number(w), sign="−" if b < 0 else "+", b=short_number(abs(b))
            )
        self._line_entry.setText(text)
        self._placer.request()

    def set_prediction(self, x: float, before: float, now: float) -> None:
        """Show the prediction at ``x`` before training (hollow, grey) and now (filled).

        A dotted vertical line marks ``x``; the view keeps ``x`` in range.
        """
        x, before, now = float(x), float(before), float(now)
        if not math.isfinite(x):
            self._hide_prediction()
            return
        if self._guide.value() != x:
            self._guide.setValue(x)
        self._guide.show()
        if self._guide_entry is None:
            self._guide_entry = legend_entry(self._legend, "", **self._guide_style)
        self._guide_entry.setText(self.tr("prediction at x = {x}").format(x=short_number(x)))
        shown = [
            (marker, label, value, text)
            for marker, label, value, text in (
                (self._before, self._before_label, before, self.tr("before: {value}")),
                (self._now, self._now_label, now, self.tr("now: {value}")),
            )
            if self._show_marker(marker, label, x, value)
        ]
        for marker, label, value, text in shown:
            text = text.format(value=short_number(value))
            if label.toPlainText() != text:
                label.setText(text)
            if self._changes(label.objectName(), [x], [value]):
                label.setPos(x, value)
            # The higher value's label goes above its marker, the other's below (left of
            # x, which sits at the right of the data in the tutorial); "now" wins a tie.
            other = [v for m, _, v, _ in shown if m is not marker]
            above = not other or value > other[0] or (value == other[0] and marker is self._now)
            anchor = (1.15, 1.0) if above else (1.15, 0.0)
            if tuple(label.anchor) != anchor:
                label.setAnchor(anchor)
        self._placer.request()
        # The predictions decide the range: if they leave it, it changes now rather than
        # in the paint (which would then paint the whole pane twice).
        self._settle()

    # ------------------------------------------------------------ drawing

    def _show_marker(self, marker: Dot, label: Label, x: float, value: float) -> bool:
        visible = math.isfinite(value)
        if visible and self._changes(marker.objectName(), [x], [value]):
            marker.setData([x], [value])
        marker.setVisible(visible)
        label.setVisible(visible)
        return visible

    def _hide_prediction(self) -> None:
        for item in (self._guide, self._before, self._now, self._before_label, self._now_label):
            item.hide()

    def _on_view_range_changed(self, *_: object) -> None:
        self._update_line()
        self._placer.request()

    def _on_view_resized(self, *_: object) -> None:
        rect = self.getPlotItem().getViewBox().boundingRect()
        self._note.setPos(rect.right() - NOTE_MARGIN[0], rect.bottom() - NOTE_MARGIN[1])
        self._placer.request()

    def _still_obstacles(self) -> list[Obstacle]:
        """What moves only with the view: the data, and the note in its corner."""
        marks: list[Obstacle] = []
        if self._points.isVisible():
            marks.append((*self._points.getData(), 1.0))
        if self._note.isVisible():  # pinned to the bottom-right corner
            (_, x_high), (y_low, _) = view_range(self.getPlotItem().getViewBox())
            marks.append(([x_high], [y_low], 10_000.0))
        return marks

    def _moving_obstacles(self) -> list[Obstacle]:
        """What moves with the playhead: the line, the predictions and their labels."""
        marks: list[Obstacle] = []
        if self._line.isVisible():
            marks.append((*segment(self._line.getData(), 60), 5.0))
        marks += [(*m.getData(), 200.0) for m in (self._before, self._now) if m.isVisible()]
        marks += [(*outline(label), 100.0) for label in (self._before_label, self._now_label)]
        return marks

    def _update_line(self) -> None:
        if self._line_params is None:
            self._line.hide()
            return
        w, b = self._line_params
        x_low, x_high = view_range(self.getPlotItem().getViewBox())[0]
        xs = [x_low, x_high]
        ys = [w * x + b for x in xs]  # (an overflow gives inf, which hides the line)
        if not all_finite(*ys):
            self._line.hide()
            return
        if self._changes("line", xs, ys):
            self._line.setData(xs, ys)
        self._line.show()
