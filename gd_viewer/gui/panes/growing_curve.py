"""A curve that grows at its end each frame (a run's cost per epoch), painted where it grew."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gd_viewer.gui.panes.repaint import repaint_changes
from gd_viewer.gui.panes.style import view_rect

#: Up to this many points, the part of the curve painted is built point by point.
PART_POINTS = 64


class GrowingCurve(pg.PlotCurveItem):
    """The curve of a ``PlotDataItem`` that has Qt paint again only where it changed.

    While a run plays, the curve grows by an epoch or a few at its end each frame. A
    ``PlotCurveItem`` has Qt paint all of its old and new bounds again for that: a third
    of the pane and more, with the grid and all under it. This one has only what changed
    painted (see :func:`repaint.repaint_changes`): the segments added, for a curve that
    grew; for one that changed otherwise (thinned anew), its old and new bounds. Its
    bounding rect is the view's, which does not change with the points.
    """

    #: What of its options decides how the points are drawn.
    LOOKS = (
        "pen", "shadowPen", "fillLevel", "fillOutline", "brush", "antialias", "stepMode",
        "compositionMode",
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        # It draws only what Qt paints (see paint): Qt says what that is.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self._bounds: QRectF | None = None
        # The old points, while new ones are taken.
        self._was: tuple[np.ndarray, np.ndarray] | None = None

    def updateData(self, *args: Any, **kargs: Any) -> None:
        was = (self.xData, self.yData)
        self._was = (np.empty(0), np.empty(0)) if was[0] is None or was[1] is None else was
        looks = [self.opts.get(key) for key in self.LOOKS]
        joined = _joins_all(self.opts["connect"])
        try:
            super().updateData(*args, **kargs)
        finally:
            was, self._was = self._was, None
        opts = self.opts
        if (
            self.xData is None
            or self.yData is None
            or not (joined and _joins_all(opts["connect"]))
            or opts["fillLevel"] is not None
            or opts["stepMode"]
            or looks != [opts.get(key) for key in self.LOOKS]
        ):
            super().update()  # (drawn otherwise than a plain line: all of it)
            return
        pen = opts["pen"]
        margin = (pen.widthF() if pen is not None else 1.0) + 2.0
        repaint_changes(self, was, (self.xData, self.yData), margin, "all", True)

    def prepareGeometryChange(self) -> None:
        if self._was is None:  # (new points do not change the bounds)
            super().prepareGeometryChange()

    def update(self, *args: Any) -> None:
        # (While points are taken, not all of it: where they changed, once taken.)
        if self._was is None or args:
            super().update(*args)

    def paint(self, p: QPainter, opt: QStyleOptionGraphicsItem, widget: QWidget | None) -> None:
        part = self._exposed_part(p, opt.exposedRect)
        if part is None:
            super().paint(p, opt, widget)
        elif not part.isEmpty():
            p.setRenderHint(QPainter.RenderHint.Antialiasing, self.opts["antialias"])
            p.setPen(self.opts["pen"])
            p.drawPath(part)

    def _exposed_part(self, painter: QPainter, exposed: QRectF) -> QPainterPath | None:
        """The few segments of a plain line (see LOOKS) that reach into ``exposed`` (what
        Qt paints, mostly where the curve grew), or None to draw all of it.

        Qt strokes all of a path however little of it is painted; with a solid pen, the
        segments that reach into a margin around what is painted look there as all of
        them do, to the pixel (those left out end beyond the margin). The epochs increase.
        """
        x, y = self.xData, self.yData
        opts = self.opts
        pen = opts["pen"]
        if (
            x is None
            or y is None
            or x.size < 3
            or self._exportOpts is not False
            or pen is None
            or pen.style() != Qt.PenStyle.SolidLine
            or opts["fillLevel"] is not None
            or opts["shadowPen"] is not None
            or opts["compositionMode"] is not None
            or opts["stepMode"]
            or not _joins_all(opts["connect"])
            # (pyqtgraph draws a thick line without antialiasing as separate segments.)
            or getattr(self, "_shouldUseDrawLineSegments", lambda _: True)(pen)
        ):
            return None
        transform = painter.worldTransform()
        scale = abs(transform.m11())
        if scale == 0.0:
            return None
        margin = (pen.widthF() + 2.0) / scale
        first = max(int(np.searchsorted(x, exposed.left() - margin)) - 1, 0)
        last = min(int(np.searchsorted(x, exposed.right() + margin, side="right")), x.size - 1)
        if first == 0 and last == x.size - 1:
            return None
        if last <= first:
            return QPainterPath()
        us, vs = x[first : last + 1], y[first : last + 1]
        if last - first > PART_POINTS:
            if not (np.isfinite(us).all() and np.isfinite(vs).all()):
                return None  # (drawn as pyqtgraph joins finite points)
            part: QPainterPath = pg.arrayToQPath(us, vs, connect="all")
            return part
        u, v = us.tolist(), vs.tolist()
        if not math.isfinite(sum(u) + sum(v)):
            return None
        part = QPainterPath()
        part.moveTo(u[0], v[0])
        for point in zip(u[1:], v[1:], strict=True):
            part.lineTo(*point)
        return part

    def viewChanged(self, view: Any, oldView: Any) -> None:
        super().viewChanged(view, oldView)
        self._new_bounds()

    def viewRangeChanged(self) -> None:
        super().viewRangeChanged()
        self._new_bounds()

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self._new_bounds()

    def _new_bounds(self) -> None:
        self.prepareGeometryChange()
        self._bounds = None

    def boundingRect(self) -> QRectF:
        if self._bounds is None:
            bounds = view_rect(self)
            if bounds.isNull():
                return bounds
            self._bounds = bounds
        return self._bounds


def _joins_all(connect: object) -> bool:
    """Whether a curve's ``connect`` joins each point to the next (the finite ones: a point
    not finite makes :func:`repaint.repaint_changes` paint all of the curve again)."""
    return isinstance(connect, str) and connect in ("all", "finite")


def growing_curve(item: pg.PlotDataItem) -> None:
    """Give ``item`` (not yet drawing anything) a :class:`GrowingCurve` as its curve."""
    old = item.curve
    old.sigClicked.disconnect(item.sigClicked)
    old.setParentItem(None)
    curve = GrowingCurve()
    curve.setParentItem(item)
    curve.stackBefore(item.scatter)
    curve.sigClicked.connect(item.sigClicked)
    item.curve = curve
