"""Pictures of the panes as PNG files, written so that a failure loses nothing."""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from gd_viewer.core.fileio import atomic_write

#: Widest picture offered: wide enough for print, small enough to stay in memory.
MAX_WIDTH = 8000
MIN_WIDTH = 100


class ExportError(Exception):
    """An export that could not be made; the message says why, for the user."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("export", text)


def render(widgets: Sequence[QWidget], width: int | None = None) -> QImage:
    """Draw ``widgets`` side by side in one picture scaled to ``width`` pixels.

    Each widget is asked to paint itself through a scaled painter, so plots are
    re-drawn at the new size (sharp lines and text), not stretched pixels.
    """
    if not widgets:
        raise ExportError(_tr("There is nothing to export."))
    natural = QRect()
    for widget in widgets:
        top_left = widget.mapTo(widget.window(), QPoint(0, 0))
        natural = natural.united(QRect(top_left, widget.size()))
    if natural.width() <= 0 or natural.height() <= 0:
        raise ExportError(_tr("The plots have no size yet; show the window first."))
    target = natural.width() if width is None else int(width)
    if not MIN_WIDTH <= target <= MAX_WIDTH:
        message = _tr("The width must be from {low} to {high} pixels, not {width}.")
        raise ExportError(message.format(low=MIN_WIDTH, high=MAX_WIDTH, width=target))
    scale = target / natural.width()
    image = QImage(target, max(1, round(natural.height() * scale)), QImage.Format.Format_ARGB32)
    if image.isNull():
        raise ExportError(_tr("Not enough memory for a picture of that size."))
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.scale(scale, scale)
        for widget in widgets:
            offset = widget.mapTo(widget.window(), QPoint(0, 0)) - natural.topLeft()
            # QWidget's render, not QGraphicsView's (which draws the scene, not the widget).
            QWidget.render(widget, painter, offset)
    finally:
        painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    """The image encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stubs miss QIODevice
        raise ExportError(_tr("The picture could not be encoded as PNG."))
    buffer.close()
    return bytes(data.data())


def export_png(
    path: str | os.PathLike[str], widgets: Sequence[QWidget], width: int | None = None
) -> None:
    """Write a PNG of ``widgets`` to ``path`` atomically.

    Raises
    ------
    ExportError
        Bad width, nothing to draw, or the file cannot be written (the message
        names the path and the reason; an existing file is left as it was).
    """
    data = png_bytes(render(widgets, width))
    try:
        atomic_write(path, lambda stream: stream.write(data))
    except OSError as error:
        reason = error.strerror or str(error)
        message = _tr("Cannot write {path}: {reason}.")
        raise ExportError(message.format(path=os.fspath(path), reason=reason)) from None
