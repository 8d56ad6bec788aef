"""The row of buttons beside the run table: side by side, or stacked where that cuts names."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from gd_viewer.gui.button_row import ButtonRow

pytestmark = pytest.mark.gui


def test_buttons_go_one_above_the_other_where_side_by_side_would_cut_their_names(
    qtbot: QtBot,
) -> None:
    pin, race = QPushButton("Pin this run"), QPushButton("Race the pinned runs")
    row = ButtonRow(pin, race)
    column = QWidget()  # (as beside the run table: a column the row must fit)
    QVBoxLayout(column).addWidget(row)
    qtbot.addWidget(column)
    column.resize(400, 100)
    column.show()
    qtbot.waitExposed(column)
    assert not row.stacked()
    assert pin.geometry().top() == race.geometry().top()  # side by side

    column.resize(170, 100)
    qtbot.waitUntil(row.stacked, timeout=2000)
    qtbot.wait(20)
    assert race.geometry().top() >= pin.geometry().bottom()
    for button in (pin, race):  # each name whole
        assert button.width() >= button.sizeHint().width()

    column.resize(400, 100)
    qtbot.waitUntil(lambda: not row.stacked(), timeout=2000)
