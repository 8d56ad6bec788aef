"""The model and optimizer input, driven as a user would: choosing with the keyboard, typing."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from gd_viewer.core.data import Dataset
from gd_viewer.core.descent import Run, Status
from gd_viewer.core.optimizers import OPTIMIZERS
from gd_viewer.core.settings import RunSettings
from gd_viewer.gui.number_input import NumberInput
from gd_viewer.gui.optimizer_input import OptimizerInput
from tests.gui.widgets import child

ALWAYS = ["modelInput", "b0Input", "optimizerInput"]
#: The fields shown for some optimizers only.
OPTIONAL = [
    "momentumInput", "alphaInput", "beta1Input", "beta2Input", "epsInput", "batchesCheck",
    "batchSizeInput", "shuffleInput", "seedInput",
]  # fmt: skip
BATCHING = {"batchesCheck", "batchSizeInput", "shuffleInput", "seedInput"}
VISIBLE = {
    "gd": set(),
    "sgd": {"shuffleInput", "seedInput"},
    "minibatch": {"batchSizeInput", "shuffleInput", "seedInput"},
    "momentum": {"momentumInput"} | BATCHING,
    "nesterov": {"momentumInput"} | BATCHING,
    "adagrad": {"epsInput"} | BATCHING,
    "rmsprop": {"alphaInput", "epsInput"} | BATCHING,
    "adam": {"beta1Input", "beta2Input", "epsInput"} | BATCHING,
}
LABELS = [
    "GD (full batch, the tutorial's)", "SGD (one point per update)", "Mini-batch", "Momentum",
    "Nesterov", "AdaGrad", "RMSProp", "Adam",
]  # fmt: skip
TUTORIAL = Dataset.tutorial()


class Recorder:
    """Every emission of the widget's signals, in order: ("edited",) or ("invalid", message)."""

    def __init__(self, widget: OptimizerInput) -> None:
        self.signals: list[tuple[str, ...]] = []
        widget.edited.connect(lambda: self.signals.append(("edited",)))
        widget.invalid.connect(lambda message: self.signals.append(("invalid", message)))

    @property
    def edits(self) -> int:
        return self.signals.count(("edited",))


@pytest.fixture
def widget(qtbot: QtBot) -> OptimizerInput:
    """The widget on screen (offscreen) at the control panel's width."""
    widget = OptimizerInput()
    qtbot.addWidget(widget)
    widget.resize(300, widget.sizeHint().height())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def seen(widget: OptimizerInput) -> Recorder:
    return Recorder(widget)


def choose(qtbot: QtBot, combo: QComboBox, key: str) -> None:
    """Pick the item whose data is ``key`` with the arrow keys (each a choice on the way)."""
    index = combo.findData(key)
    assert index >= 0, key
    while combo.currentIndex() != index:
        down = combo.currentIndex() < index
        qtbot.keyClick(combo, Qt.Key.Key_Down if down else Qt.Key.Key_Up)
    assert combo.currentData() == key


def choose_optimizer(qtbot: QtBot, widget: OptimizerInput, name: str) -> None:
    choose(qtbot, child(widget, QComboBox, "optimizerInput"), name)


def choose_optimizer_direct(widget: OptimizerInput, name: str) -> None:
    """Pick by index (as a mouse click in the list does): currentIndexChanged reacts."""
    combo = child(widget, QComboBox, "optimizerInput")
    combo.setCurrentIndex(combo.findData(name))


