"""Markers: the loss curve's current-w marker (the user may drag it along w), and dots."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike, NDArray
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from pyqtgraph.GraphicsScene.mouseEvents import MouseDragEvent
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gd_viewer.gui.panes.style import TEXT, VERMILLION, all_finite, view_range, view_rect

#: Up to this many points, a path is built point by point (pg.arrayToQPath costs more).
SMALL_PATH = 16
#: An item that repaints only where it changed (see Polyline's ``precise``) splits a slanted
#: segment into pieces about this many pixels across its shorter side …
PIECE_PIXELS = 24.0
#: … into at most this many.
MAX_PIECES = 8

#: A rectangle in the scene (its pixels): left, top, right, bottom.
SceneRect = tuple[float, float, float, float]


def pixel_size(item: pg.GraphicsObject) -> tuple[float, float] | None:
    """The width and height of a pixel in ``item``'s coordinates; None while not shown."""
    px, py = item.pixelVectors()
    if px is None or py is None:
        return None
    return px.length(), py.length()


def padded(item: pg.GraphicsObject, extent: QRectF, pixels: float) -> QRectF:
    """``extent`` (view coordinates) grown by ``pixels`` on every side, at the view's scale."""
    size = pixel_size(item)
    dx, dy = (pixels * size[0], pixels * size[1]) if size is not None else (0.0, 0.0)
    return extent.adjusted(-dx, -dy, dx, dy)


def path_of(xs: NDArray[np.float64], ys: NDArray[np.float64], connect: str) -> QPainterPath:
    """The path joining the points (``connect`` as for pg.arrayToQPath: "all" or "pairs")."""
    path: QPainterPath
    if xs.size > SMALL_PATH or connect not in ("all", "pairs"):
        path = pg.arrayToQPath(xs, ys, connect=connect)
        return path
    us, vs = xs.tolist(), ys.tolist()
    if not all_finite(*us, *vs):
        path = pg.arrayToQPath(xs, ys, connect=connect)
        return path
    path = QPainterPath()
    if connect == "all":
        path.moveTo(us[0], vs[0])
        for u, v in zip(us[1:], vs[1:], strict=True):
            path.lineTo(u, v)
    else:
        for i in range(0, len(us) - 1, 2):
            path.moveTo(us[i], vs[i])
            path.lineTo(us[i + 1], vs[i + 1])
    return path


def segment_pieces(
    u0: float, v0: float, u1: float, v1: float, before: SceneRect | None = None
) -> list[SceneRect]:
    """Rectangles covering the segment from ``(u0, v0)`` to ``(u1, v1)`` (pixels) and,
    piece by piece, the segment ``before`` (from ``(before[0], before[1])`` to
    ``(before[2], before[3])``) that it replaces.

    A slanted segment is split into pieces along it: their rectangles cover a fraction
    of its bounding box, which for a line across the view is most of the view.
    """
    a0, b0, a1, b1 = (u0, v0, u1, v1) if before is None else before
    du, dv, da, db = u1 - u0, v1 - v0, a1 - a0, b1 - b0
    # (Plain arithmetic: this runs for each segment that changes, each frame.)
    across = max(abs(du), abs(da))
    up = max(abs(dv), abs(db))
    short = across if across < up else up
    # (Not finite: the rectangles are not either, and all of the item is painted.)
    count = int(short / PIECE_PIXELS) if short < MAX_PIECES * PIECE_PIXELS else MAX_PIECES
    if count <= 1:
        return [
            (min(u0, u1, a0, a1), min(v0, v1, b0, b1), max(u0, u1, a0, a1), max(v0, v1, b0, b1))
        ]
    rects: list[SceneRect] = []
    for piece in range(count):
        t0, t1 = piece / count, (piece + 1) / count
        p0, p1, q0, q1 = u0 + du * t0, u0 + du * t1, a0 + da * t0, a0 + da * t1
        r0, r1, s0, s1 = v0 + dv * t0, v0 + dv * t1, b0 + db * t0, b0 + db * t1
        rects.append(
            (min(p0, p1, q0, q1), min(r0, r1, s0, s1), max(p0, p1, q0, q1), max(r0, r1, s0, s1))
        )
    return rects


