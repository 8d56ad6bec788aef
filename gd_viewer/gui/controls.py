"""The control panel: the data points and the run's settings. Setters in, signals out."""

from __future__ import annotations

import math
from typing import TypeVar

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gd_viewer.core.data import MAX_ABS_VALUE, DataError, Dataset
from gd_viewer.core.settings import RunSettings
from gd_viewer.gui.number_input import LogSlider, NumberDelegate, NumberInput, group_digits
from gd_viewer.gui.wheel_guard import WheelNeedsFocus

#: Larger data sets show their first rows only, read-only (a table of a million rows is slow).
MAX_TABLE_ROWS = 2_000
MAX_EPOCHS_INPUT = 1_000_000
MAX_ABS_W0 = 1e6
#: The learning-rate slider spans 10**-4 … 10**0.
LR_SLIDER_DECADES = (-4, 0)
SPEED_RANGE = (0.5, 100_000.0)
DEFAULT_SPEED = 10.0
_BAD_CELL = QBrush(QColor("#ffd6d6"))
_W = TypeVar("_W", bound=QWidget)


class ControlPanel(QWidget):
    """The inputs of a run: data points, learning rate, epochs, initial w, playback speed.

    It knows the core's :class:`Dataset` and :class:`RunSettings` only. Each input is checked
    as it is edited; a problem shows at its input (a red cell or box, the message as its
    tooltip) and in a list under the inputs.

    Playback speed is in epochs per second, 0.5 … 100,000: the playhead moves ``speed /
    display rate`` epochs per frame, so above the display rate (about 60/s) each frame
    shows a new epoch, skipping those between; 1,000,000 epochs play in 10 s at the top.
    Setters never emit (not even ``validity_changed``); after one, ask :meth:`is_valid`.

    Signals
    -------
    inputs_changed(Dataset, RunSettings)
        A user edit left all inputs valid, with data or settings new since last emitted or set.
    validity_changed(bool)
        A user edit made the inputs valid (True) or invalid (False).
    speed_changed(float)
        The user changed the playback speed (epochs per second).
    """

    inputs_changed = Signal(object, object)
    validity_changed = Signal(bool)
    speed_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _name(self, "controlPanel", self.tr("Run settings"))
        self._base = RunSettings()
        self._loaded: Dataset | None = None  # set while the data is too large for the table
        self._dataset: Dataset | None = None
        self._data_errors: list[str] = []
        self._marked: set[tuple[int, int]] = set()  # the cells shown in red
        self._last: tuple[Dataset, RunSettings] | None = None
        self._valid = self._editing_enabled = True
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_data_group(), stretch=1)
        *self._setting_groups, speed_group = self._build_setting_groups()
        for group in (*self._setting_groups, speed_group):
            layout.addWidget(group)
        errors = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)  # text as typed
        errors.setStyleSheet("color: #b71c1c")
        self._errors_label = _name(errors, "inputErrors", self.tr("Problems with the inputs"))
        layout.addWidget(errors)
        self.set_dataset(Dataset.tutorial())
        self.set_run_settings(RunSettings())

    # ------------------------------------------------------------------ public API

    def dataset(self) -> Dataset | None:
        """The data points, or None while a cell is invalid."""
        return self._dataset

    def run_settings(self) -> RunSettings | None:
        """lr, epochs and w0 from the inputs, other fields as last set; None while invalid."""
        if not (self._lr_input.is_valid() and self._w0_input.is_valid()):
            return None
        lr, w0 = self._lr_input.value(), self._w0_input.value()
        return self._base.replace(lr=lr, epochs=self._epochs_input.value(), w0=w0)

    def speed(self) -> float:
        """The playback speed in epochs per second."""
        return float(self._speed_input.value())

    def is_valid(self) -> bool:
        """Whether every input is valid."""
        return not self.errors()

    def errors(self) -> list[str]:
        """Every current problem, one message each, top to bottom."""
        boxes = (self._lr_input, self._w0_input)
        return self._data_errors + [box.error() for box in boxes if box.error()]

    def set_dataset(self, dataset: Dataset) -> None:
        """Show ``dataset``; above ``MAX_TABLE_ROWS`` points, the first rows, read-only."""
        self._loaded = dataset if dataset.size > MAX_TABLE_ROWS else None
        shown = min(dataset.size, MAX_TABLE_ROWS)
        table = self._table
        xs, ys = dataset.x[:shown].tolist(), dataset.y[:shown].tolist()
        with QSignalBlocker(table):
            table.setUpdatesEnabled(False)
            table.setRowCount(0)  # faster than clearContents()
            table.setRowCount(shown)
            for row, (x, y) in enumerate(zip(xs, ys, strict=True)):
                table.setItem(row, 0, QTableWidgetItem(repr(x)))
                table.setItem(row, 1, QTableWidgetItem(repr(y)))
            table.setUpdatesEnabled(True)
        self._dataset, self._data_errors, self._marked = dataset, [], set()
        note = self.tr("Showing {shown} of {total} points (loaded from file).") + " "
        note += self.tr("Data this large cannot be edited here.")
        self._data_note.setText(note.format(shown=f"{shown:,}", total=f"{dataset.size:,}"))
        self._data_note.setVisible(self._loaded is not None)
        self._apply_enabled()
        self._refresh(user=False)

    def set_run_settings(self, settings: RunSettings) -> None:
        """Show lr, epochs (clamped to 1 … 1,000,000) and w0; keep the other fields."""
        self._base = settings
        self._lr_input.set_value(settings.lr)
        self._lr_slider.set_number(settings.lr)
        with QSignalBlocker(self._epochs_input):
            self._epochs_input.setValue(min(max(settings.epochs, 1), MAX_EPOCHS_INPUT))
        self._w0_input.set_value(settings.w0)
        self._refresh(user=False)

    def set_speed(self, epochs_per_second: float) -> None:
        """Show the playback speed (clamped to ``SPEED_RANGE``)."""
        with QSignalBlocker(self._speed_input):
            self._speed_input.setValue(epochs_per_second)

    def set_editing_enabled(self, enabled: bool) -> None:
        """Allow or forbid editing data and settings (e.g. while a file loads)."""
        self._editing_enabled = enabled
        self._apply_enabled()

    def _build_data_group(self) -> QGroupBox:
        table = self._table = _name(QTableWidget(0, 2), "dataTable", self.tr("Data points"))
        table.setHorizontalHeaderLabels([self.tr("x"), self.tr("y")])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setItemDelegate(NumberDelegate(table))
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setToolTip(self.tr("Double-click a cell, or select it and type, to edit a value."))
        table.itemChanged.connect(self._on_table_item_changed)
        self._edit_triggers = table.editTriggers()
        add = self._add_button = QPushButton(self.tr("Add point"))
        _name(add, "addRowButton", self.tr("Add a data point"))
        add.clicked.connect(self._on_add_button_clicked)
        remove = self._remove_button = QPushButton(self.tr("Remove point"))
        _name(remove, "removeRowButton", self.tr("Remove the selected data points"))
        remove.setToolTip(self.tr("Remove the selected rows, or else the last row."))
        remove.clicked.connect(self._on_remove_button_clicked)
        self._data_note = _name(QLabel(wordWrap=True), "dataNote", self.tr("About the data"))
        return _group(self.tr("Data points"), table, _row(add, remove), self._data_note)

    def _build_setting_groups(self) -> tuple[QGroupBox, ...]:
        lr = self._lr_input = NumberInput(self.tr("The learning rate"), self._check_lr, mode="log")
        _name(lr, "lrInput", self.tr("Learning rate"))
        lr.set_hint(self.tr("How far w moves against the gradient in each epoch."))
        slider = self._lr_slider = LogSlider(*LR_SLIDER_DECADES)
        _name(slider, "lrSlider", self.tr("Learning rate, on a logarithmic scale"))
        slider.setToolTip(self.tr("Logarithmic: each tick mark is ten times the one before."))
        # Each moves the other without emitting; Qt calls slots in the order connected.
        lr.value_edited.connect(slider.set_number)
        slider.number_edited.connect(lr.set_value)
        for edited in (lr.value_edited, lr.invalid, slider.number_edited):
            edited.connect(self._on_input_edited)
        low, high = (QLabel(f"{10.0**exponent:g}") for exponent in LR_SLIDER_DECADES)
        ends = _row(low, None, high)

        epochs = self._epochs_input = _name(QSpinBox(), "epochsInput", self.tr("Epochs"))
        epochs.setRange(1, MAX_EPOCHS_INPUT)
        group_digits(epochs)
        epochs.setToolTip(self.tr("How many updates of w to compute."))
        epochs.valueChanged.connect(self._on_input_edited)

        w0 = self._w0_input = NumberInput(self.tr("The initial w"), self._check_w0, step=0.1)
        _name(w0, "w0Input", self.tr("Initial w"))
        w0.set_hint(self.tr("The value of w before the first update."))
        w0.value_edited.connect(self._on_input_edited)
        w0.invalid.connect(self._on_input_edited)

        speed = self._speed_input = QDoubleSpinBox()
        _name(speed, "speedInput", self.tr("Playback speed in epochs per second"))
        speed.setRange(*SPEED_RANGE)
        speed.setDecimals(1)
        speed.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        speed.setSuffix(self.tr(" epochs/s"))
        speed.setValue(DEFAULT_SPEED)
        group_digits(speed)
        speed.setToolTip(self.tr("How many epochs Play shows per second."))
        speed.valueChanged.connect(self.speed_changed)  # set_speed blocks it
        self._wheel_guard = WheelNeedsFocus(self)
        self._wheel_guard.guard(lr, slider, epochs, w0, speed)
        return (
            _group(self.tr("Learning rate"), lr, slider, ends),
            _group(self.tr("Epochs"), epochs),
            _group(self.tr("Initial w"), w0),
            _group(self.tr("Playback speed"), speed),
        )

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loaded is None:  # a large data set is read-only
            self._check_table()
            self._refresh(user=True)

    def _on_add_button_clicked(self) -> None:
        row = self._table.rowCount()
        x, y = self._next_point()
        with QSignalBlocker(self._table):
            self._table.insertRow(row)
            self._table.setItem(row, 0, QTableWidgetItem(repr(x)))
            self._table.setItem(row, 1, QTableWidgetItem(repr(y)))
        self._table.setCurrentCell(row, 0)  # so that Remove point takes it away again
        self._check_table()
        self._refresh(user=True)

    def _on_remove_button_clicked(self) -> None:
        rows = {index.row() for index in self._table.selectedIndexes()}
        for row in sorted(rows or {self._table.rowCount() - 1}, reverse=True):
            self._table.removeRow(row)
        self._check_table()
        self._refresh(user=True)

    def _on_input_edited(self, *value: object) -> None:
        self._refresh(user=True)

    # ------------------------------------------------------------------ internals

    def _check_lr(self, value: float) -> str | None:
        return None if value > 0 else self.tr("The learning rate must be greater than 0.")

    def _check_w0(self, value: float) -> str | None:
        message = self.tr("The initial w must lie between −1,000,000 and 1,000,000.")
        return None if abs(value) <= MAX_ABS_W0 else message

    def _check_table(self) -> None:
        """Read every cell, mark the bad ones, and rebuild the dataset if all are good."""
        columns: tuple[list[float], list[float]] = ([], [])
        marks: dict[tuple[int, int], str] = {}
        for row in range(self._table.rowCount()):
            for column, values in enumerate(columns):
                value, message = self._read_cell(row, column)
                values.append(value)
                if message:
                    marks[row, column] = message
        errors = list(marks.values())
        if not columns[0]:
            errors.append(self.tr("At least one data point is needed."))
        self._dataset = None if errors else Dataset(*columns)  # every cell passed its checks
        self._data_errors = errors
        with QSignalBlocker(self._table):  # a new background is an itemChanged too
            for row, column in self._marked | set(marks):
                if (item := self._table.item(row, column)) is not None:
                    message = marks.get((row, column), "")
                    item.setBackground(_BAD_CELL if message else QBrush())
                    item.setToolTip(message)
        self._marked = set(marks)
        self._apply_enabled()  # Remove point needs two rows

    def _read_cell(self, row: int, column: int) -> tuple[float, str]:
        """A cell's value (NaN when bad), and the message for a bad one."""
        item = self._table.item(row, column)
        name, text = "xy"[column], item.text().strip() if item else ""
        if not text:
            return math.nan, self.tr("Row {row}: {name} is empty.").format(row=row + 1, name=name)
        try:
            value = float(text)
        except ValueError:
            message = self.tr("Row {row}: {name} = {text} is not a number.")
            return math.nan, message.format(row=row + 1, name=name, text=repr(text))
        if math.isfinite(value) and abs(value) <= MAX_ABS_VALUE:
            return value, ""
        try:  # the core words the problem: NaN, infinite, too large
            Dataset([value], [0.0]) if column == 0 else Dataset([0.0], [value])
        except DataError as error:
            detail = str(error).split(": ", 1)[1]
            return math.nan, self.tr("Row {row}: {detail}.").format(row=row + 1, detail=detail)
        return value, ""  # pragma: no cover - the core refuses every such value

    def _next_point(self) -> tuple[float, float]:
        """x one more than the last x, y continuing the last step in y (or the tutorial's)."""
        rows = self._table.rowCount()
        x1, y1 = (self._read_cell(rows - 1, c)[0] for c in (0, 1)) if rows else (0.0, 0.0)
        y0 = self._read_cell(rows - 2, 1)[0] if rows > 1 else y1 - 2.0  # y = 2x: tutorial
        x, y = float(f"{x1 + 1:.12g}"), float(f"{2 * y1 - y0:.12g}")  # 0.5, not 0.49999…
        return (x, y) if math.isfinite(x + y) else (float(rows + 1), 0.0)  # after a bad cell

    def _apply_enabled(self) -> None:
        editable = self._editing_enabled and self._loaded is None
        never = QTableWidget.EditTrigger.NoEditTriggers
        self._table.setEditTriggers(self._edit_triggers if editable else never)
        self._add_button.setEnabled(editable)
        self._remove_button.setEnabled(editable and self._table.rowCount() > 1)
        for group in self._setting_groups:
            group.setEnabled(self._editing_enabled)

    def _refresh(self, user: bool) -> None:
        """Show the problems; after a user edit, emit what changed."""
        errors = self.errors()
        self._errors_label.setText("\n".join(errors))
        self._errors_label.setVisible(bool(errors))
        dataset, settings = self._dataset, self.run_settings()
        state = (dataset, settings) if dataset is not None and settings is not None else None
        if user and (not errors) != self._valid:
            self.validity_changed.emit(not errors)
        self._valid = not errors
        if user and state is not None and state != self._last:
            self.inputs_changed.emit(*state)
        self._last = state


def _name(widget: _W, name: str, description: str) -> _W:
    widget.setObjectName(name)
    widget.setAccessibleName(description)
    return widget


def _group(title: str, *parts: QWidget | QHBoxLayout) -> QGroupBox:
    group = QGroupBox(title)
    layout = QVBoxLayout(group)
    for part in parts:
        layout.addWidget(part) if isinstance(part, QWidget) else layout.addLayout(part)
    return group


def _row(*widgets: QWidget | None) -> QHBoxLayout:
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget) if widget is not None else layout.addStretch()
    return layout