def retype(qtbot: QtBot, box: QAbstractSpinBox, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(box, text)


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Toggle a check box with the space bar, as from the keyboard."""
    qtbot.keyClick(box, Qt.Key.Key_Space)


def shown(widget: OptimizerInput) -> set[str]:
    return {name for name in OPTIONAL if child(widget, QWidget, name).isVisibleTo(widget)}


def same_history(a: Run, b: Run) -> bool:
    ha, hb = a.history, b.history
    arrays = ("params", "cost", "grad", "update_position", "update_params", "update_cost")
    return all(np.array_equal(getattr(ha, n), getattr(hb, n)) for n in arrays)


def test_starts_with_the_core_defaults_and_names_every_widget(widget: OptimizerInput) -> None:
    assert widget.objectName() == "optimizerSettings"
    assert widget.settings(RunSettings()) == RunSettings()
    assert widget.is_valid() and widget.errors() == []
    for name in ALWAYS + OPTIONAL:
        found = widget.findChild(QWidget, name)
        assert found is not None and found.accessibleName(), name
    models = child(widget, QComboBox, "modelInput")
    assert [models.itemText(i) for i in range(models.count())] == [
        "y = w·x (the tutorial's)", "y = w·x + b",
    ]  # fmt: skip
    assert [models.itemData(i) for i in range(models.count())] == ["origin", "line"]
    optimizers = child(widget, QComboBox, "optimizerInput")
    assert [optimizers.itemText(i) for i in range(optimizers.count())] == LABELS
    assert [optimizers.itemData(i) for i in range(optimizers.count())] == list(OPTIMIZERS)
    assert shown(widget) == set()  # gd: nothing to set


def test_the_widget_fits_the_control_panel(widget: OptimizerInput) -> None:
    choose_optimizer_direct(widget, "adam")
    assert widget.minimumSizeHint().width() <= 300


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_choice_gives_the_core_defaults_and_a_run(
    qtbot: QtBot, widget: OptimizerInput, seen: Recorder, name: str
) -> None:
    choose_optimizer(qtbot, widget, name)
    assert set(seen.signals) == (set() if name == "gd" else {("edited",)})  # gd: no change
    settings = widget.settings(RunSettings())
    assert settings == RunSettings(optimizer=name)  # torch.optim's defaults, the tutorial's lr
    run = Run(TUTORIAL, settings)
    assert run.advance(1) == 1 and run.status is Status.RUNNING and run.epochs_done == 1
    assert all(np.isfinite(run.history.params).ravel())


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_only_the_fields_of_the_chosen_optimizer_are_shown(
    qtbot: QtBot, widget: OptimizerInput, name: str
) -> None:
    choose_optimizer(qtbot, widget, name)
    assert shown(widget) == VISIBLE[name]
    assert all(child(widget, QWidget, n).isVisibleTo(widget) for n in ALWAYS)
    if "epsInput" in VISIBLE[name]:  # each optimizer's own default (AdaGrad's is 1e-10)
        eps = child(widget, NumberInput, "epsInput")
        assert eps.value() == OPTIMIZERS[name].default_eps
        assert f"{OPTIMIZERS[name].default_eps:g}" in eps.toolTip()
    batching = OPTIMIZERS[name].batching
    stochastic = batching in ("one", "mini")
    assert child(widget, QCheckBox, "shuffleInput").isEnabled() is stochastic
    assert not child(widget, QSpinBox, "seedInput").isEnabled()  # until shuffle is ticked
    batch = child(widget, NumberInput, "batchSizeInput")
    assert batch.isEnabled() is (batching == "mini")


def test_the_batches_option_of_the_adaptive_optimizers(
    qtbot: QtBot, widget: OptimizerInput, seen: Recorder
) -> None:
    choose_optimizer(qtbot, widget, "adam")
    batches = child(widget, QCheckBox, "batchesCheck")
    batch = child(widget, NumberInput, "batchSizeInput")
    shuffle = child(widget, QCheckBox, "shuffleInput")
    seed = child(widget, QSpinBox, "seedInput")
    assert not batches.isChecked() and not batch.isEnabled() and not shuffle.isEnabled()
    tick(qtbot, batches)
    assert batch.isEnabled() and shuffle.isEnabled() and not seed.isEnabled()
    assert widget.settings(RunSettings()) == RunSettings(optimizer="adam", batch_size=32)
    retype(qtbot, batch, "2")
    tick(qtbot, shuffle)
    assert seed.isEnabled()
    retype(qtbot, seed, "7")
    assert seen.signals[-1] == ("edited",)
    expected = RunSettings(optimizer="adam", batch_size=2, shuffle=True, seed=7)
    assert widget.settings(RunSettings()) == expected
    tick(qtbot, batches)  # back to full batch
    assert not batch.isEnabled() and not shuffle.isEnabled() and not seed.isEnabled()
    settings = widget.settings(RunSettings())
    assert settings is not None and settings.batch_size is None and not settings.is_stochastic


# (optimizer, model, {field: typed text}, ticked check boxes, the same settings made in the core)
TYPED = [
    ("gd", "line", {"b0Input": "0.5"}, [], RunSettings(model="line", b0=0.5)),
    ("sgd", "origin", {"seedInput": "3"}, ["shuffleInput"],
     RunSettings(optimizer="sgd", shuffle=True, seed=3)),
    ("minibatch", "line", {"batchSizeInput": "2", "seedInput": "7"}, ["shuffleInput"],
     RunSettings(model="line", optimizer="minibatch", batch_size=2, shuffle=True, seed=7)),
    ("momentum", "origin", {"momentumInput": "0.5"}, [],
     RunSettings(optimizer="momentum", momentum=0.5)),
    ("nesterov", "line", {"momentumInput": "0.8", "batchSizeInput": "1"}, ["batchesCheck"],
     RunSettings(model="line", optimizer="nesterov", momentum=0.8, batch_size=1)),
    ("adagrad", "origin", {"epsInput": "0.001"}, [], RunSettings(optimizer="adagrad", eps=1e-3)),
    ("rmsprop", "line", {"alphaInput": "0.9", "epsInput": "1e-6"}, [],
     RunSettings(model="line", optimizer="rmsprop", alpha=0.9, eps=1e-6)),
    ("adam", "line", {"beta1Input": "0.8", "beta2Input": "0.99", "epsInput": "1e-4"}, [],
     RunSettings(model="line", optimizer="adam", beta1=0.8, beta2=0.99, eps=1e-4)),
]  # fmt: skip


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("model", ["origin", "line"])
def test_the_first_steps_equal_the_cores_defaults(
    qtbot: QtBot, widget: OptimizerInput, name: str, model: str
) -> None:
    choose(qtbot, child(widget, QComboBox, "modelInput"), model)
    choose_optimizer(qtbot, widget, name)
    settings = widget.settings(RunSettings())
    assert settings is not None
    ours, core = Run(TUTORIAL, settings), Run(TUTORIAL, RunSettings(model=model, optimizer=name))
    assert ours.advance(3) == core.advance(3) == 3
    assert same_history(ours, core)


@pytest.mark.parametrize(("name", "model", "typed", "ticked", "expected"), TYPED)
def test_typed_hyperparameters_give_the_cores_run(
    qtbot: QtBot,
    widget: OptimizerInput,
    seen: Recorder,
    name: str,
    model: str,
    typed: dict[str, str],
    ticked: list[str],
    expected: RunSettings,
) -> None:
    choose(qtbot, child(widget, QComboBox, "modelInput"), model)
    choose_optimizer(qtbot, widget, name)
    for box in ticked:
        tick(qtbot, child(widget, QCheckBox, box))
    for field, text in typed.items():
        retype(qtbot, child(widget, QAbstractSpinBox, field), text)
    assert seen.signals[-1] == ("edited",)
    settings = widget.settings(RunSettings())
    assert settings == expected
    ours, core = Run(TUTORIAL, settings), Run(TUTORIAL, expected)
    assert ours.advance(3) == core.advance(3) == 3
    assert same_history(ours, core)
    # Not just the defaults under another name: the typed values change the run.
    if typed.keys() - {"seedInput", "b0Input"}:
        default = Run(TUTORIAL, RunSettings(model=model, optimizer=name))
        default.advance(3)
        assert not same_history(ours, default)


BAD = [
    ("minibatch", "batchSizeInput", "0",
     "The batch size must be a whole number from 1 to 1,000,000,000."),
    ("minibatch", "batchSizeInput", "2.5",
     "The batch size must be a whole number from 1 to 1,000,000,000."),
    ("adam", "beta1Input", "1.5", "Adam's β1 must be from 0 up to (not including) 1."),
    ("adam", "beta2Input", "1", "Adam's β2 must be from 0 up to (not including) 1."),
    ("adam", "epsInput", "-1", "ε must be greater than 0."),
    ("adagrad", "epsInput", "0", "ε must be greater than 0."),
    ("momentum", "momentumInput", "abc", "The momentum μ must be a number, not 'abc'."),
    ("rmsprop", "alphaInput", "-2", "RMSProp's decay α must be from 0 up to (not including) 1."),
    ("nesterov", "momentumInput", "", "The momentum μ is empty: type a number."),
]  # fmt: skip


@pytest.mark.parametrize(("name", "field", "text", "message"), BAD)
def test_a_bad_value_shows_red_and_gives_nothing(
    qtbot: QtBot,
    widget: OptimizerInput,
    seen: Recorder,
    name: str,
    field: str,
    text: str,
    message: str,
) -> None:
    choose_optimizer(qtbot, widget, name)
    box = child(widget, NumberInput, field)
    box.lineEdit().selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    edits = seen.edits
    qtbot.keyClicks(box, text)
    untouched = text in ("0", "-1", "-2", "abc", "")  # no part of it typed so far was valid
    if untouched:
        assert seen.edits == edits
    last_valid = box.value()
    assert seen.signals[-1] == ("invalid", message)
    assert box.property("invalid") and box.toolTip() == message and box.error() == message
    assert box.palette().color(QPalette.ColorRole.Base).red() > 240  # the pale red
    assert widget.settings(RunSettings()) is None
    assert not widget.is_valid() and widget.errors() == [message]
    with qtbot.assertNotEmitted(widget.edited):
        qtbot.keyClicks(box, "x")  # still invalid: still nothing
    # Escape goes back to the last valid value: valid again, and edited() says so.
    with qtbot.waitSignal(widget.edited, timeout=1000):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert widget.is_valid() and not box.property("invalid") and box.value() == last_valid
    settings = widget.settings(RunSettings())
    assert settings is not None
    if untouched:
        assert settings == RunSettings(optimizer=name)


def test_letters_in_the_batch_size(qtbot: QtBot, widget: OptimizerInput, seen: Recorder) -> None:
    choose_optimizer(qtbot, widget, "minibatch")
    box = child(widget, NumberInput, "batchSizeInput")
    with qtbot.assertNotEmitted(widget.edited):
        retype(qtbot, box, "ten")
    assert seen.signals[-1] == ("invalid", "The batch size must be a number, not 'ten'.")
    assert widget.settings(RunSettings()) is None


def test_a_field_going_out_of_use_drops_its_error(
    qtbot: QtBot, widget: OptimizerInput, seen: Recorder
) -> None:
    choose_optimizer(qtbot, widget, "adam")
    beta1 = child(widget, NumberInput, "beta1Input")
    retype(qtbot, beta1, "0.5")
    retype(qtbot, beta1, "2")
    assert not widget.is_valid()
    choose_optimizer(qtbot, widget, "rmsprop")  # β1 hidden: back to its last valid value
    assert widget.is_valid() and seen.signals[-1] == ("edited",)
    assert beta1.value() == 0.5 and beta1.text() == "0.5" and not beta1.property("invalid")
    assert widget.settings(RunSettings()) == RunSettings(optimizer="rmsprop", beta1=0.5)
    # A field still in use keeps its error across the change.
    eps = child(widget, NumberInput, "epsInput")
    retype(qtbot, eps, "-1")
    choose_optimizer(qtbot, widget, "adam")
    assert eps.text() == "-1" and not widget.is_valid() and seen.signals[-1][0] == "invalid"


def test_b0_is_for_the_line_model_only(
    qtbot: QtBot, widget: OptimizerInput, seen: Recorder
) -> None:
    models = child(widget, QComboBox, "modelInput")
    b0 = child(widget, NumberInput, "b0Input")
    assert not b0.isEnabled() and b0.value() == 0.0
    choose(qtbot, models, "line")
    assert b0.isEnabled() and seen.signals[-1] == ("edited",)
    assert widget.settings(RunSettings()) == RunSettings(model="line")
    retype(qtbot, b0, "-1.5")
    assert widget.settings(RunSettings()) == RunSettings(model="line", b0=-1.5)
    retype(qtbot, b0, "2e6")  # "2" on the way was valid
    message = "The initial b must lie between −1,000,000 and 1,000,000."
    assert seen.signals[-1] == ("invalid", message) and widget.settings(RunSettings()) is None
    choose(qtbot, models, "origin")  # disabled: back to its last valid value
    assert not b0.isEnabled() and widget.is_valid() and b0.value() == 2.0 and b0.text() == "2.0"
    assert widget.settings(RunSettings()) == RunSettings(b0=2.0)  # kept, unused by origin
    assert "b" in models.toolTip()


def test_set_settings_shows_them_without_emitting(qtbot: QtBot, widget: OptimizerInput) -> None:
    chosen = RunSettings(
        model="line", b0=2.5, optimizer="adam", beta1=0.8, beta2=0.95, eps=1e-6,
        batch_size=2, shuffle=True, seed=42, lr=0.1, epochs=7,
    )  # fmt: skip
    with qtbot.assertNotEmitted(widget.edited), qtbot.assertNotEmitted(widget.invalid):
        widget.set_settings(chosen)
    assert widget.model() == "line" and widget.optimizer() == "adam"
    texts = {
        name: child(widget, QAbstractSpinBox, name).text()
        for name in ("b0Input", "beta1Input", "beta2Input", "epsInput", "batchSizeInput",
                     "seedInput")
    }  # fmt: skip
    assert texts == {
        "b0Input": "2.5", "beta1Input": "0.8", "beta2Input": "0.95", "epsInput": "1e-06",
        "batchSizeInput": "2", "seedInput": "seed 42",
    }  # fmt: skip
    assert child(widget, QCheckBox, "batchesCheck").isChecked()
    assert child(widget, QCheckBox, "shuffleInput").isChecked()
    assert child(widget, QSpinBox, "seedInput").isEnabled()
    assert shown(widget) == VISIBLE["adam"]
    # The fields this widget does not hold come from the base.
    assert widget.settings(RunSettings(lr=0.1, epochs=7)) == chosen
    assert widget.settings(RunSettings()) == chosen.replace(lr=0.01, epochs=100)
    with qtbot.assertNotEmitted(widget.edited), qtbot.assertNotEmitted(widget.invalid):
        widget.set_settings(RunSettings())
    assert widget.settings(RunSettings()) == RunSettings() and shown(widget) == set()


@pytest.mark.parametrize(
    "settings",
    [
        RunSettings(optimizer="minibatch"),
        RunSettings(optimizer="minibatch", batch_size=5),
        RunSettings(optimizer="momentum", momentum=0.0, batch_size=3),
        RunSettings(optimizer="adagrad", eps=1e-8),
        RunSettings(optimizer="adam", eps=1e-10),
        RunSettings(optimizer="rmsprop", alpha=0.5, shuffle=True, seed=9, batch_size=1),
        RunSettings(model="line", b0=-3.0, optimizer="nesterov"),
    ],
)
def test_set_settings_then_settings_gives_them_back(
    widget: OptimizerInput, settings: RunSettings
) -> None:
    widget.set_settings(settings)
    assert widget.settings(RunSettings()) == settings


def test_explicit_defaults_come_back_as_none(widget: OptimizerInput) -> None:
    # The core reads None as these very values: the same run.
    for explicit in (RunSettings(optimizer="minibatch", batch_size=32),
                     RunSettings(optimizer="adagrad", eps=1e-10),
                     RunSettings(optimizer="sgd", batch_size=1)):  # fmt: skip
        widget.set_settings(explicit)
        assert widget.settings(RunSettings()) == explicit.replace(batch_size=None, eps=None)


def test_set_settings_with_a_refused_value_shows_it_invalid(
    qtbot: QtBot, widget: OptimizerInput
) -> None:
    with qtbot.assertNotEmitted(widget.edited), qtbot.assertNotEmitted(widget.invalid):
        widget.set_settings(RunSettings(model="line", b0=5e6))  # the core allows ±1e100
    assert not widget.is_valid() and widget.settings(RunSettings()) is None
    assert child(widget, NumberInput, "b0Input").property("invalid")


def test_eps_follows_each_optimizers_default_until_typed(
    qtbot: QtBot, widget: OptimizerInput
) -> None:
    eps = child(widget, NumberInput, "epsInput")
    choose_optimizer(qtbot, widget, "adagrad")
    assert eps.text() == "1e-10"
    choose_optimizer(qtbot, widget, "adam")
    assert eps.text() == "1e-08"
    assert widget.settings(RunSettings()) == RunSettings(optimizer="adam")  # eps None
    retype(qtbot, eps, "1e-6")
    choose_optimizer(qtbot, widget, "adagrad")  # the user's ε is kept
    assert eps.value() == 1e-6
    assert widget.settings(RunSettings()) == RunSettings(optimizer="adagrad", eps=1e-6)


def test_the_batch_size_is_a_whole_number(qtbot: QtBot, widget: OptimizerInput) -> None:
    choose_optimizer(qtbot, widget, "minibatch")
    box = child(widget, NumberInput, "batchSizeInput")
    assert box.text() == "32"
    retype(qtbot, box, "4.0")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.text() == "4"
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.text() == "5"
    assert widget.settings(RunSettings()) == RunSettings(optimizer="minibatch", batch_size=5)
    retype(qtbot, box, "1")
    qtbot.keyClick(box, Qt.Key.Key_Down)  # 0 is refused: no step down
    assert box.text() == "1"


#: Each rule's key symbols, as the app writes them.
SYMBOLS = {
    "gd": ["w ← w − lr·g", "all the points", "grad_val"],
    "sgd": ["w ← w − lr·g", "one point"],
    "minibatch": ["w ← w − lr·g", "batch"],
    "momentum": ["u ← μ·u + g", "w ← w − lr·u", "μ = 0.9"],
    "nesterov": ["u ← μ·u + g", "w ← w − lr·(g + μ·u)", "μ = 0.9", "nesterov"],
    "adagrad": ["s ← s + g²", "w ← w − lr·g / (√s + ε)", "ε = 1e-10"],
    "rmsprop": ["v ← α·v + (1 − α)·g²", "w ← w − lr·g / (√v + ε)", "α = 0.99", "ε = 1e-08"],
    "adam": [
        "m ← β1·m + (1 − β1)·g", "v ← β2·v + (1 − β2)·g²", "m̂ = m / (1 − β1ᵗ)",
        "v̂ = v / (1 − β2ᵗ)", "w ← w − lr·m̂ / (√v̂ + ε)", "β1 = 0.9", "β2 = 0.999", "ε = 1e-08",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_item_states_its_update_rule(qtbot: QtBot, widget: OptimizerInput, name: str) -> None:
    combo = child(widget, QComboBox, "optimizerInput")
    tip = combo.itemData(combo.findData(name), Qt.ItemDataRole.ToolTipRole)
    assert tip == widget.describe(name)
    for symbol in SYMBOLS[name]:
        assert symbol in tip, symbol
    assert "torch.optim" in tip
    choose_optimizer(qtbot, widget, name)
    assert combo.toolTip() == tip  # the box itself explains the chosen rule


def test_hints_on_the_hyperparameter_fields(widget: OptimizerInput) -> None:
    expected = {
        "momentumInput": "u ← μ·u + g", "alphaInput": "v ← α·v + (1 − α)·g²",
        "beta1Input": "m ← β1·m + (1 − β1)·g", "beta2Input": "v ← β2·v + (1 − β2)·g²",
        "b0Input": "before the first update",
    }  # fmt: skip
    for name, text in expected.items():
        assert text in child(widget, QWidget, name).toolTip(), name
    assert "same seed gives the same run" in child(widget, QSpinBox, "seedInput").toolTip()


def test_the_seed_needs_shuffle(qtbot: QtBot, widget: OptimizerInput, seen: Recorder) -> None:
    choose_optimizer(qtbot, widget, "sgd")
    shuffle = child(widget, QCheckBox, "shuffleInput")
    seed = child(widget, QSpinBox, "seedInput")
    assert shuffle.isEnabled() and not seed.isEnabled()
    tick(qtbot, shuffle)
    assert seed.isEnabled() and seen.signals[-1] == ("edited",)
    qtbot.keyClick(seed, Qt.Key.Key_Up)
    assert widget.settings(RunSettings()) == RunSettings(optimizer="sgd", shuffle=True, seed=1)
    # The same seed gives the same run; another seed, another order of the points.
    data = Dataset([1.0, 2.0, 3.0, 4.0, 5.0], [2.1, 3.9, 6.2, 7.8, 10.1])
    runs = [Run(data, RunSettings(optimizer="sgd", shuffle=True, seed=s)) for s in (1, 1, 2)]
    for run in runs:
        run.advance(2)
    assert same_history(runs[0], runs[1]) and not same_history(runs[0], runs[2])
