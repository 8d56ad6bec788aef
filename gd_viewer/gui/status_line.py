"""The status line under the panes: the epoch on show, in the numbers the CLI prints."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class StatusLine(QLabel):
    """The status line: word-wrapped, at least two lines high, and it grows but never shrinks.

    Its text changes with the playhead; a line that wrapped differently from one epoch to
    the next would change its height, and the panes above would be laid out and painted
    afresh (tens of milliseconds) for a number's extra digit.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusLine")
        self.setAccessibleName(self.tr("Status of the run"))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._make_room(self.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._make_room(0)  # a new width wraps the text anew: room for that, from scratch

    def _make_room(self, at_least: int) -> None:
        margins = self.contentsMargins()
        two_lines = 2 * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()
        needed = max(self.heightForWidth(max(self.width(), 1)), two_lines, at_least)
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)
