"""Lean polylines and dots in view coordinates, for what changes every frame."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike, NDArray
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gd_viewer.gui.panes.repaint import (
    SMALL_PATH,
    common_start,
    extent_of,
    path_of,
    pixel_size,
    repaint_changes,
)
from gd_viewer.gui.panes.style import view_rect

#: A precise line of more points than this draws only its part near what Qt paints.
PART_MIN_POINTS = 8


class Polyline(pg.GraphicsObject):
    """A polyline in view coordinates, drawn with a pen whose width is in pixels.

    For what changes every frame (the path so far, the tangent, the step, the fitted
    line): a ``PlotCurveItem`` does much more on each update and paint (fill levels,
    step modes, downsampling, bounds with percentiles), which adds up to milliseconds.
    Not added to auto-ranging (add it with ``ignoreBounds``).

    With ``precise``, a change has Qt paint again only where the drawing changed: the
    pieces along each segment that moved, or only the segments added to (or taken from)
    the end of a line that grew (the path so far). Qt itself would paint all of the old
    and the new bounding rects: for a line across the view, or a path that grows with
    each frame, most of the pane, and all that lies under it. Its bounding rect is then
    the view (it does not change with the points), and it tells the scene what to paint.
    """

    def __init__(self, pen: QPen, antialias: bool = True, precise: bool = False) -> None:
        super().__init__()
        self._pen = QPen(pen)
        self._antialias = antialias
        self._precise = bool(precise)
        self._x: NDArray[np.float64] = np.empty(0)
        self._y: NDArray[np.float64] = np.empty(0)
        self._path = QPainterPath()
        self._extent = QRectF()
        self._bounds: QRectF | None = None
        # A pixel's size in view coordinates, kept until the view's scale changes.
        self._pixel: tuple[float, float] | None = None
        if self._precise:
            # It draws only what Qt paints (see _exposed_path): Qt says what that is.
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    #: How points are joined (pg.arrayToQPath's ``connect``), and how many it takes.
    CONNECT = "all"
    MIN_POINTS = 1
    #: Whether the points are joined by lines (else each is drawn on its own).
    JOINS = True

    def set_data_covered(self, x: ArrayLike, y: ArrayLike) -> None:
        """:meth:`setData`, without telling Qt where a precise item changed: for an item
        drawn at the points of another, whose repaints reach far enough to cover it (see
        ``repaint_reach``) and which changes with it."""
        self._covered = True
        try:
            self.setData(x, y)
        finally:
            self._covered = False

    _covered = False

    def setData(self, x: ArrayLike, y: ArrayLike) -> None:
        """Join the points ``x``, ``y`` (finite ones, which is what the panes pass)."""
        xs = np.array(x, dtype=np.float64)
        ys = np.array(y, dtype=np.float64)
        if xs.ndim != 1 or ys.ndim != 1:
            xs, ys = xs.ravel(), ys.ravel()
        if not self._precise:
            self.prepareGeometryChange()
            self._points_changed(0)
            self._x, self._y = xs, ys
            if xs.size >= self.MIN_POINTS:
                self._path = self._make_path(xs, ys)
                self._extent = extent_of(xs, ys)
            else:
                self._path = QPainterPath()
                self._extent = QRectF()
            self._bounds = None
            self.update()
            return
        # Precise: its bounds are the view's (no extent), and it tells Qt what changed.
        old_x, old_y = self._x, self._y
        self._x, self._y = xs, ys
        common = None
        if xs.size != old_x.size and self.CONNECT == "all":
            common = common_start((old_x, old_y), (xs, ys))
        self._points_changed(common or 0)
        if xs.size < self.MIN_POINTS:
            self._path = QPainterPath()
        elif common is not None and 0 < common == old_x.size:
            self._path = self._grown_path(common)  # (a line that grew: mostly)
        else:
            self._path = self._make_path(xs, ys)
        if not self._covered:
            margin = max(self._repaint_margin(), self.repaint_reach)
            repaint_changes(
                self, (old_x, old_y), (xs, ys), margin, self.CONNECT, self.JOINS, common
            )

    #: For a precise item: how many pixels around its changes Qt paints again, at least.
    repaint_reach = 0.0

    def _points_changed(self, kept: int) -> None:
        """New points replace the old, of which the first ``kept`` stay as they were."""

    def _grown_path(self, old_count: int) -> QPainterPath:
        """The path, now that the first ``old_count`` points (those of the path drawn so
        far) have more after them: the path so far, continued (the same path as made
        anew, made in a fraction of the time)."""
        us, vs = self._x[old_count:].tolist(), self._y[old_count:].tolist()
        if not math.isfinite(sum(us) + sum(vs)):
            return self._make_path(self._x, self._y)
        path = QPainterPath(self._path)
        for u, v in zip(us, vs, strict=True):
            path.lineTo(u, v)
        return path

    def _make_path(self, xs: NDArray[np.float64], ys: NDArray[np.float64]) -> QPainterPath:
        """The path drawn for the points (at least MIN_POINTS of them)."""
        return path_of(xs, ys, self.CONNECT)

    def getData(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The points joined."""
        return self._x, self._y

    def viewChanged(self, view: Any, oldView: Any) -> None:
        if self._precise:  # its bounds are the view's
            self.prepareGeometryChange()
            self._bounds = None

    def viewRangeChanged(self) -> None:
        super().viewRangeChanged()
        if self._precise:
            self.prepareGeometryChange()
            self._bounds = None

    def viewTransformChanged(self) -> None:
        # The pen's width is in pixels: so is the margin of the bounding rect.
        super().viewTransformChanged()
        self.prepareGeometryChange()
        self._bounds = None
        self._pixel = None

    def _margin(self) -> float:
        """How far past its points the item draws, in pixels."""
        return self._pen.widthF() / 2.0 + 1.0

    def _repaint_margin(self) -> float:
        """How far past its points a change may show, in pixels (square caps and miter
        joins reach past half the pen's width; antialiasing a pixel more)."""
        return self._pen.widthF() + 2.0

    def boundingRect(self) -> QRectF:
        if self._bounds is None:
            if self._precise:
                return self._view_bounds()
            if not self._x.size:
                return QRectF()
            if self._pixel is None:
                self._pixel = pixel_size(self)  # (pixelVectors costs a few calls)
            pixel = self._pixel or (0.0, 0.0)
            margin = self._margin()
            dx, dy = margin * pixel[0], margin * pixel[1]
            self._bounds = self._extent.adjusted(-dx, -dy, dx, dy)
        return self._bounds

    def _view_bounds(self) -> QRectF:
        """The view's range (kept until it changes), for a precise item."""
        bounds = view_rect(self)
        if bounds.isNull():
            return bounds
        self._bounds = bounds
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self._path.isEmpty():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self._antialias)
        painter.setPen(self._pen)
        painter.drawPath(self._exposed_path(painter, option.exposedRect))

    def _exposed_path(self, painter: QPainter, exposed: QRectF) -> QPainterPath:
        """The path, or for a long precise one only its segments that reach into
        ``exposed`` (what Qt paints: mostly a small part of the view, where something
        changed).

        Qt strokes all of a path however little of it is painted: a hundred points took a
        tenth of a millisecond to stroke for a few pixels painted, in every paint of the
        pane (a precise item's bounds are the view). With a solid pen, the run of segments
        from the first to the last that comes near ``exposed`` draws there what the whole
        path draws, to the pixel: the segments left out keep a margin of more than a
        join's reach away, and so do the ends of the run.
        """
        x, y = self._x, self._y
        if (
            not self._precise
            or self.CONNECT != "all"
            or x.size <= PART_MIN_POINTS
            or self._pen.style() != Qt.PenStyle.SolidLine  # (dashes count from the start)
        ):
            return self._path
        transform = painter.worldTransform()
        scale_x, scale_y = abs(transform.m11()), abs(transform.m22())
        if transform.m12() or transform.m21() or not scale_x or not scale_y:
            return self._path
        reach = 2.0 * self._pen.widthF() + 2.0  # pixels: a miter join, and antialiasing
        left, right = exposed.left() - reach / scale_x, exposed.right() + reach / scale_x
        top, bottom = exposed.top() - reach / scale_y, exposed.bottom() + reach / scale_y
        x0, x1, y0, y1 = x[:-1], x[1:], y[:-1], y[1:]
        near = np.flatnonzero(
            (np.minimum(x0, x1) <= right)
            & (np.maximum(x0, x1) >= left)
            & (np.minimum(y0, y1) <= bottom)
            & (np.maximum(y0, y1) >= top)
        )
        if not near.size:
            return QPainterPath()
        first, last = int(near[0]), int(near[-1]) + 1  # the points of the run
        if first == 0 and last == x.size - 1:
            return self._path
        us, vs = x[first : last + 1], y[first : last + 1]
        if not (np.isfinite(us).all() and np.isfinite(vs).all()):
            return self._path
        return path_of(us, vs, "all")


