"""The cost landscape of the line y = w·x + b: the cost over (w, b), the optimum and the path.

The cost is shown as a colour map of ``log10(cost − least cost + tiny)``, so that the
valley around the optimum shows at any zoom (on a linear scale all but the rim of
the view would be one colour), with contour lines of equal cost. The image is
sampled afresh over the visible view whenever the data or the view change, from
the cost as a quadratic in (w, b): its cost is the same for ten points or ten
million.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from gd_viewer.core.quadratic import QuadraticCost
from gd_viewer.gui.panes.base import PlotPane, SteadyViewBox
from gd_viewer.gui.panes.label import Label
from gd_viewer.gui.panes.landscape_grid import Segments, contour_segments, sample
from gd_viewer.gui.panes.legend import legend, legend_entry
from gd_viewer.gui.panes.legend_placement import LegendPlacer, Obstacle, outline
from gd_viewer.gui.panes.legend_placement import polyline as along_polyline
from gd_viewer.gui.panes.marker import Dot
from gd_viewer.gui.panes.pinned import PinnedCurve, PinnedOverlay
from gd_viewer.gui.panes.polyline import Dots, Polyline
from gd_viewer.gui.panes.style import (
    CARD,
    DARK_GREEN,
    GREEN,
    LABEL_SIZE,
    ORANGE,
    TEXT,
    VERMILLION,
    all_finite,
    finite_xy,
    keep_picture,
    minus,
    name_items,
    pen,
    short_number,
    style_plot,
    view_range,
)

#: Samples of the cost along each axis of the view.
GRID = 200
#: Contour lines, evenly spaced on the colour scale (so at costs in a fixed ratio).
CONTOURS = 7
#: Room around what :meth:`LandscapePane.fit_view` fits, as a share of its extent.
FIT_MARGIN = 0.15
#: Beyond this many points the path is a line without a dot at each point (a
#: stochastic run's thousands of updates would be a blot of dots).
MAX_PATH_DOTS = 400
#: A perceptually uniform colour map: dark is low, as a valley is.
COLOUR_MAP = "viridis"
#: The contour lines: thin, light and translucent, on any colour of the map.
CONTOUR_COLOUR = QColor(255, 255, 255, 150)
#: Stacking: the image under everything (pinned runs are at −1), contours over it.
IMAGE_Z, CONTOUR_Z = -20.0, -10.0


class _PickingViewBox(SteadyViewBox):
    """A view that offers its left clicks to ``pick`` (which accepts them or not)."""

    def __init__(self) -> None:
        super().__init__(steady=False)
        self.pick: Callable[[QPointF], bool] | None = None

    def mouseClickEvent(self, ev: MouseClickEvent) -> None:
        left = ev.button() == Qt.MouseButton.LeftButton
        if left and not ev.double() and self.pick is not None and self.pick(ev.scenePos()):
            ev.accept()
            return
        super().mouseClickEvent(ev)


class LandscapePane(PlotPane):
    """The cost over (w, b) for the line model, with the optimum and the path of the run.

    Setters never emit. The image is worked out again (once, before the next paint)
    when :meth:`set_quadratic` is called or the view changes (a pan, a zoom,
    :meth:`set_view`).

    Signals
    -------
    start_picked(float, float)
        While :meth:`set_start_pickable` is on: the (w, b) under a left click in the
        plot (a left drag pans, and picks nothing).
    """

    start_picked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None, grid: int = GRID) -> None:
        self._view = _PickingViewBox()
        super().__init__(parent, viewBox=self._view)
        self.setObjectName("landscapePane")
        self.setAccessibleName(self.tr("cost landscape over w and b"))
        style_plot(self, self.tr("Cost over (w, b)"), self.tr("w"), self.tr("b"))
        item = self.getPlotItem()
        item.showGrid(x=False, y=False)  # the image would hide it: contours take its place
        self._view.disableAutoRange()
        self._grid_size = max(int(grid), 2)
        self._quadratic: QuadraticCost | None = None
        self._tiny = 1.0
        self._stale = False
        self._view_chosen = False
        self._pickable = False
        self._current: tuple[float, float] | None = None

        self._image = pg.ImageItem(axisOrder="col-major")
        self._image.setZValue(IMAGE_Z)
        contour_pen = pen(TEXT, 1.0)
        contour_pen.setColor(CONTOUR_COLOUR)
        self._contours = Segments(contour_pen)
        self._contours.setZValue(CONTOUR_Z)
        path_pen = pen(ORANGE, 2.0)
        self._path_halo = Polyline(pen(TEXT, 4.0))  # a dark edge: orange shows on yellow too
        self._path = Polyline(path_pen)
        self._path_dots = Dots("o", 6, pg.mkPen(TEXT, width=0.5), pg.mkBrush(ORANGE))
        self._current_dot = Dot(
            "o", 13, pen=pg.mkPen(TEXT, width=1.5), brush=pg.mkBrush(VERMILLION)
        )
        self._optimum = Dot("star", 20, pen=pg.mkPen(TEXT, width=1), brush=pg.mkBrush(GREEN))
        self._optimum_label = Label(DARK_GREEN, CARD)
        keep_picture(self._optimum_label)
        name_items(
            image=self._image, contours=self._contours, pathHalo=self._path_halo, path=self._path,
            pathDots=self._path_dots, current=self._current_dot, optimum=self._optimum,
            optimumLabel=self._optimum_label,
        )  # fmt: skip
        # Bottom to top: the path, the optimum, the current point.
        decorations: tuple[pg.GraphicsObject, ...] = (
            self._path_halo, self._path, self._path_dots, self._optimum, self._optimum_label,
            self._current_dot,
        )  # fmt: skip
        for z, decoration in enumerate(decorations, start=1):
            decoration.setZValue(z)
        for part in (self._image, self._contours, *decorations):
            item.addItem(part, ignoreBounds=True)
            part.hide()

        self._bar = pg.ColorBarItem(
            colorMap=pg.colormap.get(COLOUR_MAP), interactive=False, width=14
        )
        self._bar.setImageItem(self._image, insert_in=item)
        bar_axis = self._bar.axis
        bar_axis.setLogMode(True)  # ticks at the costs themselves: 0.01, 1, 100
        bar_axis.setPen(pg.mkPen(TEXT))
        bar_axis.setTextPen(pg.mkPen(TEXT))
        bar_axis.setLabel(
            self.tr("cost − least cost (log scale)"), color=TEXT, **{"font-size": LABEL_SIZE}
        )

        self._legend = legend(self)
        path_style = {
            "pen": path_pen, "symbol": "o", "symbolSize": 6,
            "symbolPen": pg.mkPen(TEXT, width=0.5), "symbolBrush": pg.mkBrush(ORANGE),
        }  # fmt: skip
        legend_entry(self._legend, self.tr("path so far"), **path_style)
        self._current_entry = legend_entry(
            self._legend, "", pen=None, symbol="o", symbolSize=13,
            symbolPen=pg.mkPen(TEXT, width=1.5), symbolBrush=pg.mkBrush(VERMILLION),
        )  # fmt: skip
        legend_entry(
            self._legend, self.tr("optimum"), pen=None, symbol="star", symbolSize=20,
            symbolPen=pg.mkPen(TEXT, width=1), symbolBrush=pg.mkBrush(GREEN),
        )  # fmt: skip
        self._pinned = PinnedOverlay(item, self._legend)
        self._placer = LegendPlacer(self._legend, self._view, self._still, self._moving)
        self._when_frame_finished(self._placer.place_if_due)
        self._update_current_text()

        # A pan or zoom asks for a new image: worked out once, on the next turn of the
        # event loop or just before the next paint, whichever comes first.
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self._refresh)
        self.scene().sigPrepareForPaint.connect(self._refresh)
        self._view.sigRangeChanged.connect(self._on_view_range_changed)
        self._view.sigResized.connect(self._place_optimum_label)
        self._view.pick = self._pick

    # ------------------------------------------------------------ setters

    def set_quadratic(self, quadratic: QuadraticCost | None) -> None:
        """Show the landscape of ``quadratic``, the cost for the current data
        (``LineModel().quadratic(data)``, a ``LineQuadratic``); None, or the cost of
        another model (not two parameters): none.

        The first time, with no view chosen yet, the view is fitted around the optimum.
        """
        two = quadratic is not None and len(quadratic.optimum) == 2
        self._quadratic = quadratic if two else None
        optimum = self._optimum_point()
        self._optimum.setVisible(optimum is not None)
        self._optimum_label.setVisible(optimum is not None)
        if optimum is not None:
            self._optimum.setData([optimum[0]], [optimum[1]])
            self._optimum_label.setPos(*optimum)
            self._optimum_label.setText(
                self.tr("(w*, b*) = ({w}, {b})").format(
                    w=minus(f"{optimum[0]:.4g}"), b=minus(f"{optimum[1]:.4g}")
                )
            )
            if not self._view_chosen:
                self.fit_view(())
        self._place_optimum_label()
        self._mark_stale()
        self._placer.invalidate()

    def set_view(self, w_range: Sequence[float], b_range: Sequence[float]) -> None:
        """Show w over ``w_range`` and b over ``b_range`` (ignored if empty or not finite)."""
        (w0, w1), (b0, b1) = (float(v) for v in w_range), (float(v) for v in b_range)
        if not (all_finite(w0, w1, b0, b1, w1 - w0, b1 - b0) and w0 < w1 and b0 < b1):
            return
        self._view_chosen = True
        self._view.setRange(xRange=(w0, w1), yRange=(b0, b1), padding=0.0)

    def fit_view(self, points: Iterable[Sequence[float]]) -> None:
        """Show the optimum and the (w, b) ``points`` (a start, a path), with a margin."""
        pairs = [(float(p[0]), float(p[1])) for p in points]
        optimum = self._optimum_point()
        if optimum is not None:
            pairs.append(optimum)
        pairs = [pair for pair in pairs if all_finite(*pair)]
        if not pairs:
            return
        ws, bs = zip(*pairs, strict=True)
        self.set_view(_padded(min(ws), max(ws)), _padded(min(bs), max(bs)))

    def set_path(self, w: ArrayLike, b: ArrayLike) -> None:
        """Show the visited (w, b) up to the playhead (not-finite points are left out).

        A dot marks each point while there are at most ``MAX_PATH_DOTS`` of them.
        """
        ws, bs = finite_xy(w, b)
        if not self._changes("path", ws, bs):
            return
        for line in (self._path_halo, self._path):
            line.setData(ws, bs)
            line.setVisible(ws.size > 1)
        dotted = 0 < ws.size <= MAX_PATH_DOTS
        self._path_dots.setData(ws if dotted else [], bs if dotted else [])
        self._path_dots.setVisible(dotted)
        self._placer.request()

    def set_current(self, w: float, b: float) -> None:
        """Mark the (w, b) at the playhead (hidden when not finite)."""
        w, b = float(w), float(b)
        self._current = (w, b) if all_finite(w, b) else None
        if self._current is not None and self._changes("current", [w], [b]):
            self._current_dot.setData([w], [b])
        self._current_dot.setVisible(self._current is not None)
        self._update_current_text()
        self._placer.request()

    def set_pinned(self, runs: Sequence[PinnedCurve], heads: bool = False) -> None:
        """Draw pinned runs' paths ``(label, colour, w, b)`` under the live one; ``heads``: a dot at
        the last point of each (a race)."""
        self._pinned.set_runs(runs, heads)
        self._placer.invalidate()

    def set_start_pickable(self, pickable: bool) -> None:
        """Let a left click in the plot pick the start (emits ``start_picked``), or not."""
        self._pickable = bool(pickable)
        if self._pickable:
            self._view.setCursor(Qt.CursorShape.CrossCursor)
        else:
            self._view.unsetCursor()

    def start_pickable(self) -> bool:
        """Whether a click picks the start."""
        return self._pickable

    @property
    def tiny(self) -> float:
        """What the image adds to ``cost − least cost`` before the log (see :func:`log_excess`)."""
        return self._tiny

    # ------------------------------------------------------------ the image

    def _mark_stale(self) -> None:
        self._stale = True
        self._later.start()

    def _on_view_range_changed(self, *_: object) -> None:
        self._mark_stale()
        self._place_optimum_label()
        self._placer.request()

    def _refresh(self) -> None:
        """Sample the cost over the view again, if the data or the view changed since."""
        if not self._stale:
            return
        self._stale = False
        self._later.stop()
        shown = self._sample()
        self._image.setVisible(shown)
        self._contours.setVisible(shown)

    def _sample(self) -> bool:
        """Put the cost over the view into the image and contours; False if there is none."""
        q = self._quadratic
        w_range, b_range = view_range(self._view)
        shown = None if q is None else sample(q, w_range, b_range, self._grid_size)
        if shown is None:
            return False
        self._tiny = shown.tiny
        levels = (shown.low, shown.high)
        self._image.setImage(shown.z.astype(np.float32), autoLevels=False, levels=levels)
        self._image.setRect(
            QRectF(w_range[0], b_range[0], w_range[1] - w_range[0], b_range[1] - b_range[0])
        )
        self._bar.setLevels(levels)
        contour_levels = np.linspace(shown.low, shown.high, CONTOURS + 2)[1:-1]
        self._contours.setData(*contour_segments(shown.ws, shown.bs, shown.z, contour_levels))
        return True

    # ------------------------------------------------------------ the rest

    def _optimum_point(self) -> tuple[float, float] | None:
        q = self._quadratic
        if q is None or not all_finite(*q.optimum):
            return None
        return float(q.optimum[0]), float(q.optimum[1])

    def _pick(self, scene_pos: QPointF) -> bool:
        """Emit the (w, b) at ``scene_pos`` if the start is pickable and it is on the plot."""
        if not self._pickable or self._legend.sceneBoundingRect().contains(scene_pos):
            return False
        point = self._view.mapSceneToView(scene_pos)
        w, b = float(point.x()), float(point.y())
        if not all_finite(w, b):
            return False
        self.start_picked.emit(w, b)
        return True

    def _update_current_text(self) -> None:
        text = self.tr("now: –")
        if self._current is not None:
            w, b = (short_number(v) for v in self._current)
            text = self.tr("now: ({w}, {b})").format(w=w, b=b)
        self._show_text(self._current_entry, text)

    def _place_optimum_label(self, *_: object) -> None:
        """Keep the (w*, b*) label inside the view, above the star (below it near the top);
        in a view too narrow for all of it, leave it out (cut off, it could not be read)."""
        optimum = self._optimum_point()
        if optimum is None:
            return
        fits = self._optimum_label.card_size()[0] <= self._view.width() or self._view.width() <= 0
        self._optimum_label.setVisible(fits)
        (w0, w1), (b0, b1) = view_range(self._view)
        with np.errstate(all="ignore"):
            across = (optimum[0] - w0) / (w1 - w0)
            up = (optimum[1] - b0) / (b1 - b0)
        across = min(max(across, 0.0), 1.0) if math.isfinite(across) else 0.5
        below = math.isfinite(up) and up > 0.85
        self._optimum_label.setAnchor((across, -0.7 if below else 1.7))

    def _still(self) -> list[Obstacle]:
        marks: list[Obstacle] = []
        if self._optimum.isVisible():
            marks.append((*self._optimum.getData(), 200.0))
            marks.append((*outline(self._optimum_label), 100.0))
        return marks + self._pinned.obstacles()

    def _moving(self) -> list[Obstacle]:
        marks: list[Obstacle] = []
        if self._current is not None:
            marks.append(([self._current[0]], [self._current[1]], 200.0))
        if self._path.isVisible():
            marks.append((*along_polyline(self._path.getData()), 2.0))
        return marks


def _padded(low: float, high: float) -> tuple[float, float]:
    """``low`` to ``high`` with ``FIT_MARGIN`` on each side (a single value gets some room)."""
    span = high - low
    if not span > 0.0:
        span = max(abs(low), 1.0)
    margin = FIT_MARGIN * span
    return low - margin, high + margin