Points = tuple[NDArray[np.float64], NDArray[np.float64]]


def repaint_changes(
    item: QGraphicsItem,
    old: Points,
    new: Points,
    margin: float,
    connect: str,
    joins: bool,
    common: int | None = None,
) -> None:
    """Have the scene paint again where ``item`` drew the points ``old`` differently from
    the points ``new`` (its coordinates), ``margin`` pixels around them.

    For an item whose bounding rect does not change with its points (Qt would paint all
    of the old and the new bounds again): the pieces of the segments that moved, or the
    segments that a line grew by (or lost) at its end. ``connect`` is how the points are
    joined ("all", "pairs"), or with ``joins`` False, each point is drawn on its own.
    ``common``: :func:`common_start` of the two, if known.
    """
    scene = item.scene()
    if scene is None or not item.isVisible():
        return  # nothing shown (an item shown is painted whole)
    transform = item.sceneTransform()
    sx, sy, dx, dy = transform.m11(), transform.m22(), transform.dx(), transform.dy()
    if transform.m12() != 0.0 or transform.m21() != 0.0 or sx == 0.0 or sy == 0.0:
        item.update()  # (never in a plot: its views are not rotated)
        return
    rects = changed_rects(old, new, (sx, sy, dx, dy), connect, joins, common)
    for index, (left, top, right, bottom) in enumerate(rects):
        if not math.isfinite(left + top + right + bottom):
            item.update()  # off the scale: all of it
            return
        left, top, right, bottom = left - margin, top - margin, right + margin, bottom + margin
        if index:
            scene.update(QRectF(left, top, right - left, bottom - top))
            continue
        # The first through the item: Qt then paints the rects given to the scene in the
        # same paint as the items' changes (the scene's alone would come first, in a
        # paint of their own).
        x0, x1 = (left - dx) / sx, (right - dx) / sx
        y0, y1 = (top - dy) / sy, (bottom - dy) / sy
        item.update(QRectF(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)))


def changed_rects(
    old: Points,
    new: Points,
    to_scene: tuple[float, float, float, float],
    connect: str = "all",
    joins: bool = True,
    common: int | None = None,
) -> list[SceneRect]:
    """Rectangles (pixels; ``to_scene`` is x scale, y scale, x shift, y shift) holding
    what differs between the drawing of the points ``old`` and of the points ``new``
    (``common``: :func:`common_start` of the two, if known)."""
    (old_x, old_y), (new_x, new_y) = old, new
    old_count, new_count = old_x.size, new_x.size
    if old_count == new_count and new_count <= SMALL_PATH:
        return _moved_rects(old, new, to_scene, connect, joins)
    if connect != "all":
        common = 0
    elif common is None:
        common = common_start(old, new)
    if common:
        # Grown (or shrunk) at the end: the segments beyond the common points.
        longer_x, longer_y = (new_x, new_y) if new_count > old_count else (old_x, old_y)
        first = common - 1 if joins else common
        return _drawn_rects(longer_x[first:], longer_y[first:], to_scene, connect, joins)
    return _drawn_rects(old_x, old_y, to_scene, connect, joins) + _drawn_rects(
        new_x, new_y, to_scene, connect, joins
    )


def common_start(old: Points, new: Points) -> int:
    """How many points the shorter of ``old`` and ``new`` has, if the longer starts with
    them (a line that grew, or shrank, at its end); else 0."""
    (old_x, old_y), (new_x, new_y) = old, new
    count = min(old_x.size, new_x.size)
    if (
        count
        and old_x[:count].tobytes() == new_x[:count].tobytes()
        and old_y[:count].tobytes() == new_y[:count].tobytes()
    ):
        return int(count)
    return 0


