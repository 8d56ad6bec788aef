"""The model and the optimizer of a run: the choices, each rule in its tooltip, and the
hyper-parameters of the chosen optimizer only."""

from __future__ import annotations

import math
from typing import TypeVar

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from gd_viewer.core.models import MODELS
from gd_viewer.core.optimizers import OPTIMIZERS
from gd_viewer.core.settings import DEFAULT_BATCH_SIZE, RunSettings
from gd_viewer.gui.eliding_combo import ElidingComboBox
from gd_viewer.gui.number_input import Check, NumberInput, StepMode, WholeNumberInput
from gd_viewer.gui.wheel_guard import WheelNeedsFocus

#: The initial b is held to the initial w's range in the control panel.
MAX_ABS_B0 = 1e6
#: Far more points than any data set the app can hold; beyond the data size a batch is all of it.
MAX_BATCH_SIZE = 1_000_000_000
#: The largest ε the core accepts.
MAX_EPS = 1e100
#: The shuffles' seed: what a QSpinBox holds.
MAX_SEED = 2**31 - 1
#: The core's defaults (torch.optim's, except the tutorial's lr).
_DEFAULTS = RunSettings()
_SHRINKABLE = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
_W = TypeVar("_W", bound=QWidget)


class OptimizerInput(QWidget):
    """The model (``y = w·x`` or ``y = w·x + b``), the initial b, the optimizer and its
    hyper-parameters.

    Each optimizer's item has its update rule as its tooltip, in the symbols the app
    uses (torch.optim's rules and defaults; the momentum buffer is called u here, as b is
    the line's intercept). Only the fields the chosen optimizer uses are shown:

    ===========================  =============================================
    optimizer                    fields
    ===========================  =============================================
    gd                           none (one full-batch update per epoch)
    sgd                          shuffle and seed
    minibatch                    batch size, shuffle and seed
    momentum, nesterov           "batches of" (off: full batch), μ, shuffle, seed
    adagrad                      "batches of", ε, shuffle, seed
    rmsprop                      "batches of", α, ε, shuffle, seed
    adam                         "batches of", β1, β2, ε, shuffle, seed
    ===========================  =============================================

    Shuffle and seed are enabled only while updates use batches, and the seed only with
    shuffle on. The number fields check what is typed as the learning rate's field does (a
    red box, the message as its tooltip, listed by :meth:`errors`); a field the choice stops
    using is first put back to its last valid value, so no hidden field holds an error.

    ε at the chosen optimizer's default is given as ``eps=None`` and follows the optimizer
    to its own default (AdaGrad's 1e-10, 1e-8 otherwise); any other ε is kept across
    optimizers. Likewise the batch size of ``minibatch`` at 32 is given as None (the core's
    default). So settings with ``eps`` or ``batch_size`` set explicitly to those defaults
    come back from :meth:`set_settings` and :meth:`settings` as None: the same run. For
    ``gd`` and ``sgd`` the batch size is None (for sgd the core's 1, also the same run).

    Setters never emit.

    Signals
    -------
    edited()
        A user edit left every field valid (something may have changed: compare
        :meth:`settings`).
    invalid(str)
        A user edit left a field invalid; the first problem's message.
    """

    edited = Signal()
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _name(self, "optimizerSettings", self.tr("Model and optimizer"))
        # The optimizer whose default ε the ε field follows while it shows that default.
        self._eps_owner = _DEFAULTS.optimizer
        self._build()
        self.set_settings(RunSettings())

    # ------------------------------------------------------------------ public API

    def settings(self, base: RunSettings) -> RunSettings | None:
        """``base`` with the model, b0, optimizer and its hyper-parameters of the fields
        (each field's value, shown or not); None while a field is invalid."""
        if not self.is_valid():
            return None
        return base.replace(
            model=self.model(),
            b0=self._b0_input.value(),
            optimizer=self.optimizer(),
            batch_size=self._chosen_batch_size(),
            momentum=self._momentum_input.value(),
            alpha=self._alpha_input.value(),
            beta1=self._beta1_input.value(),
            beta2=self._beta2_input.value(),
            eps=self._chosen_eps(),
            shuffle=self._shuffle_check.isChecked(),
            seed=self._seed_input.value(),
        )

    def set_settings(self, settings: RunSettings) -> None:
        """Show the model, b0, optimizer and hyper-parameters of ``settings`` without
        emitting (a seed above 2**31 − 1 is shown as that)."""
        self._eps_owner = settings.optimizer
        for combo, key in ((self._model_input, settings.model),
                           (self._optimizer_input, settings.optimizer)):  # fmt: skip
            with QSignalBlocker(combo):
                combo.setCurrentIndex(combo.findData(key))
        self._b0_input.set_value(settings.b0)
        self._batch_input.set_value(settings.batch_size or DEFAULT_BATCH_SIZE)
        self._momentum_input.set_value(settings.momentum)
        self._alpha_input.set_value(settings.alpha)
        self._beta1_input.set_value(settings.beta1)
        self._beta2_input.set_value(settings.beta2)
        eps = OPTIMIZERS[settings.optimizer].default_eps if settings.eps is None else settings.eps
        self._eps_input.set_value(eps)
        for check, on in ((self._batches_check, settings.batch_size is not None),
                          (self._shuffle_check, settings.shuffle)):  # fmt: skip
            with QSignalBlocker(check):
                check.setChecked(on)
        with QSignalBlocker(self._seed_input):
            self._seed_input.setValue(min(settings.seed, MAX_SEED))
        self._apply_choices()

    def set_model_choice_visible(self, visible: bool) -> None:
        """Show or hide the model and initial-b rows (for a window that shows y = w·x only)."""
        form = self.layout()
        assert isinstance(form, QFormLayout)
        for field in (self._model_input, self._b0_input):
            form.setRowVisible(field, visible)

    def model(self) -> str:
        """The chosen model's key (``origin`` or ``line``)."""
        return str(self._model_input.currentData())

    def optimizer(self) -> str:
        """The chosen optimizer's key in :data:`OPTIMIZERS`."""
        return str(self._optimizer_input.currentData())

    def is_valid(self) -> bool:
        """Whether every field holds a valid value."""
        return not self.errors()

    def errors(self) -> list[str]:
        """Every field's problem, top to bottom (only fields in use can have one)."""
        return [box.error() for box in self._number_inputs() if box.error()]

    def describe(self, optimizer: str) -> str:
        """The update rule of ``optimizer`` in plain text, with its defaults (its tooltip)."""
        defaults = {
            "mu": _default(_DEFAULTS.momentum),
            "alpha": _default(_DEFAULTS.alpha),
            "beta1": _default(_DEFAULTS.beta1),
            "beta2": _default(_DEFAULTS.beta2),
            "eps": _default(OPTIMIZERS[optimizer].default_eps),
        }
        each = self.tr("g is the gradient of the cost; w and b (for y = w·x + b) each move "
                       "by the rule, with their own running values.")  # fmt: skip
        batches = self.tr("Full batch: one update per epoch on all the points, unless "
                          "\"Batches of\" is ticked.")  # fmt: skip
        rules = {
            "gd": self.tr("w ← w − lr·g\ng: over all the points, one update per epoch "
                          "(torch.optim.SGD). The tutorial's w -= 0.01 * grad_val."),
            "sgd": self.tr("w ← w − lr·g\ng: at one point; one update per point, in the "
                           "data's order unless shuffled (torch.optim.SGD)."),
            "minibatch": self.tr("w ← w − lr·g\ng: over a batch of points; one update per "
                                 "batch, the last batch of an epoch may be smaller "
                                 "(torch.optim.SGD)."),
            "momentum": self.tr("u ← μ·u + g   (u = g at the first update)\nw ← w − lr·u\n"
                                "Default μ = {mu} (torch.optim.SGD with momentum; its "
                                "documentation calls u b)."),
            "nesterov": self.tr("u ← μ·u + g   (u = g at the first update)\n"
                                "w ← w − lr·(g + μ·u)\nDefault μ = {mu} (torch.optim.SGD "
                                "with nesterov=True; its documentation calls u b)."),
            "adagrad": self.tr("s ← s + g²   (s starts at 0)\nw ← w − lr·g / (√s + ε)\n"
                               "Default ε = {eps} (torch.optim.Adagrad)."),
            "rmsprop": self.tr("v ← α·v + (1 − α)·g²   (v starts at 0)\n"
                               "w ← w − lr·g / (√v + ε)\nDefaults α = {alpha}, ε = {eps} "
                               "(torch.optim.RMSprop)."),
            "adam": self.tr("m ← β1·m + (1 − β1)·g\nv ← β2·v + (1 − β2)·g²\n"
                            "m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)   (t: the update's number)\n"
                            "w ← w − lr·m̂ / (√v̂ + ε)\nDefaults β1 = {beta1}, β2 = {beta2}, "
                            "ε = {eps} (torch.optim.Adam)."),
        }  # fmt: skip
        text = rules[optimizer].format(**defaults) + "\n" + each
        return text + "\n" + batches if OPTIMIZERS[optimizer].batching == "any" else text

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        model = self._model_input = _name(ElidingComboBox(), "modelInput", self.tr("Model"))
        model_labels = {"origin": self.tr("y = w·x (the tutorial's)"),
                        "line": self.tr("y = w·x + b")}  # fmt: skip
        assert model_labels.keys() == MODELS.keys()  # a new model in the core needs words here
        for key, label in model_labels.items():
            model.addItem(label, key)
        model.setToolTip(self.tr("The line through the origin fits w alone; the line "
                                 "y = w·x + b fits a slope w and an intercept b."))  # fmt: skip
        model.currentIndexChanged.connect(self._on_model_input_current_index_changed)
        b0 = self._b0_input = self._number(
            "b0Input", self.tr("Initial b"), self.tr("The initial b"),
            _range_check(self.tr("The initial b must lie between −1,000,000 and 1,000,000."),
                         -MAX_ABS_B0, MAX_ABS_B0),
            self.tr("The value of b before the first update (y = w·x + b only)."), step=0.1,
        )  # fmt: skip

        optimizer = self._optimizer_input = _name(
            ElidingComboBox(), "optimizerInput", self.tr("Optimizer")
        )
        labels = {
            "gd": self.tr("GD (full batch, the tutorial's)"),
            "sgd": self.tr("SGD (one point per update)"),
            "minibatch": self.tr("Mini-batch"),
            "momentum": self.tr("Momentum"),
            "nesterov": self.tr("Nesterov"),
            "adagrad": self.tr("AdaGrad"),
            "rmsprop": self.tr("RMSProp"),
            "adam": self.tr("Adam"),
        }
        assert labels.keys() == OPTIMIZERS.keys()  # a new optimizer in the core needs words here
        for key, label in labels.items():
            optimizer.addItem(label, key)
            optimizer.setItemData(optimizer.count() - 1, self.describe(key),
                                  Qt.ItemDataRole.ToolTipRole)  # fmt: skip
        optimizer.currentIndexChanged.connect(self._on_optimizer_input_current_index_changed)
        for combo in (model, optimizer):
            # Long names are cut short rather than widen a narrow panel; tooltips say all.
            combo.setSizeAdjustPolicy(_SHRINKABLE)
            combo.setMinimumContentsLength(12)

        batch = self._batch_input = self._number(
            "batchSizeInput", self.tr("Batch size"), self.tr("The batch size"),
            self._check_batch_size, self.tr("Points per update; the last batch of an epoch "
            "may be smaller. A batch of all the points is full-batch descent."), whole=True,
        )  # fmt: skip
        self._batch_label = QLabel(self.tr("Batch size"))
        self._batch_label.setBuddy(batch)
        batches = self._batches_check = QCheckBox(self.tr("Batches of"))
        _name(batches, "batchesCheck", self.tr("Update on batches of points"))
        batches.setToolTip(self.tr("Update after each batch of points rather than once per "
                                   "epoch on all of them (full batch)."))  # fmt: skip
        batches.toggled.connect(self._on_check_toggled)
        batch_label = QWidget()  # the row's label: plain for minibatch, a check box otherwise
        row = QHBoxLayout(batch_label)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._batch_label)
        row.addWidget(batches)

        fraction = self.tr("{subject} must be from 0 up to (not including) 1.")
        momentum = self._momentum_input = self._number(
            "momentumInput", self.tr("Momentum μ"), self.tr("The momentum μ"),
            _range_check(fraction.format(subject=self.tr("The momentum μ")), 0.0, 1.0, True),
            self.tr("How much of the last update carries into the next: u ← μ·u + g. "
                    "0 is plain gradient descent."), step=0.01,
        )  # fmt: skip
        alpha = self._alpha_input = self._number(
            "alphaInput", self.tr("Decay α"), self.tr("RMSProp's decay α"),
            _range_check(fraction.format(subject=self.tr("RMSProp's decay α")), 0.0, 1.0, True),
            self.tr("How slowly the running average of g² forgets: "
                    "v ← α·v + (1 − α)·g²."), step=0.01,
        )  # fmt: skip
        beta1 = self._beta1_input = self._number(
            "beta1Input", self.tr("β1"), self.tr("Adam's β1"),
            _range_check(fraction.format(subject=self.tr("Adam's β1")), 0.0, 1.0, True),
            self.tr("How slowly the running average of g forgets: "
                    "m ← β1·m + (1 − β1)·g."), step=0.01,
        )  # fmt: skip
        beta2 = self._beta2_input = self._number(
            "beta2Input", self.tr("β2"), self.tr("Adam's β2"),
            _range_check(fraction.format(subject=self.tr("Adam's β2")), 0.0, 1.0, True),
            self.tr("How slowly the running average of g² forgets: "
                    "v ← β2·v + (1 − β2)·g²."), step=0.001,
        )  # fmt: skip
        eps = self._eps_input = self._number(
            "epsInput", self.tr("ε"), self.tr("ε"), self._check_eps, "", mode="log",
        )  # fmt: skip

        shuffle = self._shuffle_check = QCheckBox(self.tr("Shuffle"))
        _name(shuffle, "shuffleInput", self.tr("Shuffle the points each epoch"))
        shuffle.setToolTip(self.tr("Visit the points in a new random order each epoch; "
                                   "otherwise in the data's order, as the tutorial's SGD "
                                   "lesson."))  # fmt: skip
        shuffle.toggled.connect(self._on_check_toggled)
        seed = self._seed_input = _name(QSpinBox(), "seedInput", self.tr("Seed of the shuffles"))
        seed.setRange(0, MAX_SEED)
        seed.setPrefix(self.tr("seed "))
        seed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        seed.setToolTip(self.tr("The seed of the shuffles: the same seed gives the same run."))
        seed.valueChanged.connect(self._on_seed_input_value_changed)

        form.addRow(self.tr("Model"), model)
        form.addRow(self.tr("Initial b"), b0)
        form.addRow(self.tr("Optimizer"), optimizer)
        form.addRow(self.tr("Momentum μ"), momentum)
        form.addRow(self.tr("Decay α"), alpha)
        form.addRow(self.tr("β1"), beta1)
        form.addRow(self.tr("β2"), beta2)
        form.addRow(self.tr("ε"), eps)
        form.addRow(batch_label, batch)
        form.addRow(shuffle, seed)
        self._form = form
        self._wheel_guard = WheelNeedsFocus(self)
        self._wheel_guard.guard(model, optimizer, seed, *self._number_inputs())

    def _number(
        self,
        name: str,
        description: str,
        subject: str,
        check: Check,
        hint: str,
        *,
        step: float = 1.0,
        mode: StepMode = "linear",
        whole: bool = False,
    ) -> NumberInput:
        kind = WholeNumberInput if whole else NumberInput
        box = kind(subject, check, mode=mode, step=step)
        _name(box, name, description)
        box.set_hint(hint)
        box.value_edited.connect(self._on_number_edited)
        box.invalid.connect(self._on_number_edited)
        return box

    # ------------------------------------------------------------------ handlers

    def _on_model_input_current_index_changed(self, index: int) -> None:
        self._apply_choices()
        self._report()

    def _on_optimizer_input_current_index_changed(self, index: int) -> None:
        self._apply_choices()
        self._report()

    def _on_check_toggled(self, checked: bool) -> None:
        self._apply_choices()
        self._report()

    def _on_seed_input_value_changed(self, seed: int) -> None:
        self._report()

    def _on_number_edited(self, *value_or_message: object) -> None:
        self._report()

    # ------------------------------------------------------------------ internals

    def _number_inputs(self) -> tuple[NumberInput, ...]:
        return (
            self._b0_input, self._momentum_input, self._alpha_input, self._beta1_input,
            self._beta2_input, self._eps_input, self._batch_input,
        )  # fmt: skip  # top to bottom

    def _check_batch_size(self, value: float) -> str | None:
        if value.is_integer() and 1 <= value <= MAX_BATCH_SIZE:
            return None
        return self.tr("The batch size must be a whole number from 1 to 1,000,000,000.")

    def _check_eps(self, value: float) -> str | None:
        if value > MAX_EPS:
            return self.tr("ε must be at most 1e100.")
        return None if value > 0 else self.tr("ε must be greater than 0.")

    def _chosen_batch_size(self) -> int | None:
        batching = OPTIMIZERS[self.optimizer()].batching
        if batching == "mini":
            size = int(self._batch_input.value())
            return None if size == DEFAULT_BATCH_SIZE else size
        if batching == "any" and self._batches_check.isChecked():
            return int(self._batch_input.value())
        return None

    def _chosen_eps(self) -> float | None:
        eps = self._eps_input.value()
        return None if eps == OPTIMIZERS[self.optimizer()].default_eps else eps

    def _apply_choices(self) -> None:
        """Show the fields the model and optimizer use, enable those that apply now, and put
        any field no longer in use back to its last valid value."""
        name = self.optimizer()
        info = OPTIMIZERS[name]
        batching, params = info.batching, info.hyperparameters
        chosen = batching == "any" and self._batches_check.isChecked()  # "Batches of" ticked
        batched = batching in ("one", "mini") or chosen
        uses = {
            self._b0_input: self.model() == "line",
            self._batch_input: batching == "mini" or chosen,
            self._momentum_input: "momentum" in params,
            self._alpha_input: "alpha" in params,
            self._beta1_input: "beta1" in params,
            self._beta2_input: "beta2" in params,
            self._eps_input: "eps" in params,
        }
        for box, used in uses.items():
            if not used and not box.is_valid():
                box.set_value(box.value())  # a field out of use must not hold an error
        eps = self._eps_input
        if eps.is_valid() and eps.value() == OPTIMIZERS[self._eps_owner].default_eps:
            eps.set_value(info.default_eps)  # the default of the last optimizer: now this one's
        self._eps_owner = name
        default = self.tr("The default, {eps}, is this optimizer's (torch.optim's).")
        self._eps_input.set_hint(
            self.tr("Added to the root in the denominator so that it is never 0.") + " "
            + default.format(eps=_default(info.default_eps))
        )  # fmt: skip

        form = self._form
        form.setRowVisible(self._batch_input, batching in ("mini", "any"))
        self._batch_label.setVisible(batching == "mini")
        self._batches_check.setVisible(batching == "any")
        for box in (self._momentum_input, self._alpha_input, self._beta1_input,
                    self._beta2_input, self._eps_input):  # fmt: skip
            form.setRowVisible(box, uses[box])
        form.setRowVisible(self._seed_input, batching != "full")
        self._b0_input.setEnabled(uses[self._b0_input])
        self._batch_input.setEnabled(uses[self._batch_input])
        self._shuffle_check.setEnabled(batched)
        self._seed_input.setEnabled(batched and self._shuffle_check.isChecked())
        self._optimizer_input.setToolTip(self.describe(name))

    def _report(self) -> None:
        errors = self.errors()
        if errors:
            self.invalid.emit(errors[0])
        else:
            self.edited.emit()


def _range_check(message: str, low: float, high: float, high_open: bool = False) -> Check:
    """A check refusing values outside ``low … high`` (``high`` itself too if open)."""

    def check(value: float) -> str | None:
        inside = low <= value < high if high_open else low <= value <= high
        return None if inside else message

    return check


def _default(value: float) -> str:
    """A default as the tooltips show it: 0.9, 0.999, 1e-08."""
    return f"{value:g}" if math.isfinite(value) else str(value)


def _name(widget: _W, name: str, description: str) -> _W:
    widget.setObjectName(name)
    widget.setAccessibleName(description)
    return widget
