"""Two parameters and the optimizer ladder in the real window: the line y = w·x + b, the
landscape, each optimizer's steps, races of pinned runs, and presets."""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from gd_viewer.core import Dataset, Run, RunSettings
from gd_viewer.core.optimizers import OPTIMIZERS
from gd_viewer.core.presets import load_preset, preset_names
from gd_viewer.gui.controls import SPEED_RANGE
from gd_viewer.gui.main_window import MainWindow
from gd_viewer.gui.run_table import Column
from tests.gui.plot_input import item, pixel, show, view
from tests.gui.widgets import child, choose

pytestmark = pytest.mark.gui


def status(window: MainWindow) -> str:
    return str(child(window, QLabel, "statusLine").text())


def finished(window: MainWindow) -> bool:
    run = window.controller.run
    return run is not None and run.finished and window.controller.computed >= run.epochs_done


def wait_for_run(window: MainWindow, qtbot: QtBot, **expected: object) -> None:
    """Wait until the run on show has the ``expected`` settings and is computed to its end."""

    def ready() -> bool:
        run = window.controller.run
        return (
            run is not None
            and all(getattr(run.settings, k) == v for k, v in expected.items())
            and finished(window)
        )

    qtbot.waitUntil(ready, timeout=10000)


def core_run(dataset: Dataset, settings: RunSettings) -> Run:
    run = Run(dataset, settings)
    run.run_to_end()
    return run


def step(window: MainWindow, qtbot: QtBot, times: int) -> None:
    button = child(window, QWidget, "stepButton")
    target = window.controller.playhead + times
    for _ in range(times):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.playhead == target, timeout=3000)
    # The status line follows the panes: once it tells of the epoch, the panes show it.
    qtbot.waitUntil(lambda: status(window).startswith(f"Epoch {target} of"), timeout=3000)


def switch_to_line(window: MainWindow, qtbot: QtBot) -> None:
    choose(qtbot, child(window, QComboBox, "modelInput"), "line")
    wait_for_run(window, qtbot, model="line")