def _moved_rects(
    old: Points,
    new: Points,
    to_scene: tuple[float, float, float, float],
    connect: str,
    joins: bool,
) -> list[SceneRect]:
    """As many points as before (a few): each segment that moved, piece by piece."""
    sx, sy, dx, dy = to_scene
    us, vs = [sx * x + dx for x in new[0].tolist()], [sy * y + dy for y in new[1].tolist()]
    ous, ovs = [sx * x + dx for x in old[0].tolist()], [sy * y + dy for y in old[1].tolist()]
    rects: list[SceneRect] = []
    count = len(us)
    if count < 2 or not joins:  # points on their own
        for u, v, ou, ov in zip(us, vs, ous, ovs, strict=True):
            if u != ou or v != ov:
                rects += [(u, v, u, v), (ou, ov, ou, ov)]
        return rects
    for i in range(0, count - 1, 2 if connect == "pairs" else 1):
        now = (us[i], vs[i], us[i + 1], vs[i + 1])
        before = (ous[i], ovs[i], ous[i + 1], ovs[i + 1])
        if now != before:
            rects += segment_pieces(*now, before=before)
    return rects


def _drawn_rects(
    xs: NDArray[np.float64],
    ys: NDArray[np.float64],
    to_scene: tuple[float, float, float, float],
    connect: str,
    joins: bool,
) -> list[SceneRect]:
    """Rectangles (pixels) holding the drawing of the points: piece by piece for a few,
    their bounds for many."""
    sx, sy, dx, dy = to_scene
    count = xs.size
    if not count:
        return []
    if count > SMALL_PATH:
        # (Not finite if they are not: then all of the item is painted again.)
        left, right = sx * float(xs.min()) + dx, sx * float(xs.max()) + dx
        top, bottom = sy * float(ys.min()) + dy, sy * float(ys.max()) + dy
        return [(min(left, right), min(top, bottom), max(left, right), max(top, bottom))]
    us, vs = [sx * x + dx for x in xs.tolist()], [sy * y + dy for y in ys.tolist()]
    if count < 2 or not joins:
        return [(u, v, u, v) for u, v in zip(us, vs, strict=True)]
    rects: list[SceneRect] = []
    for i in range(0, count - 1, 2 if connect == "pairs" else 1):
        rects += segment_pieces(us[i], vs[i], us[i + 1], vs[i + 1])
    return rects


def extent_of(xs: NDArray[np.float64], ys: NDArray[np.float64]) -> QRectF:
    """The smallest rectangle holding the points (at least one)."""
    if xs.size <= SMALL_PATH:
        us, vs = xs.tolist(), ys.tolist()
        left, bottom = min(us), min(vs)
        return QRectF(left, bottom, max(us) - left, max(vs) - bottom)
    left, bottom = float(xs.min()), float(ys.min())
    return QRectF(left, bottom, float(xs.max()) - left, float(ys.max()) - bottom)


class DraggableMarker(pg.TargetItem):
    """The current-w marker; while draggable, a left drag moves it along w only."""

    dragged = Signal(float)
    drag_finished = Signal(float)

    def __init__(self) -> None:
        super().__init__(
            pos=(0.0, 0.0),
            size=16,
            symbol="o",
            pen=pg.mkPen(TEXT, width=1.5),
            brush=pg.mkBrush(VERMILLION),
            hoverPen=pg.mkPen(TEXT, width=2.5),
            hoverBrush=pg.mkBrush(VERMILLION),
            movable=False,
        )
        self._dragging = False
        # Moved every frame: without a Python itemChange for each move (nothing here
        # needs one: its bounds do not depend on where it is; see setPos).
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, False)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsScenePositionChanges, False)

    def setPos(self, *args: Any) -> None:
        """Move to ``(x, y)`` (in view coordinates), as ``pg.TargetItem.setPos`` does,
        without working its bounds out again (they do not change with a move)."""
        new = pg.Point(*args)
        if self.pos() != new:
            self._pos = new  # (what pos() gives)
            QGraphicsItem.setPos(self, new)
            self.sigPositionChanged.emit(self)

    def set_draggable(self, enabled: bool) -> None:
        """Allow left drags (a drag in progress ends when this turns False)."""
        self.movable = enabled
        self._dragging = self._dragging and enabled
        if enabled:
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self.unsetCursor()
            self.setMouseHover(False)

    def mouseDragEvent(self, ev: MouseDragEvent) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or not self.movable:
            ev.ignore()  # the view pans instead
            return
        ev.accept()
        if ev.isStart():
            self._dragging = True
        if not self._dragging:  # draggable again, but this drag began while it was not
            return
        w = self._w_at(ev.scenePos())
        self.setPos(w, self.pos().y())
        self.dragged.emit(w)
        if ev.isFinish():
            self._dragging = False
            self.drag_finished.emit(w)

    def _w_at(self, scene_pos: QPointF) -> float:
        """The w under the mouse, kept within the visible w range (so always finite)."""
        view = self.getViewBox()
        w = float(view.mapSceneToView(scene_pos).x())
        low, high = view_range(view)[0]
        return min(max(w, low), high) if math.isfinite(w) else low


