"""The base of the plot panes."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QMouseEvent


class PlotPane(pg.PlotWidget):
    """A ``PlotWidget`` that keeps the mouse presses and releases it receives.

    pyqtgraph's scene turns a press into a click or drag only when the button is
    released or the mouse moves, so it leaves the press itself unaccepted and Qt
    offers it to the parent widgets too. The pane consumes it: a click in a plot
    belongs to the plot.
    """

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        super().mousePressEvent(ev)
        ev.accept()

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:
        super().mouseReleaseEvent(ev)
        ev.accept()
