"""The data points, the line fitted so far, and the tutorial's prediction before and now.

For small data it also shows where the gradient comes from: each point's residual as a
vertical segment to the line, and each point's share of the gradient next to it. The
points can be dragged with the mouse (the pane emits, the controller answers).

The pane wires its parts together; they live in their own modules: the points
(:mod:`points`), the residuals and shares (:mod:`shares`), the prediction
(:mod:`prediction`), dragging (:mod:`point_drag`) and the legend's optional rows
(:mod:`legend_rows`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from gd_viewer.gui.panes.base import PlotPane
from gd_viewer.gui.panes.corner_note import pin_to_corner
from gd_viewer.gui.panes.legend import legend
from gd_viewer.gui.panes.legend_placement import LegendPlacer, Obstacle, segment
from gd_viewer.gui.panes.legend_rows import OptionalRows
from gd_viewer.gui.panes.marker import RangeKeeper
from gd_viewer.gui.panes.pinned import PinnedOverlay
from gd_viewer.gui.panes.point_drag import PointGrabber, ViewHold
from gd_viewer.gui.panes.points import DataPoints, points_style
from gd_viewer.gui.panes.polyline import Polyline
from gd_viewer.gui.panes.prediction import Prediction, guide_style, guide_text
from gd_viewer.gui.panes.shares import GradientShares
from gd_viewer.gui.panes.style import (
    GREEN,
    VERMILLION,
    all_finite,
    keep_picture,
    name_items,
    pen,
    short_number,
    style_plot,
    view_range,
)

#: Pinned lines reach this many view widths past each side of the view.
PINNED_LINE_REACH = 10.0
#: Where the prediction "now" goes as the run plays, for the legend's corner: points along
#: it, and what covering each of them costs (all of them: twice the marker itself).
TRAVEL_POINTS = 20
TRAVEL_WEIGHT = 20.0


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
        self._draggable = False
        self._has_prediction = False
        self._prediction_x = math.nan  # where the legend says the prediction is
        # The span of the predictions to come (x, low, high), or None (set_prediction_span).
        self._prediction_travel: tuple[float, float, float] | None = None

        item = self.getPlotItem()
        view = item.getViewBox()
        line_style = {"pen": pen(VERMILLION, 2.5)}
        # Added in this order: points, line, prediction, residuals and shares, grabber.
        self._points = DataPoints(item)
        # A lean item, not a PlotDataItem: it turns every frame, and that costs less.
        self._line = Polyline(line_style["pen"], precise=True)
        # The line spans whatever is visible, so it must not decide what is visible.
        item.addItem(self._line, ignoreBounds=True)
        self._line.setZValue(5)  # over the points: a cloud of them would hide it
        self._line.hide()
        self._prediction = Prediction(item, self._changes, self._show_text)
        self._shares = GradientShares(item, self._changes, self._show_text)
        self._grabber = PointGrabber()
        # Over everything it may grab: it decides whether a drag is on a point.
        item.addItem(self._grabber, ignoreBounds=True)
        self._grabber.setZValue(20)
        self._hold = ViewHold(view)
        name_items(line=self._line, pointGrabber=self._grabber)

        # What the predictions to come need of the view (see set_prediction_span).
        self._keeper = RangeKeeper()
        item.addItem(self._keeper)
        # Pinned runs' final lines, under the live one (their colours are the run table's).
        self._pinned = PinnedOverlay(item)
        # The least-squares line the descent heads for, faint (green, as the w* star).
        best_style = {"pen": pen(GREEN, 1.5, Qt.PenStyle.DashLine)}
        self._best = Polyline(best_style["pen"])
        item.addItem(self._best, ignoreBounds=True)
        self._best.setZValue(1)
        self._best.hide()
        # Dashed, and far longer than the view (it must reach past it however the view
        # is panned): slow to draw, so drawn once and kept as a picture.
        keep_picture(self._best)
        name_items(best=self._best)
        self._legend = legend(self)
        # Rows shown when their items may be, in this order.
        self._rows = OptionalRows(
            self._legend,
            {
                "data": points_style(), "line": line_style, "best": best_style,
                **self._shares.legend_styles(), "guide": guide_style(),
            },
            self._show_text,
        )  # fmt: skip
        self._rows.set_text("data", self.tr("data"))
        for row, text in self._shares.legend_texts().items():
            self._rows.set_text(row, text)
        self._placer = LegendPlacer(
            self._legend, view, self._still_obstacles, self._moving_obstacles
        )
        self._when_frame_finished(self._placer.place_if_due)
        self._update_legend_rows()

        view.sigRangeChanged.connect(self._on_view_range_changed)
        view.sigResized.connect(self._on_view_resized)
        self._grabber.drag_started.connect(self._on_grabber_drag_started)
        self._grabber.dragged.connect(self._on_grabber_dragged)
        self._grabber.drag_finished.connect(self._on_grabber_drag_finished)
        # The share labels keep clear of the legend wherever the placer puts it (a move is a
        # change of geometry too: no need to hear of it as x and y as well).
        self._legend.geometryChanged.connect(self._on_legend_moved)
        self._legend.visibleChanged.connect(self._on_legend_moved)  # (too small a pane)

    # ------------------------------------------------------------ setters

    def set_points(self, x: ArrayLike, y: ArrayLike) -> None:
        """Show the data (at most ``MAX_DRAWN_POINTS`` of them, with a note when thinned)."""
        points = self._points
        points.set(x, y)
        self._grabber.set_points(points.x, points.y, points.radius())
        grabbed = self._grabber.grabbed()
        if grabbed is not None and (points.index is None or grabbed >= points.x.size):
            self._end_drag()  # the point grabbed is gone
        self._grabber.set_enabled(self._draggable and points.index is not None)
        self._shares.update(points.x, points.y, self._line_params)
        self._update_legend_rows()
        self._placer.invalidate()
        self._on_view_resized()
        self._refit()  # new data

    def shown_point_count(self) -> int:
        """How many points are drawn."""
        return self._points.count()

    def set_pinned_lines(self, runs: Sequence[tuple[str, QColor, float, float]]) -> None:
        """Draw pinned runs' final lines ``y = w·x + b`` as ``(label, colour, w, b)``."""
        (x_low, x_high), _ = view_range(self.getPlotItem().getViewBox())
        span = (x_high - x_low) or 1.0
        # Far past the view both ways, so a pan or zoom out still shows whole lines.
        xs = np.array([x_low - PINNED_LINE_REACH * span, x_high + PINNED_LINE_REACH * span])
        with np.errstate(over="ignore", invalid="ignore"):
            self._pinned.set_runs([(label, colour, xs, w * xs + b) for label, colour, w, b in runs])

    def set_optimum(self, w: float, b: float = 0.0) -> None:
        """Mark the least-squares line ``y = w*·x + b*`` (faint, dashed; hidden if not finite)."""
        if not all_finite(w, b):
            self._best.hide()
            return
        (x_low, x_high), _ = view_range(self.getPlotItem().getViewBox())
        span = (x_high - x_low) or 1.0
        xs = np.array([x_low - PINNED_LINE_REACH * span, x_high + PINNED_LINE_REACH * span])
        with np.errstate(over="ignore", invalid="ignore"):
            ys = w * xs + b
        self._best.setData(xs, ys)
        self._best.setVisible(all_finite(*ys))
        text = self.tr("best fit y = {w}·x").format(w=short_number(w))
        if b != 0.0:
            text += f" {'−' if b < 0 else '+'} {short_number(abs(b))}"
        self._rows.set_text("best", text)
        self._update_legend_rows()

    def set_line(self, w: float, b: float = 0.0) -> None:
        """Draw ``y = w·x + b`` across the visible x range (hidden if w or b is not finite)."""
        w, b = float(w), float(b)
        self._line_params = (w, b) if all_finite(w, b) else None
        self._update_line()
        self._shares.update(self._points.x, self._points.y, self._line_params)
        if self._line_params is None:
            text = self.tr("fitted line")
        elif b == 0.0:
            text = self.tr("fitted line y = {w}·x").format(w=short_number(w))
        else:
            text = self.tr("fitted line y = {w}·x {sign} {b}").format(
                w=short_number(w), sign="−" if b < 0 else "+", b=short_number(abs(b))
            )
        self._rows.set_text("line", text)
        self._placer.request()
        if self._shares.residuals.isVisible():
            # They decide the range too: if they leave it, it changes now, not in the paint.
            self._settle()

    def set_b_shares_visible(self, visible: bool) -> None:
        """Write each point's share of ∂cost/∂b as well (for the line ``y = w·x + b``)."""
        if self._shares.set_b_shares(visible):
            self._rows.set_text("residual", self._shares.legend_texts()["residual"])
            self._shares.update(self._points.x, self._points.y, self._line_params)
            self._update_legend_rows()  # fewer points carry shares: the legend may differ

    def set_points_draggable(self, enabled: bool) -> None:
        """Let the user drag the points (when none are thinned out), or not.

        A drag in progress stops where it is, without ``point_drag_finished``.
        """
        self._draggable = bool(enabled)
        self._grabber.set_enabled(self._draggable and self._points.index is not None)
        if not self._draggable:
            self._end_drag()

    def points_draggable(self) -> bool:
        """Whether a drag on a point moves it (draggable, and no point thinned out)."""
        return self._grabber.enabled()

    def set_prediction_span(self, x: float, low: float, high: float) -> None:
        """Keep the predictions at ``x`` from ``low`` to ``high`` in range from now on (those of
        the epochs computed, so that the view holds still while they are played); a span
        that is not finite keeps nothing."""
        finite = all_finite(x, low, high)
        self._keeper.set_span((x, x) if finite else None, (low, high) if finite else None)
        travel = (float(x), float(low), float(high)) if finite else None
        if travel != self._prediction_travel:
            # The legend keeps clear of where "now" goes as the run plays, from its start:
            # else it changed corner when "now" came near, mid-run.
            self._prediction_travel = travel
            self._placer.invalidate()
        self._settle()

    def set_prediction(self, x: float, before: float, now: float) -> None:
        """Show the prediction at ``x`` before training (hollow, grey) and now (filled).

        A dotted vertical line marks ``x``; the view keeps ``x`` in range.
        """
        x, before, now = float(x), float(before), float(now)
        if not math.isfinite(x):
            self._prediction.hide()
            return
        self._prediction.show(x, before, now)
        if not self._has_prediction or x != self._prediction_x:
            self._has_prediction = True  # its legend row stays from now on
            self._prediction_x = x
            self._rows.set_text("guide", guide_text(x))
            self._update_legend_rows()
        self._placer.request()
        # The predictions decide the range: if they leave it, it changes now rather than
        # in the paint (which would then paint the whole pane twice).
        self._settle()
        self._place_shares()  # clear of the predictions' labels where they are now

    # ------------------------------------------------------------ drawing

    def _on_view_range_changed(self, *_: object) -> None:
        self._update_line()
        self._place_shares()
        self._placer.request()

    def _on_view_resized(self, *_: object) -> None:
        pin_to_corner(self.getPlotItem().getViewBox(), self._points.note, self._shares.total)
        self._shares.fit_total()
        self._place_shares()  # the legend is as many pixels away
        self._placer.request()

    def _place_shares(self) -> None:
        """Place the shares' labels clear of the legend and the predictions' labels (or
        leave out one that has no room beside the latter)."""
        plot = self.getPlotItem()
        if plot is None:
            return  # closed: its legend, torn down, may still say it moved
        legend = self._legend
        shown = legend.isVisible() and legend.parentItem() is not None
        self._shares.keep_clear_of(
            [legend.mapRectToParent(legend.boundingRect())] if shown else [],
            self._prediction.label_cards(plot.getViewBox()),
        )
        self._shares.place(self._points.x, self._points.y)

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

    # ------------------------------------------------------------ the legend

    def _still_obstacles(self) -> list[Obstacle]:
        """What moves only with the view or the run: the data, the note in its corner, and
        where the prediction "now" goes as the run plays."""
        marks = self._points.obstacles()
        if self._prediction_travel is not None:
            x, low, high = self._prediction_travel
            marks.append((*segment(((x, x), (low, high)), TRAVEL_POINTS), TRAVEL_WEIGHT))
        return marks

    def _moving_obstacles(self) -> list[Obstacle]:
        """What moves with the playhead: the line, the predictions, residuals and shares."""
        marks: list[Obstacle] = []
        if self._line.isVisible():
            marks.append((*segment(self._line.getData(), 60), 5.0))
        marks += self._prediction.obstacles()
        marks += self._shares.obstacles(self._points.x, self._points.y)
        return marks

    def _update_legend_rows(self) -> None:
        """Legend rows for what may be shown: residuals and shares only for small data.

        With the shares written next to the points, the legend leaves out the rows for
        the points and the prediction's line: the points then carry labels of their own,
        the prediction its "before" and "now", and a shorter legend fits above a few
        points in a small pane without covering their labels.
        """
        wanted = ["line", *self._shares.legend_rows(self._points.x.size)]
        if "pullUp" not in wanted:
            wanted.append("data")
            if self._best.isVisible():
                wanted.append("best")
            if self._has_prediction:
                wanted.append("guide")
        if self._rows.show_only(wanted):
            self._placer.invalidate()

    def _on_legend_moved(self) -> None:
        self._place_shares()

    # ------------------------------------------------------------ dragging points

    def _on_grabber_drag_started(self, _: int) -> None:
        # The view holds still under the mouse while the point moves.
        self._hold.hold()

    def _on_grabber_dragged(self, shown: int, x: float, y: float) -> None:
        self._move_point(shown, x, y)
        if self._points.index is not None:
            self.point_dragged.emit(int(self._points.index[shown]), x, y)

    def _on_grabber_drag_finished(self, shown: int, x: float, y: float) -> None:
        self._move_point(shown, x, y)
        self._restore_auto_range()
        if self._points.index is not None:
            self.point_drag_finished.emit(int(self._points.index[shown]), x, y)

    def _end_drag(self) -> None:
        """Stop a drag in progress (no signal), and let the view fit the data again."""
        if self._grabber.cancel():
            self._restore_auto_range()

    def _restore_auto_range(self) -> None:
        if self._hold.release():
            self._settle()

    def _move_point(self, shown: int, x: float, y: float) -> None:
        """Draw the point ``shown`` at ``(x, y)`` (before the caller answers with set_points)."""
        points = self._points
        if not points.move(shown, x, y):
            return
        self._grabber.set_points(points.x, points.y, points.radius())
        self._shares.update(points.x, points.y, self._line_params)
        self._placer.invalidate()