class Dot(pg.GraphicsObject):
    """One symbol of a fixed size in pixels at a point of the view, moved cheaply.

    For a marker that moves every frame, a ``PlotDataItem`` with one point costs
    about half a millisecond to update and more to paint; this item is moved with
    ``setPos`` and Qt keeps its picture (the symbol looks the same wherever it is).
    It takes part in auto-ranging like a data item, padded by its size.

    Parameters
    ----------
    symbol
        A pyqtgraph symbol name (``"o"``, ``"star"``, …).
    size
        Its width in pixels.
    pen, brush
        Its outline (None: none) and fill (None: none).
    """

    def __init__(
        self,
        symbol: str = "o",
        size: float = 10.0,
        pen: QPen | None = None,
        brush: QBrush | None = None,
    ) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self._path = QTransform.fromScale(size, size).map(Symbols[symbol])
        self._pen = QPen(Qt.PenStyle.NoPen) if pen is None else QPen(pen)
        self._brush = QBrush(Qt.BrushStyle.NoBrush) if brush is None else QBrush(brush)
        outline = self._pen.widthF() if self._pen.style() != Qt.PenStyle.NoPen else 0.0
        margin = outline / 2.0 + 1.0
        self._bounds = self._path.boundingRect().adjusted(-margin, -margin, margin, margin)
        self._radius = size / 2.0 + outline / 2.0
        self._point: tuple[float, float] | None = None
        self._log = (False, False)
        #: A move within the view does not make it work out its range again: for a dot
        #: whose moves the view holds already (as the data pane's span of predictions).
        self.quiet_within_view = False
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # Moved every frame: without a Python itemChange for each move (the view is told
        # of a move in _place instead).
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, False)
        self.hide()

    def setData(self, x: ArrayLike, y: ArrayLike) -> None:
        """Show the symbol at the first point of ``x``, ``y``; hide it when they are empty."""
        point = _first_point(x, y)
        if point is None:
            self._point = None
            self.hide()
            return
        self._point = point
        self.setVisible(self._place())

    def getData(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The point shown, as one-element x and y arrays (empty when there is none)."""
        if self._point is None:
            return np.empty(0), np.empty(0)
        return np.array([self._point[0]]), np.array([self._point[1]])

    def setLogMode(self, x: bool, y: bool) -> None:
        """Place the point on log axes (called by the PlotItem, as for its data items)."""
        self._log = (bool(x), bool(y))
        if self._point is not None:
            self.setVisible(self._place())

    def _place(self) -> bool:
        """Move to the point (on the axes' scales); False if it cannot be shown there."""
        assert self._point is not None
        u, v = self._point
        if self._log[0] or self._log[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                u = float(np.log10(u)) if self._log[0] else u
                v = float(np.log10(v)) if self._log[1] else v
        if not all_finite(u, v):
            return False
        pos = self.pos()
        if (pos.x(), pos.y()) != (u, v):
            self.setPos(u, v)
            # (For a dot that takes part in auto-ranging.)
            if not self.quiet_within_view or not self._inside_view(u, v):
                self.informViewBoundsChanged()
        return True

    def _inside_view(self, u: float, v: float) -> bool:
        view = self.getViewBox()
        if view is None:
            return False
        (x_low, x_high), (y_low, y_high) = view_range(view)
        return x_low <= u <= x_high and y_low <= v <= y_high

    def dataBounds(
        self, ax: int, frac: float = 1.0, orthoRange: Sequence[float] | None = None
    ) -> list[float] | list[None]:
        """The point, in the item's own coordinates (where it is the origin)."""
        if orthoRange is not None:
            other = self.pos().y() if ax == 0 else self.pos().x()
            if not orthoRange[0] <= other <= orthoRange[1]:
                return [None, None]
        return [0.0, 0.0]

    def pixelPadding(self) -> float:
        return self._radius

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen)
        painter.setBrush(self._brush)
        painter.drawPath(self._path)


def _first_point(x: ArrayLike, y: ArrayLike) -> tuple[float, float] | None:
    """The first of the points ``x``, ``y`` (as floats); None when there is none."""
    if isinstance(x, list | tuple) and isinstance(y, list | tuple):
        if not x or not y:
            return None
        try:
            return float(x[0]), float(y[0])
        except TypeError:
            pass  # nested: as arrays
    xs = np.asarray(x, dtype=np.float64).ravel()
    ys = np.asarray(y, dtype=np.float64).ravel()
    if xs.size == 0 or ys.size == 0:
        return None
    return float(xs[0]), float(ys[0])


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
        painter.drawPath(self._path)


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


class VerticalLine(pg.GraphicsObject):
    """A vertical line at one x across the whole view, moved cheaply (a playhead).

    ``pg.InfiniteLine`` re-emits signals, re-places its label and rebuilds its bounds
    on every move: about a millisecond a frame. This one only moves; it is redrawn to
    the view's height when the view's range changes. Not added to auto-ranging (add it
    with ``ignoreBounds``).
    """

    def __init__(self, pen: QPen) -> None:
        super().__init__()
        self._pen = QPen(pen)
        self._span = (0.0, 1.0)
        self._bounds: QRectF | None = None
        # Moved every frame, and not part of auto-ranging: no Python itemChange per move.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, False)

    def setValue(self, x: float) -> None:
        """Put the line at ``x`` (in view coordinates)."""
        if self.pos().x() != x:
            self.setPos(float(x), 0.0)

    def value(self) -> float:
        """The x of the line."""
        return float(self.pos().x())

    def viewRangeChanged(self) -> None:
        view = self.getViewBox()
        if view is None:
            return
        low, high = view.viewRange()[1]
        if (low, high) != self._span:
            self.prepareGeometryChange()
            self._span = (float(low), float(high))
            self._bounds = None

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self._bounds = None  # the margin is in pixels

    def boundingRect(self) -> QRectF:
        if self._bounds is not None:
            return self._bounds
        low, high = self._span
        size = pixel_size(self)
        margin = (self._pen.widthF() / 2.0 + 1.0) * (size[0] if size is not None else 0.0)
        bounds = QRectF(-margin, low, 2.0 * margin, high - low)
        if size is not None:  # (else not shown yet: asked again)
            self._bounds = bounds
        return bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(self._pen)
        painter.drawLine(QPointF(0.0, self._span[0]), QPointF(0.0, self._span[1]))


class RangeKeeper(pg.GraphicsObject):
    """Draws nothing; makes auto-ranging keep a rectangle of the view in sight.

    For what will be shown later (the predictions of the epochs still to be played): with
    it in range from the start, the view does not change while a run plays, which would
    move every item and repaint the whole pane in the middle of a frame.
    """

    def __init__(self) -> None:
        super().__init__()
        self._span: tuple[tuple[float, float], tuple[float, float]] | None = None

    def set_span(self, x: tuple[float, float] | None, y: tuple[float, float] | None) -> None:
        """Keep ``x`` × ``y`` (low, high each) in range; None for nothing."""
        span = None if x is None or y is None else (x, y)
        if span is not None and not all_finite(*span[0], *span[1]):
            span = None
        if span != self._span:
            self._span = span
            self.informViewBoundsChanged()

    def dataBounds(
        self, ax: int, frac: float = 1.0, orthoRange: Sequence[float] | None = None
    ) -> list[float] | list[None]:
        if self._span is None:
            return [None, None]
        low, high = self._span[ax]
        return [low, high]

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pass
