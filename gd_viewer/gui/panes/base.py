"""The base of the plot panes: a pane that paints once per change, with a steady auto-range."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import pyqtgraph as pg
from numpy.typing import ArrayLike
from PySide6.QtCore import QElapsedTimer, QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF, QMouseEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

from gd_viewer.gui.panes.grid import Grid, hide_axis_ticks
from gd_viewer.gui.panes.style import TITLE_SIZE, as_drawn, view_range

#: The title's size, the least it is shrunk to in a narrow pane, and the room kept
#: beside it (pixels).
TITLE_POINTS = float(TITLE_SIZE.removesuffix("pt"))
MIN_TITLE_POINTS = 8.0
TITLE_ROOM = 4

#: What is drawn may reach past the view by this share of the view's extent (into
#: auto-ranging's padding) before the range changes: a marker that moves by a pixel
#: should not change the range.
TOLERANCE = 0.02
#: When what is drawn outgrows the view, the side that overflowed gets room for this
#: many more steps of the same size (a run goes on in the same direction) …
GROWTH = 20.0
#: … but no more than this share of the extent of what is drawn.
HEADROOM = 0.25
#: The view is fitted again when what is drawn fills less than this share of it.
MIN_FILL = 0.5
#: While a run plays, texts that change with the playhead follow at most this often:
#: numbers that change 60 times a second cannot be read, and each change repaints
#: the text and what lies under it.
LIVE_TEXT_INTERVAL_MS = 120
#: A text still waiting that long after the interval (no frame came to show it) is
#: shown by a timer.
LIVE_TEXT_GRACE_MS = 40


class Text(Protocol):
    """What shows a text: a legend's text or a label."""

    def setText(self, text: str) -> None: ...


#: How a pane's parts show a text that changes with the playhead (PlotPane._show_text).
ShowText = Callable[[Text, str], None]


def set_text_now(target: Text, text: str) -> None:
    """The plain ShowText, for a part used outside a pane that paces its texts."""
    target.setText(text)


def steady_range(target: Sequence[float], current: Sequence[float]) -> list[float] | None:
    """The range to show on one axis, or None to keep ``current``.

    ``target`` is the range auto-ranging asks for. It is kept while it lies within
    ``current`` (give or take ``TOLERANCE``) and fills at least ``MIN_FILL`` of it. A
    side where it overflows gets room for ``GROWTH`` more steps like the last (at most
    ``HEADROOM``); a view much too large is fitted exactly.
    """
    low, high = float(target[0]), float(target[1])
    current_low, current_high = float(current[0]), float(current[1])
    span, current_span = high - low, current_high - current_low
    slack = TOLERANCE * current_span
    below, above = current_low - low, high - current_high  # > 0: overflows
    if below <= slack and above <= slack:
        if span >= MIN_FILL * current_span:
            return None
        return [low, high]  # much too large a view: fit exactly
    if span <= 0.0:
        return [low, high]  # a single value: pyqtgraph keeps the scale
    cap = HEADROOM * span
    grown_low = low - min(cap, GROWTH * below)
    grown_high = high + min(cap, GROWTH * above)
    # The side that overflowed gets room; the other stays, unless that leaves too much empty.
    new_low = grown_low if below > slack else current_low
    new_high = grown_high if above > slack else current_high
    if span < MIN_FILL * (new_high - new_low):
        new_low = grown_low if below > slack else low
        new_high = grown_high if above > slack else high
    return [new_low, new_high]


