"""Finding the window's widgets by objectName, as scripts and screen readers do."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


def child(parent: QWidget, kind: type[QWidget], name: str) -> Any:
    """The ``kind`` child of ``parent`` called ``name``; fails the test if there is none."""
    widget = parent.findChild(kind, name)
    assert widget is not None, name
    return widget


def choose(qtbot: Any, combo: Any, key: object) -> None:
    """Pick the item of ``combo`` whose data is ``key`` with the arrow keys, as a user does
    on the keyboard (each item on the way is a choice too)."""
    from PySide6.QtCore import Qt

    index = combo.findData(key)
    assert index >= 0, key
    combo.setFocus()
    while combo.currentIndex() != index:
        down = combo.currentIndex() < index
        qtbot.keyClick(combo, Qt.Key.Key_Down if down else Qt.Key.Key_Up)
    assert combo.currentData() == key
