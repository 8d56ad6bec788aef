"""Legends that cost little: static samples, steady text, shrunk (or left out) in a small view.

A legend here is drawn every frame while a run plays, so it is built to cost little:
its texts are drawn directly (no rich-text layout) in cells that only ever grow, so a
number that changes does not re-lay out the legend. Its corner is chosen by
:mod:`legend_placement`.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
import shiboken6
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import QPointF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsWidget, QStyleOptionGraphicsItem, QWidget

from gd_viewer.gui.panes.label import TextWidths, static_text
from gd_viewer.gui.panes.room import ShownWhereRoom
from gd_viewer.gui.panes.style import CARD, TEXT

#: Distance of the legend from the view's edges, in pixels.
MARGIN = 8.0
#: The corners as LegendItem offsets (their signs pick the corner), in order of preference:
#: top right, top left, bottom right, bottom left.
CORNERS = ((-MARGIN, MARGIN), (MARGIN, MARGIN), (-MARGIN, -MARGIN), (MARGIN, -MARGIN))
#: Size of the legend's text.
TEXT_POINT_SIZE = 9.0
#: Space around a legend text, in pixels (as much as a rich-text label leaves).
TEXT_PADDING = 4.0
#: The least a legend is shrunk to in a small view (smaller text could not be read).
MIN_SCALE = 0.6
#: The most of a view's height a legend takes up (it is shrunk to fit, down to MIN_SCALE).
MAX_HEIGHT_SHARE = 0.8


class _StaticSample(pg.ItemSample):
    """A legend sample that ignores clicks (pyqtgraph's would hide the item).

    It never changes, so Qt keeps it as a picture instead of drawing it again.
    """

    # Qt's own (the widget's rect, the 20×20 pyqtgraph's returns), without a Python call for
    # each of the many times Qt asks in a paint.
    boundingRect = QGraphicsWidget.boundingRect

    def __init__(self, item: pg.PlotDataItem) -> None:
        super().__init__(item)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def mouseClickEvent(self, event: MouseClickEvent) -> None:
        event.ignore()


class LegendText(pg.GraphicsWidget):
    """One line of a legend's text, drawn directly, in a cell whose width only grows.

    :meth:`setText` with a new number redraws the text and nothing else; only a text
    wider than any before widens the cell (and the legend), so a live number does not
    make the legend jump in size or re-lay out every frame.
    """

    # Qt's own (the widget's rect), not pyqtgraph's, which maps the geometry in Python:
    # Qt asks for it many times in each paint.
    boundingRect = QGraphicsWidget.boundingRect

    def __init__(self, text: str, colour: str = TEXT) -> None:
        super().__init__()
        font = QFont()
        font.setPointSizeF(TEXT_POINT_SIZE)
        self._font = font
        self._metrics = QFontMetricsF(font)
        self._text_width = _text_widths(font)
        self._pen = QPen(QColor(colour))
        self._width = 0.0
        self._height = math.ceil(self._metrics.height()) + 2 * TEXT_PADDING
        self.text = ""
        self._static = static_text("")
        # Kept as a picture, a live number too: it changes at a readable pace (a few times
        # a second), and what moves near it has it painted in most frames.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setText(text)

    def setText(self, text: str) -> None:
        """Show ``text`` (plain text)."""
        if text == self.text:
            return
        self.text = text
        self._static = static_text(text)
        width = math.ceil(self._text_width(text)) + 2 * TEXT_PADDING
        if width > self._width:
            self._width = width
            self.updateGeometry()
            legend = self.parentItem()
            if isinstance(legend, Legend):
                legend.refit()
        self.update()

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF | None = None) -> QSizeF:
        if which == Qt.SizeHint.MaximumSize:
            return QSizeF(1e6, self._height)
        return QSizeF(self._width, self._height)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setFont(self._font)
        painter.setPen(self._pen)
        painter.drawStaticText(QPointF(TEXT_PADDING, TEXT_PADDING), self._static)


_widths: dict[str, TextWidths] = {}


def _text_widths(font: QFont) -> TextWidths:
    """The widths of texts in ``font``, shared by all legend texts in that font."""
    key = font.key()
    if key not in _widths:
        _widths[key] = TextWidths(font)
    return _widths[key]


class Legend(ShownWhereRoom, pg.LegendItem):
    """A legend on a translucent white card whose entries are :class:`LegendText`."""

    # Qt's own (the widget's rect, as pyqtgraph's is), without a Python call per ask.
    boundingRect = QGraphicsWidget.boundingRect

    def __init__(self) -> None:
        super().__init__(
            offset=CORNERS[0],
            brush=pg.mkBrush(CARD),
            pen=pg.mkPen("#C8C8C8"),
            labelTextColor=TEXT,
            labelTextSize=f"{TEXT_POINT_SIZE:g}pt",
            verSpacing=-6,
            sampleType=_StaticSample,
        )
        # Its card changes with its size only; what moves under it has it painted often.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def _GraphicsWidgetAnchor__geometryChanged(self) -> None:
        # pyqtgraph's anchor keeps the legend in its corner as the view's geometry or its own
        # changes. A legend left out of a small pane (see fit_in_view) has its rows laid out
        # again as the pane is torn down, after the view: the anchor would ask a view, or a
        # legend, that no longer exists where to go.
        parent = getattr(self, "_GraphicsWidgetAnchor__parent", None)
        if shiboken6.isValid(self) and parent is not None and shiboken6.isValid(parent):
            super()._GraphicsWidgetAnchor__geometryChanged()

    def add_entry(self, text: str, **style: Any) -> LegendText:
        """Add a row drawn like a ``PlotDataItem(**style)`` with ``text``; returns the text."""
        # One point, or pyqtgraph never passes the symbol style on to the sample.
        stand_in = pg.PlotDataItem([0.0], [0.0], **style)
        sample = self.sampleType(stand_in)
        label = LegendText(text, self.opts["labelTextColor"])
        self.items.append((sample, label))
        row = self.layout.rowCount()
        self.layout.addItem(sample, row, 0, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.layout.addItem(label, row, 1)
        self.refit()
        return label

    def refit(self) -> None:
        """Lay out the rows now and fit the card around them (not later, during a paint)."""
        self.layout.activate()
        self.updateSize()
        self.fit_in_view()

    def updateSize(self) -> None:
        """Fit the card around the rows, where it stands.

        pyqtgraph's sets the geometry at (0, 0): the legend jumped to the view's corner and
        its anchor put it back, two moves (and a new placement of what keeps clear of it)
        each time a row grew, even when the card kept its size.
        """
        if self.size is not None:
            return
        layout = self.layout
        width = height = 0.0
        for row in range(layout.rowCount()):
            row_width = row_height = 0.0
            for column in range(layout.columnCount()):
                item = layout.itemAt(row, column)
                if item is not None:
                    row_width += item.geometry().width() + 3
                    row_height = max(row_height, item.geometry().height())
            width = max(width, row_width)
            height += row_height
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)

    def setParentItem(self, parent: Any) -> None:
        super().setParentItem(parent)
        resized = getattr(parent, "sigResized", None)
        if resized is not None:
            resized.connect(self.fit_in_view)
        self.fit_in_view()

    def fit_in_view(self, *_: object) -> None:
        """Shrink the legend (down to ``MIN_SCALE``) where the view is too small for it,
        and hide it where even that is too big.

        In a small pane (a small window, or three panes abreast) a legend wider or taller
        than the view would be cut off at the view's edge, its text unreadable; smaller
        than ``MIN_SCALE``, it could not be read either.
        """
        parent = self.parentItem()
        width, height = self.width(), self.height()
        if parent is None or width <= 0 or height <= 0:
            return
        room = parent.boundingRect()
        if room.isEmpty():
            return  # a view not laid out yet, or one going away: nothing to fit
        scale = min(
            1.0,
            (room.width() - 2 * MARGIN) / width,
            (room.height() - 2 * MARGIN) * MAX_HEIGHT_SHARE / height,
        )
        self.set_room(scale >= MIN_SCALE)
        scale = max(scale, MIN_SCALE)
        if abs(scale - self.scale()) > 1e-3:
            self.setScale(scale)
            self.setOffset(self.opts["offset"])  # anchored again, at the new size


def legend(widget: pg.PlotWidget) -> Legend:
    """A legend on a translucent white card, in the top-right corner of the view.

    Add entries with :func:`legend_entry`, not by naming plot items: the samples are
    drawn from stand-ins, so an entry looks the same while its item is hidden.
    """
    result = Legend()
    result.setParentItem(widget.getPlotItem().getViewBox())
    return result


def legend_entry(legend: Legend, text: str, **style: Any) -> LegendText:
    """Add an entry drawn like a ``PlotDataItem(**style)``; returns its text (for setText)."""
    return legend.add_entry(text, **style)
