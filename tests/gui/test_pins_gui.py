"""The pinned runs' table and overlay, driven as real widgets offscreen."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QToolButton

from gd_viewer.core import Dataset, Run, RunSettings
from gd_viewer.core.pins import PinnedRun, PinnedRuns
from gd_viewer.gui.panes.legend import Legend, legend
from gd_viewer.gui.panes.pinned import (
    PIN_PALETTE,
    PIN_Z,
    PinnedLine,
    PinnedOverlay,
    pin_colour,
)
from gd_viewer.gui.panes.style import style_plot
from gd_viewer.gui.run_table import Column, RunTable

pytestmark = pytest.mark.gui


def pinned(**settings: object) -> PinnedRun:
    run = Run(Dataset.tutorial(), RunSettings(**settings))  # type: ignore[arg-type]
    run.run_to_end()
    return PinnedRun.from_run(run)


@pytest.fixture(scope="module")
def three() -> list[PinnedRun]:
    """lr 0.01 (not within 1e-6 in 100 epochs), 0.1 (6 epochs), 1.0 (diverges)."""
    return [pinned(lr=0.01), pinned(lr=0.1), pinned(lr=1.0, epochs=1000)]


# --------------------------------------------------------------------------- table


@pytest.fixture
def table(qtbot) -> Iterator[RunTable]:
    widget = RunTable()
    qtbot.addWidget(widget)
    widget.resize(900, 240)
    yield widget


def text(table: RunTable, row: int, column: Column) -> str:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item.text()


def colours(count: int) -> list[QColor]:
    return [pin_colour(i) for i in range(count)]


def test_table_shows_each_pins_numbers(table, three) -> None:
    table.set_runs(three, colours(3))
    assert table.objectName() == "runTable"
    assert table.rowCount() == 3
    slow, fast, wild = three
    assert text(table, 0, Column.LR) == "0.01"
    assert text(table, 1, Column.LR) == "0.1"
    assert text(table, 2, Column.LR) == "1.0"
    assert [text(table, r, Column.INITIAL_W) for r in range(3)] == ["1.0"] * 3
    assert text(table, 0, Column.FINAL_W) == repr(slow.final_params[0]) == "1.9999444396553017"
    assert text(table, 1, Column.FINAL_W) == repr(fast.final_params[0])
    assert text(table, 0, Column.FINAL_COST) == f"{slow.final_cost:.6g}" == "1.44058e-08"
    assert text(table, 0, Column.EPOCHS) == "100"
    assert text(table, 2, Column.EPOCHS) == str(wild.epochs) != "1000"
    assert text(table, 0, Column.TO_TOLERANCE) == "—"
    assert text(table, 1, Column.TO_TOLERANCE) == "6"
    assert text(table, 0, Column.STATUS) == "finished"
    assert text(table, 2, Column.STATUS) == "diverged"
    assert table.item(2, Column.STATUS).toolTip() == wild.reason
    # The y = w·x runs have no b: its columns are hidden.
    assert table.isColumnHidden(Column.INITIAL_B) and table.isColumnHidden(Column.FINAL_B)


def test_table_cells_are_read_only_but_selectable(table, three) -> None:
    table.set_runs(three, colours(3))
    for row in range(table.rowCount()):
        for column in Column:
            item = table.item(row, column)
            assert item is not None
            assert not item.flags() & Qt.ItemFlag.ItemIsEditable
            assert item.flags() & Qt.ItemFlag.ItemIsSelectable


def test_table_swatches_have_the_pins_colours(table, three) -> None:
    table.set_runs(three, colours(3))
    for row in range(3):
        pixmap = table.item(row, Column.COLOUR).data(Qt.ItemDataRole.DecorationRole)
        image = pixmap.toImage()
        centre = image.pixelColor(image.width() // 2, image.height() // 2)
        assert centre.name() == PIN_PALETTE[row].lower()


def test_the_live_run_comes_first_marked_now(table, three) -> None:
    live = pinned(lr=0.05)
    table.set_runs(three[:2], colours(2), live=live)
    assert table.rowCount() == 3
    assert text(table, 0, Column.COLOUR) == "now"
    assert text(table, 0, Column.LR) == "0.05"
    assert text(table, 1, Column.LR) == "0.01"
    assert table.pin_index(0) is None and table.pin_index(1) == 0 and table.pin_index(2) == 1
    # Only pins can be removed: two buttons, named by pin index.
    buttons = table.findChildren(QToolButton)
    assert sorted(b.objectName() for b in buttons) == ["removePin0", "removePin1"]
    assert table.cellWidget(0, Column.REMOVE) is None
    assert table.cellWidget(2, Column.REMOVE).objectName() == "removePin1"


def test_line_model_rows_show_b(table) -> None:
    line = pinned(model="line", lr=0.05, w0=-0.5, b0=1.0)
    table.set_runs([pinned(lr=0.1), line], colours(2))
    assert not table.isColumnHidden(Column.INITIAL_B)
    assert not table.isColumnHidden(Column.FINAL_B)
    assert text(table, 1, Column.INITIAL_W) == "-0.5"
    assert text(table, 1, Column.INITIAL_B) == "1.0"
    assert text(table, 1, Column.FINAL_B) == repr(line.final_params[1])
    assert text(table, 0, Column.INITIAL_B) == ""
    table.set_runs([pinned(lr=0.1)], colours(1))
    assert table.isColumnHidden(Column.INITIAL_B)


def test_clicking_a_cross_asks_to_remove_that_pin(qtbot, table, three) -> None:
    table.set_runs(three, colours(3), live=pinned(lr=0.05))
    table.show()
    qtbot.waitExposed(table)
    emitted: list[int] = []
    table.remove_requested.connect(emitted.append)
    button = table.findChild(QToolButton, "removePin1")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert emitted == [1]
    qtbot.mouseClick(table.findChild(QToolButton, "removePin2"), Qt.MouseButton.LeftButton)
    assert emitted == [1, 2]
    assert table.rowCount() == 4  # the owner removes and sets the runs again


def test_delete_key_asks_to_remove_the_selected_pin(qtbot, table, three) -> None:
    table.set_runs(three, colours(3), live=pinned(lr=0.05))
    table.show()
    qtbot.waitExposed(table)
    table.setFocus()
    emitted: list[int] = []
    table.remove_requested.connect(emitted.append)
    table.selectRow(2)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert emitted == [1]
    table.selectRow(0)  # the live run cannot be unpinned
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.keyClick(table, Qt.Key.Key_Backspace)
    assert emitted == [1]
    table.selectRow(3)
    qtbot.keyClick(table, Qt.Key.Key_Backspace)
    assert emitted == [1, 2]
    table.clearSelection()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert emitted == [1, 2]


def test_delete_pressed_again_unpins_the_next_run(qtbot, table, three) -> None:
    pins = PinnedRuns()
    for pin in three:
        pins.add(pin)

    def show_pins() -> None:
        table.set_runs(list(pins), [pin_colour(i) for i in pins.colours])

    table.remove_requested.connect(pins.remove)
    table.remove_requested.connect(show_pins)
    show_pins()
    table.show()
    qtbot.waitExposed(table)
    table.setFocus()
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [p.lr for p in pins] == [0.01, 1.0]
    assert table.selectionModel().isRowSelected(1)  # the next run's row
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [p.lr for p in pins] == [0.01]
    assert table.selectionModel().isRowSelected(0)  # the last row left
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert len(pins) == 0 and table.rowCount() == 0


def test_a_cross_may_rebuild_the_table_it_sits_in(qtbot, table, three) -> None:
    pins = PinnedRuns()
    for pin in three:
        pins.add(pin)

    def show_pins() -> None:
        table.set_runs(list(pins), [pin_colour(i) for i in pins.colours])

    table.remove_requested.connect(pins.remove)
    table.remove_requested.connect(show_pins)
    show_pins()
    table.show()
    qtbot.waitExposed(table)
    qtbot.mouseClick(table.findChild(QToolButton, "removePin0"), Qt.MouseButton.LeftButton)
    qtbot.wait(10)  # the old buttons are deleted
    assert [p.lr for p in pins] == [0.1, 1.0]
    qtbot.mouseClick(table.findChild(QToolButton, "removePin1"), Qt.MouseButton.LeftButton)
    qtbot.wait(10)
    assert [p.lr for p in pins] == [0.1]
    assert [text(table, 0, Column.LR)] == ["0.1"]


def test_setting_fewer_runs_drops_the_old_rows_and_buttons(qtbot, table, three) -> None:
    table.set_runs(three, colours(3))
    stale = table.findChild(QToolButton, "removePin2")
    emitted: list[int] = []
    table.remove_requested.connect(emitted.append)
    table.set_runs(three[:1], colours(1))
    assert table.rowCount() == 1
    # The old buttons are deleted later; meanwhile none is found by name or emits.
    names = [b.objectName() for b in table.findChildren(QToolButton) if b.objectName()]
    assert names == ["removePin0"]
    stale.click()
    assert emitted == []
    table.findChild(QToolButton, "removePin0").click()
    assert emitted == [0]
    table.set_runs((), ())
    assert table.rowCount() == 0


def test_colours_must_match_the_pins(table, three) -> None:
    with pytest.raises(ValueError, match="colours"):
        table.set_runs(three, colours(2))


def test_table_follows_a_pinned_runs_list(table) -> None:
    pins = PinnedRuns()
    for lr in (0.01, 0.02, 0.03):
        pins.add(pinned(lr=lr))
    pins.remove(0)
    table.set_runs(list(pins), [pin_colour(i) for i in pins.colours])
    assert [text(table, r, Column.LR) for r in range(2)] == ["0.02", "0.03"]
    swatch = table.item(0, Column.COLOUR).data(Qt.ItemDataRole.DecorationRole).toImage()
    assert swatch.pixelColor(7, 7).name() == PIN_PALETTE[1].lower()  # kept its colour


# --------------------------------------------------------------------------- overlay


@pytest.fixture
def plot(qtbot) -> Iterator[pg.PlotWidget]:
    """A styled plot of a fixed range [0, 10]², shown."""
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    style_plot(widget, "pins", "x", "y")
    widget.getPlotItem().showGrid(x=False, y=False)
    widget.getPlotItem().getViewBox().setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def share_of(image: QImage, colour: QColor) -> int:
    """Pixels of ``image`` that are ``colour`` at least half blended over white.

    Thin antialiased lines are drawn partly over white: a pixel counts when it lies
    near the segment from white to ``colour``, at least halfway to ``colour``.
    """
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = (
        np.frombuffer(image.constBits(), dtype=np.uint8)
        .reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), 2::-1]
        .astype(float)
    )  # BGRA to RGB
    white = np.array([255.0, 255.0, 255.0])
    target = np.array([colour.red(), colour.green(), colour.blue()], dtype=float)
    direction = target - white
    alpha = ((pixels - white) @ direction) / (direction @ direction)
    nearest = white + alpha[..., None] * direction
    residual = np.abs(pixels - nearest).max(axis=2)
    return int(((alpha >= 0.5) & (alpha <= 1.1) & (residual <= 24)).sum())


def run_lines(
    *colours_and_heights: tuple[int, float],
) -> list[tuple[str, QColor, np.ndarray, np.ndarray]]:
    """Slanted lines across the view (off any grid line), one per (colour index, height)."""
    x = np.linspace(0.0, 10.0, 60)
    return [(f"run {i}", pin_colour(i), x, height + 0.15 * x) for i, height in colours_and_heights]


def test_overlay_draws_each_run_in_its_colour(plot) -> None:
    overlay = PinnedOverlay(plot.getPlotItem())
    purple, sky = pin_colour(0), pin_colour(3)
    before = plot.grab().toImage()
    assert share_of(before, purple) == 0 and share_of(before, sky) == 0
    overlay.set_runs(run_lines((0, 1.3), (3, 6.7)))
    image = plot.grab().toImage()
    assert share_of(image, purple) > 150
    assert share_of(image, sky) > 150
    assert share_of(image, pin_colour(1)) == 0  # no colour that was not asked for
    # Each where its points are: purple in the lower half, sky blue in the upper.
    top, bottom = image.copy(0, 0, 600, 200), image.copy(0, 200, 600, 200)
    assert share_of(bottom, purple) > 0 == share_of(top, purple)
    assert share_of(top, sky) > 0 == share_of(bottom, sky)


def test_overlay_reuses_its_items(plot) -> None:
    overlay = PinnedOverlay(plot.getPlotItem())
    overlay.set_runs(run_lines((0, 1.3), (3, 6.7)))
    first = overlay.lines()
    assert [line.objectName() for line in first] == ["pinnedRun0", "pinnedRun1"]
    overlay.set_runs(run_lines((1, 2.0), (2, 4.0)))
    assert all(a is b for a, b in zip(overlay.lines(), first, strict=True))
    assert first[0].line_pen().color() == pin_colour(1)
    assert first[0].getData()[1][0] == pytest.approx(2.0)
    overlay.set_runs(run_lines((4, 3.0)))
    assert overlay.lines() == [first[0]] and not first[1].isVisible()
    overlay.set_runs(run_lines((0, 1.0), (1, 2.0), (2, 3.0)))
    lines = overlay.lines()
    assert lines[:2] == first and lines[1].isVisible() and lines[2] not in first
    on_plot = [i for i in plot.getPlotItem().items if isinstance(i, PinnedLine)]
    assert len(on_plot) == 3
    overlay.clear()
    assert overlay.lines() == [] and not any(line.isVisible() for line in on_plot)
    assert share_of(plot.grab().toImage(), pin_colour(0)) == 0


def test_overlay_legend_entries(plot) -> None:
    key: Legend = legend(plot)
    overlay = PinnedOverlay(plot.getPlotItem(), key)

    def shown() -> list[tuple[str, str]]:
        return [
            (text.text, sample.item.opts["pen"].color().name())
            for sample, text in key.items
            if text.isVisible()
        ]

    overlay.set_runs(run_lines((0, 1.3), (3, 6.7)))
    assert shown() == [("run 0", PIN_PALETTE[0].lower()), ("run 3", PIN_PALETTE[3].lower())]
    rows = list(key.items)
    overlay.set_runs(run_lines((2, 1.0)))
    assert shown() == [("run 2", PIN_PALETTE[2].lower())]
    assert list(key.items) == rows  # hidden, not removed
    height_one = key.boundingRect().height()
    overlay.set_runs(run_lines((0, 1.0), (1, 2.0)))
    assert len(key.items) == 2 and key.boundingRect().height() > height_one
    assert [t.text for t in overlay.legend_texts()] == ["run 0", "run 1"]


def test_overlay_lines_are_under_the_live_run_and_do_not_move_the_view(qtbot, plot) -> None:
    item = plot.getPlotItem()
    live = item.plot([0.0, 1.0], [0.0, 1.0])
    overlay = PinnedOverlay(item)
    overlay.set_runs([("far", pin_colour(0), np.array([0.0, 1.0]), np.array([500.0, 900.0]))])
    item.getViewBox().enableAutoRange()
    item.getViewBox().autoRange()
    plot.grab()
    (_, _), (_, top) = item.getViewBox().viewRange()
    assert top < 2.0  # fitted to the live run only
    (line,) = overlay.lines()
    assert line.zValue() == PIN_Z < live.zValue()


def test_overlay_follows_a_log_axis_and_drops_points_it_cannot_draw(plot) -> None:
    item = plot.getPlotItem()
    overlay = PinnedOverlay(item)
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    y = np.array([100.0, 10.0, 0.0, np.nan, 0.01])
    overlay.set_runs([("costs", pin_colour(0), x, y)])
    (line,) = overlay.lines()
    assert line.getData()[0].tolist() == [0.0, 1.0, 2.0, 4.0]
    item.setLogMode(y=True)
    xs, ys = line.getData()
    assert xs.tolist() == [0.0, 1.0, 4.0]
    assert ys.tolist() == pytest.approx([2.0, 1.0, -2.0])
    item.setLogMode(y=False)
    assert line.getData()[1].tolist() == [100.0, 10.0, 0.0, 0.01]
    plot.grab()  # draws without a warning (warnings fail the test)


def test_overlay_thins_long_runs(plot) -> None:
    overlay = PinnedOverlay(plot.getPlotItem())
    x = np.arange(1_000_000, dtype=float)
    overlay.set_runs([("long", pin_colour(0), x, np.sqrt(x))])
    xs, _ = overlay.lines()[0].getData()
    assert 1000 < xs.size <= 4000 and xs[0] == 0.0 and xs[-1] == 999_999.0


def test_overlay_draws_a_pinned_runs_costs(qtbot, plot, three) -> None:
    item = plot.getPlotItem()
    overlay = PinnedOverlay(item, legend(plot))
    slow, fast, _ = three
    overlay.set_runs(
        [(p.label, pin_colour(i), p.epoch_numbers, p.cost) for i, p in enumerate((slow, fast))]
    )
    item.getViewBox().setRange(xRange=(0, 100), yRange=(0, 5), padding=0)
    image = plot.grab().toImage()
    assert share_of(image, pin_colour(0)) > 100 and share_of(image, pin_colour(1)) > 20
    assert [t.text for t in overlay.legend_texts()] == ["lr = 0.01, w0 = 1", "lr = 0.1, w0 = 1"]


def test_the_pin_board_pins_finished_runs_only_and_says_why_not(qtbot) -> None:
    from gd_viewer.core import Dataset, Run, RunSettings
    from gd_viewer.gui.panes import CostHistoryPane, DataFitPane, LossCurvePane
    from gd_viewer.gui.pin_board import PinBoard

    panes = (LossCurvePane(), CostHistoryPane(), DataFitPane())
    for pane in panes:
        qtbot.addWidget(pane)
    board = PinBoard(*panes, None)
    run = Run(Dataset.tutorial(), RunSettings())
    run.advance(5)
    assert "still being computed" in board.pin(run)
    assert len(board.pins) == 0
    run.run_to_end()
    assert board.pin(run) == ""
    assert "pinned already" in board.pin(run)
    assert len(board.pins) == 1 and board.pins[0].epochs == 100
