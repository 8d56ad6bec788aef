"""A combo box too narrow for its text shows it shortened with "…", not cut mid-letter."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from gd_viewer.gui.eliding_combo import ElidingComboBox

pytestmark = pytest.mark.gui

TEXT = "Noisy data with an intercept: y = w·x + b"


def test_a_text_too_long_for_the_box_ends_in_an_ellipsis(qtbot: QtBot) -> None:
    combo = ElidingComboBox()
    combo.addItem(TEXT)
    combo.setSizeAdjustPolicy(
        ElidingComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
    )
    combo.setMinimumContentsLength(5)
    qtbot.addWidget(combo)
    combo.resize(600, combo.sizeHint().height())
    combo.show()
    qtbot.waitExposed(combo)
    assert combo.shown_text() == TEXT  # room enough: whole

    combo.resize(140, combo.height())
    qtbot.waitUntil(lambda: combo.width() == 140, timeout=2000)
    shown = combo.shown_text()
    assert shown.endswith("…") and TEXT.startswith(shown[:-1]) and len(shown) < len(TEXT)
    assert combo.fontMetrics().horizontalAdvance(shown) < 140
    assert combo.currentText() == TEXT  # only the drawing is shortened
    combo.grab()  # and it is drawn so, without a complaint
