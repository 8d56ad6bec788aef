"""The teaching aids in the real window: the step's formula, runs that run away, stopping rules."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gd_viewer.core import Dataset, Run, RunSettings
from gd_viewer.gui.main_window import MainWindow
from gd_viewer.gui.run_table import Column
from tests.gui.plot_input import drag, pixel
from tests.gui.widgets import child

pytestmark = pytest.mark.gui


def formula(window: MainWindow) -> str:
    return str(child(window, QWidget, "formulaPanel").text())


def status(window: MainWindow) -> str:
    label = child(window, QLabel, "statusLine")
    return str(label.text())


def start(window: MainWindow, qtbot: QtBot, settings: RunSettings) -> None:
    window.controls.set_run_settings(settings)
    window.controller.start(Dataset.tutorial(), settings)
    qtbot.waitUntil(lambda: window.controller.run is not None, timeout=5000)
    qtbot.waitUntil(lambda: window.controller.run.finished, timeout=5000)


def test_the_formula_panel_follows_the_playhead_with_the_cores_digits(
    window: MainWindow, qtbot: QtBot
) -> None:
    run = Run(Dataset.tutorial(), RunSettings())
    run.run_to_end()
    h = run.history
    play = child(window, QWidget, "playButton")
    play.setFocus()
    for _ in range(3):
        qtbot.keyClick(play, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.controller.playhead == 3, timeout=3000)
    qtbot.waitUntil(lambda: repr(float(h.params[4, 0])) in formula(window), timeout=3000)
    text = formula(window)
    assert f"= {float(h.cost[3])!r}" in text
    assert f"= {float(h.grad[3, 0])!r}" in text
    w, grad, next_w = float(h.params[3, 0]), float(h.grad[3, 0]), float(h.params[4, 0])
    assert f"w ← {w!r} − 0.01 × ({grad!r}) = {next_w!r}" in text
    # The same digits as the status line (and so as `gd-viewer run`).
    assert f"w = {w!r}" in status(window)


def test_a_learning_rate_past_the_limit_pauses_by_itself_and_says_why(
    window: MainWindow, qtbot: QtBot
) -> None:
    start(window, qtbot, RunSettings(lr=1.0))
    window.controller.set_playing(True)
    qtbot.waitUntil(lambda: not window.controller.playing, timeout=5000)
    # Paused early, while the numbers still mean something (the core would go on to 1e184).
    assert 1 <= window.controller.playhead <= 5
    qtbot.waitUntil(lambda: "2/curvature = 0.2143" in status(window), timeout=3000)
    assert "lr = 1 " in status(window) and "overshoots" in status(window)
    for pane in (window.loss_pane, window.cost_pane, window.fit_pane):
        (x0, x1), (y0, y1) = pane.getPlotItem().getViewBox().viewRange()
        assert all(math.isfinite(v) for v in (x0, x1, y0, y1))
    # Play again: it goes on (the pause comes once), to the end of the run.
    window.controller._on_controls_speed_changed(1000.0)
    window.controller.set_playing(True)
    qtbot.waitUntil(lambda: window.controller.playhead == 100, timeout=10000)


def test_a_converging_run_never_pauses_on_its_own(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot, RunSettings(lr=0.2))  # oscillates, but converges (0.2 < 3/14)
    window.controls.set_speed(10_000)
    window.controller._on_controls_speed_changed(10_000)
    window.controller.set_playing(True)
    qtbot.waitUntil(lambda: not window.controller.playing, timeout=5000)
    assert window.controller.playhead == 100
    assert "Paused" not in status(window)


def test_a_run_stopped_by_its_rule_ends_playback_there(window: MainWindow, qtbot: QtBot) -> None:
    settings = RunSettings(stop="gradient", tolerance=1e-3, epochs=1000)
    start(window, qtbot, settings)
    run = window.controller.run
    assert run is not None and run.stopped_early
    window.controls.set_speed(10_000)
    window.controller._on_controls_speed_changed(10_000)
    window.controller.set_playing(True)
    qtbot.waitUntil(lambda: not window.controller.playing, timeout=5000)
    assert window.controller.playhead == run.epochs_done < 1000
    qtbot.waitUntil(lambda: "Stopped: |gradient|" in status(window), timeout=3000)
    assert "No update: the run ended" in formula(window)
    # Play from the end starts again from epoch 0.
    window.controller.set_playing(True)
    assert window.controller.playhead == 0


def _pinned_lines(pane: QWidget) -> list[Any]:
    return [
        item
        for item in pane.scene().items()
        if isinstance(item, QObject)
        and item.objectName().startswith("pinnedRun")
        and item.isVisible()
    ]


def test_pinned_runs_stay_under_later_runs_and_are_listed_until_removed(
    window: MainWindow, qtbot: QtBot
) -> None:
    pin = child(window, QPushButton, "pinButton")
    table = child(window, QTableWidget, "runTable")
    qtbot.mouseClick(pin, Qt.MouseButton.LeftButton)
    assert len(window.controller.pins) == 1
    # A faster learning rate, typed as a student would.
    field = child(window, QWidget, "lrInput")
    field = field if isinstance(field, QLineEdit) else field.lineEdit()
    field.selectAll()
    qtbot.keyClicks(field, "0.1")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.settings.lr == 0.1, timeout=3000)
    qtbot.waitUntil(lambda: window.controller.run is not None, timeout=3000)
    qtbot.waitUntil(lambda: window.controller.run.finished, timeout=3000)
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=3000)
    assert table.item(0, Column.LR).text() == "0.1"  # the live run, first
    assert table.item(1, Column.LR).text() == "0.01"  # the pin
    tutorial = Run(Dataset.tutorial(), RunSettings())
    tutorial.run_to_end()
    final_w = repr(float(tutorial.history.params[-1, 0]))
    assert table.item(1, Column.FINAL_W).text() == final_w
    for pane in (window.loss_pane, window.cost_pane):
        (line,) = _pinned_lines(pane)
        xs, ys = line.getData()
        assert ys.tolist() == tutorial.history.cost.tolist()
    assert "lr = 0.01, w0 = 1" in [text.text for _, text in window.loss_pane._legend.items]
    (line,) = _pinned_lines(window.fit_pane)  # the pinned run's final line on the data
    xs, ys = line.getData()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(float(final_w), rel=1e-12)
    # Pinning the same run twice is refused, with a word on the status line.
    qtbot.mouseClick(pin, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pin, Qt.MouseButton.LeftButton)
    assert len(window.controller.pins) == 2
    qtbot.waitUntil(lambda: "pinned already" in status(window), timeout=3000)
    # Remove the first pin with its ✕.
    qtbot.mouseClick(child(window, QWidget, "removePin0"), Qt.MouseButton.LeftButton)
    assert len(window.controller.pins) == 1
    assert window.controller.pins[0].lr == 0.1
    assert len(_pinned_lines(window.loss_pane)) == 1


def test_new_data_clears_the_pins(window: MainWindow, qtbot: QtBot) -> None:
    window.controller.pin()
    assert len(window.controller.pins) == 1
    window.controller.start(Dataset([1.0, 2.0], [1.0, 3.0]))
    assert len(window.controller.pins) == 0
    assert _pinned_lines(window.loss_pane) == []


def test_dragging_a_data_point_moves_it_in_the_table_and_reruns_the_descent(
    window: MainWindow, qtbot: QtBot
) -> None:
    pane = window.fit_pane
    start_at, end_at = pixel(pane, 3.0, 6.0), pixel(pane, 3.0, 3.0)
    steps = [start_at + (end_at - start_at) * (i / 6) for i in range(7)]
    drag(qtbot, pane, steps)
    qtbot.waitUntil(lambda: window.controller.run is not None, timeout=3000)
    qtbot.waitUntil(
        lambda: window.controller.run.data.y[2] < 4.5 and window.controller.run.finished,
        timeout=3000,
    )
    data = window.controller.dataset
    assert data.x[:2].tolist() == [1.0, 2.0] and data.y[:2].tolist() == [2.0, 4.0]
    assert abs(data.x[2] - 3.0) < 0.1 and abs(data.y[2] - 3.0) < 0.3
    table = child(window, QTableWidget, "dataTable")
    assert float(table.item(2, 1).text()) == data.y[2]
    # The run is the core's on the new points, and the curve's optimum moved with them.
    expected = Run(data, window.controller.settings)
    expected.run_to_end()
    assert window.controller.run.history.params[-1, 0] == expected.history.params[-1, 0]
    assert window.controller.run.quadratic.optimum[0] < 2.0


def test_distance_to_the_optimum_per_epoch_is_a_straight_line_on_the_log_axis(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.controller.pin()
    window.distance_action.trigger()  # View → Distance to the optimum |w − w*|
    assert window.cost_pane.log_scale() and window.log_action.isChecked()
    window.controller.seek(100)
    qtbot.waitUntil(lambda: window.controller.playhead == 100, timeout=3000)
    curve = window.cost_pane.getPlotItem().listDataItems()[0]
    qtbot.waitUntil(lambda: curve.getData()[0] is not None and len(curve.getData()[0]) == 101)
    _, logged = curve.getData()  # as drawn on the log axis: log10 of the values
    distance = 10**logged
    w = [1.0]
    for _ in range(100):
        w.append(w[-1] - 0.01 * (2 * 14 * w[-1] - 2 * 28) / 3)
    assert np.allclose(distance, np.abs(np.array(w) - 2.0), rtol=1e-12, atol=0)
    # Linear convergence: the same factor every epoch, |1 − lr·28/3|.
    ratios = distance[1:] / distance[:-1]
    assert np.allclose(ratios, abs(1 - 0.01 * 28 / 3), rtol=1e-9)
    axis = window.cost_pane.getPlotItem().getAxis("left").labelText
    assert "|w − w*|" in axis and "log" in axis
    (pinned,) = _pinned_lines(window.cost_pane)  # drawn on the log axis: log10 of the values
    assert np.allclose(10 ** pinned.getData()[1], np.abs(np.array(w) - 2.0), rtol=1e-12)
    window.distance_action.trigger()  # back to the cost
    qtbot.waitUntil(lambda: np.allclose(10 ** curve.getData()[1][:2], [14 / 3, 3.8362074074074086]))
    assert "cost" in window.cost_pane.getPlotItem().getAxis("left").labelText


def test_choosing_adam_runs_adam_and_the_gd_only_aids_step_aside(
    window: MainWindow, qtbot: QtBot
) -> None:
    combo = child(window, QComboBox, "optimizerInput")
    assert child(window, QWidget, "modelInput").isVisible()
    combo.setFocus()
    while combo.currentData() != "adam":
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(
        lambda: (
            window.controller.run is not None
            and window.controller.run.settings.optimizer == "adam"
            and window.controller.run.finished
        ),
        timeout=5000,
    )
    expected = Run(Dataset.tutorial(), RunSettings(optimizer="adam"))
    expected.run_to_end()
    got = window.controller.run.history
    assert got.params.tolist() == expected.history.params.tolist()
    assert not window.controls.lr_limits().isVisibleTo(window)
    window.controller.seek(3)
    qtbot.waitUntil(lambda: "not lr × the gradient" in formula(window), timeout=3000)


def test_the_data_view_holds_still_while_a_converging_run_plays(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.fit_pane.getPlotItem().getViewBox()
    window.controller.seek(1)
    qtbot.wait(50)
    before = view.viewRange()
    window.controller.seek(100)  # the prediction at x = 4 went from 4 to 8 meanwhile
    qtbot.wait(50)
    assert view.viewRange() == before
    low, high = before[1]
    assert low <= 4.0 and high >= 4 * 1.9999444396553017  # every prediction in sight


def test_a_bad_optimizer_setting_is_named_and_keeps_the_last_valid_run(
    window: MainWindow, qtbot: QtBot
) -> None:
    combo = child(window, QComboBox, "optimizerInput")
    combo.setFocus()
    while combo.currentData() != "adam":
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.controller.settings.optimizer == "adam", timeout=3000)
    beta1 = child(window, QWidget, "beta1Input")
    field = beta1 if isinstance(beta1, QLineEdit) else beta1.lineEdit()
    field.selectAll()
    qtbot.keyClicks(field, "1.5")
    play = child(window, QWidget, "playButton")
    qtbot.waitUntil(lambda: not play.isEnabled(), timeout=2000)
    errors = child(window, QLabel, "inputErrors")
    assert errors.isVisible() and "β1" in errors.text()
    assert window.controller.settings.beta1 == 0.9  # the run on screen is the last valid one
    field.selectAll()
    qtbot.keyClicks(field, "0.8")
    qtbot.waitUntil(play.isEnabled, timeout=2000)
    qtbot.waitUntil(lambda: window.controller.settings.beta1 == 0.8, timeout=2000)
