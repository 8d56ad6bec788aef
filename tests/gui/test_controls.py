"""The control panel and its number inputs, driven as a user would: typing, clicking, editing."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gd_viewer.core.analysis import Analysis
from gd_viewer.core.data import Dataset
from gd_viewer.core.models import get_model
from gd_viewer.core.quadratic import QuadraticCost
from gd_viewer.core.settings import RunSettings
from gd_viewer.gui.controls import ControlPanel
from gd_viewer.gui.lr_limits import DIVERGES, MONOTONE, OSCILLATING, LrLimits
from gd_viewer.gui.number_input import NumberInput
from tests.gui.widgets import child

NAMES = [
    "dataTable", "addRowButton", "removeRowButton", "lrInput", "lrSlider", "epochsInput",
    "w0Input", "speedInput", "inputErrors", "lrLimits", "lrLimitsNote", "stopInput",
    "toleranceInput",
]  # fmt: skip
STOP_LABELS = [
    "fixed number of epochs", "|gradient| below a tolerance", "change in cost below a tolerance",
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


@pytest.fixture
def shown(qtbot: QtBot, panel: ControlPanel) -> ControlPanel:
    """The panel on screen (offscreen), laid out at a typical size: for clicks and positions."""
    panel.resize(300, 900)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


@pytest.fixture
def analyses(monkeypatch: pytest.MonkeyPatch) -> list[QuadraticCost]:
    """Every quadratic analysed from now on (each analysis took a pass over the data)."""
    calls: list[QuadraticCost] = []
    original = Analysis.of

    def counted(quadratic: QuadraticCost) -> Analysis:
        calls.append(quadratic)
        return original(quadratic)

    monkeypatch.setattr(Analysis, "of", staticmethod(counted))
    return calls


def retype(qtbot: QtBot, box: QAbstractSpinBox, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(box, text)


def analysis_of(dataset: Dataset, model: str = "origin") -> Analysis:
    return Analysis.of(get_model(model).quadratic(dataset))


def readout(limits: LrLimits) -> dict[str, str]:
    """The limits' read-out as ``{label: value}``."""
    return dict(line.split(": ", 1) for line in limits.text().splitlines())


TUTORIAL = analysis_of(Dataset.tutorial())


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


def test_a_million_points_show_2000_rows_read_only(
    qtbot: QtBot, panel: ControlPanel, analyses: list[QuadraticCost]
) -> None:
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
    assert len(analyses) == 1  # one pass over the million points, not one per set_dataset
    # The limits are those of all the points, not of the rows shown.
    expected = analysis_of(big)
    assert panel.lr_limits().zone_edges() == (expected.one_step_rate, expected.stable_limit)
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
    for name in ("addRowButton", "removeRowButton", "lrInput", "epochsInput", "w0Input",
                 "stopInput", "lrLimits"):  # fmt: skip
        assert not child(panel, QWidget, name).isEnabledTo(panel), name
    assert child(panel, QWidget, "speedInput").isEnabledTo(panel)
    panel.set_editing_enabled(True)
    assert table.editTriggers() != table.EditTrigger.NoEditTriggers
    # The tolerance is off while the rule is a fixed number of epochs.
    enabled = [n for n in NAMES if child(panel, QWidget, n).isEnabledTo(panel)]
    assert enabled == [n for n in NAMES if n != "toleranceInput"]


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


# ---------------------------------------------------------------- learning-rate limits


def test_the_lr_limits_sit_under_the_lr_field_with_the_tutorials_limits(
    shown: ControlPanel,
) -> None:
    limits = child(shown, LrLimits, "lrLimits")
    assert shown.lr_limits() is limits
    lr, slider = child(shown, NumberInput, "lrInput"), child(shown, QWidget, "lrSlider")
    group = limits.parentWidget()
    assert isinstance(group, QGroupBox) and group is lr.parentWidget() is slider.parentWidget()
    assert lr.geometry().bottom() < slider.geometry().top() < limits.geometry().top()
    assert limits.isVisible() and not child(shown, QLabel, "lrLimitsNote").isVisible()
    assert limits.zone_edges() == (3 / 28, 3 / 14)  # 1/λ and 2/λ with λ = 28/3
    values = readout(limits)
    assert values["Stable limit 2/λ"] == "0.2143" and values["One-step rate 1/λ"] == "0.1071"
    assert values["lr 0.01"] == "converges, monotone" and limits.zone() == MONOTONE
    assert values["Epochs to |w − w*| ≤ 1e-06"] == "142"  # from w0 = 1 to w* = 2


