"""The control panel and its number inputs, driven as a user would: typing, clicking, editing."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from gd_viewer.core.data import Dataset
from gd_viewer.core.settings import RunSettings
from gd_viewer.gui.controls import ControlPanel
from gd_viewer.gui.number_input import NumberInput
from tests.gui.widgets import child

NAMES = [
    "dataTable", "addRowButton", "removeRowButton", "lrInput", "lrSlider", "epochsInput",
    "w0Input", "speedInput", "inputErrors",
]  # fmt: skip


class Recorder:
    """Every emission of the panel's signals, in order."""

    def __init__(self, panel: ControlPanel) -> None:
        self.inputs: list[tuple[Dataset, RunSettings]] = []
        self.validity: list[bool] = []
        self.speeds: list[float] = []
        panel.inputs_changed.connect(lambda d, s: self.inputs.append((d, s)))
        panel.validity_changed.connect(self.validity.append)
        panel.speed_changed.connect(self.speeds.append)


@pytest.fixture
def panel(qtbot: QtBot) -> ControlPanel:
    panel = ControlPanel()
    qtbot.addWidget(panel)
    panel.resize(320, 700)
    return panel


@pytest.fixture
def seen(panel: ControlPanel) -> Recorder:
    return Recorder(panel)


def retype(qtbot: QtBot, box: QAbstractSpinBox, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(box, text)


def test_starts_with_the_tutorial_and_names_every_widget(panel: ControlPanel) -> None:
    assert panel.objectName() == "controlPanel"
    assert panel.dataset() == Dataset.tutorial()
    assert panel.run_settings() == RunSettings(lr=0.01, epochs=100, w0=1.0)
    assert panel.speed() == 10.0
    assert panel.is_valid() and panel.errors() == []
    table = child(panel, QTableWidget, "dataTable")
    cells = [[table.item(r, c).text() for c in (0, 1)] for r in range(table.rowCount())]
    assert cells == [["1.0", "2.0"], ["2.0", "4.0"], ["3.0", "6.0"]]
    for name in NAMES:
        widget = panel.findChild(QWidget, name)
        assert widget is not None and widget.accessibleName(), name
    assert child(panel, QWidget, "inputErrors").isHidden()


def test_typing_1e_3_sets_the_learning_rate_and_moves_the_log_slider(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder
) -> None:
    lr = child(panel, NumberInput, "lrInput")
    retype(qtbot, lr, "1e-3")
    dataset, settings = seen.inputs[-1]
    assert settings == RunSettings(lr=0.001) and dataset == Dataset.tutorial()
    assert child(panel, QWidget, "lrSlider").value() == 100  # 10**(-4 + 100/100)
    # Keystroke by keystroke: "" and "1e" and "1e-" are not numbers; "1" is.
    assert [s.lr for _, s in seen.inputs] == [1.0, 0.001]
    assert seen.validity == [False, True, False, True]
    qtbot.keyClick(lr, Qt.Key.Key_Return)
    assert lr.lineEdit().text() == "0.001" and len(seen.inputs) == 2  # normalised, not sent


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "The learning rate must be a number, not 'abc'."),
        ("", "The learning rate is empty: type a number."),
        ("0", "The learning rate must be greater than 0."),
        ("-1", "The learning rate must be greater than 0."),
        ("inf", "The learning rate must be a finite number, not 'inf'."),
    ],
)
def test_a_bad_learning_rate_is_explained_and_not_emitted(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder, text: str, message: str
) -> None:
    lr = child(panel, NumberInput, "lrInput")
    retype(qtbot, lr, text)
    assert seen.validity == [False] and seen.inputs == []
    assert lr.toolTip() == message and lr.error() == message and lr.property("invalid")
    errors = child(panel, QWidget, "inputErrors")
    assert not errors.isHidden() and errors.text() == message
    assert panel.run_settings() is None and not panel.is_valid()
    assert lr.lineEdit().text() == text  # what the user typed stays, to be fixed
    retype(qtbot, lr, "0.05")
    assert seen.validity == [False, True]
    assert [s.lr for _, s in seen.inputs] == [0.05]
    assert errors.isHidden() and not lr.property("invalid")


