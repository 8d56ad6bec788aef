"""The real window, driven as a student would: keys, clicks, drags, typing, files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractSlider,
    QApplication,
    QLabel,
    QMessageBox,
    QTableWidget,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gd_viewer.cli import run_command
from gd_viewer.core import Dataset, Run, RunSettings
from gd_viewer.gui.controller import FRAME_MS
from gd_viewer.gui.export import ExportError
from gd_viewer.gui.main_window import MainWindow
from tests.gui.plot_input import drag, pixel
from tests.gui.widgets import child as find_child

NAMES = [
    "dataTable", "lrInput", "epochsInput", "w0Input", "speedInput", "stepButton",
    "stepBackButton", "playButton", "resetButton", "timeline", "lossCurvePane",
    "costHistoryPane", "dataFitPane", "statusLine",
]  # fmt: skip


def child(window: MainWindow, name: str) -> Any:
    return find_child(window, QWidget, name)


def status(window: MainWindow) -> str:
    label = child(window, "statusLine")
    assert isinstance(label, QLabel)
    return label.text()


def tutorial_w(epochs: int) -> float:
    """w after ``epochs`` epochs of the tutorial, by its own arithmetic."""
    w = 1.0
    for _ in range(epochs):
        grad = (
            2 * 1.0 * (1.0 * w - 2.0) + 2 * 2.0 * (2.0 * w - 4.0) + 2 * 3.0 * (3.0 * w - 6.0)
        ) / 3
        w -= 0.01 * grad
    return w


def shows_epoch(window: MainWindow, qtbot: QtBot, epoch: int) -> None:
    qtbot.waitUntil(lambda: window.controller.playhead == epoch, timeout=3000)
    qtbot.waitUntil(lambda: f"w = {tutorial_w(epoch)!r}" in status(window), timeout=3000)


def test_every_named_widget_is_there_for_scripts_and_screen_readers(window: MainWindow) -> None:
    for name in NAMES:
        widget = child(window, name)
        assert widget.accessibleName(), name
    assert window.windowTitle().startswith("gd-viewer")
    assert "Epoch 0 of 100" in status(window)
    assert "w = 1.0 " in status(window) and "prediction at x = 4: 4.0" in status(window)


def test_step_forward_and_back_with_buttons_and_keys(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(child(window, "stepButton"), Qt.MouseButton.LeftButton)
    shows_epoch(window, qtbot, 1)
    assert "w = 1.0933333333333333" in status(window)
    qtbot.mouseClick(child(window, "stepButton"), Qt.MouseButton.LeftButton)
    shows_epoch(window, qtbot, 2)
    qtbot.mouseClick(child(window, "stepBackButton"), Qt.MouseButton.LeftButton)
    shows_epoch(window, qtbot, 1)
    window.activateWindow()
    child(window, "costHistoryPane").setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    shows_epoch(window, qtbot, 2)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    shows_epoch(window, qtbot, 0)
    qtbot.keyClick(window, Qt.Key.Key_Left)  # nothing before epoch 0
    shows_epoch(window, qtbot, 0)


def test_playing_to_the_end_shows_the_headless_commands_final_numbers(
    window: MainWindow, qtbot: QtBot
) -> None:
    out = io.StringIO()
    assert run_command([], out, io.StringIO()) == 0
    last_epoch = out.getvalue().splitlines()[-2]  # " Epoch: 99  w= …  loss= …"
    final_w = last_epoch.split("w= ")[1].split()[0]
    window.controls.set_speed(1000.0)
    window.controller._on_controls_speed_changed(1000.0)
    play = child(window, "playButton")
    assert isinstance(play, QToolButton) and play.isCheckable()
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    assert play.isChecked()
    qtbot.waitUntil(lambda: window.controller.playhead == 100, timeout=5000)
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=2000)
    # The status line follows in an event of its own, right after the frame.
    qtbot.waitUntil(lambda: "Epoch 100 of 100" in status(window), timeout=2000)
    assert f"w = {final_w} " in status(window)
    reference = Run(Dataset.tutorial())
    reference.run_to_end()
    assert f"cost = {float(reference.history.cost[-1])!r}" in status(window)
    assert "Epoch 100 of 100" in status(window)


def test_the_speed_field_says_up_to_which_speed_every_epoch_is_drawn(window: MainWindow) -> None:
    tip = child(window, "speedInput").toolTip()
    assert f"Up to {1000.0 / FRAME_MS:g} a second, every epoch is drawn" in tip
    assert "62.5" in tip  # a frame every 16 ms


def test_pause_mid_run_holds_the_epoch(window: MainWindow, qtbot: QtBot) -> None:
    window.controller._on_controls_speed_changed(40.0)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.playhead >= 5, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    held = window.controller.playhead
    assert 5 <= held < 100
    qtbot.wait(300)
    assert window.controller.playhead == held
    assert not child(window, "playButton").isChecked()  # type: ignore[attr-defined]
    shows_epoch(window, qtbot, held)


def test_scrubbing_the_timeline_and_home_key(window: MainWindow, qtbot: QtBot) -> None:
    timeline = child(window, "timeline")
    assert isinstance(timeline, QAbstractSlider)
    timeline.triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)
    shows_epoch(window, qtbot, 100)
    for _ in range(3):
        timeline.triggerAction(QAbstractSlider.SliderAction.SliderSingleStepSub)
    shows_epoch(window, qtbot, 97)
    window.activateWindow()
    child(window, "costHistoryPane").setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Home)
    shows_epoch(window, qtbot, 0)


def test_clicking_the_cost_curve_moves_the_playhead(window: MainWindow, qtbot: QtBot) -> None:
    pane = child(window, "costHistoryPane")
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=pixel(pane, 30))  # type: ignore[attr-defined]
    shows_epoch(window, qtbot, 30)
    drag(qtbot, pane, [pixel(pane, 30), pixel(pane, 45), pixel(pane, 60)])  # type: ignore[arg-type]
    shows_epoch(window, qtbot, 60)


def test_dragging_the_w_marker_sets_the_initial_w(window: MainWindow, qtbot: QtBot) -> None:
    pane = child(window, "lossCurvePane")
    start = pixel(pane, 1.0, 14 / 3)  # type: ignore[arg-type]
    target = pixel(pane, 1.5, 14 / 3)  # type: ignore[arg-type]
    middle = (start + target) / 2
    drag(qtbot, pane, [start, middle, target])  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: abs(window.controller.settings.w0 - 1.5) < 0.05, timeout=3000)
    w0 = window.controller.settings.w0
    assert window.controls.run_settings().w0 == w0  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: f"w = {w0!r} " in status(window), timeout=3000)
    assert window.controller.playhead == 0


def test_a_typed_learning_rate_restarts_the_run(window: MainWindow, qtbot: QtBot) -> None:
    lr = child(window, "lrInput")
    lr.lineEdit().selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(lr.lineEdit(), "1e-1")  # type: ignore[attr-defined]
    qtbot.keyClick(lr.lineEdit(), Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.controller.settings.lr == 0.1, timeout=3000)
    qtbot.waitUntil(lambda: window.controller.computed == 100, timeout=3000)
    window.controller.seek(1)
    expected = 1.0 - 0.1 * (-28 / 3)
    qtbot.waitUntil(lambda: abs(window.controller.run.history.params[1, 0] - expected) < 1e-12)  # type: ignore[union-attr]


def test_nonsense_disables_play_and_keeps_the_last_valid_run(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.controller.seek(20)
    shows_epoch(window, qtbot, 20)
    lr = child(window, "lrInput")
    lr.lineEdit().selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(lr.lineEdit(), "abc")  # type: ignore[attr-defined]
    play = child(window, "playButton")
    qtbot.waitUntil(lambda: not play.isEnabled(), timeout=2000)
    assert "learning rate" in lr.toolTip().lower() or "number" in lr.toolTip().lower()
    errors = child(window, "inputErrors")
    assert errors.isVisible() and errors.text()  # type: ignore[attr-defined]
    # The last valid run stays on screen, at the same epoch.
    assert window.controller.settings.lr == 0.01
    shows_epoch(window, qtbot, 20)
    lr.lineEdit().selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(lr.lineEdit(), "0.01")  # type: ignore[attr-defined]
    qtbot.waitUntil(play.isEnabled, timeout=2000)


def test_a_bad_table_cell_is_named_and_fixing_it_runs_again(
    window: MainWindow, qtbot: QtBot
) -> None:
    table = child(window, "dataTable")
    assert isinstance(table, QTableWidget)
    table.item(1, 1).setText("four")
    play = child(window, "playButton")
    qtbot.waitUntil(lambda: not play.isEnabled(), timeout=2000)
    assert "Row 2" in child(window, "inputErrors").text()  # type: ignore[attr-defined]
    assert "four" in table.item(1, 1).toolTip()
    table.item(1, 1).setText("5")
    qtbot.waitUntil(play.isEnabled, timeout=2000)
    qtbot.waitUntil(lambda: window.controller.dataset == Dataset([1, 2, 3], [2, 5, 6]))
    qtbot.waitUntil(lambda: window.controller.computed == 100, timeout=3000)


def non_blank(image: QImage) -> int:
    """Distinct colours in the picture (a blank one has one or two)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32)
    return len(np.unique(pixels))