class SteadyViewBox(pg.ViewBox):
    """A ViewBox that auto-ranges only for what decides the range, and (optionally) in steps.

    Items added with ``ignoreBounds`` (which do not decide the range) do not trigger
    auto-ranging, nor the repaint of the whole view that comes with it.

    With ``steady`` (the default), the y range changes in steps, not with every frame
    of a run. pyqtgraph fits an auto-ranged axis to the data exactly, so while a run
    plays the range of a growing curve changes every frame: every item, axis and grid
    line moves, and the whole pane is laid out and painted again. Here the y range
    (what grows while a run plays: costs, predictions) only changes when what is drawn
    leaves the view or fills too little of it (see :func:`steady_range`); the x range
    is fitted as pyqtgraph does. :meth:`refit` asks for an exact fit at the next
    auto-range (new data); turning auto-range on (the plot's "A" button) does too.
    """

    def __init__(self, *args: Any, steady: bool = True, **kwargs: Any) -> None:
        self._steady = steady
        self._refit = True
        self._auto_ranging = False
        self._bounds_kept = False
        super().__init__(*args, **kwargs)
        self._mark_contents()

    def setBorder(self, *args: Any, **kwargs: Any) -> None:
        super().setBorder(*args, **kwargs)
        self._mark_contents()

    def _mark_contents(self) -> None:
        # Without a border it draws nothing of its own (its background is an item of its
        # own): Qt need not ask its bounds, nor call its paint, in each paint of the pane.
        # (pyqtgraph keeps "no border" as a pen that draws nothing, not as None.)
        border = self.border
        drawn = border is not None and border.style() != Qt.PenStyle.NoPen
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, not drawn)

    def set_steady(self, steady: bool) -> None:
        """Let the y range change in steps (True) or fit what is drawn exactly (False)."""
        self._steady = bool(steady)

    def refit(self) -> None:
        """Fit the auto-ranged axes exactly at the next auto-range."""
        self._refit = True
        if any(self.state["autoRange"]):
            self.queueUpdateAutoRange()

    def queueUpdateAutoRange(self) -> None:
        # pyqtgraph also marks the whole view for repainting here, only so that a paint
        # comes and runs the auto-range. The item that changed asks for its own repaint,
        # and every paint runs a pending auto-range first: so only what changed is
        # painted again, not the whole view.
        self._autoRangeNeedsUpdate = True

    @contextmanager
    def bounds_kept(self) -> Iterator[None]:
        """Within it, items that change do not make the view auto-range again: for a
        caller that knows that what decides the range is as it was (a curve that grows
        within it), which spares working the range out anew for each frame."""
        self._bounds_kept = True
        try:
            yield
        finally:
            self._bounds_kept = False

    def itemBoundsChanged(self, item: pg.GraphicsItem) -> None:
        if self._bounds_kept:
            return
        if item in self.addedItems:  # not an item added with ignoreBounds
            super().itemBoundsChanged(item)

    def enableAutoRange(
        self, axis: Any = None, enable: Any = True, x: Any = None, y: Any = None
    ) -> None:
        before = list(self.state["autoRange"])
        super().enableAutoRange(axis, enable, x, y)
        after = self.state["autoRange"]
        if any(old is False and new is not False for old, new in zip(before, after, strict=True)):
            self._refit = True

    def updateAutoRange(self) -> None:
        self._auto_ranging = True
        try:
            super().updateAutoRange()
        finally:
            self._auto_ranging = False

    def setRange(
        self,
        rect: Any = None,
        xRange: Any = None,
        yRange: Any = None,
        padding: Any = None,
        update: bool = True,
        disableAutoRange: bool = True,
    ) -> None:
        if self._steady and self._auto_ranging and rect is None:
            if self._refit:
                self._refit = False
            elif yRange is not None:
                yRange = steady_range(yRange, self.state["viewRange"][1])
                if xRange is None and yRange is None:
                    return
        super().setRange(rect, xRange, yRange, padding, update, disableAutoRange)