def test_escape_goes_back_to_the_last_valid_value(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder
) -> None:
    w0 = child(panel, NumberInput, "w0Input")
    qtbot.keyClicks(w0, "x")
    assert panel.errors() == ["The initial w must be a number, not '1.0x'."]
    qtbot.keyClick(w0, Qt.Key.Key_Escape)
    assert w0.lineEdit().text() == "1.0" and w0.is_valid() and w0.value() == 1.0
    assert seen.validity == [False, True] and seen.inputs[-1][1].w0 == 1.0
    retype(qtbot, w0, "2e6")  # "2" on the way was valid: the last valid value
    assert panel.errors() == ["The initial w must lie between −1,000,000 and 1,000,000."]
    qtbot.keyClick(w0, Qt.Key.Key_Escape)
    assert w0.lineEdit().text() == "2.0" and panel.run_settings() == RunSettings(w0=2.0)


def test_arrow_keys_step_the_learning_rate_by_quarter_decades_and_w0_by_a_tenth(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder
) -> None:
    lr = child(panel, NumberInput, "lrInput")
    values = []
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down):
        qtbot.keyClick(lr, key)
        values.append(lr.value())
    assert values == [0.0178, 0.0316, 0.0178, 0.01, 0.00562]
    w0 = child(panel, NumberInput, "w0Input")
    qtbot.keyClick(w0, Qt.Key.Key_Up)
    qtbot.keyClick(w0, Qt.Key.Key_Up)
    assert w0.lineEdit().text() == "1.2"  # not 1.2000000000000002
    assert [s.w0 for _, s in seen.inputs][-2:] == [1.1, 1.2]


def test_steps_the_rule_refuses_are_disabled(panel: ControlPanel) -> None:
    flags = QAbstractSpinBox.StepEnabledFlag
    w0 = child(panel, NumberInput, "w0Input")
    w0.set_value(1e6)
    assert w0.stepEnabled() == flags.StepDownEnabled
    lr = child(panel, NumberInput, "lrInput")
    lr.set_value(5e-324)  # one more step down rounds to 0, which the rule refuses
    assert lr.stepEnabled() == flags.StepUpEnabled


def test_set_value_shows_the_shortest_text_without_emitting(qtbot: QtBot) -> None:
    box = NumberInput("The value", lambda v: None if v > 0 else "positive")
    qtbot.addWidget(box)
    with qtbot.assertNotEmitted(box.value_edited), qtbot.assertNotEmitted(box.invalid):
        for value, text in [(0.01, "0.01"), (1e-5, "1e-05"), (2.5, "2.5")]:
            box.set_value(value)
            assert box.lineEdit().text() == text and box.value() == value
        box.set_value(-1.0)  # refused: shown as invalid, the last valid value kept
    assert not box.is_valid() and box.error() == "positive" and box.value() == 2.5


def test_moving_the_slider_sets_the_learning_rate_to_three_digits(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder
) -> None:
    slider = child(panel, QWidget, "lrSlider")
    qtbot.keyClick(slider, Qt.Key.Key_Right)  # one position: 10**(-2 + 1/100)
    assert child(panel, NumberInput, "lrInput").lineEdit().text() == "0.0102"
    assert seen.inputs[-1][1].lr == 0.0102
    retype(qtbot, child(panel, NumberInput, "lrInput"), "5")  # beyond the slider: pinned
    assert slider.value() == slider.maximum() and panel.run_settings() == RunSettings(lr=5.0)


@pytest.mark.parametrize(
    ("row", "column", "text", "message"),
    [
        (1, 0, "abc", "Row 2: x = 'abc' is not a number."),
        (2, 1, "", "Row 3: y is empty."),
        (0, 0, "inf", "Row 1: x = inf is infinite."),
        (0, 1, "nan", "Row 1: y = nan is not a number (NaN)."),
        (2, 0, "1e101", "Row 3: x = 1e+101 is too large: values must lie within ±1e+100."),
    ],
)
def test_a_bad_cell_is_marked_and_fixing_it_clears_the_mark(
    panel: ControlPanel, seen: Recorder, row: int, column: int, text: str, message: str
) -> None:
    table = child(panel, QTableWidget, "dataTable")
    table.item(row, column).setText(text)
    assert panel.errors() == [message] and panel.dataset() is None
    assert seen.validity == [False] and seen.inputs == []
    item = table.item(row, column)
    assert item.toolTip() == message and item.background().color().red() == 255
    assert child(panel, QWidget, "inputErrors").text() == message
    item.setText("2.5")
    assert seen.validity == [False, True] and panel.errors() == []
    assert item.toolTip() == "" and item.background().style() == Qt.BrushStyle.NoBrush
    dataset, _ = seen.inputs[-1]
    assert dataset.xy[column, row] == 2.5


