"""Where the gradient comes from, drawn on the data pane (see :mod:`residuals` for the sums).

Each point's residual as a vertical segment to the line (item ``residuals``), each
point's share of the gradient written beside it (``share0`` …), what the shares add up
to in the view's bottom-right corner (``shareSum``), and the legend rows for them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from PySide6.QtCore import QCoreApplication, QPointF, QRectF

from gd_viewer.gui.panes.base import ShowText, SteadyViewBox, set_text_now
from gd_viewer.gui.panes.corner_note import NOTE_MARGIN, corner_note_outline
from gd_viewer.gui.panes.label import PADDING, Label
from gd_viewer.gui.panes.legend_placement import Obstacle, outline
from gd_viewer.gui.panes.residuals import (
    MAX_RESIDUAL_POINTS,
    MAX_SHARE_POINTS,
    MAX_TWO_SHARE_POINTS,
    Segments,
    ShareLabel,
    gradient_shares,
    residual_segments,
)
from gd_viewer.gui.panes.room import ShownWhereRoom
from gd_viewer.gui.panes.style import (
    BLUE,
    CARD,
    DARK_GREY,
    PURPLE,
    FloatArray,
    name_items,
    pen,
    significant,
    view_range,
)

#: Text colours of a share of the gradient: < 0 pushes w up, > 0 pushes w down, 0 neither.
#: (Vermillion a shade darker than the line's, for small text on white.)
PULL_UP, PULL_DOWN, NO_PULL = BLUE, "#B34F00", DARK_GREY
#: A share's label goes left of its point within this share of the view's width from
#: the right edge (else right of it).
SHARE_LABEL_ROOM = 0.2
#: Where a share's label may stand, in order of preference: beside its point, just
#: below it, just above it (see ``ShareLabel.set_side``).
DODGES = (0, -1, 1)
#: How much a legend covering a share's label (each of its corners and its middle) or
#: its point costs.
SHARE_WEIGHT = 100.0
#: How much a legend covering the sum of the shares (each corner, the middle) costs.
SUM_WEIGHT = 1000.0

#: ``PlotPane._changes``: whether an item named so would look different with these points.
Changes = Callable[[str, ArrayLike, ArrayLike], bool]


def _tr(text: str) -> str:
    return QCoreApplication.translate("DataFitPane", text)


class GradientShares:
    """The residuals and shares of the gradient on one plot, for the points and line given.

    Residuals are drawn for at most ``MAX_RESIDUAL_POINTS`` points, shares for at most
    ``MAX_SHARE_POINTS`` (a pool of labels made once: a frame only changes their texts).

    Parameters
    ----------
    plot
        The plot to draw on.
    changes
        The pane's test of whether an item would look different (to leave it be if not).
        The residuals are tested as it does, here (in plain numbers for a few points).
    """

    def __init__(
        self, plot: pg.PlotItem, changes: Changes, show_text: ShowText | None = None
    ) -> None:
        self._changes = changes
        # The pane's (see PlotPane.set_live): numbers follow at a readable pace while playing.
        self._show_text: ShowText = show_text or set_text_now
        self._view = plot.getViewBox()
        self._b_shares = False
        self._avoid: tuple[QRectF, ...] = ()
        self._give_way_to: tuple[QRectF, ...] = ()
        # What the labels were last placed for (see place).
        self._placed: tuple[object, ...] | None = None
        # How the residuals of a few points were last drawn (see _moved).
        self._drawn: object = None
        self.residuals = Segments(pen(PURPLE, 2.0), precise=True)
        self.labels = [ShareLabel(PULL_UP, CARD) for _ in range(MAX_SHARE_POINTS)]
        # What the shares add up to, in the bottom-right corner (as the note on thinning,
        # which is never shown with them).
        self.total = _Note(DARK_GREY, CARD, anchor=(1, 1))
        name_items(residuals=self.residuals, shareSum=self.total)
        name_items(**{f"share{i}": label for i, label in enumerate(self.labels)})
        # The residuals count: both their ends should be seen. Under the points.
        plot.addItem(self.residuals)
        self.residuals.setZValue(-1)
        for label in self.labels:
            plot.addItem(label, ignoreBounds=True)
            label.setZValue(8)
        self.total.setParentItem(self._view)  # in pixels: a fixed corner
        self.residuals.hide()
        self.total.hide()
        for label in self.labels:
            label.hide()

    # ------------------------------------------------------------ the legend

    @staticmethod
    def legend_styles() -> dict[str, dict[str, object]]:
        """The samples of the legend rows ``residual``, ``pullUp`` and ``pullDown``."""
        triangle: dict[str, object] = {"pen": None, "symbolSize": 10, "symbolPen": None}
        return {
            "residual": {"pen": pen(PURPLE, 2.0)},
            "pullUp": {**triangle, "symbol": "t1", "symbolBrush": pg.mkBrush(PULL_UP)},
            "pullDown": {**triangle, "symbol": "t", "symbolBrush": pg.mkBrush(PULL_DOWN)},
        }

    def legend_texts(self) -> dict[str, str]:
        """The texts of the rows of :meth:`legend_styles` (the residual's follows the model)."""
        return {
            "residual": (
                _tr("residual xᵢ·w + b − yᵢ") if self._b_shares else _tr("residual xᵢ·w − yᵢ")
            ),
            "pullUp": _tr("share of the gradient < 0: w up"),
            "pullDown": _tr("share of the gradient > 0: w down"),
        }

    def legend_rows(self, count: int) -> list[str]:
        """The legend rows for ``count`` points: residuals and shares only for small data."""
        rows = ["residual"] if 0 < count <= MAX_RESIDUAL_POINTS else []
        return rows + (["pullUp", "pullDown"] if 0 < count <= self.share_limit() else [])

    def share_limit(self) -> int:
        """Most points whose shares are written (fewer when each label carries two)."""
        return MAX_TWO_SHARE_POINTS if self._b_shares else MAX_SHARE_POINTS

    # ------------------------------------------------------------ setters

    def set_b_shares(self, visible: bool) -> bool:
        """Write each point's share of ∂cost/∂b as well; True if that changed."""
        visible = bool(visible)
        changed = visible != self._b_shares
        self._b_shares = visible
        return changed

    def update(self, x: FloatArray, y: FloatArray, line: tuple[float, float] | None) -> None:
        """The residual segments and the shares of the gradient, for the line ``(w, b)``.

        The labels are placed too (see :meth:`place`): how wide they are tells where.
        """
        n = x.size
        shown = line is not None and 0 < n <= MAX_RESIDUAL_POINTS
        if shown and n <= MAX_SHARE_POINTS:
            # (Plain numbers for a few points: steps on small arrays cost more than their
            # work, and this runs each frame.)
            assert line is not None
            xs, ys = _segments_of(x.tolist(), y.tolist(), *line)
            shown = all(math.isfinite(v) for v in ys)
            if shown and self._moved(xs, ys):
                self._set_residuals(np.array(xs), np.array(ys))
        elif shown:
            assert line is not None
            xs_array, ys_array = residual_segments(x, y, *line)
            shown = bool(np.isfinite(ys_array).all())
            if shown and self._moved(xs_array, ys_array):
                self._set_residuals(xs_array, ys_array)
        self.residuals.setVisible(shown)
        if shown and n <= self.share_limit():
            assert line is not None
            self._show_shares(x, y, line)
        else:
            for label in self.labels:
                if label.wanted():  # (one left out for want of room is still wanted)
                    label.hide()
            self.fit_total(False)
        self.place(x, y)

    def _moved(self, xs: list[float] | FloatArray, ys: list[float] | FloatArray) -> bool:
        """Whether the residuals drawn at ``xs``, ``ys`` would look different, to a quarter
        of a pixel (as the pane's ``changes`` tells: see style.as_drawn); in plain numbers
        for a few points."""
        size = self._view.size()
        width, height = size.width(), size.height()
        (x0, x1), (y0, y1) = view_range(self._view)
        key: object = None
        if width > 0.0 and height > 0.0 and x1 > x0 and y1 > y0:
            sx, sy = 4.0 * width / (x1 - x0), 4.0 * height / (y1 - y0)
            if isinstance(xs, list) and isinstance(ys, list):
                try:
                    key = (
                        (x0, y0, sx, sy),
                        tuple(round((u - x0) * sx) for u in xs),
                        tuple(round((v - y0) * sy) for v in ys),
                    )
                except (OverflowError, ValueError):  # not finite: nothing to compare
                    key = None
            else:
                with np.errstate(all="ignore"):
                    u = np.round((np.asarray(xs) - x0) * sx)
                    v = np.round((np.asarray(ys) - y0) * sy)
                key = ((x0, y0, sx, sy), u.tobytes(), v.tobytes())
        if key is not None and key == self._drawn:
            return False
        self._drawn = key
        return True

    def _set_residuals(self, xs: FloatArray, ys: FloatArray) -> None:
        """Draw the segments; the view works its range out again only if they leave it.

        They take part in auto-ranging (a line far from the points must stay in view with
        them), but while a run plays they mostly move within the view: working the range
        out anew for each frame cost a tenth of the frame's setters.
        """
        view = self.residuals.getViewBox()
        if isinstance(view, SteadyViewBox) and xs.size and _within(view, xs, ys):
            with view.bounds_kept():
                self.residuals.setData(xs, ys)
        else:
            self.residuals.setData(xs, ys)

    def _show_shares(self, x: FloatArray, y: FloatArray, line: tuple[float, float]) -> None:
        """Each point's share of the gradient next to it, coloured by where it pushes w."""
        w_shares, b_shares = gradient_shares(x, y, *line)
        n = w_shares.size
        for i, label in enumerate(self.labels):
            if i >= n:
                if label.wanted():
                    label.hide()
                continue
            share = float(w_shares[i]) + 0.0  # no "−0"
            text = significant(share, "+")
            if self._b_shares:
                text = _tr("w {w}, b {b}").format(w=text, b=significant(b_shares[i] + 0.0, "+"))
            self._show_text(label, text)
            label.set_colour(PULL_UP if share < 0.0 else PULL_DOWN if share > 0.0 else NO_PULL)
            if not label.wanted():
                label.show()
        gradient = significant(float(w_shares.sum()))
        if self._b_shares:
            text = _tr("sums of shares = gradient: w {w}, b {b}").format(
                w=gradient, b=significant(float(b_shares.sum()))
            )
        else:
            text = _tr("sum of shares = gradient = {g}").format(g=gradient)
        self._show_text(self.total, text)
        self.fit_total(True)

    def fit_total(self, wanted: bool | None = None) -> None:
        """Show the sum's note (when ``wanted``; None: as before) where its card fits the
        view's width: in a narrower view it was cut off at the left edge, unreadable."""
        total = self.total
        if wanted is not None and wanted != total.wanted():
            total.setVisible(wanted)
        room = self._view.width() - 2 * NOTE_MARGIN[0]
        total.set_room(room <= 0 or total.card_size()[0] <= room)

    def keep_clear_of(self, avoid: Sequence[QRectF], give_way_to: Sequence[QRectF] = ()) -> None:
        """From the next :meth:`place` on, keep the labels clear of the rectangles ``avoid``
        (the legend) if they can, and their texts clear of those on the cards
        ``give_way_to`` (the predictions' labels) or else be left out. Rectangles in the
        view's pixels."""
        self._avoid = tuple(QRectF(rect) for rect in avoid)
        # What counts there is the text: cards may touch, a text on a text cannot be read.
        self._give_way_to = tuple(_text_of(rect) for rect in give_way_to)

    def place(self, x: FloatArray, y: FloatArray) -> None:
        """Pin the share labels beside their points: right of them, left near the right edge.

        Beside rather than above or below, where the residual hangs. A point near the right
        edge of the view (the last in x is) has its label on its left, to keep it in the
        view. A label that a rectangle of :meth:`keep_clear_of` would cover moves just
        below its point, just above, or to its other side, whichever first clears it (see
        :meth:`_spot`); one that cannot keep clear of a prediction's label (in a small
        pane) is left out: of two texts on top of each other, neither can be read.
        """
        labels = self.labels[: x.size]
        # Placed as before when nothing it depends on changed (a run that plays changes
        # only their texts, mostly no wider than before).
        avoid = self._avoid
        size = self._view.size()
        key = (
            x[: len(labels)].tobytes(), y[: len(labels)].tobytes(), view_range(self._view),
            size.width(), size.height(),
            [rect.getRect() for rect in (*avoid, *self._give_way_to)],
            [(label.card_size(), label.wanted()) for label in labels],
        )  # fmt: skip
        if key == self._placed:
            return
        self._placed = key
        x_low, x_high = key[2][0]
        flip = x_high - SHARE_LABEL_ROOM * (x_high - x_low)
        for i, label in enumerate(labels):
            at_x, at_y = float(x[i]), float(y[i])
            if (label.pos().x(), label.pos().y()) != (at_x, at_y):
                label.setPos(at_x, at_y)
            spot = self._spot(label, at_x >= flip, at_x, at_y)
            label.set_room(spot is not None)
            if spot is not None:
                label.set_side(*spot)

    def _spot(self, label: ShareLabel, left: bool, x: float, y: float) -> tuple[bool, int] | None:
        """Where the label stands (left of its point or not, and the shift of
        ``ShareLabel.set_side``), or None for nowhere.

        The first of: beside the point on its side, just below, just above, then the
        same on the other side (if the card stays in the view there) that is clear of all
        there is to avoid; else, of those clear of what to give way to, the one that
        covers least of the rest (the legend, which then keeps clear of it itself).
        """
        avoid, give_way_to = self._avoid, self._give_way_to
        if not (avoid or give_way_to) or not label.wanted():
            return left, 0
        point = self._view.mapFromView(QPointF(x, y))
        view = QRectF(QPointF(0.0, 0.0), self._view.size())
        best: tuple[float, tuple[bool, int]] | None = None
        for side in (left, not left):
            for shift in DODGES:
                card = label.card(side, shift).translated(point)
                if side != left and not view.contains(card):
                    continue
                text = _text_of(card)
                if any(text.intersects(rect) for rect in give_way_to):
                    continue
                covered = sum(_area(card.intersected(rect)) for rect in avoid)
                if covered == 0.0:
                    return side, shift
                if best is None or covered < best[0]:
                    best = (covered, (side, shift))
        return None if best is None else best[1]

    # ------------------------------------------------------------ for the legend's placement

    def obstacles(self, x: FloatArray, y: FloatArray) -> list[Obstacle]:
        """What a legend should keep clear of: residuals, the shares, their points, the sum."""
        marks: list[Obstacle] = []
        if self.residuals.isVisible():  # their ends and middles
            xs, ys = self.residuals.getData()
            marks.append((xs, ys, 5.0))
            marks.append(((xs[0::2] + xs[1::2]) / 2.0, (ys[0::2] + ys[1::2]) / 2.0, 5.0))
        if self.total.isVisible():  # its card, pinned to the bottom-right corner
            marks.append((*corner_note_outline(self.total), SUM_WEIGHT))
        for i, label in enumerate(self.labels):  # each next to its point
            if label.isVisible():
                marks.append((*outline(label), SHARE_WEIGHT))
                marks.append(([x[i]], [y[i]], SHARE_WEIGHT))
        return marks


class _Note(ShownWhereRoom, Label):
    """The sum's note: left out where it does not fit the view's width (see fit_total)."""


def _text_of(card: QRectF) -> QRectF:
    """Where a label's text stands on its ``card``."""
    return card.adjusted(PADDING[0], PADDING[1], -PADDING[0], -PADDING[1])


def _area(rect: QRectF) -> float:
    return rect.width() * rect.height() if rect.isValid() else 0.0


def _segments_of(
    x: list[float], y: list[float], w: float, b: float
) -> tuple[list[float], list[float]]:
    """:func:`residuals.residual_segments` in plain numbers (for a few points)."""
    xs: list[float] = []
    ys: list[float] = []
    for xi, yi in zip(x, y, strict=True):
        xs += (xi, xi)
        ys += (yi, xi * w + b)  # (as with arrays, an overflow gives inf)
    return xs, ys


def _within(view: pg.ViewBox, xs: FloatArray, ys: FloatArray) -> bool:
    """Whether the points ``xs``, ``ys`` lie inside the view's range."""
    (x_low, x_high), (y_low, y_high) = view_range(view)
    return bool(
        x_low <= xs.min() and xs.max() <= x_high and y_low <= ys.min() and ys.max() <= y_high
    )