def test_export_all_panes_and_each_pane_as_png(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window.controller.seek(40)
    qtbot.wait(100)
    everything = tmp_path / "all.png"
    window.export_png(everything, width=1500)
    image = QImage(str(everything))
    assert not image.isNull() and image.width() == 1500
    assert non_blank(image) > 50
    for name in ("lossCurvePane", "costHistoryPane", "dataFitPane"):
        path = tmp_path / f"{name}.png"
        window.export_png(path, pane=name, width=640)
        picture = QImage(str(path))
        assert picture.width() == 640 and non_blank(picture) > 20
    default = tmp_path / "default.png"
    window.export_png(default)
    assert QImage(str(default)).width() == window.panes_area.width()


def test_export_errors_are_clear_and_lose_nothing(window: MainWindow, tmp_path: Path) -> None:
    existing = tmp_path / "keep.png"
    existing.write_bytes(b"old picture")
    with pytest.raises(ExportError, match="width"):
        window.export_png(existing, width=5)
    assert existing.read_bytes() == b"old picture"
    with pytest.raises(ExportError, match="no-such-folder"):
        window.export_png(tmp_path / "no-such-folder" / "x.png")
    with pytest.raises(ExportError, match="pane"):
        window.export_png(tmp_path / "x.png", pane="noSuchPane")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.png"]


def test_opening_a_csv_file_restarts_with_its_points(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "points.csv"
    path.write_text("hours,score\n1,3\n2,5\n3,7\n4,9\n", encoding="utf-8")
    window.controller.load_data(str(path))
    qtbot.waitUntil(lambda: window.controller.dataset.size == 4, timeout=5000)
    table = child(window, "dataTable")
    assert isinstance(table, QTableWidget)
    assert table.rowCount() == 4 and table.item(3, 1).text() in ("9", "9.0")
    qtbot.waitUntil(lambda: window.controller.computed == 100, timeout=3000)


def test_a_corrupt_csv_file_shows_a_message_and_keeps_the_data(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b"x,y\n1,2\n2,\xff\xfe\n")
    window.controller.load_data(str(path))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "problemMessage") is not None)
    box = window.findChild(QMessageBox, "problemMessage")
    assert "broken.csv" in box.text()  # type: ignore[union-attr]
    box.close()  # type: ignore[union-attr]
    assert window.controller.dataset == Dataset.tutorial()
    assert child(window, "dataTable").isEnabled()


