"""A legend's corner, chosen by what is drawn: the one where it covers least.

The costs of what rarely moves (a curve, the data) are kept between frames; what moves
with the playhead (markers, a short path) is counted afresh, at most every
``PLACE_INTERVAL_MS`` while a run plays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sized

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from PySide6.QtCore import QElapsedTimer, QRectF, QTimer

from gd_viewer.gui.panes.legend import CORNERS, MARGIN
from gd_viewer.gui.panes.style import FloatArray, view_range

#: Points of one kind counted when choosing a corner; longer arrays are thinned.
MAX_COUNTED = 2_000
#: Least time between two placements for what moves with the playhead.
PLACE_INTERVAL_MS = 150

#: What is drawn, for choosing a corner: x, y (view coordinates) and how much covering
#: one of those points costs.
Obstacle = tuple[ArrayLike, ArrayLike, float]


def outline(item: pg.GraphicsObject) -> tuple[FloatArray, FloatArray]:
    """Corners and centre of a visible item's bounding box in view coordinates (else none)."""
    view_outline = getattr(item, "view_outline", None)
    if view_outline is not None:  # a Label, which ignores the view's scale
        return view_outline()  # type: ignore[no-any-return]
    if not item.isVisible() or item.getViewBox() is None:
        return np.empty(0), np.empty(0)
    rect = item.mapRectToView(item.boundingRect())
    xs = np.array([rect.left(), rect.right(), rect.left(), rect.right(), rect.center().x()])
    ys = np.array([rect.top(), rect.top(), rect.bottom(), rect.bottom(), rect.center().y()])
    return xs, ys


def segment(xy: tuple[ArrayLike, ArrayLike], count: int = 20) -> tuple[FloatArray, FloatArray]:
    """``count`` points along the segment between the first two points of ``xy``."""
    xs, ys = np.asarray(xy[0], dtype=np.float64), np.asarray(xy[1], dtype=np.float64)
    t = _steps.get(count)
    if t is None:  # (np.linspace each time took most of the time)
        t = _steps[count] = np.linspace(0.0, 1.0, count)
    x0, x1, y0, y1 = float(xs[0]), float(xs[1]), float(ys[0]), float(ys[1])
    with np.errstate(over="ignore", invalid="ignore"):
        along_x, along_y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
    if count > 1:
        along_x[-1], along_y[-1] = x1, y1  # exactly, as linspace ends
    return along_x, along_y


#: Fractions 0 … 1 of a segment, by their count (see segment).
_steps: dict[int, FloatArray] = {}


def polyline(
    xy: tuple[ArrayLike, ArrayLike], per_segment: int = 8, limit: int = 500
) -> tuple[FloatArray, FloatArray]:
    """Points along a short polyline's segments too (a long one: its vertices only)."""
    xs, ys = np.asarray(xy[0], dtype=np.float64), np.asarray(xy[1], dtype=np.float64)
    if not 2 <= xs.size <= limit:
        return xs, ys
    index = np.arange(xs.size)
    t = np.linspace(0, xs.size - 1, per_segment * (xs.size - 1) + 1)
    return np.interp(t, index, xs), np.interp(t, index, ys)


def corner_costs(
    view: pg.ViewBox, size: QRectF, obstacles: Iterable[Obstacle]
) -> FloatArray | None:
    """How much of ``obstacles`` a legend of ``size`` would cover in each of the CORNERS.

    None while the view has no size.
    """
    view_size = view.size()
    width, height = view_size.width(), view_size.height()
    if width <= 0.0 or height <= 0.0:
        return None
    xs_parts: list[ArrayLike] = []
    ys_parts: list[ArrayLike] = []
    counts: list[int] = []
    weight_parts: list[float] = []
    for x, y, weight in obstacles:
        # (Lists as they come: one concatenation below makes arrays of all of them.)
        count = len(x) if isinstance(x, Sized) else int(np.size(x))
        step = count // MAX_COUNTED + 1
        if step > 1:
            x = np.asarray(x, dtype=np.float64)[::step]
            y = np.asarray(y, dtype=np.float64)[::step]
            count = len(x)
        xs_parts.append(x)
        ys_parts.append(y)
        counts.append(count)
        weight_parts.append(float(weight))
    if not xs_parts:
        return np.zeros(len(CORNERS))
    # All obstacles at once: a handful of array operations, not a handful per obstacle.
    (x0, x1), (y0, y1) = view_range(view)
    with np.errstate(over="ignore", invalid="ignore"):
        u = (np.concatenate(xs_parts, dtype=np.float64) - x0) / (x1 - x0)  # 0 … 1 across
        v = (np.concatenate(ys_parts, dtype=np.float64) - y0) / (y1 - y0)  # 0 … 1 upwards
    weights = np.repeat(np.asarray(weight_parts), counts)
    share_x = (size.width() + MARGIN) / width
    share_y = (size.height() + MARGIN) / height
    inside = (u >= 0.0) & (u <= 1.0) & (v >= 0.0) & (v <= 1.0)
    left, right = inside & (u < share_x), inside & (u > 1.0 - share_x)
    top, bottom = v > 1.0 - share_y, v < share_y
    covered = np.stack((right & top, left & top, right & bottom, left & bottom))
    result: FloatArray = covered @ weights
    return result


