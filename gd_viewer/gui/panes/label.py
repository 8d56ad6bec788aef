"""A small text on a card, pinned to a point of the view, that is cheap to change.

``pg.TextItem`` lays its text out as rich text and rebuilds its transform on each
change: about half a millisecond for a number that changes every frame. This one
draws plain text directly; its card only grows (so a changing number does not make
it jump or ask for a new layout), and it keeps the pixel size of the screen.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetricsF, QPainter, QPen, QStaticText
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

#: Space between the text and the edge of its card, in pixels.
PADDING = (4.0, 2.0)
#: Widths of this many texts are remembered per font (see TextWidths).
REMEMBERED_WIDTHS = 512


class TextWidths:
    """The widths of texts in one font, remembered: numbers that come back (a run played
    again, an epoch stepped to and fro) are not measured again."""

    def __init__(self, font: QFont) -> None:
        self._metrics = QFontMetricsF(font)
        self._widths: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) >= REMEMBERED_WIDTHS:
                self._widths.clear()
            width = self._widths[text] = self._metrics.horizontalAdvance(text)
        return width


def static_text(text: str) -> QStaticText:
    """``text`` laid out once, to be drawn many times (QPainter.drawStaticText): a text
    that stays while what lies under it changes is drawn in half the time of drawText."""
    result = QStaticText(text)
    result.setTextFormat(Qt.TextFormat.PlainText)
    return result


class Label(pg.GraphicsObject):
    """Plain text on a card; ``anchor`` is the point of the card placed at ``pos()``.

    ``color`` and ``fill`` (the card; None for none) take what ``pg.mkColor`` takes.

    The anchor is given as fractions of the card's width and height, from its top left
    (``(0, 0)``) to its bottom right (``(1, 1)``), as for ``pg.TextItem``, and may lie
    outside the card to keep it clear of a marker.
    """

    def __init__(
        self,
        color: object,
        fill: object = None,
        anchor: tuple[float, float] = (0.0, 0.0),
        point_size: float | None = None,
    ) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        font = QFont()
        if point_size is not None:
            font.setPointSizeF(point_size)
        self._font = font
        self._metrics = QFontMetricsF(font)
        self._text_width = TextWidths(font)
        self._pen = QPen(pg.mkColor(color))
        self._fill = QBrush(pg.mkColor(fill)) if fill is not None else None
        self._text = ""
        self._static = static_text("")
        self._width = 0.0
        self._height = math.ceil(self._metrics.height()) + 2 * PADDING[1]
        self.anchor = (float(anchor[0]), float(anchor[1]))
        self._card = QRectF()
        self._place_card()
        # Moved often, and never part of auto-ranging: no Python itemChange per move.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, False)

    def setText(self, text: str) -> None:
        """Show ``text`` (one line of plain text)."""
        if text == self._text:
            return
        self._text = text
        self._static = static_text(text)
        width = math.ceil(self._text_width(text)) + 2 * PADDING[0]
        if width > self._width:
            self._width = width
            self._place_card()
        self.update()

    def toPlainText(self) -> str:
        """The text shown."""
        return self._text

    def card_size(self) -> tuple[float, float]:
        """The width and height of the card, in pixels (it only grows)."""
        return self._width, self._height

    def setAnchor(self, anchor: tuple[float, float]) -> None:
        """Place the card so that ``anchor`` (fractions of its size) is at ``pos()``."""
        anchor = (float(anchor[0]), float(anchor[1]))
        if anchor != self.anchor:
            self.anchor = anchor
            self._place_card()

    def card_in(self, view: pg.ViewBox) -> QRectF:
        """The card in the pixels of ``view`` (the view this label is in)."""
        return self._card.translated(view.mapFromView(self.pos()))

    def view_outline(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Corners and centre of the card in view coordinates (empty when not shown)."""
        view = self.getViewBox()
        if not self.isVisible() or view is None:
            return np.empty(0), np.empty(0)
        size = view.size()
        width, height = size.width(), size.height()
        if width <= 0 or height <= 0:
            return np.empty(0), np.empty(0)
        (x_low, x_high), (y_low, y_high) = view.state["viewRange"]
        px, py = (x_high - x_low) / width, (y_high - y_low) / height
        pos = self.pos()
        x0, y0 = pos.x(), pos.y()
        left, right = x0 + self._card.left() * px, x0 + self._card.right() * px
        # Pixels count downwards, the view's y upwards.
        top, bottom = y0 - self._card.top() * py, y0 - self._card.bottom() * py
        xs = np.array([left, right, left, right, (left + right) / 2.0])
        ys = np.array([top, top, bottom, bottom, (top + bottom) / 2.0])
        return xs, ys

    def _place_card(self) -> None:
        self.prepareGeometryChange()
        self._card = QRectF(
            -self.anchor[0] * self._width, -self.anchor[1] * self._height, self._width, self._height
        )

    def boundingRect(self) -> QRectF:
        return self._card.adjusted(-1.0, -1.0, 1.0, 1.0)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if not self._text:
            return
        if self._fill is not None:
            painter.fillRect(self._card, self._fill)
        painter.setFont(self._font)
        painter.setPen(self._pen)
        top_left = QPointF(self._card.left() + PADDING[0], self._card.top() + PADDING[1])
        painter.drawStaticText(top_left, self._static)
