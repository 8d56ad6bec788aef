"""Repainting only what changed: the rects of a pane that a changed path or dot covers.

Qt paints all of an item's old and new bounding rects when it changes; for a line across
the view, or a path that grows each frame, that is most of the pane. These helpers work out
the few rects where the drawing did change, for items that tell the scene what to paint.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsItem

from gd_viewer.gui.panes.style import all_finite

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