class PlotPane(pg.PlotWidget):
    """A ``PlotWidget`` that keeps the mouse presses it receives, and paints once per change.

    pyqtgraph's scene turns a press into a click or drag only when the button is
    released or the mouse moves, so it leaves the press itself unaccepted and Qt
    offers it to the parent widgets too. The pane consumes it: a click in a plot
    belongs to the plot.
    """

    def __init__(self, parent: QWidget | None = None, viewBox: SteadyViewBox | None = None) -> None:
        super().__init__(parent, viewBox=viewBox if viewBox is not None else SteadyViewBox())
        # What the moving items show, as drawn (see _changes), and in which view.
        self._drawn: dict[str, object] = {}
        self._drawn_view = self.getPlotItem().getViewBox()
        # Texts that change with the playhead, while a run plays (see set_live).
        self._live = False
        self._frame_finishers: list[Callable[[], None]] = []
        self._pending_texts: dict[int, tuple[Text, str]] = {}
        self._texts_shown = QElapsedTimer()
        self._texts_due_ms = LIVE_TEXT_INTERVAL_MS
        self._texts_later = QTimer(self)
        self._texts_later.setSingleShot(True)
        self._texts_later.timeout.connect(self._show_pending_texts)
        # Items that keep their pictures, while an export paints without them.
        self._unkept: list[QGraphicsItem] | None = None
        # The background carries the grid (see grid.py), which moves with the view, so
        # Qt must not keep it as a picture; a plain fill and a few lines cost little.
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        ctrl = self.getPlotItem().ctrl
        for changed in (ctrl.xGridCheck.toggled, ctrl.yGridCheck.toggled):
            changed.connect(self._on_grid_changed)
        ctrl.gridAlphaSlider.valueChanged.connect(self._on_grid_changed)
        self._grid = Grid(self.getPlotItem())
        self._on_grid_changed()
        # The plot and its title only hold items that draw (the title's text is an item of
        # its own): Qt need not ask their bounds in each paint.
        for container in (self.getPlotItem(), self.getPlotItem().titleLabel):
            container.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.getPlotItem().getViewBox().sigResized.connect(self._fit_title)

    def resizeEvent(self, ev: QResizeEvent) -> None:
        super().resizeEvent(ev)
        self._fit_title()

    def _fit_title(self, *_: object) -> None:
        """A title too wide for a narrow pane (three abreast in a small window) is set in
        smaller type, down to ``MIN_TITLE_POINTS``. The plot is never narrower than its
        title: a wide title would push the plot's right side out of the pane."""
        item = getattr(self, "plotItem", None)  # (a resize comes during construction too)
        if item is None:
            return
        label = item.titleLabel
        text = str(label.text or "")
        if not text:
            return
        font = QFont(label.item.font())
        # The title stands over the plot's view; the axes (and a colour bar) are beside it.
        beside = item.width() - item.getViewBox().width()
        room = self.viewport().width() - beside - TITLE_ROOM
        points = TITLE_POINTS
        while points > MIN_TITLE_POINTS:
            font.setPointSizeF(points)
            if QFontMetricsF(font).horizontalAdvance(text) <= room:
                break
            points -= 1.0
        size = f"{points:g}pt"
        if label.opts.get("size") != size:
            label.setText(text, size=size)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        # The first thing drawn in each paint: the place to tell a paint for an export.
        self._keep_pictures(not painter.deviceTransform().isScaling())
        super().drawBackground(painter, rect)
        self._grid.draw(painter, rect, self.backgroundBrush().color())

    def _keep_pictures(self, keep: bool) -> None:
        """Let the items whose pictures Qt keeps (see style.keep_picture) do so, or not.

        An export paints the pane through a scaled painter, to draw it anew at the new
        size; Qt would scale the kept pictures instead (stretched pixels). So for such a
        paint the items draw themselves, and keep their pictures again afterwards.
        """
        if keep == (self._unkept is None):
            return
        if keep:
            assert self._unkept is not None
            for item in self._unkept:
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self._unkept = None
        else:
            kept = QGraphicsItem.CacheMode.DeviceCoordinateCache
            self._unkept = [item for item in self.scene().items() if item.cacheMode() == kept]
            for item in self._unkept:
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        super().mousePressEvent(ev)
        ev.accept()

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:
        super().mouseReleaseEvent(ev)
        ev.accept()

    def _on_grid_changed(self, *_: object) -> None:
        # After the PlotItem's own handler, which hands the grid to the axes.
        for name in ("left", "bottom"):
            hide_axis_ticks(self.getPlotItem().getAxis(name))
        self.viewport().update()

    def set_live(self, live: bool, phase: float = 0.0) -> None:
        """While ``live`` (a run plays), numbers in legends and labels follow the playhead
        at most every ``LIVE_TEXT_INTERVAL_MS``; when it ends they catch up at once.

        ``phase`` (0 … 1) shifts this pane's texts within the interval: panes given
        different phases change their texts in different frames, not all in one.
        """
        self._live = bool(live)
        if not self._live:
            self._show_pending_texts()
            return
        # As if the last texts were shown so long ago that the next are due at the phase.
        self._texts_due_ms = int(min(max(phase, 0.0), 1.0) * LIVE_TEXT_INTERVAL_MS)
        self._texts_shown.start()

    def finish_frame(self) -> None:
        """The setters of a frame are done: settle now what waits for all of them (a
        legend's corner), before Qt works out what to paint, not during the paint."""
        for settle in self._frame_finishers:
            settle()

    def _when_frame_finished(self, settle: Callable[[], None]) -> None:
        """Have :meth:`finish_frame` call ``settle``."""
        self._frame_finishers.append(settle)

    def _show_text(self, target: Text, text: str) -> None:
        """Show ``text`` on ``target`` now, or while live, with the next batch of texts."""
        if not self._live:
            self._pending_texts.pop(id(target), None)
            target.setText(text)
            return
        self._pending_texts[id(target)] = (target, text)
        shown = self._texts_shown
        if not shown.isValid() or shown.elapsed() >= self._texts_due_ms:
            self._show_pending_texts()  # in this frame, with everything else that changed
        elif not self._texts_later.isActive():
            wait = self._texts_due_ms - int(shown.elapsed()) + LIVE_TEXT_GRACE_MS
            self._texts_later.start(max(wait, 0))

    def _show_pending_texts(self) -> None:
        self._texts_later.stop()
        self._texts_shown.start()
        self._texts_due_ms = LIVE_TEXT_INTERVAL_MS
        pending, self._pending_texts = self._pending_texts, {}
        for target, text in pending.values():
            target.setText(text)

    def _changes(self, name: str, x: ArrayLike, y: ArrayLike) -> bool:
        """Whether the item ``name`` would look different showing points ``x``, ``y``.

        True (and the points noted) when it would, or cannot be told; False when they
        are drawn where the item's current points are, to a quarter of a pixel: then
        the setter leaves the item be, and Qt has nothing to paint again for it.
        """
        key = as_drawn(self._drawn_view, x, y)
        if key is not None and key == self._drawn.get(name):
            return False
        self._drawn[name] = key
        return True

    def _frame(self) -> tuple[float, float, float, float] | None:
        """How the view draws points now (see :meth:`_moves`), or None while it cannot:
        worked out once for the several items a setter places."""
        view = self._drawn_view
        size = view.size()
        width, height = size.width(), size.height()
        (x0, x1), (y0, y1) = view_range(view)
        if width <= 0.0 or height <= 0.0 or not (x1 > x0 and y1 > y0):
            return None
        return (x0, y0, 4.0 * width / (x1 - x0), 4.0 * height / (y1 - y0))

    def _moves(
        self,
        name: str,
        frame: tuple[float, float, float, float] | None,
        x: list[float],
        y: list[float],
    ) -> bool:
        """``PlotPane._changes`` for a point or two, in a ``frame`` worked out once for
        several items (the key is the same as style.as_drawn's)."""
        key: object = None
        if frame is not None:
            x0, y0, sx, sy = frame
            try:
                key = (
                    frame,
                    tuple(round((u - x0) * sx) for u in x),
                    tuple(round((v - y0) * sy) for v in y),
                )
            except (OverflowError, ValueError):  # not finite: nothing to compare
                key = None
        if key is not None and key == self._drawn.get(name):
            return False
        self._drawn[name] = key
        return True

    def _refit(self) -> None:
        """Fit the view to what is drawn now (new data, not more of it).

        Now, not in the paint (where pyqtgraph would): a range that changes during the
        paint moves every item in it, and Qt then paints the whole pane a second time.
        Setters called every frame mostly leave auto-ranging to the paint, once for all
        of them: the y range rarely changes while a run plays (see SteadyViewBox).
        """
        view = self.getPlotItem().getViewBox()
        if isinstance(view, SteadyViewBox):
            view.refit()
        self._settle()

    def _settle(self) -> None:
        """Apply a pending auto-range now, at the end of a setter, instead of in the paint.

        pyqtgraph defers auto-ranging to just before it paints. A range that changes
        there moves every item during the paint, and Qt then paints the whole pane a
        second time; settled here, the paint that follows changes nothing.
        """
        self.getPlotItem().getViewBox().prepareForPaint()