def test_a_million_points_load_and_run_without_blocking(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 3, 1_000_000)
    path = tmp_path / "big.csv"
    np.savetxt(path, np.column_stack([x, 2 * x]), delimiter=",", fmt="%.6f", header="x,y")
    window.controller.load_data(str(path))
    qtbot.waitUntil(lambda: window.controller.dataset.size == 1_000_000, timeout=30000)
    qtbot.waitUntil(lambda: window.controller.computed == 100, timeout=10000)
    assert window.fit_pane.shown_point_count() <= 5000


@pytest.mark.parametrize("playing", [True, False], ids=["playing", "paused"])
def test_closing_the_window_ends_the_worker(qtbot: QtBot, playing: bool) -> None:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    data = Dataset(np.linspace(1, 2, 2000), np.linspace(2, 4, 2000))
    win.controller.start(data, RunSettings(optimizer="sgd", epochs=100_000, lr=0.001))
    qtbot.waitUntil(lambda: win.controller.computed > 0, timeout=5000)
    if playing:
        win.controller.set_playing(True)
        qtbot.wait(50)
    win.close()
    assert not win.controller.runner.is_running()
    QApplication.processEvents()


def test_a_diverging_run_pauses_at_its_end_and_says_why(window: MainWindow, qtbot: QtBot) -> None:
    window.controller.start(Dataset.tutorial(), RunSettings(lr=1.0, epochs=1000))
    qtbot.waitUntil(lambda: window.controller.run is not None, timeout=3000)
    qtbot.waitUntil(lambda: window.controller.run.finished, timeout=5000)  # type: ignore[union-attr]
    window.controller._on_controls_speed_changed(100_000.0)
    window.controller.set_playing(True)
    qtbot.waitUntil(lambda: not window.controller.playing, timeout=5000)
    assert 100 < window.controller.playhead < 1000
    qtbot.waitUntil(lambda: "diverged" in status(window), timeout=2000)
    assert "0.2143" in status(window)
    for name in ("lossCurvePane", "costHistoryPane", "dataFitPane"):
        pane = child(window, name)
        pane.grab()  # type: ignore[attr-defined]
        (x0, x1), (y0, y1) = pane.getPlotItem().getViewBox().viewRange()  # type: ignore[attr-defined]
        assert all(np.isfinite([x0, x1, y0, y1])), name