def test_typing_a_learning_rate_moves_the_marker_without_a_new_analysis(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder, analyses: list[QuadraticCost]
) -> None:
    limits, lr = panel.lr_limits(), child(panel, NumberInput, "lrInput")
    before = limits.marker_fraction()
    assert before is not None
    retype(qtbot, lr, "0.15")
    assert limits.zone() == OSCILLATING and readout(limits)["lr 0.15"] == "converges, oscillating"
    after = limits.marker_fraction()
    assert after is not None and after > before
    retype(qtbot, lr, "abc")  # while the text is bad the limits keep the last valid lr
    assert limits.zone() == OSCILLATING and limits.marker_fraction() == after
    retype(qtbot, lr, "0.3")
    assert limits.zone() == DIVERGES and readout(limits)["lr 0.3"] == "diverges"
    retype(qtbot, child(panel, NumberInput, "w0Input"), "-6")  # farther from w* = 2
    epochs = TUTORIAL.epochs_to_tolerance(0.3, (-6.0,), 1e-6)
    assert readout(limits)["Epochs to |w − w*| ≤ 1e-06"] == "never" and math.isinf(epochs)
    retype(qtbot, lr, "0.01")
    farther = TUTORIAL.epochs_to_tolerance(0.01, (-6.0,), 1e-6)
    assert readout(limits)["Epochs to |w − w*| ≤ 1e-06"] == str(farther) == "163"  # 142 from 1
    assert seen.inputs[-1][1] == RunSettings(lr=0.01, w0=-6.0)
    assert analyses == []  # lr and w0 never redo the pass over the data


def test_editing_the_data_redoes_the_analysis(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder, analyses: list[QuadraticCost]
) -> None:
    table, limits = child(panel, QTableWidget, "dataTable"), panel.lr_limits()
    table.editItem(table.item(2, 0))  # x = 3 → 6, typed into the cell's editor
    editor = table.findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "6")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen.inputs))
    assert len(analyses) == 1
    edited = analysis_of(Dataset([1, 2, 6], [2, 4, 6]))
    assert limits.zone_edges() == (edited.one_step_rate, edited.stable_limit)
    assert readout(limits)["Stable limit 2/λ"] == f"{3 / 41:.4g}"  # λ = 2·mean(x²) = 82/3
    for row, x in ((0, "2"), (1, "4")):  # x = 6 already: every x of the tutorial doubled
        table.item(row, 0).setText(x)
    assert len(analyses) == 2 + 2  # one pass per edit of a cell
    doubled = analysis_of(Dataset([2, 4, 6], [2, 4, 6]))
    assert limits.zone_edges() == (doubled.one_step_rate, doubled.stable_limit)
    assert limits.zone_edges() == (3 / 112, 3 / 56)  # a quarter of the tutorial's
    assert readout(limits)["Stable limit 2/λ"] == "0.05357"
    table.item(1, 1).setText("abc")
    assert limits.zone_edges() is None and limits.zone() is None
    assert limits.text() == "Fix the inputs to see the limits of the learning rate."
    assert len(analyses) == 5  # invalid data: nothing to analyse
    table.item(1, 1).setText("4")
    assert limits.zone_edges() == (3 / 112, 3 / 56)


