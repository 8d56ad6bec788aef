"""The w–loss curve: cost over w, the optimum, the path so far, and the step at the playhead."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QWidget

from gd_viewer.gui.panes.base import PlotPane, SteadyViewBox
from gd_viewer.gui.panes.label import Label
from gd_viewer.gui.panes.legend import legend, legend_entry
from gd_viewer.gui.panes.legend_placement import LegendPlacer, Obstacle, outline, polyline, segment
from gd_viewer.gui.panes.marker import Dot, DraggableMarker
from gd_viewer.gui.panes.pinned import PinnedCurve, PinnedOverlay
from gd_viewer.gui.panes.polyline import Dots, Polyline
from gd_viewer.gui.panes.style import (
    BLUE,
    CARD,
    DARK_GREEN,
    GREEN,
    ORANGE,
    PURPLE,
    TEXT,
    VERMILLION,
    FloatArray,
    all_finite,
    finite_xy,
    keep_picture,
    minus,
    name_items,
    pen,
    short_number,
    significant,
    style_plot,
    view_range,
)

#: Half the tangent's length as a fraction of the view's width (and at most
#: ``TANGENT_HEIGHT`` of its height, so a steep tangent does not leave the view).
TANGENT_WIDTH = 0.15
TANGENT_HEIGHT = 0.4
#: The step arrow is at least this fraction of the view wide, so that a tiny step
#: (small lr, or near the optimum) still shows its direction beside the marker.
ARROW_MIN_WIDTH = 0.08


class LossCurvePane(PlotPane):
    """Cost as a function of w, with the descent's path and the step at the playhead.

    Signals
    -------
    initial_w_dragged(float)
        While the marker is draggable, emitted as the user drags it: the w under the
        mouse (within the visible range). The caller is expected to answer with
        :meth:`set_current` (the marker only moves along w by itself).
    initial_w_drag_finished(float)
        The w where the user released the marker.
    """

    initial_w_dragged = Signal(float)
    initial_w_drag_finished = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        # The cost axis follows the curve exactly: it does not grow while a run plays (the
        # path stays on the curve), and the controller sets the w range.
        super().__init__(parent, viewBox=SteadyViewBox(steady=False))
        self.setObjectName("lossCurvePane")
        self.setAccessibleName(self.tr("w–loss curve"))
        style_plot(self, self.tr("Cost over w"), self.tr("w"), self.tr("cost"))
        self._current: tuple[float, float, float, float | None] | None = None
        self._curve_data = (np.empty(0), np.empty(0))

        curve_style = {"pen": pen(BLUE, 2.0)}
        trail_style = {
            "pen": pen(ORANGE, 2.0), "symbol": "o", "symbolSize": 7,
            "symbolPen": pg.mkPen(TEXT, width=0.5), "symbolBrush": pg.mkBrush(ORANGE),
        }  # fmt: skip
        marker_style = {
            "pen": None, "symbol": "o", "symbolSize": 13,
            "symbolPen": pg.mkPen(TEXT, width=1.5), "symbolBrush": pg.mkBrush(VERMILLION),
        }  # fmt: skip
        optimum_style = {
            "pen": None, "symbol": "star", "symbolSize": 20,
            "symbolPen": pg.mkPen(TEXT, width=1), "symbolBrush": pg.mkBrush(GREEN),
        }  # fmt: skip
        tangent_style = {"pen": pen(PURPLE, 2.5, Qt.PenStyle.DashLine)}
        step_style = {"pen": pen(VERMILLION, 2.5)}
        self._curve = pg.PlotDataItem(**curve_style, antialias=True)
        # The parabola changes only with the view: Qt keeps its picture between frames.
        self._curve.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # Lean items, not PlotDataItems: those cost several times as much to update and
        # paint, and the path, tangent and step change every frame.
        self._trail = Polyline(trail_style["pen"], precise=True)
        self._trail_dots = Dots(
            "o", 7, trail_style["symbolPen"], trail_style["symbolBrush"], precise=True
        )
        # Its repaints cover the dots at its points (see set_trail).
        self._trail.repaint_reach = self._trail_dots.reach()
        self._dots_follow = False  # the dots were last set at the line's points
        self._optimum = Dot(
            "star", 20, pen=pg.mkPen(TEXT, width=1), brush=pg.mkBrush(GREEN)
        )  # fmt: skip
        self._optimum_label = Label(DARK_GREEN, CARD)
        self._tangent = Polyline(tangent_style["pen"], precise=True)
        self._step = Polyline(step_style["pen"])
        self._step_head = pg.ArrowItem(
            headLen=13, tipAngle=35, tailLen=0, pen=None, brush=pg.mkBrush(VERMILLION)
        )
        self._marker = DraggableMarker()
        # Where the next step lands, before it is taken: a faint hollow twin of the marker.
        ghost_colour = QColor(VERMILLION)
        ghost_colour.setAlpha(150)
        self._ghost = Dot(
            "o", 13, pen=pg.mkPen(ghost_colour, width=1.5, style=Qt.PenStyle.DashLine)
        )
        # These only move (or change when the view does).
        keep_picture(self._marker, self._optimum_label, self._step_head)
        name_items(
            curve=self._curve, trail=self._trail, trailDots=self._trail_dots, optimum=self._optimum,
            optimumLabel=self._optimum_label, tangent=self._tangent, step=self._step,
            marker=self._marker, ghost=self._ghost,
        )  # fmt: skip

        item = self.getPlotItem()
        item.addItem(self._curve)
        item.addItem(self._optimum)
        # Decorations must not stretch the range (the tangent follows the range itself);
        # the path lies on the curve, which does, so it need not be looked at either.
        for decoration in (
            self._trail, self._trail_dots, self._tangent, self._step, self._step_head,
            self._optimum_label,
        ):  # fmt: skip
            item.addItem(decoration, ignoreBounds=True)
        item.addItem(self._marker, ignoreBounds=True)
        item.addItem(self._ghost, ignoreBounds=True)
        self._marker.setZValue(10)
        self._ghost.setZValue(9)
        self._step_head.setZValue(5)

        self._legend = legend(self)
        self._curve_entry = legend_entry(self._legend, self.tr("cost(w)"), **curve_style)
        legend_entry(self._legend, self.tr("w so far"), **trail_style)
        self._marker_entry = legend_entry(self._legend, "", **marker_style)
        self._tangent_entry = legend_entry(self._legend, "", **tangent_style)
        self._step_entry = legend_entry(self._legend, "", **step_style)
        legend_entry(self._legend, self.tr("optimum w*"), **optimum_style)

        self._pinned = PinnedOverlay(item, self._legend)
        view = item.getViewBox()
        self._placer = LegendPlacer(
            self._legend, view, self._still_obstacles, self._moving_obstacles
        )
        self._when_frame_finished(self._placer.place_if_due)
        view.setAutoVisible(y=True)
        view.sigRangeChanged.connect(self._on_view_range_changed)
        view.sigResized.connect(self._on_view_range_changed)
        self._marker.dragged.connect(self.initial_w_dragged)
        self._marker.dragged.connect(self._on_marker_dragged)
        self._marker.drag_finished.connect(self.initial_w_drag_finished)
        for hidden in (
            self._curve, self._trail, self._trail_dots, self._optimum, self._optimum_label,
            self._marker,
        ):  # fmt: skip
            hidden.hide()
        self._hide_step()
        self._update_legend_text()

    # ------------------------------------------------------------ setters

    def set_curve(self, w: ArrayLike, cost: ArrayLike, refit: bool = True) -> None:
        """Show ``cost(w)`` as a line (points where either is not finite are left out).

        ``refit``: fit the cost axis to the curve exactly. Without, the axis changes in
        steps (as it does for a slice that moves every frame, see :meth:`set_slice`).
        """
        self._curve_data = self._set_xy(self._curve, w, cost)
        if refit:
            self._refit()  # the curve decides the cost axis
        self._placer.invalidate()

    def set_slice(self, b: float | None) -> None:
        """Say that the curve is the cost over w at ``b`` (for ``y = w·x + b``), or, with
        None, the cost over w (``y = w·x``).

        A slice changes with b every frame: the cost axis then changes in steps, not
        with every frame, and Qt does not keep the curve's picture between frames.
        """
        slicing = b is not None
        view = self.getPlotItem().getViewBox()
        if isinstance(view, SteadyViewBox):
            view.set_steady(slicing)
        self._curve.curve.setCacheMode(
            QGraphicsItem.CacheMode.NoCache
            if slicing
            else QGraphicsItem.CacheMode.DeviceCoordinateCache
        )
        text = self.tr("cost(w)")
        if b is not None:
            text = self.tr("cost(w) at b = {b}").format(b=_dashed(short_number, b))
        self._show_text(self._curve_entry, text)

    def set_optimum(self, w: float, cost: float) -> None:
        """Mark the optimum ``(w*, cost(w*))`` with a star and a label ``w* = …``."""
        w, cost = float(w), float(cost)
        visible = all_finite(w, cost)
        if visible:
            self._optimum.setData([w], [cost])
            self._optimum_label.setText(self.tr("w* = {w}").format(w=minus(f"{w:.4f}")))
            self._optimum_label.setPos(w, cost)
        self._optimum.setVisible(visible)
        self._optimum_label.setVisible(visible)
        self._place_optimum_label()
        self._placer.invalidate()

    def set_trail(
        self,
        w: ArrayLike,
        cost: ArrayLike,
        dots: tuple[ArrayLike, ArrayLike] | None = None,
    ) -> None:
        """Show the visited ``(w, cost)`` points up to the playhead, joined by a thin line.

        ``dots``: where the dots go, if not at each point of the line (a stochastic
        run's line follows every update, its dots mark the epochs).
        """
        # (As few steps on arrays as can be: each costs more than its work on a hundred
        # points, and this runs each frame.)
        xs, ys = _finite(w, cost)
        if xs.size != self._trail.getData()[0].size:
            # More points (or fewer) are drawn differently: no need to work out the pixels.
            self._drawn.pop("trail", None)
            line_changed = True
        else:
            line_changed = self._changes("trail", xs, ys)
        if dots is None:  # a dot at each point of the line
            dot_xs, dot_ys = xs, ys
            dots_changed = line_changed or not self._dots_follow
            self._drawn.pop("trailDots", None)
        else:
            dot_xs, dot_ys = finite_xy(*dots)
            dots_changed = self._changes("trailDots", dot_xs, dot_ys)
        if line_changed:
            self._trail.setData(xs, ys)
            self._trail.setVisible(xs.size > 0)
        if dots_changed:
            # Dots at the line's points change where it does, and it has all of that
            # painted again (see repaint_reach).
            if dots is None and line_changed and self._dots_follow:
                self._trail_dots.set_data_covered(dot_xs, dot_ys)
            else:
                self._trail_dots.setData(dot_xs, dot_ys)
            self._trail_dots.setVisible(dot_xs.size > 0)
        self._dots_follow = dots is None
        if line_changed or dots_changed:
            self._placer.request()

    def set_current(
        self,
        w: float,
        cost: float,
        grad: float,
        next_w: float | None,
        next_cost: float | None = None,
    ) -> None:
        """Show the state at the playhead.

        Parameters
        ----------
        w, cost
            Where the marker goes (hidden, with the tangent and arrow, if not finite).
        grad
            The gradient at ``w``: the tangent's slope (not drawn if not finite).
        next_w
            The w after this step: an arrow from the marker points there along the
            w axis (at least a few percent of the view long, so that a tiny step still
            shows its direction). None hides the arrow (the run has no next step).
        next_cost
            The cost at ``next_w``: a faint ghost of the marker shows where the step
            lands (None, or not finite: no ghost).
        """
        w, cost, grad = float(w), float(cost), float(grad)
        next_w = None if next_w is None else float(next_w)
        self._current = (w, cost, grad, next_w) if all_finite(w, cost) else None
        frame = self._frame()  # (once for the marker, the ghost, the tangent and the step)
        if self._current is not None and self._moves("marker", frame, [w], [cost]):
            self._marker.setPos(w, cost)
        self._marker.setVisible(self._current is not None)
        ghost = None if next_w is None or next_cost is None else (float(next_w), float(next_cost))
        if ghost is not None and all_finite(*ghost) and self._current is not None:
            if self._moves("ghost", frame, [ghost[0]], [ghost[1]]):
                self._ghost.setData([ghost[0]], [ghost[1]])
        else:
            self._drawn.pop("ghost", None)
            self._ghost.hide()
        self._update_step(frame)
        self._update_legend_text()
        self._placer.request()

    def set_pinned(self, runs: Sequence[PinnedCurve], heads: bool = False) -> None:
        """Draw pinned runs' paths ``(label, colour, w, cost)`` under the live one;
        ``heads``: a dot at the last point of each (a race)."""
        self._pinned.set_runs(runs, heads)
        self._placer.invalidate()

    def set_marker_draggable(self, enabled: bool) -> None:
        """Let the user drag the marker along w (to choose the initial w), or not."""
        self._marker.set_draggable(enabled)

    def marker_draggable(self) -> bool:
        """Whether the marker can be dragged."""
        return bool(self._marker.movable)

    def set_w_range(self, low: float, high: float) -> None:
        """Show w from ``low`` to ``high`` (plus a small margin); the cost axis follows the curve.

        A range that is empty, reversed or not finite is ignored.
        """
        if not (all_finite(low, high) and low < high):
            return
        view = self.getPlotItem().getViewBox()
        view.setXRange(low, high, padding=0.05)
        view.enableAutoRange(y=True)
        self._refit()  # the cost axis fits the curve over the new w range

    # ------------------------------------------------------------ drawing

    @staticmethod
    def _set_xy(
        item: pg.PlotDataItem | pg.PlotCurveItem, x: ArrayLike, y: ArrayLike
    ) -> tuple[FloatArray, FloatArray]:
        xs, ys = finite_xy(x, y)
        item.setData(xs, ys)
        item.setVisible(xs.size > 0)
        return xs, ys

    def _on_marker_dragged(self, _: float) -> None:
        self._drawn.pop("marker", None)  # moved by the mouse: the next set_current places it

    def _on_view_range_changed(self, *_: object) -> None:
        self._update_step()
        self._place_optimum_label()
        self._placer.request()

    def _hide_step(self) -> None:
        for item in (self._tangent, self._step, self._step_head):
            item.hide()

    def _update_step(self, frame: tuple[float, float, float, float] | None = None) -> None:
        """Tangent and arrow: their lengths depend on the view, so redo them when it changes."""
        if self._current is None:
            self._hide_step()
            return
        if frame is None:
            frame = self._frame()
        w, cost, grad, next_w = self._current
        (x_low, x_high), (y_low, y_high) = view_range(self.getPlotItem().getViewBox())
        width, height = x_high - x_low, y_high - y_low
        if math.isfinite(grad):
            half = TANGENT_WIDTH * width
            if grad != 0.0:
                half = min(half, TANGENT_HEIGHT * height / abs(grad))
            tx, ty = [w - half, w + half], [cost - grad * half, cost + grad * half]
            if self._moves("tangent", frame, tx, ty):
                self._tangent.setData(tx, ty)
        self._tangent.setVisible(math.isfinite(grad))
        has_step = next_w is not None and math.isfinite(next_w) and next_w != w
        self._step.setVisible(has_step)
        self._step_head.setVisible(has_step)
        if not has_step:
            return
        assert next_w is not None
        direction = 1.0 if next_w > w else -1.0
        # Lengthened to be seen, but not out of the view (unless next_w itself is).
        room = 0.98 * max((x_high - w) if direction > 0 else (w - x_low), 0.0)
        tip = w + direction * max(abs(next_w - w), min(ARROW_MIN_WIDTH * width, room))
        if self._moves("step", frame, [w, tip], [cost, cost]):
            self._step.setData([w, tip], [cost, cost])
            self._step_head.setPos(tip, cost)
        angle = 0 if direction < 0 else 180  # 0 points left
        if self._step_head.opts["angle"] != angle:
            self._step_head.setStyle(angle=angle)

    def _update_legend_text(self) -> None:
        """The legend carries the numbers at the playhead: w, the gradient and the step."""
        w, grad, step = (math.nan,) * 3
        if self._current is not None:
            w, _, grad, next_w = self._current
            step = math.nan if next_w is None else next_w - w
        # Only texts that changed are drawn again (see LegendText).
        self._show_text(
            self._marker_entry, self.tr("current w = {w}").format(w=_dashed(short_number, w))
        )
        self._show_text(
            self._tangent_entry,
            self.tr("tangent, slope = gradient = {g}").format(g=_dashed(significant, grad)),
        )
        self._show_text(
            self._step_entry,
            self.tr("step to the next w = {s}").format(s=_dashed(significant, step, "+")),
        )

    def _place_optimum_label(self) -> None:
        """Keep the w* label inside the view: its anchor follows the star across the view."""
        star = self._optimum.getData()[0]
        if not star.size:
            return
        x_low, x_high = view_range(self.getPlotItem().getViewBox())[0]
        # Left-aligned at the left edge, right-aligned at the right edge, centred between.
        share = (float(star[0]) - x_low) / (x_high - x_low)
        share = min(max(share, 0.0), 1.0) if math.isfinite(share) else 0.5
        anchor = (share, 1.7)  # clear of the star below it
        if tuple(self._optimum_label.anchor) != anchor:
            self._optimum_label.setAnchor(anchor)

    def _still_obstacles(self) -> list[Obstacle]:
        """What moves only with the view: the curve, the optimum and its label."""
        marks: list[Obstacle] = []
        if self._optimum.isVisible():
            marks.append((*self._optimum.getData(), 200.0))
            marks.append((*outline(self._optimum_label), 100.0))
        if self._curve.isVisible():
            marks.append((*self._curve_data, 2.0))
        return marks + self._pinned.obstacles()

    def _moving_obstacles(self) -> list[Obstacle]:
        """What moves with the playhead: the path, the marker, the tangent and the step."""
        marks: list[Obstacle] = [
            (*segment(item.getData()), 5.0)
            for item in (self._tangent, self._step)
            if item.isVisible()
        ]
        if self._current is not None:
            marks.append(([self._current[0]], [self._current[1]], 200.0))
        if self._trail.isVisible():  # its segments too: an oscillating run's cross the view
            marks.append((*polyline(self._trail.getData()), 2.0))
        return marks


def _finite(x: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """The points where both ``x`` and ``y`` are finite (not copies: the items copy)."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.ndim != 1 or xs.shape != ys.shape:
        return finite_xy(xs, ys)  # (which says what is wrong)
    keep = np.isfinite(xs) & np.isfinite(ys)
    if keep.all():
        return xs, ys
    return xs[keep], ys[keep]


def _dashed(formatter: Callable[..., str], value: float, *args: str) -> str:
    """The formatted value, or a dash when there is none."""
    return formatter(value, *args) if math.isfinite(value) else "–"
