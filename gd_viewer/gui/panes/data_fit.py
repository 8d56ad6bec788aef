"""The data points, the line fitted so far, and the tutorial's prediction before and now.

For small data it also shows where the gradient comes from: each point's residual as a
vertical segment to the line, and each point's share of the gradient next to it. The
points can be dragged with the mouse (the pane emits, the controller answers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike, NDArray
from PySide6.QtCore import Qt, Signal
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
from gd_viewer.gui.panes.pinned import PinnedOverlay
from gd_viewer.gui.panes.point_drag import PointGrabber
from gd_viewer.gui.panes.residuals import (
    MAX_RESIDUAL_POINTS,
    MAX_SHARE_POINTS,
    Segments,
    ShareLabel,
    gradient_shares,
    residual_segments,
)
from gd_viewer.gui.panes.style import (
    BLUE,
    CARD,
    DARK_GREEN,
    DARK_GREY,
    GREEN,
    GREY,
    PURPLE,
    TEXT,
    VERMILLION,
    FloatArray,
    all_finite,
    keep_picture,
    name_items,
    pen,
    short_number,
    significant,
    style_plot,
    view_range,
)

#: At most this many points are drawn; more would cost time and show nothing new.
MAX_DRAWN_POINTS = 5_000
#: Beyond this many drawn points, they are drawn small and translucent.
CROWDED_POINTS = 500
#: Where the "showing n of N points" note sits, in pixels from the view's bottom-right corner.
NOTE_MARGIN = (6.0, 4.0)
#: Symbol sizes of the points, in pixels: few, and crowded.
POINT_SIZE, CROWDED_POINT_SIZE = 9.0, 4.0
#: Text colours of a share of the gradient: < 0 pushes w up, > 0 pushes w down, 0 neither.
#: (Vermillion a shade darker than the line's, for small text on white.)
PULL_UP, PULL_DOWN, NO_PULL = BLUE, "#B34F00", DARK_GREY
#: A share's label goes left of its point within this share of the view's width from
#: the right edge (else right of it).
SHARE_LABEL_ROOM = 0.2

#: Pinned lines reach this many view widths past each side of the view.
PINNED_LINE_REACH = 10.0


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
    """The points, the current line ``y = w·x + b``, and the prediction at one x.

    With at most ``MAX_RESIDUAL_POINTS`` points, each point's residual is drawn as a
    vertical segment to the line; with at most ``MAX_SHARE_POINTS``, each point's share
    of the gradient, ``2·xᵢ·(xᵢ·w + b − yᵢ)/n``, is written next to it.

    Signals
    -------
    point_dragged(int, float, float)
        While points are draggable (see :meth:`set_points_draggable`) and none are
        thinned out, emitted as the user drags one: its index in the data given to
        :meth:`set_points`, and its new x and y (within the visible range). The pane
        moves the point itself; the caller may answer with :meth:`set_points`.
    point_drag_finished(int, float, float)
        The same, where the user released the point.
    """

    point_dragged = Signal(int, float, float)
    point_drag_finished = Signal(int, float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataFitPane")
        self.setAccessibleName(self.tr("data and fitted line"))
        style_plot(self, self.tr("Data and fitted line"), self.tr("x"), self.tr("y"))
        self._line_params: tuple[float, float] | None = None
        # The points drawn, and their indices in the data (None when thinned out).
        self._x: FloatArray = np.empty(0)
        self._y: FloatArray = np.empty(0)
        self._index: NDArray[np.int64] | None = None
        self._b_shares = False
        self._draggable = False
        self._auto_range_before_drag: list[object] | None = None

        points_style = {
            "pen": None, "symbol": "o", "symbolSize": POINT_SIZE,
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
        # Where the gradient comes from: one item for all residuals, and a pool of labels
        # for the shares (made once: a frame only changes their texts).
        residual_style = {"pen": pen(PURPLE, 2.0)}
        self._residuals = Segments(residual_style["pen"])
        self._shares = [ShareLabel(PULL_UP, CARD) for _ in range(MAX_SHARE_POINTS)]
        # What the shares add up to, in the bottom-right corner (as the note on thinning,
        # which is never shown with them).
        self._share_sum = Label(DARK_GREY, CARD, anchor=(1, 1))
        self._grabber = PointGrabber()

        name_items(
            points=self._points, line=self._line, guide=self._guide, before=self._before,
            now=self._now, beforeLabel=self._before_label, nowLabel=self._now_label,
            note=self._note, residuals=self._residuals, shareSum=self._share_sum,
            pointGrabber=self._grabber,
        )  # fmt: skip
        name_items(**{f"share{i}": label for i, label in enumerate(self._shares)})
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
        # The residuals count: both their ends should be seen. Under the points.
        item.addItem(self._residuals)
        self._residuals.setZValue(-1)
        for label in self._shares:
            item.addItem(label, ignoreBounds=True)
            label.setZValue(8)
        # Over everything it may grab: it decides whether a drag is on a point.
        item.addItem(self._grabber, ignoreBounds=True)
        self._grabber.setZValue(20)
        # In the view's pixel coordinates (not its data coordinates): a fixed corner.
        self._note.setParentItem(view)
        self._share_sum.setParentItem(view)
        self._line.setZValue(5)  # over the points: a cloud of them would hide it
        for marker in (self._before, self._now):
            marker.setZValue(10)

        # Pinned runs' final lines, under the live one (their colours are the run table's).
        self._pinned = PinnedOverlay(self.getPlotItem())
        self._legend = legend(self)
        legend_entry(self._legend, self.tr("data"), **points_style)
        self._line_entry = legend_entry(self._legend, "", **line_style)
        # Rows below those two, shown when their items may be (in this order).
        triangle: dict[str, object] = {"pen": None, "symbolSize": 10, "symbolPen": None}
        self._row_styles: dict[str, dict[str, object]] = {
            "residual": dict(residual_style),
            "pullUp": {**triangle, "symbol": "t1", "symbolBrush": pg.mkBrush(PULL_UP)},
            "pullDown": {**triangle, "symbol": "t", "symbolBrush": pg.mkBrush(PULL_DOWN)},
            "guide": dict(guide_style),
        }
        self._row_texts = {
            "residual": "",
            "pullUp": self.tr("share of the gradient < 0: w up"),
            "pullDown": self.tr("share of the gradient > 0: w down"),
            "guide": "",
        }
        self._rows: dict[str, LegendText] = {}
        self._has_prediction = False
        self._update_residual_text()
        self._placer = LegendPlacer(
            self._legend, view, self._still_obstacles, self._moving_obstacles
        )

        view.sigRangeChanged.connect(self._on_view_range_changed)
        view.sigResized.connect(self._on_view_resized)
        self._grabber.drag_started.connect(self._on_grabber_drag_started)
        self._grabber.dragged.connect(self._on_grabber_dragged)
        self._grabber.drag_finished.connect(self._on_grabber_drag_finished)
        for hidden in (
            self._points, self._line, self._guide, self._note, self._residuals, self._share_sum,
            *self._shares,
        ):  # fmt: skip
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
        size = CROWDED_POINT_SIZE if crowded else POINT_SIZE
        self._points.setData(
            xs, ys, symbolSize=size, symbolBrush=pg.mkBrush(colour),
            symbolPen=None if crowded else pg.mkPen("w", width=0.8),
        )  # fmt: skip
        self._points.setVisible(xs.size > 0)
        self._x, self._y = xs, ys
        self._index = None
        if xs.size == total:  # all drawn: a drawn point is a point of the data
            raw_x, raw_y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
            self._index = np.flatnonzero(np.isfinite(raw_x) & np.isfinite(raw_y))
        self._grabber.set_points(xs, ys, size / 2.0)
        grabbed = self._grabber.grabbed()
        if grabbed is not None and (self._index is None or grabbed >= xs.size):
            self._end_drag()  # the point grabbed is gone
        self._grabber.set_enabled(self._draggable and self._index is not None)
        self._place_shares()
        self._update_residuals()
        self._update_legend_rows()
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

    def set_pinned_lines(self, runs: Sequence[tuple[str, QColor, float, float]]) -> None:
        """Draw pinned runs' final lines ``y = w·x + b`` as ``(label, colour, w, b)``."""
        (x_low, x_high), _ = view_range(self.getPlotItem().getViewBox())
        span = (x_high - x_low) or 1.0
        # Far past the view both ways, so a pan or zoom out still shows whole lines.
        xs = np.array([x_low - PINNED_LINE_REACH * span, x_high + PINNED_LINE_REACH * span])
        with np.errstate(over="ignore", invalid="ignore"):
            self._pinned.set_runs([(label, colour, xs, w * xs + b) for label, colour, w, b in runs])

    def set_line(self, w: float, b: float = 0.0) -> None:
        """Draw ``y = w·x + b`` across the visible x range (hidden if w or b is not finite)."""
        w, b = float(w), float(b)
        self._line_params = (w, b) if all_finite(w, b) else None
        self._update_line()
        self._update_residuals()
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
        if self._residuals.isVisible():
            # They decide the range too: if they leave it, it changes now, not in the paint.
            self._settle()

    def set_b_shares_visible(self, visible: bool) -> None:
        """Write each point's share of ∂cost/∂b as well (for the line ``y = w·x + b``)."""
        visible = bool(visible)
        if visible != self._b_shares:
            self._b_shares = visible
            self._update_residual_text()
            self._update_residuals()

    def set_points_draggable(self, enabled: bool) -> None:
        """Let the user drag the points (when none are thinned out), or not.

        A drag in progress stops where it is, without ``point_drag_finished``.
        """
        self._draggable = bool(enabled)
        self._grabber.set_enabled(self._draggable and self._index is not None)
        if not self._draggable:
            self._end_drag()

    def points_draggable(self) -> bool:
        """Whether a drag on a point moves it (draggable, and no point thinned out)."""
        return self._grabber.enabled()

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
        self._has_prediction = True  # its legend row stays from now on
        self._set_row_text("guide", self.tr("prediction at x = {x}").format(x=short_number(x)))
        self._update_legend_rows()
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
        self._place_shares()
        self._placer.request()

    def _on_view_resized(self, *_: object) -> None:
        rect = self.getPlotItem().getViewBox().boundingRect()
        for note in (self._note, self._share_sum):
            note.setPos(rect.right() - NOTE_MARGIN[0], rect.bottom() - NOTE_MARGIN[1])
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
        if self._residuals.isVisible():  # their ends and middles
            xs, ys = self._residuals.getData()
            marks.append((xs, ys, 5.0))
            marks.append(((xs[0::2] + xs[1::2]) / 2.0, (ys[0::2] + ys[1::2]) / 2.0, 5.0))
        if self._share_sum.isVisible():  # its card, pinned to the bottom-right corner
            marks.append((*self._corner_note_outline(self._share_sum), 1000.0))
        for i, label in enumerate(self._shares):  # each next to its point
            if label.isVisible():
                marks.append((*outline(label), 100.0))
                marks.append(([self._x[i]], [self._y[i]], 100.0))
        return marks

    def _corner_note_outline(self, note: Label) -> tuple[FloatArray, FloatArray]:
        """Corners and middle of a note pinned to the bottom-right corner, in view coordinates."""
        view = note.parentItem()  # the view (by its parent: the pane may be closing)
        if not isinstance(view, pg.ViewBox) or view.width() <= 0.0 or view.height() <= 0.0:
            return np.empty(0), np.empty(0)
        (x_low, x_high), (y_low, y_high) = view_range(view)
        width, height = float(view.width()), float(view.height())
        card = note.boundingRect()
        right = x_high - NOTE_MARGIN[0] * (x_high - x_low) / width
        left = right - card.width() * (x_high - x_low) / width
        bottom = y_low + NOTE_MARGIN[1] * (y_high - y_low) / height
        top = bottom + card.height() * (y_high - y_low) / height
        xs = np.array([left, right, left, right, (left + right) / 2.0])
        ys = np.array([bottom, bottom, top, top, (bottom + top) / 2.0])
        return xs, ys

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

    # ------------------------------------------------------------ where the gradient comes from

    def _update_residuals(self) -> None:
        """The residual segments and the shares of the gradient, for the current line."""
        n = self._x.size
        shown = self._line_params is not None and 0 < n <= MAX_RESIDUAL_POINTS
        if shown:
            assert self._line_params is not None
            xs, ys = residual_segments(self._x, self._y, *self._line_params)
            shown = bool(np.isfinite(ys).all())
            if shown and self._changes("residuals", xs, ys):
                self._residuals.setData(xs, ys)
        self._residuals.setVisible(shown)
        self._update_shares(shown and n <= MAX_SHARE_POINTS)

    def _update_shares(self, shown: bool) -> None:
        """Each point's share of the gradient next to it, coloured by where it pushes w."""
        if not shown:
            for label in (*self._shares, self._share_sum):
                if label.isVisible():
                    label.hide()
            return
        assert self._line_params is not None
        w_shares, b_shares = gradient_shares(self._x, self._y, *self._line_params)
        n = w_shares.size
        for i, label in enumerate(self._shares):
            if i >= n:
                label.setVisible(False)
                continue
            share = float(w_shares[i]) + 0.0  # no "−0"
            text = significant(share, "+")
            if self._b_shares:
                text = self.tr("w {w}, b {b}").format(w=text, b=significant(b_shares[i] + 0.0, "+"))
            label.setText(text)
            label.set_colour(PULL_UP if share < 0.0 else PULL_DOWN if share > 0.0 else NO_PULL)
            label.setVisible(True)
        gradient = significant(float(w_shares.sum()))
        if self._b_shares:
            text = self.tr("sums of shares = gradient: w {w}, b {b}").format(
                w=gradient, b=significant(float(b_shares.sum()))
            )
        else:
            text = self.tr("sum of shares = gradient = {g}").format(g=gradient)
        self._share_sum.setText(text)
        self._share_sum.setVisible(True)

    def _place_shares(self) -> None:
        """Pin the share labels beside their points: right of them, left near the right edge.

        Beside, not above or below: the residual hangs there. A point near the right edge
        of the view (the last in x is) has its label on its left, to keep it in the view.
        """
        x_low, x_high = view_range(self.getPlotItem().getViewBox())[0]
        flip = x_high - SHARE_LABEL_ROOM * (x_high - x_low)
        for i, label in enumerate(self._shares[: self._x.size]):
            x, y = float(self._x[i]), float(self._y[i])
            if (label.pos().x(), label.pos().y()) != (x, y):
                label.setPos(x, y)
            label.set_side(x >= flip)

    def _update_residual_text(self) -> None:
        text = (
            self.tr("residual xᵢ·w + b − yᵢ") if self._b_shares else self.tr("residual xᵢ·w − yᵢ")
        )
        self._set_row_text("residual", text)

    def _set_row_text(self, row: str, text: str) -> None:
        self._row_texts[row] = text
        if row in self._rows:
            self._rows[row].setText(text)

    def _update_legend_rows(self) -> None:
        """Legend rows for what may be shown: residuals and shares only for small data."""
        n = self._x.size
        wanted = [
            row
            for row, needed in (
                ("residual", 0 < n <= MAX_RESIDUAL_POINTS),
                ("pullUp", 0 < n <= MAX_SHARE_POINTS),
                ("pullDown", 0 < n <= MAX_SHARE_POINTS),
                ("guide", self._has_prediction),
            )
            if needed
        ]
        if list(self._rows) == wanted:
            return
        # Rows are added at the bottom: take all of these off, and add those wanted in order.
        for text in reversed(list(self._rows.values())):
            for sample, label in list(self._legend.items):
                if label is text:
                    self._legend.items.remove((sample, label))
                    for part in (sample, label):
                        self._legend.layout.removeItem(part)
                        part.close()
                        if part.scene() is not None:
                            part.scene().removeItem(part)
        self._rows = {
            row: legend_entry(self._legend, self._row_texts[row], **self._row_styles[row])
            for row in wanted
        }
        self._legend.refit()
        self._placer.invalidate()

    # ------------------------------------------------------------ dragging points

    def _on_grabber_drag_started(self, _: int) -> None:
        # The view holds still under the mouse: a point dragged to the edge would
        # otherwise widen the range at every move (and run away from the mouse).
        view = self.getPlotItem().getViewBox()
        self._auto_range_before_drag = list(view.autoRangeEnabled())
        view.disableAutoRange()

    def _on_grabber_dragged(self, shown: int, x: float, y: float) -> None:
        self._move_point(shown, x, y)
        if self._index is not None:
            self.point_dragged.emit(int(self._index[shown]), x, y)

    def _on_grabber_drag_finished(self, shown: int, x: float, y: float) -> None:
        self._move_point(shown, x, y)
        self._restore_auto_range()
        if self._index is not None:
            self.point_drag_finished.emit(int(self._index[shown]), x, y)

    def _end_drag(self) -> None:
        """Stop a drag in progress (no signal), and let the view fit the data again."""
        if self._grabber.cancel():
            self._restore_auto_range()

    def _restore_auto_range(self) -> None:
        if self._auto_range_before_drag is None:
            return
        x_auto, y_auto = self._auto_range_before_drag
        self._auto_range_before_drag = None
        self.getPlotItem().getViewBox().enableAutoRange(x=x_auto, y=y_auto)
        self._settle()

    def _move_point(self, shown: int, x: float, y: float) -> None:
        """Draw the point ``shown`` at ``(x, y)`` (before the caller answers with set_points)."""
        if not 0 <= shown < self._x.size:
            return
        # New arrays: the points item keeps the ones it was given.
        self._x, self._y = self._x.copy(), self._y.copy()
        self._x[shown], self._y[shown] = x, y
        self._points.setData(self._x, self._y)
        self._grabber.set_points(self._x, self._y, float(self._points.opts["symbolSize"]) / 2.0)
        self._place_shares()
        self._update_residuals()
        self._placer.invalidate()