def test_best_rate_sets_the_learning_rate_as_if_typed(
    qtbot: QtBot, shown: ControlPanel, seen: Recorder
) -> None:
    best, lr = child(shown, QPushButton, "bestRateButton"), child(shown, NumberInput, "lrInput")
    qtbot.mouseClick(best, Qt.MouseButton.LeftButton)
    assert seen.inputs == [(Dataset.tutorial(), RunSettings(lr=3 / 28))] and seen.validity == []
    assert lr.value() == 3 / 28 and lr.lineEdit().text() == "0.10714285714285714"
    assert child(shown, QWidget, "lrSlider").value() == round((math.log10(3 / 28) + 4) * 100)
    assert shown.lr_limits().zone() == MONOTONE  # 1/λ itself: one step to the optimum
    assert readout(shown.lr_limits())["Epochs to |w − w*| ≤ 1e-06"] == "1"
    qtbot.mouseClick(best, Qt.MouseButton.LeftButton)  # the same rate again: nothing new
    assert len(seen.inputs) == 1
    retype(qtbot, lr, "-")  # a bad text, fixed by the button
    qtbot.mouseClick(best, Qt.MouseButton.LeftButton)
    assert seen.validity == [False, True] and len(seen.inputs) == 2
    assert lr.is_valid() and shown.errors() == [] and seen.inputs[-1][1].lr == 3 / 28


def test_a_click_on_the_zone_bar_picks_the_learning_rate(
    qtbot: QtBot, shown: ControlPanel, seen: Recorder
) -> None:
    bar = child(shown.lr_limits(), QWidget, "lrZoneBar")
    at = QPoint(round(bar.x_of(0.15)), bar.bar_rect().center().y())
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=at)
    picked = bar.lr_at(at.x())
    assert 0.14 < picked < 0.16 and [s.lr for _, s in seen.inputs] == [picked]
    assert child(shown, NumberInput, "lrInput").lineEdit().text() == repr(picked)
    assert shown.lr_limits().zone() == OSCILLATING


def test_other_optimizers_and_models(
    shown: ControlPanel, seen: Recorder, analyses: list[QuadraticCost]
) -> None:
    limits, note = shown.lr_limits(), child(shown, QLabel, "lrLimitsNote")
    shown.set_run_settings(RunSettings(optimizer="adam"))
    assert not limits.isVisible() and note.isVisible()
    assert note.text() == "Limits: for plain gradient descent only."
    shown.set_dataset(Dataset([1, 2], [1, 2]))
    assert analyses == []  # nothing is computed for a hidden widget
    shown.set_run_settings(RunSettings(model="line", w0=0.5, b0=3.0))
    assert limits.isVisible() and not note.isVisible() and len(analyses) == 1
    line = analysis_of(Dataset([1, 2], [1, 2]), "line")
    assert limits.zone_edges() == (line.one_step_rate, line.stable_limit)
    assert "Largest curvature λ" in readout(limits)
    epochs = line.epochs_to_tolerance(0.01, (0.5, 3.0), 1e-6)  # from (w0, b0)
    assert readout(limits)["Epochs to ‖θ − θ*‖ ≤ 1e-06"] == f"{epochs:,}"
    assert seen.inputs == []


# ---------------------------------------------------------------- stopping rule


