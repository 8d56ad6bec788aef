"""Finding the window's widgets by objectName, as scripts and screen readers do."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


def child(parent: QWidget, kind: type[QWidget], name: str) -> Any:
    """The ``kind`` child of ``parent`` called ``name``; fails the test if there is none."""
    widget = parent.findChild(kind, name)
    assert widget is not None, name
    return widget
