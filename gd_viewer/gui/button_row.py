"""Buttons side by side, or one above the other in a column too narrow for that."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractButton, QBoxLayout, QWidget


class ButtonRow(QWidget):
    """Buttons side by side, left-aligned; stacked where the row is narrower than they
    need side by side (a button's name cut off could not be read)."""

    def __init__(self, *buttons: QAbstractButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons = buttons
        layout = self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in buttons:
            layout.addWidget(button)
        layout.addStretch(1)

    def stacked(self) -> bool:
        """Whether the buttons are one above the other."""
        return self._layout.direction() == QBoxLayout.Direction.TopToBottom

    def minimumSizeHint(self) -> QSize:
        # As narrow as the widest button: narrower than side by side, the row stacks them.
        widths = [button.minimumSizeHint().width() for button in self._shown()]
        return QSize(max(widths, default=0), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit(event.size().width())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit(self.width())

    def _fit(self, width: int) -> None:
        shown = self._shown()
        needed = sum(button.sizeHint().width() for button in shown)
        needed += self._layout.spacing() * max(len(shown) - 1, 0)
        direction = (
            QBoxLayout.Direction.LeftToRight
            if width >= needed
            else QBoxLayout.Direction.TopToBottom
        )
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)

    def _shown(self) -> list[QAbstractButton]:
        return [button for button in self._buttons if not button.isHidden()]
