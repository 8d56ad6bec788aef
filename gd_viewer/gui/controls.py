"""The control panel: the data points and the run's settings. Setters in, signals out."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gd_viewer.core.analysis import Analysis
from gd_viewer.core.data import Dataset
from gd_viewer.core.models import get_model
from gd_viewer.core.settings import DEFAULT_TOLERANCE, RunSettings
from gd_viewer.gui.data_table import DataTable
from gd_viewer.gui.lr_limits import LrLimits
from gd_viewer.gui.number_input import LogSlider, NumberInput, group_digits
from gd_viewer.gui.optimizer_input import OptimizerInput
from gd_viewer.gui.stop_rule import StopRuleInput
from gd_viewer.gui.wheel_guard import WheelNeedsFocus

#: Larger data sets show their first rows only, read-only (a table of a million rows is slow).
MAX_TABLE_ROWS = 2_000
MAX_EPOCHS_INPUT = 1_000_000
MAX_ABS_W0 = 1e6
#: The largest learning rate or tolerance :class:`RunSettings` accepts.
MAX_SETTING = 1e100
#: The learning-rate slider spans 10**-4 … 10**0.
LR_SLIDER_DECADES = (-4, 0)
SPEED_RANGE = (0.5, 100_000.0)
DEFAULT_SPEED = 10.0
_W = TypeVar("_W", bound=QWidget)


class ControlPanel(QWidget):
    """The inputs of a run: data points, learning rate, epochs and stopping rule, initial w,
    playback speed.

    It knows the core's :class:`Dataset`, :class:`RunSettings` and :class:`Analysis`. Each
    input is checked as it is edited; a problem shows at its input (a red cell or box, the
    message as its tooltip) and in a list under the inputs.

    Under the learning rate, an :class:`LrLimits` shows its zones for the data and model
    (plain gradient descent only). The analysis takes a pass over the data, so it is redone
    only when the data or the model change, never for a new lr, w0 or tolerance. While one
    of those is being retyped the limits keep its last valid value (as the run does); with
    invalid data they ask for a fix. Picking a rate there (a click on the bar, "Best rate")
    is an edit of the learning rate like typing it.

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
        self._last: tuple[Dataset, RunSettings] | None = None
        # The last analysis with its data and model, and what the limits were last given
        # besides the lr.
        self._analysis: tuple[Dataset, str, Analysis] | None = None
        self._limits_shown: tuple[object, ...] | None = None
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
        # Its read-out shrinks to a line or two while the data are invalid: keep the height,
        # so the inputs below do not jump up and down as a cell is retyped.
        self._lr_limits.setMinimumHeight(self._lr_limits.sizeHint().height())

    # ------------------------------------------------------------------ public API

    def dataset(self) -> Dataset | None:
        """The data points, or None while a cell is invalid."""
        return self._dataset

    def run_settings(self) -> RunSettings | None:
        """lr, epochs, stop, tolerance and w0 from the inputs, other fields as last set; None
        while invalid."""
        if not all(box.is_valid() for box in self._number_inputs()):
            return None
        if not self._optimizer_input.is_valid():
            return None
        base = self._optimizer_input.settings(self._base)
        if base is None:
            return None
        return base.replace(
            lr=self._lr_input.value(),
            epochs=self._epochs_input.value(),
            stop=self._stop_input.rule(),
            tolerance=self._tolerance_input.value(),
            w0=self._w0_input.value(),
        )

    def speed(self) -> float:
        """The playback speed in epochs per second."""
        return float(self._speed_input.value())

    def is_valid(self) -> bool:
        """Whether every input is valid."""
        return not self.errors()

    def errors(self) -> list[str]:
        """Every current problem, one message each, top to bottom."""
        boxes = self._number_inputs()
        numbers = [box.error() for box in boxes if box.error()]
        return self._data_errors + numbers + self._optimizer_input.errors()

    def lr_limits(self) -> LrLimits:
        """The learning rate's limits shown under its input (for tests and automation)."""
        return self._lr_limits

    def set_dataset(self, dataset: Dataset) -> None:
        """Show ``dataset``; above ``MAX_TABLE_ROWS`` points, the first rows, read-only."""
        self._loaded = dataset if dataset.size > MAX_TABLE_ROWS else None
        shown = min(dataset.size, MAX_TABLE_ROWS)
        self._table.show_points(dataset, shown)
        self._dataset, self._data_errors = dataset, []
        note = self.tr("Showing {shown} of {total} points (loaded from file).") + " "
        note += self.tr("Data this large cannot be edited here.")
        self._data_note.setText(note.format(shown=f"{shown:,}", total=f"{dataset.size:,}"))
        self._data_note.setVisible(self._loaded is not None)
        self._apply_enabled()
        self._refresh(user=False)

    def set_run_settings(self, settings: RunSettings) -> None:
        """Show lr, epochs (clamped to 1 … 1,000,000), the stopping rule, its tolerance, w0,
        the optimizer and its hyper-parameters; keep the other fields."""
        self._base = settings
        self._lr_input.set_value(settings.lr)
        self._lr_slider.set_number(settings.lr)
        with QSignalBlocker(self._epochs_input):
            self._epochs_input.setValue(min(max(settings.epochs, 1), MAX_EPOCHS_INPUT))
        self._stop_input.set_rule(settings.stop)
        self._tolerance_input.set_value(settings.tolerance)
        self._apply_stop_rule()
        self._w0_input.set_value(settings.w0)
        self._optimizer_input.set_settings(settings)
        self._refresh(user=False)

    def set_speed(self, epochs_per_second: float) -> None:
        """Show the playback speed (clamped to ``SPEED_RANGE``)."""
        with QSignalBlocker(self._speed_input):
            self._speed_input.setValue(epochs_per_second)

    def set_frame_rate(self, frames_per_second: float) -> None:
        """Say, in the speed's tooltip, up to which speed every epoch is drawn: one in each
        frame of the display (faster, several epochs pass between two frames)."""
        self._speed_input.setToolTip(
            self.tr(
                "How many epochs Play shows per second. Up to {rate} a second, every epoch "
                "is drawn, one in each frame; faster, Play moves on several epochs a frame."
            ).format(rate=f"{frames_per_second:g}")
        )

    def set_editing_enabled(self, enabled: bool) -> None:
        """Allow or forbid editing data and settings (e.g. while a file loads)."""
        self._editing_enabled = enabled
        self._apply_enabled()

    def _build_data_group(self) -> QGroupBox:
        table = self._table = DataTable()
        table.itemChanged.connect(self._on_table_item_changed)
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
        optimizer = self._optimizer_input = OptimizerInput()
        optimizer.edited.connect(self._on_input_edited)
        optimizer.invalid.connect(self._on_input_edited)
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
        limits = self._lr_limits = LrLimits()
        limits.lr_picked.connect(self._on_lr_limits_lr_chosen)
        limits.best_rate_requested.connect(self._on_lr_limits_lr_chosen)
        note = QLabel(self.tr("Limits: for plain gradient descent only."), wordWrap=True)
        self._limits_note = _name(note, "lrLimitsNote", self.tr("About the learning-rate limits"))
        note.setToolTip(self.tr("The zones, the stable limit and the best rate hold for plain "
                                "gradient descent (gd) on all the points; other optimizers "
                                "move differently."))  # fmt: skip

        epochs = self._epochs_input = _name(QSpinBox(), "epochsInput", self.tr("Epochs"))
        epochs.setRange(1, MAX_EPOCHS_INPUT)
        group_digits(epochs)
        bound = self.tr("How many updates of w to compute, at most: the upper bound whatever "
                        "the stopping rule, which may end the run sooner.")  # fmt: skip
        epochs.setToolTip(bound)
        epochs.valueChanged.connect(self._on_input_edited)
        stop = self._stop_input = _name(StopRuleInput(), "stopInput", self.tr("Stopping rule"))
        stop.rule_edited.connect(self._on_stop_input_rule_edited)
        tolerance = self._tolerance_input = NumberInput(
            self.tr("The tolerance"), self._check_tolerance, mode="log", value=DEFAULT_TOLERANCE
        )
        _name(tolerance, "toleranceInput", self.tr("Tolerance of the stopping rule"))
        tolerance.value_edited.connect(self._on_input_edited)
        tolerance.invalid.connect(self._on_input_edited)
        stopping = QFormLayout()
        stopping.addRow(self.tr("At most"), epochs)
        stop_label = QLabel(self.tr("Stop"))
        stop_label.setBuddy(stop)
        stopping.addRow(stop_label)  # the rules' names are long: the box gets a row of its own
        stopping.addRow(stop)
        stopping.addRow(self.tr("Tolerance"), tolerance)

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
        self._wheel_guard.guard(lr, slider, epochs, stop, tolerance, w0, speed)
        return (
            _group(self.tr("Model and optimizer"), optimizer),
            _group(self.tr("Learning rate"), lr, slider, ends, limits, note),
            _group(self.tr("Epochs and stopping"), stopping),
            _group(self.tr("Initial w"), w0),
            _group(self.tr("Playback speed"), speed),
        )

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loaded is None:  # a large data set is read-only
            self._check_table()
            self._refresh(user=True)

    def _on_add_button_clicked(self) -> None:
        self._table.add_point()
        self._check_table()
        self._refresh(user=True)

    def _on_remove_button_clicked(self) -> None:
        self._table.remove_points()
        self._check_table()
        self._refresh(user=True)

    def _on_input_edited(self, *value: object) -> None:
        self._refresh(user=True)

    def _on_lr_limits_lr_chosen(self, lr: float) -> None:
        # As if typed: the field, then the slider, then the usual check and emission.
        self._lr_input.set_value(lr)
        self._lr_slider.set_number(lr)
        self._refresh(user=True)

    def _on_stop_input_rule_edited(self, rule: str) -> None:
        if rule == "epochs" and not self._tolerance_input.is_valid():
            # The field is about to be disabled: it must not hold an error no one can fix.
            self._tolerance_input.set_value(self._tolerance_input.value())
        self._apply_stop_rule()
        self._refresh(user=True)

    # ------------------------------------------------------------------ internals

    def _number_inputs(self) -> tuple[NumberInput, ...]:
        return (self._lr_input, self._tolerance_input, self._w0_input)  # top to bottom

    def _check_lr(self, value: float) -> str | None:
        if value > MAX_SETTING:
            return self.tr("The learning rate must be at most 1e100.")
        return None if value > 0 else self.tr("The learning rate must be greater than 0.")

    def _check_tolerance(self, value: float) -> str | None:
        if value > MAX_SETTING:
            return self.tr("The tolerance must be at most 1e100.")
        return None if value > 0 else self.tr("The tolerance must be greater than 0.")

    def _check_w0(self, value: float) -> str | None:
        message = self.tr("The initial w must lie between −1,000,000 and 1,000,000.")
        return None if abs(value) <= MAX_ABS_W0 else message

    def _check_table(self) -> None:
        """Read every cell, mark the bad ones, and rebuild the dataset if all are good."""
        self._dataset, self._data_errors = self._table.check()
        self._apply_enabled()  # Remove point needs two rows

    def _apply_enabled(self) -> None:
        editable = self._editing_enabled and self._loaded is None
        self._table.set_editable(editable)
        self._add_button.setEnabled(editable)
        self._remove_button.setEnabled(editable and self._table.rowCount() > 1)
        for group in self._setting_groups:
            group.setEnabled(self._editing_enabled)

    def _apply_stop_rule(self) -> None:
        rule, tolerance = self._stop_input.rule(), self._tolerance_input
        tolerance.setEnabled(rule != "epochs")
        unused = self.tr("Used by the other stopping rules; this one runs every epoch.")
        tolerance.set_hint(unused if rule == "epochs" else self._stop_input.describe(rule))

    def _update_limits(self) -> None:
        """Give the limits widget the analysis, the lr, the start and the tolerance."""
        gd = self._optimizer_input.optimizer() == "gd"
        self._lr_limits.setHidden(not gd)
        self._limits_note.setHidden(gd)
        if not gd:
            return  # computed when gd is chosen again, if the data changed meanwhile
        # The last valid lr, w0 and tolerance: what the run shown was made with.
        lr, tolerance = self._lr_input.value(), self._tolerance_input.value()
        analysis = None if self._dataset is None else self._analysis_of(self._dataset)
        chosen = self._optimizer_input.settings(self._base) or self._base
        start = chosen.replace(w0=self._w0_input.value()).initial_params if analysis else ()
        if (analysis, start, tolerance) == self._limits_shown:
            self._lr_limits.set_lr(lr)
        else:
            self._lr_limits.set_analysis(analysis, lr, start, tolerance)
            self._limits_shown = (analysis, start, tolerance)

    def _analysis_of(self, dataset: Dataset) -> Analysis:
        """The analysis of ``dataset`` on the current model: one pass over the data, so
        redone only when either changes (a table edit always makes a new Dataset)."""
        model, cached = self._optimizer_input.model(), self._analysis
        if cached is None or cached[0] is not dataset or cached[1] != model:
            analysis = Analysis.of(get_model(model).quadratic(dataset))
            cached = self._analysis = (dataset, model, analysis)
        return cached[2]

    def _refresh(self, user: bool) -> None:
        """Show the problems and the limits; after a user edit, emit what changed."""
        self._update_limits()
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


def _group(title: str, *parts: QWidget | QLayout) -> QGroupBox:
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
