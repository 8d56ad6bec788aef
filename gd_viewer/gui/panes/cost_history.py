"""The epoch–cost curve, the tutorial's final plot, with a playhead the user can move."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent, MouseDragEvent
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from gd_viewer.gui.panes.base import PlotPane, SteadyViewBox
from gd_viewer.gui.panes.growing_curve import growing_curve
from gd_viewer.gui.panes.label import Label
from gd_viewer.gui.panes.legend import legend, legend_entry
from gd_viewer.gui.panes.marker import Dot, VerticalLine
from gd_viewer.gui.panes.pinned import PinnedCurve, PinnedOverlay
from gd_viewer.gui.panes.style import (
    BLUE,
    CARD,
    DARK_GREY,
    LABEL_SIZE,
    TEXT,
    TITLE_SIZE,
    VERMILLION,
    finite_xy,
    name_items,
    pen,
    significant,
    style_plot,
)

#: Margin around [0, epochs] on the fixed epoch axis, as a fraction of the epochs (enough
#: for the last tick label, which pyqtgraph hides when it reaches past the plot area).
EPOCH_PADDING = 0.04
#: How far up the view the playhead's label sits (0 bottom, 1 top).
PLAYHEAD_LABEL_HEIGHT = 0.93
#: Pixels kept between the playhead's label and the view's edge.
PLAYHEAD_LABEL_GAP = 4.0


class _PickingViewBox(SteadyViewBox):
    """A ViewBox where a left click or drag picks an x instead of panning.

    Other buttons keep pyqtgraph's behaviour (right: menu and zoom, middle: pan).
    """

    CLICK, DRAG_START, DRAG_MOVE = range(3)

    #: The x (view coordinates) under the mouse, and which of the kinds above.
    x_picked = Signal(float, int)

    #: Whether auto-ranging shows the cost axis from zero (set by the pane).
    zero_based = False

    def childrenBounds(self, *args: Any, **kwargs: Any) -> list[list[float] | None]:
        """The range of what is drawn; on the cost axis from zero if ``zero_based``."""
        bounds: list[list[float] | None] = super().childrenBounds(*args, **kwargs)
        y = bounds[1]
        if self.zero_based and y is not None:
            bounds[1] = [min(y[0], 0.0), y[1]]
        return bounds

    def mouseClickEvent(self, ev: MouseClickEvent) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            super().mouseClickEvent(ev)
            return
        ev.accept()
        self.x_picked.emit(self._x_at(ev), self.CLICK)

    def mouseDragEvent(self, ev: MouseDragEvent, axis: int | None = None) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or axis is not None:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        self.x_picked.emit(self._x_at(ev), self.DRAG_START if ev.isStart() else self.DRAG_MOVE)

    def _x_at(self, ev: MouseClickEvent | MouseDragEvent) -> float:
        return float(self.mapSceneToView(ev.scenePos()).x())


class CostHistoryPane(PlotPane):
    """Cost per epoch up to the playhead, on an epoch axis fixed to the whole run.

    Signals
    -------
    epoch_picked(int)
        The user clicked or dragged with the left button: the epoch nearest to the
        mouse, within [0, epochs]. During a drag, emitted each time it changes.
    log_scale_changed(bool)
        The user switched the log scale from the plot's context menu
        (:meth:`set_log_scale` does not emit it).
    """

    epoch_picked = Signal(int)
    log_scale_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        view = _PickingViewBox()
        super().__init__(parent, viewBox=view)
        self._view = view
        self.setObjectName("costHistoryPane")
        self.setAccessibleName(self.tr("epoch–cost curve"))
        style_plot(self, self.tr("Cost per epoch"), self.tr("epoch"), self.tr("cost"))
        self._epochs = 0
        self._log = False
        self._distance = False
        self._last_drag_epoch: int | None = None
        self._data = (np.empty(0), np.empty(0))
        self._current: tuple[int, float] | None = None
        self._new_run = True
        # What of the curve decides the view's range, as last drawn (see _show_costs).
        self._range_inputs: tuple[object, ...] | None = None

        item = self.getPlotItem()
        # Set on the plot, which passes them to its curves (and keeps its context
        # menu in step): a PlotItem overrides an added curve's own settings.
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        self._curve = pg.PlotDataItem(pen=pen(BLUE, 2.5), antialias=True)
        growing_curve(self._curve)
        # About one vertex per pixel (pyqtgraph's default keeps up to ten): the peaks of
        # each pixel's column are kept, and a thick smooth line costs in proportion to
        # its vertices (four thousand of them took milliseconds to draw every frame).
        self._curve.opts["autoDownsampleFactor"] = 0.5
        self._marker = Dot("o", 12, pen=pg.mkPen(TEXT, width=1.5), brush=pg.mkBrush(VERMILLION))
        self._playhead = VerticalLine(pen(DARK_GREY, 1.5, Qt.PenStyle.DashLine))
        # A child of the line: it moves with it, and is placed up the view only when the
        # view changes.
        self._playhead_label = Label(TEXT, CARD, anchor=(0.0, 0.5))
        self._playhead_label.setParentItem(self._playhead)
        name_items(
            curve=self._curve, marker=self._marker, playhead=self._playhead,
            playheadLabel=self._playhead_label,
        )  # fmt: skip
        item.addItem(self._curve)
        # The dot sits on the curve, which decides the range (and leaves room for it).
        item.addItem(self._marker, ignoreBounds=True)
        item.addItem(self._playhead, ignoreBounds=True)
        self._marker.setZValue(10)
        # A legend only beside pinned runs (alone, the one curve needs none), in the
        # top-right corner, which a falling cost leaves free.
        self._legend = legend(self)
        self._live_entry = legend_entry(self._legend, self.tr("now"), pen=pen(BLUE, 2.5))
        self._legend.hide()
        self._pinned = PinnedOverlay(item, self._legend)  # (colours as in the run table)
        for hidden in (self._curve, self._marker, self._playhead):
            hidden.hide()

        # (Not setAutoVisible: the epoch axis always shows the whole run, all of the curve.)
        self._view.setMouseEnabled(x=False, y=True)
        self._view.x_picked.connect(self._on_view_x_picked)
        self._view.sigRangeChanged.connect(self._on_view_range_changed)
        self._view.sigResized.connect(self._place_playhead_label)
        item.ctrl.logYCheck.toggled.connect(self._on_log_check_toggled)
        self.set_epoch_count(0)

    # ------------------------------------------------------------ setters

    def set_epoch_count(self, epochs: int) -> None:
        """Fix the epoch axis to ``[0, epochs]`` (at least one epoch wide)."""
        self._epochs = max(int(epochs), 0)
        margin = EPOCH_PADDING * max(self._epochs, 1)
        low, high = -margin, max(self._epochs, 1) + margin
        # Limits hold the axis even against the context menu's "view all".
        self._view.setLimits(xMin=low, xMax=high, minXRange=high - low, maxXRange=high - low)
        self._view.setXRange(low, high, padding=0.0)
        self._update_current()
        # A new run: the cost axis is fitted to its first costs, when they come.
        self._new_run = True

    def epoch_count(self) -> int:
        """The last epoch on the axis."""
        return self._epochs

    def set_costs(self, epochs: ArrayLike, costs: ArrayLike) -> None:
        """Show the cost of each epoch so far.

        Non-finite values are left out, and so are costs ≤ 0 on the log scale.
        """
        self._data = finite_xy(epochs, costs)
        self._show_costs()
        if self._new_run:
            self._new_run = False
            self._refit()

    def set_current(self, epoch: int, cost: float) -> None:
        """Mark the playhead: a vertical line at ``epoch`` and a dot at its cost."""
        self._current = (int(epoch), float(cost))
        self._update_current()

    def set_pinned(self, runs: Sequence[PinnedCurve], heads: bool = False) -> None:
        """Draw pinned runs' costs ``(label, colour, epochs, costs)`` under the live one,
        with a legend; ``heads``: a dot at the last cost of each (a race)."""
        self._pinned.set_runs(runs, heads)
        self._legend.setVisible(bool(runs))

    def set_live_label(self, label: str) -> None:
        """Name the live run in the legend (shown beside pinned runs): ``now: label``."""
        self._live_entry.setText(self.tr("now: {label}").format(label=label))
        self._legend.refit()

    def set_distance_mode(self, enabled: bool) -> None:
        """Plot |w − w*| per epoch (the caller passes distances to ``set_costs``) or the cost.

        The distance to the optimum falls by the same factor every epoch (the contraction
        |1 − lr·curvature|), so on a log axis it is a straight line: turning the mode on
        turns the log scale on too.
        """
        enabled = bool(enabled)
        if enabled == self._distance:
            return
        self._distance = enabled
        title = (
            self.tr("Distance to the optimum per epoch") if enabled else self.tr("Cost per epoch")
        )
        self.getPlotItem().setTitle(title, color=TEXT, size=TITLE_SIZE)
        if enabled and not self._log:
            self.getPlotItem().ctrl.logYCheck.setChecked(True)  # as the user would
        else:
            self._show_scale()
        self._new_run = True  # refit to the new quantity when it comes

    def distance_mode(self) -> bool:
        """Whether the pane plots |w − w*| rather than the cost."""
        return self._distance

    def set_log_scale(self, enabled: bool) -> None:
        """Show the cost on a log axis (where a cost of 0 cannot appear) or a linear one."""
        enabled = bool(enabled)
        if enabled == self._log:
            return
        self._log = enabled
        self._show_scale()  # before switching, so pyqtgraph never takes the log of 0
        self.getPlotItem().setLogMode(y=enabled)
        self._refit()

    def log_scale(self) -> bool:
        """Whether the cost axis is logarithmic."""
        return self._log

    # ------------------------------------------------------------ drawing

    def _drawable(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self._log:
            return xs, ys
        keep = ys > 0.0
        return xs[keep], ys[keep]

    def _show_costs(self) -> None:
        xs, ys = self._drawable(*self._data)
        low = float(ys.min()) if ys.size else 0.0
        # Costs are never negative and mostly fall: on an axis from zero to the first
        # cost, the whole run fits from its first epoch on (so the axis need not change
        # while it plays), and the picture shows how far the cost fell, not a zoomed-in
        # fall (the log scale shows small costs).
        self._view.zero_based = bool(not self._log and ys.size and low >= 0.0)
        inputs = self._range_inputs_of(xs, ys, low)
        if inputs == self._range_inputs:
            # A run that plays adds costs within the range: no need to work it out again.
            with self._view.bounds_kept():
                self._curve.setData(xs, ys)
        else:
            self._curve.setData(xs, ys)
        self._range_inputs = inputs
        self._curve.setVisible(xs.size > 0)

    def _range_inputs_of(self, xs: np.ndarray, ys: np.ndarray, low: float) -> tuple[object, ...]:
        """What of the curve ``xs``, ``ys`` the view's auto-range depends on: its extent
        (on the cost axis from zero if zero-based; across epochs only if auto-ranged)."""
        if not ys.size:
            return (self._log,)
        bottom = min(low, 0.0) if self._view.zero_based else low
        across = (float(xs.min()), float(xs.max())) if self._view.state["autoRange"][0] else None
        return (self._log, bottom, float(ys.max()), across)

    def _show_scale(self) -> None:
        """Redraw for a change of scale, and say which one it is on the axis."""
        self._show_costs()
        self._update_current()
        name = self.tr("|w − w*|") if self._distance else self.tr("cost")
        label = self.tr("{name} (log scale)").format(name=name) if self._log else name
        self.getPlotItem().getAxis("left").setLabel(label, color=TEXT, **{"font-size": LABEL_SIZE})

    def _update_current(self) -> None:
        if self._current is None:
            return
        epoch, cost = self._current
        self._playhead.setValue(epoch)
        self._playhead.show()
        self._show_text(self._playhead_label, self._playhead_text(epoch, cost))
        self._place_playhead_label()
        xs, ys = self._drawable(*finite_xy([epoch], [cost]))
        if xs.size == 0:
            self._drawn.pop("marker", None)  # hidden: shown again wherever it goes next
            self._marker.setData(xs, ys)
        elif self._changes("marker", [epoch], [math.log10(ys[0]) if self._log else ys[0]]):
            self._marker.setData(xs, ys)

    def _playhead_text(self, epoch: int, cost: float) -> str:
        text: str
        if math.isfinite(cost):
            if self._distance:
                text = self.tr("epoch {epoch}: |w − w*| = {value}")
            else:
                text = self.tr("epoch {epoch}: cost = {value}")
            text = text.format(epoch=epoch, value=significant(cost))
        else:
            text = self.tr("epoch {epoch}").format(epoch=epoch)
        return text

    def _place_playhead_label(self, *_: object) -> None:
        """The label goes on the side of the playhead that has room for it: the right, else
        the left; in a view too narrow for it on either side, it is left out (cut off at the
        view's edge, it could not be read; the status line tells the same)."""
        if self._current is None:
            return
        label, view = self._playhead_label, self._view
        (x_low, x_high), _ = view.viewRange()
        pixels = view.width() / (x_high - x_low) if x_high > x_low else 0.0
        epoch = self._current[0]
        right, left = (x_high - epoch) * pixels, (epoch - x_low) * pixels
        width = label.card_size()[0] + PLAYHEAD_LABEL_GAP
        on_right = width <= right or not (width <= left or pixels <= 0.0)
        anchor = (0.0, 0.5) if on_right else (1.0, 0.5)
        if label.anchor != anchor:
            label.setAnchor(anchor)
        label.setVisible(pixels <= 0.0 or width <= max(right, left))

    def _on_view_range_changed(self, *_: object) -> None:
        low, high = self._view.viewRange()[1]
        self._playhead_label.setPos(0.0, low + PLAYHEAD_LABEL_HEIGHT * (high - low))
        self._place_playhead_label()

    # ------------------------------------------------------------ picking

    def _on_view_x_picked(self, x: float, kind: int) -> None:
        if not math.isfinite(x):
            return
        epoch = round(min(max(x, 0.0), float(self._epochs)))
        if kind == _PickingViewBox.CLICK:
            self.epoch_picked.emit(epoch)
            return
        if kind == _PickingViewBox.DRAG_START:
            self._last_drag_epoch = None
        if epoch != self._last_drag_epoch:
            self._last_drag_epoch = epoch
            self.epoch_picked.emit(epoch)

    def _on_log_check_toggled(self, checked: bool) -> None:
        if checked == self._log:
            return  # set_log_scale did it
        self._log = checked
        self._show_scale()
        self._refit()
        self.log_scale_changed.emit(checked)
