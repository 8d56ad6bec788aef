"""The tutorial's prediction on the data pane: at one x, before training and now.

A dotted vertical line marks the x (item ``guide``); a hollow grey marker the prediction
before training (``before``) and a filled green one the prediction now (``now``), each
with its value in a label (``beforeLabel``, ``nowLabel``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pyqtgraph as pg
from numpy.typing import ArrayLike
from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QPen

from gd_viewer.gui.panes.base import ShowText, set_text_now
from gd_viewer.gui.panes.label import Label
from gd_viewer.gui.panes.legend_placement import Obstacle, outline
from gd_viewer.gui.panes.marker import Dot, VerticalLine
from gd_viewer.gui.panes.style import (
    CARD,
    DARK_GREEN,
    DARK_GREY,
    GREEN,
    GREY,
    TEXT,
    keep_picture,
    name_items,
    pen,
    short_number,
)

#: ``PlotPane._changes``: whether an item named so would look different with these points.
Changes = Callable[[str, ArrayLike, ArrayLike], bool]


def _tr(text: str) -> str:
    return QCoreApplication.translate("DataFitPane", text)


def guide_style() -> dict[str, QPen]:
    """How the line at the prediction's x is drawn (as ``PlotDataItem`` keywords)."""
    return {"pen": pen(DARK_GREY, 1.2, Qt.PenStyle.DotLine)}


def guide_text(x: float) -> str:
    """The legend's text for the line at ``x``."""
    return _tr("prediction at x = {x}").format(x=short_number(x))


class Prediction:
    """The prediction's line, markers and labels on one plot.

    The markers take part in auto-ranging (the view keeps the x of the prediction in
    range); the line and the labels do not.

    Parameters
    ----------
    plot
        The plot to draw on.
    changes
        The pane's test of whether an item would look different (to leave it be if not).
    """

    def __init__(
        self, plot: pg.PlotItem, changes: Changes, show_text: ShowText | None = None
    ) -> None:
        self._changes = changes
        # The pane's (see PlotPane.set_live): numbers follow at a readable pace while playing.
        self._show_text: ShowText = show_text or set_text_now
        self._before_text, self._now_text = _tr("before: {value}"), _tr("now: {value}")
        # A lean line whose picture Qt keeps: the "now" marker moves along it every frame,
        # and it was painted anew each time (a pg.InfiniteLine, in Python, and its bounds
        # reach past the view, so a picture of it was made anew too).
        self.guide = VerticalLine(guide_style()["pen"])
        self.before = Dot("o", 13, pen=pg.mkPen(GREY, width=2.5))
        self.now = Dot("o", 13, pen=pg.mkPen(TEXT, width=1), brush=pg.mkBrush(GREEN))
        self.before_label = Label(DARK_GREY, CARD)
        self.now_label = Label(DARK_GREEN, CARD)
        keep_picture(self.before_label, self.guide)  # they rarely change
        name_items(
            guide=self.guide, before=self.before, now=self.now,
            beforeLabel=self.before_label, nowLabel=self.now_label,
        )  # fmt: skip
        plot.addItem(self.guide, ignoreBounds=True)
        # The predictions count: they keep the x of the prediction inside the view.
        plot.addItem(self.before)
        plot.addItem(self.now)
        plot.addItem(self.before_label, ignoreBounds=True)
        plot.addItem(self.now_label, ignoreBounds=True)
        for label in (self.before_label, self.now_label):
            label.setZValue(6)  # over the lines, which would cross out their numbers
        for marker in (self.before, self.now):
            marker.setZValue(10)
            # The data pane holds the predictions to come in view already (its span of
            # predictions): a move within the view need not work the range out again.
            marker.quiet_within_view = True
        self.hide()

    def show(self, x: float, before: float, now: float) -> None:
        """Show the prediction at ``x`` (finite) before training and now (each if finite)."""
        if self.guide.value() != x:
            self.guide.setValue(x)
        self.guide.show()
        shown = []
        for marker, label, value, text in (
            (self.before, self.before_label, before, self._before_text),
            (self.now, self.now_label, now, self._now_text),
        ):
            visible = math.isfinite(value)
            # (The label moves with its marker: where the marker is drawn anew, so is it.)
            moved = visible and self._changes(marker.objectName(), [x], [value])
            if moved:
                marker.setData([x], [value])
            marker.setVisible(visible)
            label.setVisible(visible)
            if visible:
                shown.append((marker, label, value, text, moved))
        for marker, label, value, text, moved in shown:
            self._show_text(label, text.format(value=short_number(value)))
            if moved:
                label.setPos(x, value)
            # The higher value's label goes above its marker, the other's below (left of
            # x, which sits at the right of the data in the tutorial); "now" wins a tie.
            other = [v for m, _, v, _, _ in shown if m is not marker]
            above = not other or value > other[0] or (value == other[0] and marker is self.now)
            anchor = (1.15, 1.0) if above else (1.15, 0.0)
            if label.anchor != anchor:
                label.setAnchor(anchor)

    def hide(self) -> None:
        """Show no prediction."""
        for item in (self.guide, self.before, self.now, self.before_label, self.now_label):
            item.hide()

    def label_cards(self, view: pg.ViewBox) -> list[QRectF]:
        """The cards of the labels shown, in the pixels of ``view``."""
        return [
            label.card_in(view)
            for label in (self.before_label, self.now_label)
            if label.isVisible() and label.toPlainText()
        ]

    def obstacles(self) -> list[Obstacle]:
        """What a legend should keep clear of: the markers and their labels."""
        marks: list[Obstacle] = [
            (*m.getData(), 200.0) for m in (self.before, self.now) if m.isVisible()
        ]
        marks += [(*outline(label), 100.0) for label in (self.before_label, self.now_label)]
        return marks