def mse(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """The cost at each w of ``w`` (and at b), straight from the data: the oracle."""
    return np.array([np.mean((x * wi + b - y) ** 2) for wi in w])


def test_the_line_model_shows_b_the_landscape_and_the_slice_at_the_current_b(
    window: MainWindow, qtbot: QtBot
) -> None:
    landscape = child(window, QWidget, "landscapePane")
    b0 = child(window, QWidget, "b0Input")
    assert not landscape.isVisible()
    switch_to_line(window, qtbot)
    assert landscape.isVisible() and b0.isVisible() and b0.isEnabled()
    step(window, qtbot, 3)
    dataset = Dataset.tutorial()
    core = core_run(dataset, RunSettings(model="line"))
    w, b = (float(v) for v in core.history.params[3])
    qtbot.waitUntil(lambda: f"b = {b!r}" in status(window), timeout=3000)
    text = status(window)
    assert f"w = {w!r}" in text
    assert f"cost = {float(core.history.cost[3])!r}" in text
    assert f"∂cost/∂b = {float(core.history.grad[3, 1])!r}" in text
    assert f"prediction at x = 4: {4 * w + b!r}" in text

    # The w–loss pane: the cost over w at the current b (checked against the data itself).
    curve_w, curve_cost = item(window.loss_pane, "curve").getData()
    np.testing.assert_allclose(curve_cost, mse(dataset.x, dataset.y, curve_w, b), rtol=1e-12)
    assert curve_w.min() < w < curve_w.max()
    # The landscape: the path so far and the current point.
    path_w, path_b = item(landscape, "path").getData()
    np.testing.assert_array_equal(path_w, core.history.params[:4, 0])
    np.testing.assert_array_equal(path_b, core.history.params[:4, 1])
    assert item(landscape, "current").getData()[0][0] == w
    assert item(landscape, "current").getData()[1][0] == b
    # The data pane: the current line y = w·x + b.
    line_x, line_y = item(window.fit_pane, "line").getData()
    np.testing.assert_allclose(line_y, w * line_x + b, rtol=1e-12, atol=1e-12)

    choose(qtbot, child(window, QComboBox, "modelInput"), "origin")
    wait_for_run(window, qtbot, model="origin")
    assert not landscape.isVisible() and not b0.isEnabled()
    qtbot.waitUntil(lambda: "b = " not in status(window), timeout=3000)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_each_optimizers_first_steps_in_the_window_are_the_cores(
    window: MainWindow, qtbot: QtBot, optimizer: str
) -> None:
    switch_to_line(window, qtbot)
    choose(qtbot, child(window, QComboBox, "optimizerInput"), optimizer)
    wait_for_run(window, qtbot, optimizer=optimizer)
    settings = window.controller.settings
    assert settings.model == "line" and settings.optimizer == optimizer
    core = core_run(Dataset.tutorial(), settings)
    for epoch in (1, 2, 3):
        step(window, qtbot, 1)
        w, b = (float(v) for v in core.history.params[epoch])
        qtbot.waitUntil(lambda w=w, b=b: f"w = {w!r}   b = {b!r}" in status(window), timeout=3000)
        current = item(window.landscape_pane, "current").getData()
        assert (current[0][0], current[1][0]) == (w, b)


def test_a_stochastic_run_shows_its_noisy_path_per_update_and_its_cost_per_epoch(
    window: MainWindow, qtbot: QtBot
) -> None:
    switch_to_line(window, qtbot)
    choose(qtbot, child(window, QComboBox, "optimizerInput"), "sgd")
    wait_for_run(window, qtbot, optimizer="sgd")
    core = core_run(Dataset.tutorial(), window.controller.settings)
    step(window, qtbot, 4)
    history = core.history
    updates = history.update_params[history.update_position <= 4]
    assert len(updates) == 1 + 4 * 3  # the start, then one update per point
    path_w, path_b = item(window.landscape_pane, "path").getData()
    np.testing.assert_array_equal(path_w, updates[:, 0])
    np.testing.assert_array_equal(path_b, updates[:, 1])
    trail_w, trail_cost = item(window.loss_pane, "trail").getData()
    np.testing.assert_array_equal(trail_w, updates[:, 0])
    np.testing.assert_array_equal(trail_cost, history.update_cost[: len(updates)])
    dots_w, _ = item(window.loss_pane, "trailDots").getData()
    np.testing.assert_array_equal(dots_w, history.params[:5, 0])  # a dot per epoch
    epochs, costs = item(window.cost_pane, "curve").getData()
    np.testing.assert_array_equal(epochs, np.arange(5.0))
    np.testing.assert_array_equal(costs, history.cost[:5])


def test_clicking_the_landscape_while_stopped_sets_the_start(
    window: MainWindow, qtbot: QtBot
) -> None:
    switch_to_line(window, qtbot)
    landscape = window.landscape_pane
    show(qtbot, landscape)
    (w_low, w_high), (b_low, b_high) = view(landscape).viewRange()
    legend = next(i for i in landscape.scene().items() if isinstance(i, pg.LegendItem))
    # A point of the plot clear of the legend (a click there does not pick).
    target = next(
        (w_low + u * (w_high - w_low), b_low + v * (b_high - b_low))
        for u in (0.3, 0.5, 0.7)
        for v in (0.3, 0.5, 0.7)
        if not legend.sceneBoundingRect().contains(
            view(landscape).mapViewToScene(
                QPointF(w_low + u * (w_high - w_low), b_low + v * (b_high - b_low))
            )
        )
    )
    qtbot.mouseClick(landscape.viewport(), Qt.MouseButton.LeftButton, pos=pixel(landscape, *target))
    qtbot.waitUntil(lambda: window.controller.settings.w0 != 1.0, timeout=3000)
    settings = window.controller.settings
    pixel_w = (w_high - w_low) / view(landscape).width()
    pixel_b = (b_high - b_low) / view(landscape).height()
    assert abs(settings.w0 - target[0]) <= pixel_w and abs(settings.b0 - target[1]) <= pixel_b
    assert child(window, QWidget, "w0Input").value() == settings.w0
    assert child(window, QWidget, "b0Input").value() == settings.b0
    wait_for_run(window, qtbot, w0=settings.w0, b0=settings.b0)
    assert tuple(window.controller.run.history.params[0]) == (settings.w0, settings.b0)

    # While playing, a click does not move the start.
    window.controls.set_speed(2.0)
    window.controller.set_playing(True)
    qtbot.wait(600)  # not a double click
    qtbot.mouseClick(landscape.viewport(), Qt.MouseButton.LeftButton, pos=pixel(landscape, *target))
    qtbot.wait(50)
    assert window.controller.playing and window.controller.settings == settings


def pin_run(window: MainWindow, qtbot: QtBot, **changes: object) -> None:
    settings = window.controller.settings.replace(**changes)
    window.controls.set_run_settings(settings)
    window.controller.start(window.controller.dataset, settings)
    wait_for_run(window, qtbot, **changes)
    qtbot.mouseClick(child(window, QPushButton, "pinButton"), Qt.MouseButton.LeftButton)


def test_a_race_of_three_optimizers_advances_together_and_ends_with_the_cores_values(
    window: MainWindow, qtbot: QtBot
) -> None:
    switch_to_line(window, qtbot)
    race = child(window, QPushButton, "raceButton")
    assert not race.isEnabled()  # nothing pinned to race
    racers = [
        {"optimizer": "gd", "lr": 0.05},
        {"optimizer": "momentum", "lr": 0.01},
        {"optimizer": "adam", "lr": 0.1},
    ]
    for racer in racers[:2]:
        pin_run(window, qtbot, **racer)
    live = window.controller.settings.replace(**racers[2])
    window.controls.set_run_settings(live)
    window.controller.start(window.controller.dataset, live)
    wait_for_run(window, qtbot, optimizer="adam")
    cores = [core_run(Dataset.tutorial(), window.controller.settings.replace(**r)) for r in racers]
    assert race.isEnabled()

    window.controls.set_speed(40.0)
    qtbot.mouseClick(race, Qt.MouseButton.LeftButton)
    assert race.isChecked() and window.controller.playing
    assert race.text() == "End the race"
    # The epoch–cost pane names every racer in its legend, in the table's words.
    legend = next(i for i in window.cost_pane.scene().items() if isinstance(i, pg.LegendItem))
    texts = [text.text for _, text in legend.items if text.isVisible()]
    assert texts == [
        "now: adam, lr = 0.1, w0 = 1, b0 = 0",
        "lr = 0.05, w0 = 1, b0 = 0",
        "momentum, lr = 0.01, w0 = 1, b0 = 0",
    ]
    # Mid-race, every racer has come just as far as the live run.
    qtbot.waitUntil(lambda: window.controller.playhead >= 10, timeout=5000)
    window.controller.set_playing(False)
    k = window.controller.playhead
    qtbot.waitUntil(lambda: window.controller.racing, timeout=1000)
    for index, core in enumerate(cores[:2]):
        w_path, b_path = item(window.landscape_pane, f"pinnedRun{index}").getData()
        np.testing.assert_array_equal(w_path, core.history.params[: k + 1, 0])
        np.testing.assert_array_equal(b_path, core.history.params[: k + 1, 1])
        head = item(window.landscape_pane, f"pinnedRunHead{index}").getData()
        assert (head[0][0], head[1][0]) == tuple(core.history.params[k])
        cost_head = item(window.cost_pane, f"pinnedRunHead{index}").getData()
        assert (cost_head[0][0], cost_head[1][0]) == (k, core.history.cost[k])

    # To the end: each racer stops at the core's final values.
    window.controls.set_speed(SPEED_RANGE[1])
    window.controller.set_playing(True)
    qtbot.waitUntil(lambda: not window.controller.playing, timeout=10000)
    assert window.controller.playhead == 100
    for index, core in enumerate(cores[:2]):
        head = item(window.landscape_pane, f"pinnedRunHead{index}").getData()
        assert (head[0][0], head[1][0]) == tuple(core.history.params[-1])
    final_w, final_b = (float(v) for v in cores[2].history.params[-1])
    qtbot.waitUntil(lambda: f"w = {final_w!r}   b = {final_b!r}" in status(window), timeout=3000)
    table = window.run_table
    # The table lists the live run first, then the pins.
    rows = {table.item(row, Column.LR).text(): row for row in range(table.rowCount())}
    for racer, core in zip(racers, cores, strict=True):
        row = rows[repr(float(racer["lr"]))]
        assert table.item(row, Column.FINAL_W).text() == repr(float(core.history.params[-1, 0]))
        assert table.item(row, Column.FINAL_B).text() == repr(float(core.history.params[-1, 1]))

    # Ending the race draws the pins whole again.
    qtbot.mouseClick(race, Qt.MouseButton.LeftButton)
    assert not window.controller.racing
    assert not item(window.landscape_pane, "pinnedRunHead0").isVisible()


def test_a_pinned_stochastic_run_races_along_its_noisy_path(
    window: MainWindow, qtbot: QtBot
) -> None:
    switch_to_line(window, qtbot)
    pin_run(window, qtbot, optimizer="sgd", lr=0.02)
    qtbot.waitUntil(lambda: len(window.controller.pins) == 1, timeout=3000)
    pin_run(window, qtbot, optimizer="gd", lr=0.02)  # live: plain GD; SGD is pinned
    core = core_run(Dataset.tutorial(), window.controller.settings.replace(optimizer="sgd"))
    qtbot.mouseClick(child(window, QPushButton, "raceButton"), Qt.MouseButton.LeftButton)
    window.controller.set_playing(False)
    window.controller.seek(3)
    history = core.history
    updates = history.update_params[history.update_position <= 3]
    assert len(updates) == 1 + 3 * 3

    def drawn() -> bool:
        return len(item(window.landscape_pane, "pinnedRun0").getData()[0]) == len(updates)

    qtbot.waitUntil(drawn, timeout=3000)
    w_path, b_path = item(window.landscape_pane, "pinnedRun0").getData()
    np.testing.assert_array_equal(w_path, updates[:, 0])
    np.testing.assert_array_equal(b_path, updates[:, 1])
    head = item(window.landscape_pane, "pinnedRunHead0").getData()
    assert (head[0][0], head[1][0]) == tuple(history.params[3])
    loss_w, loss_cost = item(window.loss_pane, "pinnedRun0").getData()
    np.testing.assert_array_equal(loss_w, updates[:, 0])
    np.testing.assert_array_equal(loss_cost, history.update_cost[: len(updates)])


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # the popup
@pytest.mark.parametrize("name", preset_names())
def test_each_preset_loads_in_one_click_and_runs_as_the_core_does(
    window: MainWindow, qtbot: QtBot, name: str
) -> None:
    preset = load_preset(name)
    combo = child(window, QComboBox, "presetInput")
    index = combo.findData(name)
    combo.showPopup()
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible)
    rect = popup.visualRect(combo.model().index(index, 0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.controller.settings == preset.settings, timeout=3000)
    assert window.controls.dataset() == preset.dataset
    assert window.controls.run_settings() == preset.settings
    wait_for_run(window, qtbot)
    assert window.landscape_pane.isVisible() == (preset.settings.model == "line")
    core = core_run(preset.dataset, preset.settings)
    run = window.controller.run
    np.testing.assert_array_equal(run.history.params, core.history.params)
    description = child(window, QLabel, "presetDescription").text()
    assert description == preset.description
    assert "(changed)" not in combo.currentText()
    # Any change of the inputs marks the preset changed.
    choose(qtbot, child(window, QComboBox, "optimizerInput"), "adam")
    qtbot.waitUntil(lambda: "(changed)" in combo.currentText(), timeout=3000)


def test_a_preset_that_cannot_be_read_is_reported_and_the_run_stays(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    from gd_viewer.core import presets

    monkeypatch.setattr(presets, "presets_dir", lambda: tmp_path)  # the files vanished
    before = window.controller.run
    qtbot.mouseClick(child(window, QPushButton, "presetLoadButton"), Qt.MouseButton.LeftButton)
    box = qtbot.waitUntil(
        lambda: window.findChild(QWidget, "problemMessage") is not None, timeout=3000
    )
    del box
    message = window.findChild(QWidget, "problemMessage")
    assert re.search(r"tutorial", message.text())
    assert window.controller.run is before


def test_the_landscape_exports_as_png_while_it_is_shown(
    window: MainWindow, qtbot: QtBot, tmp_path
) -> None:
    from PySide6.QtGui import QImage

    from gd_viewer.gui.export import ExportError

    assert not window.export_landscape_action.isEnabled()
    with pytest.raises(ExportError, match=r"w·x \+ b only"):
        window.export_png(tmp_path / "landscape.png", pane="landscapePane")
    switch_to_line(window, qtbot)
    assert window.export_landscape_action.isEnabled()
    show(qtbot, window.landscape_pane)
    window.export_png(tmp_path / "landscape.png", pane="landscapePane", width=500)
    picture = QImage(str(tmp_path / "landscape.png")).convertToFormat(QImage.Format.Format_RGB32)
    assert picture.width() == 500
    pixels = np.frombuffer(picture.constBits(), dtype=np.uint32)
    assert len(np.unique(pixels)) > 500  # the colour map, not a blank picture
    everything = tmp_path / "all.png"
    window.export_png(everything)
    # All panes: the top row now holds three (the landscape between the others).
    assert QImage(str(everything)).width() == window.panes_area.width()


def test_the_landscape_keeps_the_pinned_paths_in_view(window: MainWindow, qtbot: QtBot) -> None:
    switch_to_line(window, qtbot)
    pin_run(window, qtbot, optimizer="momentum", lr=0.05)  # swings far past the optimum
    qtbot.waitUntil(lambda: len(window.controller.pins) == 1, timeout=3000)
    swing = window.controller.pins[0].params
    live = window.controller.settings.replace(optimizer="gd", lr=0.001, epochs=20)
    window.controls.set_run_settings(live)
    window.controller.start(window.controller.dataset, live)
    wait_for_run(window, qtbot, optimizer="gd", lr=0.001)
    show(qtbot, window.landscape_pane)
    (w_low, w_high), (b_low, b_high) = view(window.landscape_pane).viewRange()
    assert w_low <= swing[:, 0].min() and swing[:, 0].max() <= w_high
    assert b_low <= swing[:, 1].min() and swing[:, 1].max() <= b_high
    # The live run alone (20 short steps) would need far less.
    path = window.controller.run.history.params
    assert w_high - w_low > 3 * (path[:, 0].max() - path[:, 0].min())


def test_removing_the_last_pinned_racer_ends_the_race(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QToolButton

    pin_run(window, qtbot, lr=0.05)
    qtbot.waitUntil(lambda: len(window.controller.pins) == 1, timeout=3000)
    race = child(window, QPushButton, "raceButton")
    qtbot.mouseClick(race, Qt.MouseButton.LeftButton)
    assert window.controller.racing and race.isChecked()
    remove = child(window, QToolButton, "removePin0")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.controller.racing, timeout=3000)
    assert not race.isChecked() and not race.isEnabled()
    assert race.text() == "Race the pinned runs"


def test_in_the_smallest_window_nothing_is_cut_off_half_readable(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The line model, three panes abreast in a 760×520 window: each legend is whole in its
    view or left out, the buttons' names are whole, and the timeline keeps room to drag."""
    from gd_viewer.gui.panes.legend import Legend
    from gd_viewer.gui.playback import MIN_TIMELINE_WIDTH

    window.controller.load_preset(load_preset("noisy-intercept"))
    wait_for_run(window, qtbot, model="line")
    window.resize(window.minimumSize())
    qtbot.wait(300)
    assert window.width() <= 800
    window.controller.seek(30)
    qtbot.waitUntil(lambda: status(window).startswith("Epoch 30 of"), timeout=3000)
    qtbot.wait(300)  # the legends placed, at rest

    panes = (window.loss_pane, window.landscape_pane, window.fit_pane, window.cost_pane)
    assert all(pane.isVisible() for pane in panes)
    left_out = 0
    for pane in panes:
        view_box = pane.getPlotItem().getViewBox()
        inside = view_box.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
        for legend in (obj for obj in pane.scene().items() if isinstance(obj, Legend)):
            if legend.isVisible():
                assert inside.contains(legend.sceneBoundingRect()), pane.objectName()
            else:
                left_out += 1
    assert left_out >= 2  # the three abreast have no room for theirs (the cost pane has none)
    for name in ("pinButton", "raceButton"):
        button = child(window, QPushButton, name)
        assert button.width() >= button.sizeHint().width(), name
    assert child(window, QWidget, "timeline").width() >= MIN_TIMELINE_WIDTH