class Dots(Polyline):
    """The same symbol at each of a few hundred points, drawn from one small picture.

    A ``ScatterPlotItem`` keeps per-point records and a symbol atlas, and recomputes
    its bounds from them on each update: milliseconds for a trail that grows every
    frame. Here the symbol is drawn once into a pixmap and copied to each point.
    Not added to auto-ranging (add it with ``ignoreBounds``).
    """

    def __init__(
        self, symbol: str, size: float, pen: QPen, brush: QBrush, precise: bool = False
    ) -> None:
        outline = pen.widthF() if pen.style() != Qt.PenStyle.NoPen else 0.0
        super().__init__(QPen(Qt.PenStyle.NoPen), precise=precise)
        self._symbol = QTransform.fromScale(size, size).map(Symbols[symbol])
        self._symbol_pen, self._symbol_brush = QPen(pen), QBrush(brush)
        self._half = size / 2.0 + outline / 2.0 + 1.0
        self._picture: QPixmap | None = None
        # Where to copy the picture to, for one drawPixmapFragments (as a ScatterPlotItem
        # does): a call per point from Python took a third of a millisecond for a hundred.
        self._fragments = PrimitiveArray(QPainter.PixmapFragment, 10)
        self._capacity = 0  # rows of it kept (beyond, it is made anew, empty)
        # Its first _placed rows hold the first points as the painter with _placed_for
        # (its transform and device pixel ratio) draws them: a path that grows by a point
        # has one row more worked out, not all (see paint).
        self._placed = 0
        self._placed_for: tuple[float, ...] | None = None

    def _pixmap(self, ratio: float) -> QPixmap:
        """The symbol for a device of ``ratio`` device pixels per pixel (sharp on high DPI)."""
        if self._picture is None or self._picture.devicePixelRatio() != ratio:
            side = math.ceil(2.0 * self._half * ratio)
            self._picture = QPixmap(side, side)
            self._picture.setDevicePixelRatio(ratio)
            self._picture.fill(Qt.GlobalColor.transparent)
            painter = QPainter(self._picture)
            self._draw_symbol(painter, QPointF(self._half, self._half), 1.0)
            painter.end()
        return self._picture

    def _draw_symbol(self, painter: QPainter, at: QPointF, scale: float) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._symbol_pen)
        painter.setBrush(self._symbol_brush)
        painter.translate(at)
        painter.scale(scale, scale)
        painter.drawPath(self._symbol)
        painter.restore()

    def _make_path(self, xs: NDArray[np.float64], ys: NDArray[np.float64]) -> QPainterPath:
        return QPainterPath()  # the symbols are drawn at the points, not a path

    def _margin(self) -> float:
        return self._half

    def _repaint_margin(self) -> float:
        return self._half + 1.0

    def reach(self) -> float:
        """How far its drawing reaches from its points, in pixels (see ``repaint_reach``)."""
        return self._repaint_margin()

    def _grown_path(self, old_count: int) -> QPainterPath:
        return QPainterPath()  # the symbols are drawn at the points, not a path

    def _points_changed(self, kept: int) -> None:
        self._placed = min(self._placed, kept)

    JOINS = False

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        x, y = self.getData()
        count = x.size
        if not count:
            return
        transform = painter.transform()
        m11, m21, dx = transform.m11(), transform.m21(), transform.dx()
        m12, m22, dy = transform.m12(), transform.m22(), transform.dy()
        # An export paints through a painter scaled beyond the view (whose own transform
        # is the identity in pyqtgraph): the symbols grow with it.
        on_screen = self.sceneTransform().m11()
        scale = abs(m11 / on_screen) if on_screen else 1.0
        painter.save()
        painter.resetTransform()
        if math.isclose(scale, 1.0, rel_tol=1e-6):
            device = painter.device()
            ratio = device.devicePixelRatioF() if device is not None else 1.0
            pixmap = self._pixmap(ratio)
            side = float(pixmap.width())  # in device pixels
            # The centre of each copy: its top left at the point less half the symbol.
            centre = side / (2.0 * ratio) - self._half
            drawn_for = (m11, m21, dx, m12, m22, dy, ratio)
            placed = self._placed if drawn_for == self._placed_for else 0
            if count > self._capacity:
                self._capacity = max(2 * count, 64)
                self._fragments.resize(self._capacity)  # (made anew: nothing in it)
                placed = 0
            self._fragments.resize(count)
            fragments = self._fragments.ndarray()
            if placed < count:
                self._place_fragments(
                    fragments, x, y, placed, (m11, m21, dx, m12, m22, dy), centre, side, ratio
                )
            self._placed, self._placed_for = count, drawn_for
            # (The fragments as PyQt or PySide takes them: a pointer and a count, or a list.)
            draw_fragments: Any = painter.drawPixmapFragments
            draw_fragments(*self._fragments.drawargs(), pixmap)
        else:
            u = m11 * x + m21 * y + dx
            v = m12 * x + m22 * y + dy
            for ui, vi in zip(u.tolist(), v.tolist(), strict=True):
                self._draw_symbol(painter, QPointF(ui, vi), scale)
        painter.restore()

    @staticmethod
    def _place_fragments(
        fragments: NDArray[np.float64],
        x: NDArray[np.float64],
        y: NDArray[np.float64],
        first: int,
        transform: tuple[float, float, float, float, float, float],
        centre: float,
        side: float,
        ratio: float,
    ) -> None:
        """Fill the rows of the points from ``first`` on: where the picture's top left goes
        (the point through the painter's ``transform``, plus ``centre``), and all of the
        picture (``side`` device pixels) at the device's pixel ``ratio``."""
        m11, m21, dx, m12, m22, dy = transform
        if fragments.shape[0] - first <= SMALL_PATH:  # (a few: a path grew)
            for row, (xi, yi) in enumerate(
                zip(x[first:].tolist(), y[first:].tolist(), strict=True), first
            ):
                # The arithmetic of the arrays below, in the same order (the same numbers).
                u = m11 * xi + m21 * yi + dx + centre
                v = m12 * xi + m22 * yi + dy + centre
                fragments[row] = (u, v, 0.0, 0.0, side, side, 1.0 / ratio, 1.0 / ratio, 0.0, 1.0)
            return
        rows = fragments[first:]
        xs, ys = x[first:], y[first:]
        rows[:, 0] = m11 * xs + m21 * ys + dx + centre  # x, y
        rows[:, 1] = m12 * xs + m22 * ys + dy + centre
        rows[:, 2:4] = 0.0  # the source: all of the picture
        rows[:, 4:6] = side
        rows[:, 6:8] = 1.0 / ratio  # its device pixels, in pixels
        rows[:, 8] = 0.0  # rotation
        rows[:, 9] = 1.0  # opacity
