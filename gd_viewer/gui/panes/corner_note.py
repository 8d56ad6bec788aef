"""Notes pinned to the bottom-right corner of a view (in its pixels, not its data coordinates)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from gd_viewer.gui.panes.style import FloatArray, view_range

#: Where a note sits, in pixels from the view's bottom-right corner.
NOTE_MARGIN = (6.0, 4.0)


def pin_to_corner(view: pg.ViewBox, *notes: QGraphicsItem) -> None:
    """Put ``notes`` (children of ``view``, anchored at their bottom right) in its corner.

    Call it again when the view is resized.
    """
    rect = view.boundingRect()
    for note in notes:
        note.setPos(rect.right() - NOTE_MARGIN[0], rect.bottom() - NOTE_MARGIN[1])


def corner_note_outline(note: QGraphicsItem) -> tuple[FloatArray, FloatArray]:
    """Corners and middle of a note pinned to the bottom-right corner, in view coordinates."""
    view = note.parentItem()  # the view (by its parent: the pane may be closing)
    if not isinstance(view, pg.ViewBox):
        return np.empty(0), np.empty(0)
    size = view.size()
    width, height = size.width(), size.height()
    if width <= 0.0 or height <= 0.0:
        return np.empty(0), np.empty(0)
    (x_low, x_high), (y_low, y_high) = view_range(view)
    card = note.boundingRect()
    right = x_high - NOTE_MARGIN[0] * (x_high - x_low) / width
    left = right - card.width() * (x_high - x_low) / width
    bottom = y_low + NOTE_MARGIN[1] * (y_high - y_low) / height
    top = bottom + card.height() * (y_high - y_low) / height
    xs = np.array([left, right, left, right, (left + right) / 2.0])
    ys = np.array([bottom, bottom, top, top, (bottom + top) / 2.0])
    return xs, ys