def test_every_problem_is_listed_one_per_line(qtbot: QtBot, panel: ControlPanel) -> None:
    table = child(panel, QTableWidget, "dataTable")
    table.item(1, 0).setText("abc")
    table.item(2, 1).setText("")
    retype(qtbot, child(panel, NumberInput, "lrInput"), "-1")
    assert child(panel, QWidget, "inputErrors").text().splitlines() == [
        "Row 2: x = 'abc' is not a number.",
        "Row 3: y is empty.",
        "The learning rate must be greater than 0.",
    ]


def test_editing_a_cell_in_its_editor(qtbot: QtBot, panel: ControlPanel, seen: Recorder) -> None:
    table = child(panel, QTableWidget, "dataTable")
    table.editItem(table.item(0, 1))
    editor = table.findChild(QLineEdit)
    assert editor is not None and editor.text() == "2.0"
    editor.selectAll()
    qtbot.keyClicks(editor, "7")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen.inputs))  # the delegate commits in a queued call
    assert seen.inputs == [(Dataset([1, 2, 3], [7, 4, 6]), RunSettings())]
    assert table.item(0, 1).text() == "7"


def test_add_point_continues_the_data(qtbot: QtBot, panel: ControlPanel, seen: Recorder) -> None:
    qtbot.mouseClick(child(panel, QWidget, "addRowButton"), Qt.MouseButton.LeftButton)
    assert seen.inputs[-1][0] == Dataset([1, 2, 3, 4], [2, 4, 6, 8])
    panel.set_dataset(Dataset([0.1, 0.2], [0.1, 0.3]))
    qtbot.mouseClick(child(panel, QWidget, "addRowButton"), Qt.MouseButton.LeftButton)
    assert seen.inputs[-1][0] == Dataset([0.1, 0.2, 1.2], [0.1, 0.3, 0.5])


def test_remove_point_down_to_one_row_then_it_is_disabled(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder
) -> None:
    remove = child(panel, QWidget, "removeRowButton")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert seen.inputs[-1][0] == Dataset([1, 2], [2, 4]) and remove.isEnabled()
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert seen.inputs[-1][0] == Dataset([1], [2]) and not remove.isEnabled()


def test_remove_point_removes_the_selected_rows(qtbot: QtBot, panel: ControlPanel) -> None:
    table = child(panel, QTableWidget, "dataTable")
    select = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 1):
        table.selectionModel().select(table.model().index(row, 0), select)
    qtbot.mouseClick(child(panel, QWidget, "removeRowButton"), Qt.MouseButton.LeftButton)
    assert panel.dataset() == Dataset([3], [6])


def test_no_rows_is_an_error_until_a_point_is_added(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder
) -> None:
    table = child(panel, QTableWidget, "dataTable")
    table.selectAll()
    qtbot.mouseClick(child(panel, QWidget, "removeRowButton"), Qt.MouseButton.LeftButton)
    assert panel.errors() == ["At least one data point is needed."] and seen.validity == [False]
    qtbot.mouseClick(child(panel, QWidget, "addRowButton"), Qt.MouseButton.LeftButton)
    assert seen.validity == [False, True] and seen.inputs[-1][0] == Dataset([1], [2])


