"""Keep the mouse wheel from changing numbers the user is not editing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget


class WheelNeedsFocus(QObject):
    """An event filter: a wheel over an unfocused field scrolls the panel instead.

    In a scrolling panel, a student who scrolls with the pointer over the
    learning rate would otherwise change it without noticing. An ignored wheel
    event goes on to the parent, the scroll area.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            event.ignore()
            return True
        return False

    def guard(self, *widgets: QWidget) -> None:
        """Install on ``widgets``; a click or Tab still gives them focus (and the wheel)."""
        for widget in widgets:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(self)