def _move_to(legend: pg.LegendItem, corner: int) -> None:
    if legend.opts["offset"] == CORNERS[corner]:
        return
    scene = legend.scene()
    was = legend.mapRectToScene(legend.boundingRect()) if scene is not None else None
    legend.setOffset(CORNERS[corner])
    if scene is not None and was is not None:
        # Where it was is painted again. Qt does that for a moved item, but a move in the
        # run-up to a paint (see LegendPlacer) is painted at its new place first, and Qt
        # then forgets the old: the legend would stay there too, until painted over.
        scene.update(was)


class LegendPlacer:
    """Chooses the legend's corner, cheaply: at most once per paint, when something moved,
    and for what moves with the playhead at most every ``PLACE_INTERVAL_MS``.

    What is drawn is split in two: *still* obstacles (a curve, the data), whose costs
    are kept until the view, the legend's size or the obstacles change (call
    :meth:`invalidate` for the latter), and *moving* ones (markers, a short path),
    counted afresh each time.

    A pane calls :meth:`request` from each setter; the corner is chosen once for all the
    setters of a frame, by :meth:`place_if_due` after the last of them (or else just
    before the scene is painted). Then it rarely changes, and when it does the legend is
    drawn in its new corner in the frame's one paint (moved during the paint, it would be
    painted there in a second one). While a run plays, requests come every frame: a
    request soon after a placement waits for the interval to end (a legend that moves a
    tenth of a second late is not noticed; one placed every frame costs milliseconds of
    each).
    """

    def __init__(
        self,
        legend: pg.LegendItem,
        view: pg.ViewBox,
        still: Callable[[], Iterable[Obstacle]],
        moving: Callable[[], Iterable[Obstacle]],
    ) -> None:
        self._legend = legend
        self._view = view
        self._still = still
        self._moving = moving
        self._key: tuple[object, ...] | None = None
        self._still_costs = np.zeros(len(CORNERS))
        self._due = True
        self._placed = QElapsedTimer()
        self._later = QTimer(legend)  # dies with the legend, never fires after the pane
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._on_later_timeout)
        view.scene().sigPrepareForPaint.connect(self._on_scene_prepare_for_paint)

    def request(self) -> None:
        """Something moved: choose the corner again before a paint (soon, not always the next)."""
        if self._placed.isValid() and self._placed.elapsed() < PLACE_INTERVAL_MS:
            if not self._later.isActive():
                self._later.start(PLACE_INTERVAL_MS - int(self._placed.elapsed()))
            return
        self._due = True

    def _on_later_timeout(self) -> None:
        # Placed now, outside a paint: a legend that changes corner asks for the paint of
        # its old and new places only, and one that stays asks for none.
        self._due = False
        self.place()

    def invalidate(self) -> None:
        """The still obstacles changed (at once: this happens with a new run or view)."""
        self._key = None
        self._due = True
        self._later.stop()

    def place_if_due(self) -> None:
        """Choose the corner now if a request asked for it (the frame's setters are done)."""
        if self._due:
            self._due = False
            self.place()

    def _on_scene_prepare_for_paint(self) -> None:
        self.place_if_due()

    def place(self) -> None:
        """Move the legend now to the corner where it covers the least of all obstacles."""
        self._placed.start()
        size = self._legend.boundingRect()
        view = self._view
        key = (view_range(view), float(view.width()), float(view.height()), size.size())
        if key != self._key:
            still = corner_costs(view, size, self._still())
            if still is None:
                return
            self._still_costs, self._key = still, key
        costs = corner_costs(view, size, self._moving())
        if costs is not None:  # the first best, in order of preference
            _move_to(self._legend, int(np.argmin(self._still_costs + costs)))