def test_a_million_points_show_2000_rows_read_only(qtbot: QtBot, panel: ControlPanel) -> None:
    big = Dataset(np.arange(1_000_000.0), 2 * np.arange(1_000_000.0))
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        panel.set_dataset(big)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.1
    table = child(panel, QTableWidget, "dataTable")
    assert table.rowCount() == 2000 and table.item(1999, 1).text() == "3998.0"
    assert panel.dataset() is big
    note = "Showing 2,000 of 1,000,000 points (loaded from file)."
    label = child(panel, QWidget, "dataNote")
    assert note in label.text() and label.isVisibleTo(panel)
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers
    assert not child(panel, QWidget, "addRowButton").isEnabled()
    assert not child(panel, QWidget, "removeRowButton").isEnabled()
    table.item(0, 0).setText("abc")  # not through the UI; ignored all the same
    assert panel.dataset() is big and panel.is_valid()
    panel.set_dataset(Dataset.tutorial())
    assert table.rowCount() == 3 and child(panel, QWidget, "addRowButton").isEnabled()
    assert not label.isVisibleTo(panel)


def test_setters_never_emit(qtbot: QtBot, panel: ControlPanel, seen: Recorder) -> None:
    child(panel, QTableWidget, "dataTable").item(0, 0).setText("abc")
    seen.validity.clear()
    settings = RunSettings(optimizer="momentum", lr=0.5, epochs=7, w0=-3.0)
    panel.set_dataset(Dataset([1, 2], [3, 5]))
    panel.set_run_settings(settings)
    panel.set_speed(25)
    assert seen.inputs == [] and seen.validity == [] and seen.speeds == []
    assert panel.is_valid() and panel.dataset() == Dataset([1, 2], [3, 5])
    assert panel.run_settings() == settings and panel.speed() == 25
    assert child(panel, NumberInput, "lrInput").lineEdit().text() == "0.5"
    assert child(panel, NumberInput, "w0Input").lineEdit().text() == "-3.0"
    assert child(panel, QWidget, "lrSlider").value() == 370  # (log10(0.5) + 4) * 100


def test_an_edit_that_changes_nothing_is_not_emitted(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder
) -> None:
    lr = child(panel, NumberInput, "lrInput")
    qtbot.keyClick(lr, Qt.Key.Key_End)
    qtbot.keyClicks(lr, "0")  # "0.010": the same number
    assert seen.inputs == [] and lr.lineEdit().text() == "0.010"
    qtbot.keyClicks(lr, "1")  # 0.0101
    assert [s.lr for _, s in seen.inputs] == [0.0101]


def test_epochs_and_speed(qtbot: QtBot, panel: ControlPanel, seen: Recorder) -> None:
    epochs = child(panel, QWidget, "epochsInput")
    assert (epochs.minimum(), epochs.maximum()) == (1, 1_000_000)
    assert epochs.textFromValue(1_000_000) == "1,000,000"
    retype(qtbot, epochs, "250")
    assert seen.inputs[-1][1] == RunSettings(epochs=250)
    speed = child(panel, QWidget, "speedInput")
    qtbot.keyClick(speed, Qt.Key.Key_Up)
    assert seen.speeds == [11.0] and panel.speed() == 11.0 and speed.suffix() == " epochs/s"


def test_editing_can_be_switched_off(panel: ControlPanel) -> None:
    panel.set_editing_enabled(False)
    table = child(panel, QTableWidget, "dataTable")
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers
    for name in ("addRowButton", "removeRowButton", "lrInput", "epochsInput", "w0Input"):
        assert not child(panel, QWidget, name).isEnabledTo(panel), name
    assert child(panel, QWidget, "speedInput").isEnabledTo(panel)
    panel.set_editing_enabled(True)
    assert table.editTriggers() != table.EditTrigger.NoEditTriggers
    assert all(child(panel, QWidget, name).isEnabledTo(panel) for name in NAMES)


def test_the_wheel_over_an_unfocused_field_leaves_its_value_alone(qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    panel = ControlPanel()
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    lr = panel.findChild(QWidget, "lrInput")
    before = panel.run_settings()

    def wheel(widget: QWidget) -> None:
        centre = QPointF(widget.width() / 2, widget.height() / 2)
        event = QWheelEvent(
            centre, widget.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(widget, event)

    wheel(lr)
    assert panel.run_settings() == before
    lr.setFocus()
    qtbot.waitUntil(lr.hasFocus)
    wheel(lr)
    assert panel.run_settings().lr > before.lr