def test_the_stopping_rule_and_its_tolerance_flow_into_the_run_settings(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder
) -> None:
    stop = child(panel, QComboBox, "stopInput")
    tolerance = child(panel, NumberInput, "toleranceInput")
    assert [stop.itemText(i) for i in range(stop.count())] == STOP_LABELS
    assert stop.currentIndex() == 0 and not tolerance.isEnabled()
    assert tolerance.lineEdit().text() == "1e-06"
    qtbot.keyClick(stop, Qt.Key.Key_Down)
    assert seen.inputs == [(Dataset.tutorial(), RunSettings(stop="gradient"))]
    assert tolerance.isEnabled() and "|gradient|" in tolerance.toolTip()
    retype(qtbot, tolerance, "1e-3")
    assert seen.inputs[-1][1] == RunSettings(stop="gradient", tolerance=0.001)
    qtbot.keyClick(stop, Qt.Key.Key_Down)
    assert seen.inputs[-1][1] == RunSettings(stop="cost_change", tolerance=0.001)
    assert "cost" in tolerance.toolTip()
    loose = TUTORIAL.epochs_to_tolerance(0.01, (1.0,), 1e-3)
    assert readout(panel.lr_limits())["Epochs to |w − w*| ≤ 0.001"] == str(loose) == "71"
    qtbot.keyClick(stop, Qt.Key.Key_Up)
    qtbot.keyClick(stop, Qt.Key.Key_Up)
    assert seen.inputs[-1][1] == RunSettings(tolerance=0.001) and not tolerance.isEnabled()
    tips = [stop.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(stop.count())]
    assert all(tips) and len(set(tips)) == 3 and stop.toolTip()
    assert "upper bound" in child(panel, QWidget, "epochsInput").toolTip()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "The tolerance must be a number, not 'abc'."),
        ("", "The tolerance is empty: type a number."),
        ("0", "The tolerance must be greater than 0."),
        ("-1", "The tolerance must be greater than 0."),
        ("-inf", "The tolerance must be a finite number, not '-inf'."),
    ],
)
def test_a_bad_tolerance_is_explained_and_not_emitted(
    qtbot: QtBot, panel: ControlPanel, text: str, message: str
) -> None:
    panel.set_run_settings(RunSettings(stop="gradient"))
    seen = Recorder(panel)
    tolerance = child(panel, NumberInput, "toleranceInput")
    retype(qtbot, tolerance, text)
    assert seen.validity == [False] and seen.inputs == []
    assert tolerance.toolTip() == message and tolerance.property("invalid")
    assert child(panel, QWidget, "inputErrors").text() == message
    assert panel.run_settings() is None and tolerance.lineEdit().text() == text
    assert "≤ 1e-06" in panel.lr_limits().text()  # the limits keep the last valid tolerance
    retype(qtbot, tolerance, "1e-4")
    assert seen.validity[-1] is True and not tolerance.property("invalid")
    assert seen.inputs[-1][1] == RunSettings(stop="gradient", tolerance=1e-4)
    retype(qtbot, tolerance, text)
    qtbot.keyClick(child(panel, QComboBox, "stopInput"), Qt.Key.Key_Up)  # fixed epochs
    assert tolerance.lineEdit().text() == "0.0001" and not tolerance.isEnabled()
    assert panel.errors() == [] and seen.inputs[-1][1] == RunSettings(tolerance=1e-4)


def test_numbers_runsettings_refuses_are_refused_at_the_input(
    qtbot: QtBot, panel: ControlPanel, seen: Recorder
) -> None:
    panel.set_run_settings(RunSettings(stop="cost_change"))
    retype(qtbot, child(panel, NumberInput, "lrInput"), "2e100")
    retype(qtbot, child(panel, NumberInput, "toleranceInput"), "1e101")
    assert panel.errors() == [
        "The learning rate must be at most 1e100.",
        "The tolerance must be at most 1e100.",
    ]
    assert seen.validity[-1] is False and panel.run_settings() is None


def test_set_run_settings_shows_the_stopping_rule_without_emitting(
    panel: ControlPanel, seen: Recorder
) -> None:
    stop = child(panel, QComboBox, "stopInput")
    tolerance = child(panel, NumberInput, "toleranceInput")
    settings = RunSettings(stop="cost_change", tolerance=1e-8, epochs=5000)
    panel.set_run_settings(settings)
    assert stop.currentText() == STOP_LABELS[2] and tolerance.lineEdit().text() == "1e-08"
    assert tolerance.isEnabled() and panel.run_settings() == settings
    assert "≤ 1e-08" in panel.lr_limits().text()
    panel.set_run_settings(RunSettings(stop="gradient", tolerance=0.5))
    assert stop.currentText() == STOP_LABELS[1] and tolerance.lineEdit().text() == "0.5"
    panel.set_run_settings(RunSettings())
    assert stop.currentText() == STOP_LABELS[0] and not tolerance.isEnabled()
    assert tolerance.lineEdit().text() == "1e-06"
    assert seen.inputs == [] and seen.validity == []
